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

/* What a run directory holds, ready to be written. */
struct run_rec {
	struct run_row	 row;
	int64_t		 ts;
	uint64_t	 stamp;		/* 0: racy, check again */
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
void		 run_recs_clear(struct run_recs *);
/* Run directories read by run_read() in this process. */
unsigned long	 run_read_count(void);

/*
 * The stamp run_read() took, taken again: 0 when the run is gone or
 * something changed too recently. editable: the record's bits.
 */
uint64_t	 run_stamp(int dfd, const char *id, unsigned editable,
		    int64_t now);
/* out[i] = run_stamp() of ids[i], on a few threads when there are many. */
void		 run_stamps(int dfd, const char *const *ids,
		    const unsigned *editable, size_t n, int64_t now,
		    uint64_t *out);
/* Stamps younger than ns are not trusted (default two seconds). */
void		 run_stamp_set_racy_ns(int64_t ns);

/* A stamp of other files (the runs directory, scalars.tsv). */
struct run_stamper {
	uint64_t	h;
	int64_t		newest;		/* ns */
};
#define RUN_STAMPER_INIT { 0xcbf29ce484222325ULL, 0 }
void		 run_stamper_stat(struct run_stamper *, const struct stat *);
void		 run_stamper_missing(struct run_stamper *);
/* dfd/rel: stat into the stamper (missing counts too); 0 or -1. */
int		 run_stamper_path(struct run_stamper *, int dfd,
		    const char *rel);
/* The stamp, or 0 when something changed too recently to trust it. */
uint64_t	 run_stamper_final(const struct run_stamper *, int64_t now);

#endif
