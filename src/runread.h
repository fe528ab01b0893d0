/*
 * runread.h: reading run directories for the run index.
 *
 * A run directory becomes a record: the row callers see (opref parts,
 * timestamps, label, tags, status...) plus what the index keeps to search
 * and verify it (a stamp of the files it was read from, the tags,
 * comments and attr names as search text). The status is decided by
 * run_status_decide() (run.h), the one place of that rule.
 *
 * Stamps: a hash of the (inode, size, mtime, ctime) of RUN/.guild,
 * RUN/.guild/attrs and the attrs rewritten in place (label, tags, marked,
 * comments, exit_status, in that order: the bits of "editable"). A stamp
 * taken too soon after a change is 0 ("racy": look again), since file
 * times come from a coarse clock.
 *
 * Each of those files also has a stamp of its own (fst[RUN_FST_*], 0:
 * missing), so that a filter on one column verifies a row with one stat:
 * the file the column comes from, or the attrs directory while that file
 * does not exist (creating it changes the directory).
 */
#ifndef GUILD_RUNREAD_H
#define GUILD_RUNREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runindex.h"

struct stat;

/* Separates the tags and attr names of the search columns. */
#define RUN_REC_SEP	'\x1f'

/* The attrs rewritten in place, in stamp order: bit i of "editable". */
enum {
	RUN_EDITABLE_LABEL,
	RUN_EDITABLE_TAGS,
	RUN_EDITABLE_MARKED,
	RUN_EDITABLE_COMMENTS,
	RUN_EDITABLE_EXIT,
	RUN_EDITABLE_N
};
/* The files of a record's stamp, each stamped on its own too. */
enum {
	RUN_FST_GUILD,		/* .guild: LOCK, PENDING, STAGED come and go */
	RUN_FST_ATTRS,		/* .guild/attrs: attrs created or removed */
	RUN_FST_ATTR0,		/* + i: editable attr i */
	RUN_FST_N = RUN_FST_ATTR0 + RUN_EDITABLE_N
};
/*
 * What must be verified (bits 1 << RUN_FST_x of the files a filter's
 * columns come from), or RUN_WATCH_FULL (the whole stamp, for columns
 * no one file gives).
 */
#define RUN_WATCH_ATTR(i)	(1U << (RUN_FST_ATTR0 + (i)))
#define RUN_WATCH_FULL		(1U << 31)

/* What a run directory holds, ready to be written. */
struct run_rec {
	struct run_row	 row;
	int64_t		 ts;
	uint64_t	 stamp;		/* 0: racy, check again */
	uint64_t	 fst[RUN_FST_N]; /* file stamps, 0: missing */
	unsigned	 editable;	/* bits of the editable attrs present */
	bool		 check;		/* may change without a new stamp */
	char		*tags_col;	/* SEP tag SEP tag SEP, or "" */
	char		*comments;	/* lowercase search text, or "" */
	char		*attr_names;	/* SEP name SEP name SEP, or "" */
};

struct run_recs {
	struct run_rec	**v;
	size_t		  n, alloc;
};

/*
 * Read run base/id (dfd is base, open), at time now (ns, CLOCK_REALTIME).
 * NULL when it is not a run (no opref, or gone). Best effort otherwise:
 * unreadable attrs are missing, and the first of them is row.problem.
 */
struct run_rec	*run_read(const char *base, int dfd, const char *id,
		    bool deleted, int64_t now);
void		 run_rec_free(struct run_rec *);
void		 run_recs_clear(struct run_recs *);
/* Run directories read by run_read() in this process. */
unsigned long	 run_read_count(void);

/*
 * The stamp run_read() took, taken again: 0 when the run is gone or
 * something changed too recently. editable: the record's bits.
 */
uint64_t	 run_stamp(int dfd, const char *id, unsigned editable,
		    int64_t now);
/*
 * For ids[i], on a few threads when there are many: with watch
 * RUN_WATCH_FULL, out[i] = run_stamp(); else out[i] is whether the files
 * of watch still have the file stamps of fst[i * RUN_FST_N...] (one stat
 * per watched column; a file changed too recently to trust counts as
 * changed).
 */
void		 run_stamps(int dfd, const char *const *ids,
		    const unsigned *editable, unsigned watch,
		    const uint64_t *fst, size_t n, int64_t now, uint64_t *out);
/* Stamps younger than ns are not trusted (default two seconds). */
void		 run_stamp_set_racy_ns(int64_t ns);

/* A stamp of other files (the runs directory). */
struct run_stamper {
	uint64_t	h;
	int64_t		newest;		/* ns */
};
#define RUN_STAMPER_INIT { 0xcbf29ce484222325ULL, 0 }
void		 run_stamper_stat(struct run_stamper *, const struct stat *);
/* A value of another kind (a nonce). */
void		 run_stamper_u64(struct run_stamper *, uint64_t);
void		 run_stamper_missing(struct run_stamper *);
/* The stamp, or 0 when something changed too recently to trust it. */
uint64_t	 run_stamper_final(const struct run_stamper *, int64_t now);

#endif
