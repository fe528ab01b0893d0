/*
 * run.h: one run directory, in Guild AI 0.9's format.
 *
 *	RUN/.guild/opref		"guildfile:/p/guild.yml <md5> MODEL OP"
 *	RUN/.guild/attrs/NAME		one YAML value per file
 *	RUN/.guild/PENDING, STAGED	marker files; Guild AI's are empty, our
 *					PENDING holds its creator as LOCK.start
 *					does the run's process
 *	RUN/.guild/LOCK			pid of the operation process, decimal,
 *					no newline (as Guild writes it)
 *	RUN/.guild/LOCK.start		ours: "PID STARTTIME BOOTID\n", the pid's
 *					start time (field 22 of /proc/PID/stat,
 *					clock ticks since boot) and the kernel
 *					boot id, so a recycled pid is not taken
 *					for the run's process
 *	RUN/.guild/LOCK.remote		remote name (runs on a remote: running)
 *
 * A directory is a run iff .guild/opref exists. Everything written here is
 * written atomically (temporary file + rename), so readers in other
 * processes, Guild AI included, never see a partial file.
 */
#ifndef GUILD_RUN_H
#define GUILD_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct strbuf;
struct strvec;
struct value;

#define RUN_ID_LEN	32	/* uuid4 hex */
#define RUN_SHORT_ID_LEN 8

struct run {
	char	*id;		/* the directory's name */
	char	*path;		/* absolute run directory */
	char	*guild;		/* path/.guild */
};

/* A new run id: 32 lowercase hex digits of a random (v4) UUID. */
char		*run_new_id(char **cause);
/* runs_dir/id. Caller frees. */
char		*run_dir_path(const char *runs_dir, const char *id);
/* The first 8 characters of an id. Caller frees. */
char		*run_short_id(const char *id);

/*
 * Create runs_dir/ID (a new random id when id is NULL) with
 * .guild/attrs/{id,initialized} and the PENDING marker, as Guild's
 * init_skel does. The directory becomes a run once its opref is written.
 * Fails if ID is already a run.
 */
struct run	*run_create(const char *runs_dir, const char *id, char **cause);
/* Open an existing run directory (must hold .guild/opref). */
struct run	*run_open(const char *path, char **cause);
void		 run_free(struct run *);
/* path/.guild/name. Caller frees. */
char		*run_guild_path(const struct run *, const char *name);

/*
 * Microseconds since the epoch, strictly increasing within the process
 * (Guild's run.timestamp()): use it for initialized, started, stopped.
 */
int64_t		 run_now_us(void);

/*
 * Attributes. Names are plain file names (no '/', not starting with '.').
 * Values are written with value_encode_yaml() (Guild's byte format).
 * run_attr_read stores NULL in *out when the attr does not exist, which is
 * not an error; -1 means unreadable or not YAML.
 */
int		 run_attr_write(const struct run *, const char *name,
		    const struct value *, char **cause);
int		 run_attr_read(const struct run *, const char *name,
		    struct value **out, char **cause);
/* Removing a missing attr is not an error. */
int		 run_attr_delete(const struct run *, const char *name,
		    char **cause);
/*
 * An integer attr (timestamps, exit_status) without going through YAML
 * when the file holds plain decimal text. False when missing, null,
 * unreadable or not an integer.
 */
bool		 run_attr_int(const struct run *, const char *name,
		    long long *out);

/* started, else initialized, else 0 (µs): the sort key of run lists. */
int64_t		 run_timestamp(const struct run *);

/*
 * opref: "PKG_TYPE:PKG_NAME PKG_VERSION MODEL OP", each part quoted like
 * Python's shlex.quote, one line without a newline (as Guild writes it).
 */
struct opref {
	char	*pkg_type;	/* "guildfile", "script", "package", ... */
	char	*pkg_name;	/* guildfile: absolute path of guild.yml */
	char	*pkg_version;	/* guildfile: md5 of guild.yml's bytes */
	char	*model;		/* "" for the anonymous model */
	char	*op;
};

/* Parse an encoded opref; -1 with cause when it is not 4 parts. */
int		 opref_parse(const char *encoded, struct opref *, char **cause);
/* Encode; caller frees. */
char		*opref_format(const struct opref *);
void		 opref_clear(struct opref *);
int		 run_opref_write(const struct run *, const struct opref *,
		    char **cause);
int		 run_opref_read(const struct run *, struct opref *, char **cause);

