/*
 * sshconn.h: the connection to a remote for one guild command.
 *
 * Every ssh and rsync call of a command goes through one authenticated
 * connection: the first use starts an ssh ControlMaster (its socket in a
 * private temporary directory, a short path; ControlPersist short, so a
 * master left behind by a crash goes by itself), later calls ride on it,
 * and sshconn_close() ends it with "ssh -O exit" and removes the
 * directory. A user with a passphrase or a password is asked once, by
 * the master, on the terminal; without a terminal ssh runs in BatchMode
 * and never asks. All children start through proc.c.
 *
 * ssh's options come from the remote (port, user, private-key,
 * connect-timeout, proxy as ProxyCommand) and, when GUILD_SSH_CONFIG names
 * a file, that ssh_config instead of ~/.ssh/config (the tests use it for
 * a known_hosts of their own).
 *
 * Commands run there as "sh -c SCRIPT": the remote's init lines, its env,
 * then guild-bin (remote_script()), so nothing depends on the remote
 * shell's start-up files. A Slurm remote without a host is this machine:
 * its scripts run under /bin/sh here and rsync copies locally.
 *
 * A failure of ssh itself (exit 255) is one line:
 * "remote NAME (DEST): what ssh said".
 */
#ifndef GUILD_SSHCONN_H
#define GUILD_SSHCONN_H

#include <stdbool.h>
#include <stddef.h>

struct remote;
struct strbuf;
struct strvec;

/* Seconds a master outlives its last client (when not closed). */
#define SSHCONN_PERSIST		30

struct sshconn;

/* A connection for r (which must outlive it); nothing starts yet. */
struct sshconn	*sshconn_new(const struct remote *r);
/*
 * Start the master (once; later calls return 0 at once): ssh
 * authenticates here, asking on the terminal if it must. -1 with the
 * one-line cause.
 */
int		 sshconn_open(struct sshconn *, char **cause);
/* End the master (ssh -O exit), remove its directory, free. NULL ok. */
void		 sshconn_close(struct sshconn *);
bool		 sshconn_is_local(const struct sshconn *);
const struct remote *sshconn_remote(const struct sshconn *);

/*
 * How a script's input and output go. stdout goes to out (captured)
 * when not NULL, else to on_out; stderr to err, else on_err; output
 * with neither is dropped. input is fed to stdin (then closed).
 * terminal: the script gets our terminal (ssh -t, our stdin, stdout
 * and stderr): a remote command that asks questions; nothing is
 * captured then, and only ssh's own failure is reported.
 * forward_int: Ctrl-C (SIGINT) ends ssh, *code is then -SIGINT.
 */
struct sshconn_io {
	struct strbuf	*out;
	struct strbuf	*err;
	void		(*on_out)(const char *, size_t, void *);
	void		(*on_err)(const char *, size_t, void *);
	void		*arg;
	const char	*input;
	size_t		 input_len;
	bool		 terminal;
	bool		 forward_int;
};

/*
 * Run script there (sh -c). 0 with *code its exit code (proc.h's
 * convention), or -1 with cause when ssh failed (exit 255: the cause
 * names the remote, its destination and ssh's last message) or could
 * not start. io may be NULL (output dropped).
 */
int		 sshconn_run(struct sshconn *, const char *script,
		    const struct sshconn_io *io, int *code, char **cause);

/*
 * rsync with args (options and paths; a remote path written as
 * sshconn_path() gives it) over the connection. The remote rsync is run
 * as "mkdir -p MKDIR && rsync" when mkdir is not NULL, so a first push
 * finds its directory. input feeds rsync's stdin (--files-from=-), may
 * be NULL. -1 with a one-line cause on failure: ssh's, or rsync's last
 * error line.
 */
int		 sshconn_rsync(struct sshconn *, const struct strvec *args,
		    const char *mkdir, const char *input, char **cause);
/* "[user@]host:path" for rsync, or path itself for a local remote. */
char		*sshconn_path(const struct sshconn *, const char *path);

/*
 * The script that runs guild there: the remote's init lines, "export"
 * of its env (and, for a Slurm remote with a host, REMOTE_LOGIN_ENV), then "exec GUILD_BIN -H HOME ARGS" (args quoted; guild-bin
 * as written, so it may be a command with words). Caller frees.
 */
char		*remote_script(const struct remote *, const char *const *args);
/*
 * Two guild commands there in one round trip (each ssh call costs the
 * remote login's start-up): first; when it fails the script exits with
 * its status; else it prints the line marker on stdout and execs then.
 */
/* "GUILD_BIN -H HOME ARGS" (quoted) for a line of a script there. */
char		*remote_guild_command(const struct remote *,
		    const char *const *args);
/*
 * The remote's lines, guild with args (when not NULL; its failure ends
 * the script with its status), then the shell text after.
 */
char		*remote_script_shell(const struct remote *,
		    const char *const *args, const char *after);
char		*remote_script2(const struct remote *, const char *const *first,
		    const char *marker, const char *const *then);

#endif
