/*
 * remote.h: remotes as the user config defines them.
 *
 * Remotes live in Guild's user config file (user_config_path() in
 * compat.h: $GUILD_CONFIG, ./guild-config.yml, GUILD_HOME/config.yml,
 * ~/.guild/config.yml) under `remotes:`, a map from name to settings, as
 * in Guild AI 0.9:
 *
 *	remotes:
 *	  gpu:
 *	    type: ssh
 *	    host: gpu1.example.org
 *	    port: 2222			# ssh's own default when absent
 *	    user: ann
 *	    private-key: ~/.ssh/id_gpu
 *	    connect-timeout: 10	# seconds
 *	    proxy: ssh -W %h:%p bastion	# ssh's ProxyCommand
 *	    guild-home: /scratch/ann/guild	# default ~/.guild there
 *	    guild-bin: /opt/guild/bin/guild	# default "guild" in PATH
 *	    init: |			# shell lines run before guild there
 *	      module load cuda
 *	    env:			# exported before guild there
 *	      CUDA_VISIBLE_DEVICES: 0
 *	    poll-interval: 30		# seconds between guild view's syncs
 *	  cluster:
 *	    type: slurm			# all of ssh's, host optional: without
 *	    host: login.hpc.example.org	# it sbatch runs on this machine
 *	    sbatch-args: [--partition=gpu, --gres=gpu:1]
 *	    array-parallelism: 4	# %P of --array=0-N-1%P
 *	    poll-interval: 10		# seconds between status polls (and
 *					# guild view's syncs)
 *
 * `init` is a string (one or more lines) or a list of lines. `description`
 * is shown by `guild remotes`. Guild AI's Python-environment settings
 * (venv-path, guild-env, conda-env, venv-activate, use-prerelease) are
 * accepted and ignored with a warning: guild-bin and init cover them.
 * Any other key, a value of the wrong kind, a missing type or host, or an
 * unknown type is an error "FILE:LINE:COL: remote 'NAME': ..." pointing at
 * the offending node. Nothing is read from the network here.
 */
#ifndef GUILD_REMOTE_H
#define GUILD_REMOTE_H

#include <stdbool.h>
#include <stddef.h>

#include "strvec.h"

enum remote_type {
	REMOTE_SSH,
	REMOTE_SLURM,
};

/* Defaults for settings left out (fields hold 0 / NULL then). */
#define REMOTE_CONNECT_TIMEOUT	10	/* seconds */
#define REMOTE_POLL_INTERVAL	10.0	/* seconds */
#define REMOTE_GUILD_BIN	"guild"

struct remote {
	char		*name;
	enum remote_type type;
	char		*description;	/* NULL when not given */
	char		*host;		/* NULL: slurm on this machine */
	unsigned	 port;		/* 0: ssh's default */
	char		*user;		/* NULL: ssh's default */
	char		*private_key;	/* as written (ssh expands ~) */
	unsigned	 connect_timeout; /* seconds; 0: REMOTE_CONNECT_TIMEOUT */
	char		*proxy;		/* ssh ProxyCommand, or NULL */
	char		*guild_home;	/* NULL: ~/.guild on the remote */
	char		*guild_bin;	/* NULL: REMOTE_GUILD_BIN */
	struct strvec	 init;		/* shell lines, in order */
	struct strvec	 env;		/* NAME=VALUE, in order */
	double		 poll_interval;		/* seconds; 0: not set */
	/* Slurm only (empty / 0 for ssh remotes). */
	struct strvec	 sbatch_args;
	unsigned	 array_parallelism;	/* 0: not set */
	/* Where it was defined, for messages. */
	char		*config;
	unsigned	 line;
};

struct remote_list {
	struct remote	**v;
	size_t		  n;
	char		 *config;	/* the file read, or NULL: none */
};

#define REMOTE_LIST_INIT { NULL, 0, NULL }

/*
 * Read the remotes of the user config (home: the Guild home's path, may
 * be NULL). No config file, or one without `remotes:`, is an empty list.
 * -1 with cause for an unreadable or broken file or a bad remote; the
 * list is then empty.
 */
int		 remotes_load(const char *home, struct remote_list *,
		    char **cause);
/* The same from YAML text; name is used in messages (the file's path). */
int		 remotes_parse(const char *text, size_t len, const char *name,
		    struct remote_list *, char **cause);
void		 remotes_clear(struct remote_list *);
/* The remote of that name, or NULL. */
const struct remote *remotes_find(const struct remote_list *,
		    const char *name);

/*
 * The remote named name, as a copy the caller frees with remote_free():
 * -1 with cause "remote NAME is not defined (see guild remotes)" when the
 * config has no such remote, or the config's own error.
 */
struct remote	*remote_get(const char *home, const char *name, char **cause);
void		 remote_free(struct remote *);

const char	*remote_type_name(enum remote_type);
/* "[user@]host", or "localhost" for a Slurm remote without a host. */
char		*remote_destination(const struct remote *);
/* guild_bin, or REMOTE_GUILD_BIN. */
const char	*remote_guild_bin(const struct remote *);
/*
 * The remote's Guild home as a shell word for its sh -c scripts (its
 * guild-home with ~ or a relative path taken from $HOME, or
 * "$HOME/.guild"), and the same as a path for rsync (relative to the
 * login directory where it is not absolute).
 */
char		*remote_home_shell(const struct remote *);
char		*remote_home_rsync(const struct remote *);

/*
 * A Slurm remote with a host is driven by the guild on its login node
 * (over ssh), as a Slurm remote without a host there: the remote's
 * settings travel in this environment variable, JSON of a `remotes:`
 * config holding that one remote (remote_login_config(), without host,
 * port, user, key, proxy and guild-home: there, its Guild home is the
 * one guild runs with). remote_get() looks there first.
 */
#define REMOTE_LOGIN_ENV	"GUILD_SLURM_LOGIN"
char		*remote_login_config(const struct remote *);

/* Quote s for a POSIX shell: 'it'\''s'. Caller frees. */
char		*shell_quote(const char *s);

#endif
