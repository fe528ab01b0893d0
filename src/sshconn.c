/* sshconn.c: one ssh connection per command (sshconn.h). */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "proc.h"
#include "remote.h"
#include "sshconn.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "xmalloc.h"

struct sshconn {
	const struct remote	*r;
	char			*dir;	/* private: the socket and ssh's log */
	char			*cm;	/* the ControlPath */
	bool			 open;
	bool			 batch;	/* no terminal: BatchMode */
};

struct sshconn *
sshconn_new(const struct remote *r)
{
	struct sshconn	*c = xcalloc(1, sizeof *c);
	int		 fd;

	c->r = r;
	/* ssh asks on /dev/tty: without one it must not try. */
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		c->batch = true;
	else
		close(fd);
	return c;
}

bool
sshconn_is_local(const struct sshconn *c)
{
	return c->r->host == NULL;
}

const struct remote *
sshconn_remote(const struct sshconn *c)
{
	return c->r;
}

/* ssh's options for this remote, without the destination. */
static void
ssh_options(const struct sshconn *c, struct strvec *argv)
{
	const struct remote	*r = c->r;
	const char		*cfg = getenv("GUILD_SSH_CONFIG");

	if (cfg != NULL && *cfg != '\0') {
		strvec_push(argv, "-F");
		strvec_push(argv, cfg);
	}
	if (c->cm != NULL)
		strvec_pushf(argv, "-oControlPath=%s", c->cm);
	if (c->batch)
		strvec_push(argv, "-oBatchMode=yes");
	strvec_pushf(argv, "-oConnectTimeout=%u", r->connect_timeout > 0 ?
	    r->connect_timeout : REMOTE_CONNECT_TIMEOUT);
	/* A link that dies while we follow a run is noticed. */
	strvec_push(argv, "-oServerAliveInterval=15");
	if (r->port > 0)
		strvec_pushf(argv, "-oPort=%u", r->port);
	if (r->user != NULL)
		strvec_pushf(argv, "-oUser=%s", r->user);
	if (r->private_key != NULL) {
		strvec_push(argv, "-i");
		strvec_push(argv, r->private_key);
	}
	if (r->proxy != NULL)
		strvec_pushf(argv, "-oProxyCommand=%s", r->proxy);
}

/* The last non-empty line of text, trimmed. Caller frees. */
static char *
last_line(const char *text)
{
	const char	*end, *start;

	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == '\r' ||
	    end[-1] == ' '))
		end--;
	start = end;
	while (start > text && start[-1] != '\n')
		start--;
	return xstrndup(start, (size_t)(end - start));
}

static int
ssh_failed(const struct sshconn *c, const char *said, char **cause)
{
	char	*dest = remote_destination(c->r), *line;
	int	 rc;

	line = last_line(said != NULL ? said : "");
	if (c->r->port > 0)
		rc = set_cause(cause, "remote %s (%s port %u): %s", c->r->name,
		    dest, c->r->port, *line != '\0' ? line :
		    "ssh failed");
	else
		rc = set_cause(cause, "remote %s (%s): %s", c->r->name, dest,
		    *line != '\0' ? line : "ssh failed");
	free(line);
	free(dest);
	return rc;
}