/* Markers. Setting a set marker or clearing a clear one succeeds. */
enum run_marker {
	RUN_MARKER_PENDING,
	RUN_MARKER_STAGED,
};
int		 run_marker_set(const struct run *, enum run_marker, char **cause);
int		 run_marker_clear(const struct run *, enum run_marker,
		    char **cause);
bool		 run_marker_exists(const struct run *, enum run_marker);
/*
 * Whether the run is pending: PENDING exists and the process creating
 * the run (recorded in it by run_marker_set) is alive. A PENDING of
 * Guild AI (empty) is trusted; one whose creator is gone (killed while
 * it created the run) is not pending, and the rest of the status rule
 * decides (an error, unless the operation was started and still runs).
 */
bool		 run_pending_live(const struct run *);
/*
 * Claim a run for a restart: create PENDING for this process unless
 * another live process has it (a dead one's is taken over), and give it
 * back if the run's process is alive. One of two restarts at once wins;
 * the other gets "run ID is running" or "... being started".
 */
int		 run_pending_claim(const struct run *, char **cause);

/*
 * The process lock: LOCK (Guild's format) and LOCK.start (see above).
 * run_lock_write records pid's current start time; run_lock_clear removes
 * both files.
 */
int		 run_lock_write(const struct run *, pid_t, char **cause);
int		 run_lock_clear(const struct run *, char **cause);
/* The pid in LOCK, or 0 when there is none or it is not a pid. */
pid_t		 run_lock_pid(const struct run *);
/*
 * Whether the LOCK process is alive: kill(pid, 0), then, when LOCK.start
 * names the same pid, the same boot and the same start time. A LOCK
 * without LOCK.start (written by Guild AI) is trusted by pid alone.
 * LOCK.start also names the machine ("PID START BOOTID HOST"): a LOCK
 * written on another machine (a cluster node or a remote sharing the
 * directory) is never judged by our pids: it counts as alive until the
 * run's exit status says otherwise.
 */
bool		 run_lock_alive(const struct run *);
/* The other machine a LOCK was written on, or NULL (ours, or none). */
char		*run_lock_host(const struct run *);

/*
 * Status, in Guild's order: LOCK.remote -> running, PENDING (of a live
 * creator: run_pending_live) -> pending,
 * STAGED -> staged, exit_status 0 -> completed, < 0 -> terminated,
 * > 0 -> error, a live LOCK process -> running, else error.
 */
enum run_status {
	RUN_STATUS_RUNNING,
	RUN_STATUS_COMPLETED,
	RUN_STATUS_ERROR,
	RUN_STATUS_TERMINATED,
	RUN_STATUS_PENDING,
	RUN_STATUS_STAGED,
};
#define RUN_STATUS_COUNT 6
enum run_status	 run_get_status(const struct run *);
/*
 * The rule itself, over what the caller read of the run (the run index
 * reads it its own way); only the processes are checked here: PENDING's
 * creator and the LOCK process.
 */
enum run_exit {
	RUN_EXIT_NONE,		/* no exit_status, or null */
	RUN_EXIT_INT,
	RUN_EXIT_OTHER,		/* present but not an integer: an error */
};
struct run_state {
	bool		remote;		/* LOCK.remote exists */
	bool		pending;	/* PENDING exists */
	bool		staged;		/* STAGED exists */
	enum run_exit	exit;
	long long	exit_status;	/* RUN_EXIT_INT */
};
enum run_status	 run_status_decide(const struct run *,
		    const struct run_state *);
/* "running", "completed", "error", "terminated", "pending", "staged". */
const char	*run_status_name(enum run_status);
/* The status for a name, or -1. */
int		 run_status_from_name(const char *);

/*
 * Ids of the runs in dir (its subdirectories holding .guild/opref), in
 * byte order. Attributes are not read. A missing dir is an empty list.
 */
int		 run_list(const char *dir, struct strvec *ids, char **cause);

/*
 * Shell quoting as Python's shlex.quote (used by opref and the manifest):
 * empty -> '', only [A-Za-z0-9_@%+=:,./-] -> as is, else single-quoted
 * with ' written as '"'"'.
 */
void		 shlex_quote(struct strbuf *, const char *);
/*
 * Split as Python's shlex.split (POSIX mode, no comments): whitespace
 * separates, '' keeps an empty word, backslash escapes outside quotes
 * and \ " inside double quotes. -1 with cause on an unclosed quote.
 */
int		 shlex_split(const char *, struct strvec *, char **cause);

#endif