/* A temporary directory with a short path: sockets have ~100 bytes. */
static char *
private_dir(char **cause)
{
	const char	*tmp = getenv("TMPDIR");
	char		*dir;

	if (tmp == NULL || *tmp == '\0' || strlen(tmp) > 60)
		tmp = "/tmp";
	dir = path_join(tmp, "guild-ssh.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		set_cause(cause, "%s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

int
sshconn_open(struct sshconn *c, char **cause)
{
	struct strvec		 argv = STRVEC_INIT;
	struct strbuf		 log = STRBUF_INIT;
	struct proc_spec	 spec = { 0 };
	char			*logpath, *dest;
	int			 code, rc;

	if (c->open || sshconn_is_local(c))
		return 0;
	if (c->dir == NULL) {
		if ((c->dir = private_dir(cause)) == NULL)
			return -1;
		c->cm = path_join(c->dir, "cm");
	}
	logpath = path_join(c->dir, "log");
	strvec_push(&argv, "ssh");
	ssh_options(c, &argv);
	strvec_push(&argv, "-oControlMaster=yes");
	strvec_pushf(&argv, "-oControlPersist=%d", SSHCONN_PERSIST);
	/* Messages to a file: the terminal stays for ssh's questions. */
	strvec_push(&argv, "-E");
	strvec_push(&argv, logpath);
	strvec_push(&argv, "-fN");
	dest = remote_destination(c->r);
	strvec_push(&argv, dest);
	free(dest);
	/* On our terminal, in our process group, for its questions. */
	spec.argv = (const char *const *)argv.v;
	spec.mode = PROC_INHERIT;
	spec.null_input = true;
	spec.exec_cause = true;
	rc = proc_run(&spec, NULL, NULL, &code, cause);
	if (rc == 0 && code != 0) {
		strbuf_read_file(&log, logpath, NULL);
		rc = ssh_failed(c, log.buf != NULL ? log.buf : "", cause);
	} else if (rc == 0)
		c->open = true;
	unlink(logpath);
	strbuf_release(&log);
	free(logpath);
	strvec_clear(&argv);
	return rc;
}

void
sshconn_close(struct sshconn *c)
{
	struct strvec		 argv = STRVEC_INIT;
	struct proc_spec	 spec = { 0 };
	char			*dest;
	int			 code;

	if (c == NULL)
		return;
	if (c->open) {
		strvec_push(&argv, "ssh");
		ssh_options(c, &argv);
		strvec_push(&argv, "-O");
		strvec_push(&argv, "exit");
		dest = remote_destination(c->r);
		strvec_push(&argv, dest);
		free(dest);
		spec.argv = (const char *const *)argv.v;
		spec.mode = PROC_PIPES;
		proc_run(&spec, NULL, NULL, &code, NULL);
		strvec_clear(&argv);
	}
	if (c->dir != NULL)
		rm_rf(c->dir, NULL);
	free(c->dir);
	free(c->cm);
	free(c);
}

struct ssh_out {
	const struct sshconn_io	*io;
	struct strbuf		 err;	/* always kept: ssh's message */
};

static void
run_data(struct proc *p UNUSED, const char *buf, size_t len, int stream,
    void *arg)
{
	struct ssh_out	*st = arg;
	const struct sshconn_io	*io = st->io;

	if (stream == 1) {
		strbuf_add(&st->err, buf, len);
		/* Only the end matters for a message. */
		if (st->err.len > 65536) {
			memmove(st->err.buf, st->err.buf + st->err.len - 4096,
			    4096);
			strbuf_setlen(&st->err, 4096);
		}
	}
	if (io == NULL)
		return;
	if (stream == 0) {
		if (io->out != NULL)
			strbuf_add(io->out, buf, len);
		else if (io->on_out != NULL)
			io->on_out(buf, len, io->arg);
	} else {
		if (io->err != NULL)
			strbuf_add(io->err, buf, len);
		else if (io->on_err != NULL)
			io->on_err(buf, len, io->arg);
	}
}

/* argv to run script: ssh ... DEST 'sh -c SCRIPT', or sh -c here. */
static void
script_argv(const struct sshconn *c, const char *script, bool tty,
    struct strvec *argv)
{
	char	*q, *dest;

	if (sshconn_is_local(c)) {
		strvec_push(argv, "/bin/sh");
		strvec_push(argv, "-c");
		strvec_push(argv, script);
		return;
	}
	strvec_push(argv, "ssh");
	ssh_options(c, argv);
	strvec_push(argv, "-oControlMaster=no");
	strvec_push(argv, tty ? "-t" : "-T");
	dest = remote_destination(c->r);
	strvec_push(argv, dest);
	free(dest);
	/* The login shell there gets one word list: "sh -c 'SCRIPT'". */
	q = shell_quote(script);
	strvec_pushf(argv, "sh -c %s", q);
	free(q);
}

int
sshconn_run(struct sshconn *c, const char *script,
    const struct sshconn_io *io, int *code, char **cause)
{
	static const int	 sigint[] = { SIGINT, 0 };
	struct strvec		 argv = STRVEC_INIT;
	struct proc_spec	 spec = { 0 };
	struct proc_hooks	 hooks = { .on_data = run_data };
	struct ssh_out	 st = { .io = io, .err = STRBUF_INIT };
	bool			 tty = io != NULL && io->terminal;
	int			 rc;

	if (sshconn_open(c, cause) == -1)
		return -1;
	script_argv(c, script, tty, &argv);
	spec.argv = (const char *const *)argv.v;
	spec.exec_cause = true;
	if (tty) {
		spec.mode = PROC_INHERIT;
		spec.ignore = proc_terminal_signals;
	} else {
		spec.mode = PROC_PIPES;
		if (io != NULL) {
			spec.input = io->input;
			spec.input_len = io->input_len;
			if (io->forward_int)
				spec.forward = sigint;
		}
	}
	rc = proc_run(&spec, &hooks, &st, code, cause);
	/*
	 * ssh ends with 255 when Ctrl-C (forwarded) kills it, saying
	 * nothing, or "Killed by signal 2.": that is the user's, not a
	 * failure.
	 */
	if (rc == 0 && *code == 255 && io != NULL && io->forward_int &&
	    (st.err.len == 0 || strstr(st.err.buf, "Killed by signal 2") !=
	    NULL))
		*code = -SIGINT;
	else if (rc == 0 && *code == 255 && !sshconn_is_local(c))
		rc = ssh_failed(c, st.err.buf != NULL ? st.err.buf : "",
		    cause);
	strbuf_release(&st.err);
	strvec_clear(&argv);
	return rc;
}

char *
sshconn_path(const struct sshconn *c, const char *path)
{
	char	*dest, *s;

	if (sshconn_is_local(c))
		return xstrdup(path);
	dest = remote_destination(c->r);
	s = xasprintf("%s:%s", dest, path);
	free(dest);
	return s;
}

/* rsync's -e: the ssh command line, quoted as rsync splits it. */
static char *
rsync_rsh(const struct sshconn *c)
{
	struct strvec	 argv = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;
	char		*q;

	strvec_push(&argv, "ssh");
	ssh_options(c, &argv);
	strvec_push(&argv, "-oControlMaster=no");
	for (i = 0; i < argv.n; i++) {
		q = shell_quote(argv.v[i]);
		if (i > 0)
			strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, q);
		free(q);
	}
	strvec_clear(&argv);
	return strbuf_detach(&sb, NULL);
}

int
sshconn_rsync(struct sshconn *c, const struct strvec *args,
    const char *mkdir, const char *input, char **cause)
{
	struct strvec		 argv = STRVEC_INIT;
	struct proc_spec	 spec = { 0 };
	struct proc_hooks	 hooks = { .on_data = run_data };
	struct ssh_out	 st = { .io = NULL, .err = STRBUF_INIT };
	char			*s, *q;
	int			 code, rc;
	size_t			 i;

	if (sshconn_open(c, cause) == -1)
		return -1;
	strvec_push(&argv, "rsync");
	if (!sshconn_is_local(c)) {
		s = rsync_rsh(c);
		strvec_push(&argv, "-e");
		strvec_push_nodup(&argv, s);
		if (mkdir != NULL) {
			q = shell_quote(mkdir);
			strvec_pushf(&argv, "--rsync-path=mkdir -p %s && "
			    "rsync", q);
			free(q);
		}
	} else if (mkdir != NULL && mkdir_p(mkdir, 0777, cause) == -1) {
		strvec_clear(&argv);
		return -1;
	}
	for (i = 0; i < args->n; i++)
		strvec_push(&argv, args->v[i]);
	spec.argv = (const char *const *)argv.v;
	spec.mode = PROC_PIPES;
	spec.exec_cause = true;
	if (input != NULL) {
		spec.input = input;
		spec.input_len = strlen(input);
	}
	rc = proc_run(&spec, &hooks, &st, &code, cause);
	if (rc == 0 && code == 255 && !sshconn_is_local(c))
		rc = ssh_failed(c, st.err.buf != NULL ? st.err.buf : "",
		    cause);
	else if (rc == 0 && code != 0) {
		char *line = last_line(st.err.buf != NULL ? st.err.buf : "");
		rc = set_cause(cause, "remote %s: %s", c->r->name,
		    *line != '\0' ? line : "rsync failed");
		free(line);
	}
	strbuf_release(&st.err);
	strvec_clear(&argv);
	return rc;
}

/* The lines before guild there: init, env and a Slurm remote's settings. */
static void
script_prefix(const struct remote *r, struct strbuf *sb)
{
	const char	*eq;
	char		*q, *cfg;
	size_t		 i;

	for (i = 0; i < r->init.n; i++)
		strbuf_addf(sb, "%s\n", r->init.v[i]);
	for (i = 0; i < r->env.n; i++) {
		eq = strchr(r->env.v[i], '=');
		q = shell_quote(eq + 1);
		strbuf_addf(sb, "%.*s=%s; export %.*s\n",
		    (int)(eq - r->env.v[i]), r->env.v[i], q,
		    (int)(eq - r->env.v[i]), r->env.v[i]);
		free(q);
	}
	if (r->type == REMOTE_SLURM && r->host != NULL) {
		cfg = remote_login_config(r);
		q = shell_quote(cfg);
		strbuf_addf(sb, "%s=%s; export %s\n", REMOTE_LOGIN_ENV, q,
		    REMOTE_LOGIN_ENV);
		free(q);
		free(cfg);
	}
}

/* "GUILD_BIN -H HOME ARGS". */
static void
script_guild(const struct remote *r, struct strbuf *sb,
    const char *const *args)
{
	char	*q, *home;
	size_t	 i;

	home = remote_home_shell(r);
	strbuf_addf(sb, "%s -H %s", remote_guild_bin(r), home);
	free(home);
	for (i = 0; args != NULL && args[i] != NULL; i++) {
		q = shell_quote(args[i]);
		strbuf_addf(sb, " %s", q);
		free(q);
	}
}

char *
remote_guild_command(const struct remote *r, const char *const *args)
{
	struct strbuf	 sb = STRBUF_INIT;

	script_guild(r, &sb, args);
	return strbuf_detach(&sb, NULL);
}

char *
remote_script(const struct remote *r, const char *const *args)
{
	struct strbuf	 sb = STRBUF_INIT;

	script_prefix(r, &sb);
	strbuf_addstr(&sb, "exec ");
	script_guild(r, &sb, args);
	strbuf_addch(&sb, '\n');
	return strbuf_detach(&sb, NULL);
}

char *
remote_script_shell(const struct remote *r, const char *const *args,
    const char *after)
{
	struct strbuf	 sb = STRBUF_INIT;

	script_prefix(r, &sb);
	if (args != NULL) {
		script_guild(r, &sb, args);
		strbuf_addstr(&sb, " || exit $?\n");
	}
	strbuf_addstr(&sb, after);
	return strbuf_detach(&sb, NULL);
}

char *
remote_script2(const struct remote *r, const char *const *first,
    const char *marker, const char *const *then)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*q;

	script_prefix(r, &sb);
	script_guild(r, &sb, first);
	strbuf_addstr(&sb, " || exit $?\n");
	q = shell_quote(marker);
	strbuf_addf(&sb, "printf '%%s\\n' %s\nexec ", q);
	free(q);
	script_guild(r, &sb, then);
	strbuf_addch(&sb, '\n');
	return strbuf_detach(&sb, NULL);
}
