/* run.c: one run directory in Guild AI 0.9's format. */
#include "common.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

static const char *const run_status_names[RUN_STATUS_COUNT] = {
	[RUN_STATUS_RUNNING] = "running",
	[RUN_STATUS_COMPLETED] = "completed",
	[RUN_STATUS_ERROR] = "error",
	[RUN_STATUS_TERMINATED] = "terminated",
	[RUN_STATUS_PENDING] = "pending",
	[RUN_STATUS_STAGED] = "staged",
};

static const char *const run_marker_names[] = {
	[RUN_MARKER_PENDING] = "PENDING",
	[RUN_MARKER_STAGED] = "STAGED",
};

/*
 * An attr, the opref, a LOCK: small files of the run, read only when
 * regular and at most FILE_ATTR_MAX bytes; -1 with errno and cause.
 */
static int
read_attr_file(const char *path, struct strbuf *sb, char **cause)
{
	return file_read_regular(AT_FDCWD, path, FILE_NOFOLLOW, FILE_ATTR_MAX,
	    sb, NULL, cause);
}

/* A /proc file, whole (they stat as empty); -1 with errno set. */
static int
read_all(const char *path, struct strbuf *sb)
{
	char	buf[8192];
	ssize_t	n;
	int	fd, saved;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
		return -1;
	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		strbuf_add(sb, buf, (size_t)n);
	}
	saved = errno;
	close(fd);
	if (n == -1) {
		errno = saved;
		return -1;
	}
	return 0;
}

/* A valid single path component: not empty, no '/', not . or .. */
static bool
valid_name(const char *name)
{
	return *name != '\0' && strchr(name, '/') == NULL &&
	    strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

char *
run_new_id(char **cause)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 b[16];
	size_t			 got = 0;
	ssize_t			 n;
	char			*id;
	int			 i;

	while (got < sizeof b) {
		n = getrandom(b + got, sizeof b - got, 0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			set_cause(cause, "getrandom: %s", strerror(errno));
			return NULL;
		}
		got += (size_t)n;
	}
	/* uuid4: version 4, RFC 4122 variant, as uuid.uuid4() sets them. */
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	id = xmalloc(RUN_ID_LEN + 1);
	for (i = 0; i < 16; i++) {
		id[2 * i] = hex[b[i] >> 4];
		id[2 * i + 1] = hex[b[i] & 0xf];
	}
	id[RUN_ID_LEN] = '\0';
	return id;
}

char *
run_dir_path(const char *runs_dir, const char *id)
{
	return path_join(runs_dir, id);
}

char *
run_short_id(const char *id)
{
	return xstrndup(id, RUN_SHORT_ID_LEN);
}

char *
run_guild_path(const struct run *run, const char *name)
{
	return path_join(run->guild, name);
}

static struct run *
run_new(const char *abspath)
{
	struct run	*run = xcalloc(1, sizeof *run);
	const char	*slash = strrchr(abspath, '/');

	run->path = xstrdup(abspath);
	run->id = xstrdup(slash != NULL ? slash + 1 : abspath);
	run->guild = path_join(abspath, ".guild");
	return run;
}

void
run_free(struct run *run)
{
	if (run == NULL)
		return;
	free(run->id);
	free(run->path);
	free(run->guild);
	free(run);
}

int64_t
run_now_us(void)
{
	static int64_t	last;
	int64_t		now = now_us();

	/* Two attrs written in one process never share a timestamp. */
	if (now <= last)
		now = last + 1;
	last = now;
	return now;
}

struct run *
run_create(const char *runs_dir, const char *id, char **cause)
{
	struct run	*run;
	struct value	*v;
	char		*newid = NULL, *dir, *abs, *p;
	bool		 existed;

	if (id == NULL) {
		if ((newid = run_new_id(cause)) == NULL)
			return NULL;
		id = newid;
	} else if (!valid_name(id)) {
		set_cause(cause, "invalid run id '%s'", id);
		return NULL;
	}
	dir = run_dir_path(runs_dir, id);
	abs = path_absolute(dir);
	free(dir);
	free(newid);

	p = path_join(abs, ".guild/opref");
	if (path_exists(p)) {
		set_cause(cause, "run %s already exists", abs);
		free(p);
		free(abs);
		return NULL;
	}
	free(p);
	existed = path_exists(abs);

	run = run_new(abs);
	free(abs);
	p = path_join(run->guild, "attrs");
	if (mkdir_p(p, 0777, cause) == -1) {
		free(p);
		goto fail;
	}
	free(p);

	v = value_string(run->id);
	if (run_attr_write(run, "id", v, cause) == -1) {
		value_free(v);
		goto fail;
	}
	value_free(v);
	v = value_int(run_now_us());
	if (run_attr_write(run, "initialized", v, cause) == -1) {
		value_free(v);
		goto fail;
	}
	value_free(v);
	if (run_marker_set(run, RUN_MARKER_PENDING, cause) == -1)
		goto fail;
	return run;

fail:
	if (!existed)
		rm_rf(run->path, NULL);
	run_free(run);
	return NULL;
}

struct run *
run_open(const char *path, char **cause)
{
	char		*abs, *p;
	struct run	*run;

	abs = path_absolute(path);
	p = path_join(abs, ".guild/opref");
	if (!path_exists(p)) {
		set_cause(cause, "%s: not a run directory", path);
		free(p);
		free(abs);
		return NULL;
	}
	free(p);
	run = run_new(abs);
	free(abs);
	return run;
}

/* Attributes. */

static char *
attr_path(const struct run *run, const char *name, char **cause)
{
	if (!valid_name(name) || *name == '.') {
		set_cause(cause, "invalid attribute name '%s'", name);
		return NULL;
	}
	return xasprintf("%s/attrs/%s", run->guild, name);
}

int
run_attr_write(const struct run *run, const char *name,
    const struct value *v, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path, *dir;
	int		 rc;

	if ((path = attr_path(run, name, cause)) == NULL)
		return -1;
	dir = path_join(run->guild, "attrs");
	rc = mkdir_p(dir, 0777, cause);
	free(dir);
	if (rc == 0) {
		value_encode_yaml(&sb, v);
		rc = write_file_atomic(path, sb.buf, sb.len, cause);
	}
	strbuf_release(&sb);
	free(path);
	return rc;
}

/*
 * Plain decimal integers, the text PyYAML and Python's int() read alike
 * (no sign but '-', no leading zero, no '_'): nearly every attr read in
 * bulk (timestamps, exit_status) takes this path and skips libyaml.
 */
static bool
parse_plain_int(const char *s, size_t len, long long *out)
{
	const char	*p, *end = s + len;
	char		*ep;
	char		 tmp[32];

	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	p = s;
	if (p < end && *p == '-')
		p++;
	if (p == end || (*p == '0' && end - p > 1))
		return false;
	for (; p < end; p++) {
		if (!isdigit((unsigned char)*p))
			return false;
	}
	if ((size_t)(end - s) >= sizeof tmp)
		return false;
	memcpy(tmp, s, (size_t)(end - s));
	tmp[end - s] = '\0';
	errno = 0;
	*out = strtoll(tmp, &ep, 10);
	return errno == 0 && *ep == '\0';
}

int
run_attr_read(const struct run *run, const char *name, struct value **out,
    char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path, *c = NULL;
	long long	 n;

	*out = NULL;
	if ((path = attr_path(run, name, cause)) == NULL)
		return -1;
	if (read_attr_file(path, &sb, &c) == -1) {
		if (errno == ENOENT || errno == ENOTDIR) {
			free(c);
			free(path);
			strbuf_release(&sb);
			return 0;
		}
		set_cause(cause, "%s", c);
		free(c);
		goto fail;
	}
	if (parse_plain_int(sb.buf, sb.len, &n))
		*out = value_int(n);
	else if ((*out = yaml_parse_value(sb.buf, sb.len, &c)) == NULL) {
		set_cause(cause, "%s: %s", path, c != NULL ? c : "invalid YAML");
		free(c);
		goto fail;
	}
	free(path);
	strbuf_release(&sb);
	return 0;

fail:
	free(path);
	strbuf_release(&sb);
	return -1;
}

int
run_attr_delete(const struct run *run, const char *name, char **cause)
{
	char	*path;

	if ((path = attr_path(run, name, cause)) == NULL)
		return -1;
	if (unlink(path) == -1 && errno != ENOENT) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

enum attr_int_result {
	ATTR_INT_MISSING,	/* no file, unreadable, or null */
	ATTR_INT_INT,
	ATTR_INT_OTHER,		/* present but not an integer */
};

static enum attr_int_result
attr_int(const struct run *run, const char *name, long long *out)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct value		*v;
	char			*path;
	enum attr_int_result	 r = ATTR_INT_MISSING;

	if ((path = attr_path(run, name, NULL)) == NULL)
		return ATTR_INT_MISSING;
	if (read_attr_file(path, &sb, NULL) == 0) {
		if (parse_plain_int(sb.buf, sb.len, out))
			r = ATTR_INT_INT;
		else if ((v = yaml_parse_value(sb.buf, sb.len, NULL)) == NULL)
			r = ATTR_INT_OTHER;
		else {
			if (v->type == VALUE_INT) {
				*out = v->u.i;
				r = ATTR_INT_INT;
			} else if (v->type != VALUE_NULL)
				r = ATTR_INT_OTHER;
			value_free(v);
		}
	}
	strbuf_release(&sb);
	free(path);
	return r;
}

bool
run_attr_int(const struct run *run, const char *name, long long *out)
{
	return attr_int(run, name, out) == ATTR_INT_INT;
}

int64_t
run_timestamp(const struct run *run)
{
	long long	t;

	if (run_attr_int(run, "started", &t))
		return t;
	if (run_attr_int(run, "initialized", &t))
		return t;
	return 0;
}

/* Shell quoting and splitting. */

static bool
shlex_safe(unsigned char c)
{
	return isascii(c) && (isalnum(c) || strchr("_@%+=:,./-", c) != NULL);
}

void
shlex_quote(struct strbuf *sb, const char *s)
{
	const char	*p;

	if (*s == '\0') {
		strbuf_addstr(sb, "''");
		return;
	}
	for (p = s; *p != '\0'; p++) {
		if (!shlex_safe((unsigned char)*p))
			break;
	}
	if (*p == '\0') {
		strbuf_addstr(sb, s);
		return;
	}
	strbuf_addch(sb, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			strbuf_addstr(sb, "'\"'\"'");
		else
			strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '\'');
}

int
shlex_split(const char *s, struct strvec *out, char **cause)
{
	struct strbuf	 word = STRBUF_INIT;
	bool		 inword = false;
	const char	*p = s;

	for (;;) {
		char	c = *p;

		if (c == '\0' || c == ' ' || c == '\t' || c == '\n' ||
		    c == '\r') {
			if (inword) {
				strvec_push(out, word.buf);
				strbuf_reset(&word);
				inword = false;
			}
			if (c == '\0')
				break;
			p++;
			continue;
		}
		inword = true;
		p++;
		if (c == '\\') {
			if (*p == '\0')
				goto no_escaped;
			strbuf_addch(&word, *p++);
		} else if (c == '\'') {
			while (*p != '\'') {
				if (*p == '\0')
					goto no_closing;
				strbuf_addch(&word, *p++);
			}
			p++;
		} else if (c == '"') {
			while (*p != '"') {
				if (*p == '\0')
					goto no_closing;
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				else if (*p == '\\' && p[1] == '\0')
					goto no_closing;
				strbuf_addch(&word, *p++);
			}
			p++;
		} else
			strbuf_addch(&word, c);
	}
	strbuf_release(&word);
	return 0;

no_escaped:
	strbuf_release(&word);
	return set_cause(cause, "no escaped character");
no_closing:
	strbuf_release(&word);
	return set_cause(cause, "no closing quotation");
}

/* opref. */

int
opref_parse(const char *encoded, struct opref *ref, char **cause)
{
	struct strvec	 parts = STRVEC_INIT;
	char		*colon, *c = NULL;

	memset(ref, 0, sizeof *ref);
	if (shlex_split(encoded, &parts, &c) == -1) {
		set_cause(cause, "invalid opref '%s': %s", encoded, c);
		free(c);
		strvec_clear(&parts);
		return -1;
	}
	if (parts.n != 4 || (colon = strchr(parts.v[0], ':')) == NULL) {
		strvec_clear(&parts);
		return set_cause(cause, "invalid opref '%s'", encoded);
	}
	ref->pkg_type = xstrndup(parts.v[0], (size_t)(colon - parts.v[0]));
	ref->pkg_name = xstrdup(colon + 1);
	ref->pkg_version = xstrdup(parts.v[1]);
	ref->model = xstrdup(parts.v[2]);
	ref->op = xstrdup(parts.v[3]);
	strvec_clear(&parts);
	return 0;
}

char *
opref_format(const struct opref *ref)
{
	struct strbuf	sb = STRBUF_INIT;

#define S(x) ((x) != NULL ? (x) : "")
	shlex_quote(&sb, S(ref->pkg_type));
	strbuf_addch(&sb, ':');
	shlex_quote(&sb, S(ref->pkg_name));
	strbuf_addch(&sb, ' ');
	shlex_quote(&sb, S(ref->pkg_version));
	strbuf_addch(&sb, ' ');
	shlex_quote(&sb, S(ref->model));
	strbuf_addch(&sb, ' ');
	shlex_quote(&sb, S(ref->op));
#undef S
	return strbuf_detach(&sb, NULL);
}

void
opref_clear(struct opref *ref)
{
	free(ref->pkg_type);
	free(ref->pkg_name);
	free(ref->pkg_version);
	free(ref->model);
	free(ref->op);
	memset(ref, 0, sizeof *ref);
}

int
run_opref_write(const struct run *run, const struct opref *ref, char **cause)
{
	char	*path, *text;
	int	 rc;

	path = run_guild_path(run, "opref");
	text = opref_format(ref);
	rc = write_file_atomic(path, text, strlen(text), cause);
	free(text);
	free(path);
	return rc;
}

int
run_opref_read(const struct run *run, struct opref *ref, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path;
	int		 rc;

	memset(ref, 0, sizeof *ref);
	path = run_guild_path(run, "opref");
	if (read_attr_file(path, &sb, cause) == -1)
		rc = -1;
	else if (memchr(sb.buf, '\0', sb.len) != NULL)
		rc = set_cause(cause, "%s: invalid opref", path);
	else
		rc = opref_parse(sb.buf, ref, cause);
	strbuf_release(&sb);
	free(path);
	return rc;
}

/* Markers. */

static char	*proc_record(pid_t pid);

int
run_marker_set(const struct run *run, enum run_marker m, char **cause)
{
	char	*path = run_guild_path(run, run_marker_names[m]), *text;
	int	 fd, rc;

	if (m == RUN_MARKER_PENDING) {
		/* Who is creating the run: see run_pending_live(). */
		text = proc_record(getpid());
		rc = write_file_atomic(path, text != NULL ? text : "",
		    text != NULL ? strlen(text) : 0, cause);
		free(text);
		free(path);
		return rc;
	}
	/* Never waiting on a FIFO someone left in the run's place. */
	fd = open(path, O_WRONLY|O_CREAT|O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC, 0644);
	if (fd == -1) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	close(fd);
	free(path);
	return 0;
}

int
run_marker_clear(const struct run *run, enum run_marker m, char **cause)
{
	char	*path = run_guild_path(run, run_marker_names[m]);

	if (unlink(path) == -1 && errno != ENOENT) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

bool
run_marker_exists(const struct run *run, enum run_marker m)
{
	char	*path = run_guild_path(run, run_marker_names[m]);
	bool	 exists = path_exists(path);

	free(path);
	return exists;
}

/* The process lock. */

/*
 * Field 22 of /proc/PID/stat: start time in clock ticks after boot. The
 * command name (field 2) may hold spaces and parentheses, so fields are
 * counted from the last ')'.
 */
static bool
proc_start_time(pid_t pid, unsigned long long *out)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path, *p, *ep;
	int		 field;
	bool		 found = false;

	path = xasprintf("/proc/%ld/stat", (long)pid);
	if (read_all(path, &sb) == -1 || (p = strrchr(sb.buf, ')')) == NULL)
		goto out;
	p++;
	/* p is before field 3; skip to field 22. */
	for (field = 3; field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			goto out;
		if (field == 22)
			break;
		while (*p != ' ' && *p != '\0')
			p++;
	}
	errno = 0;
	*out = strtoull(p, &ep, 10);
	found = ep != p && errno == 0 && (*ep == ' ' || *ep == '\n' ||
	    *ep == '\0');
out:
	free(path);
	strbuf_release(&sb);
	return found;
}

/* The kernel's boot id, or NULL when unavailable. Caller frees. */
static char *
boot_id(void)
{
	struct strbuf	sb = STRBUF_INIT;

	if (read_all("/proc/sys/kernel/random/boot_id", &sb) == -1 ||
	    sb.len == 0) {
		strbuf_release(&sb);
		return NULL;
	}
	strbuf_rtrim(&sb);
	return strbuf_detach(&sb, NULL);
}

/* A decimal pid, surrounded by whitespace at most; 0 when not. */
static pid_t
parse_pid(const char *s)
{
	long long	n;

	if (!parse_plain_int(s, strlen(s), &n) || n <= 0 || n > INT_MAX)
		return 0;
	return (pid_t)n;
}

/*
 * This machine's name, for records: a run directory on a shared file
 * system (a cluster's home, a remote's) is read from other machines,
 * where its pid means nothing. "-" when unknown; never has a space.
 */
static char *
host_name(void)
{
	char	buf[256], *p;

	if (gethostname(buf, sizeof buf) == -1 || buf[0] == '\0')
		return xstrdup("-");
	buf[sizeof buf - 1] = '\0';
	for (p = buf; *p != '\0'; p++)
		if (*p == ' ' || *p == '\n' || *p == '\t')
			*p = '_';
	return xstrdup(buf);
}

/*
 * "PID STARTTIME BOOTID HOST\n" for pid (LOCK.start, PENDING), or NULL
 * without procfs. Older records lack HOST.
 */
static char *
proc_record(pid_t pid)
{
	unsigned long long	 start;
	char			*boot, *host, *text;

	if (!proc_start_time(pid, &start)) {
		if (access("/proc/self/stat", R_OK) != 0)
			return NULL;
		/*
		 * With procfs but no stat for pid, the process is already
		 * gone: record start time 0, which no process has, so the
		 * record reads as dead rather than trusting the pid alone.
		 */
		start = 0;
	}
	boot = boot_id();
	host = host_name();
	text = xasprintf("%ld %llu %s %s\n", (long)pid, start,
	    boot != NULL ? boot : "-", host);
	free(boot);
	free(host);
	return text;
}

/*
 * Whether the process of a record (proc_record) is alive: 1 alive, 0
 * gone, -1 when text is not a record. A record of another boot of this
 * machine is gone. A record written on another machine cannot be judged
 * here (its pid is another machine's): 2, taken as alive, so that its
 * run is not called dead by accident; what ends it is its exit status,
 * written there.
 */
static int
record_alive(const char *text, pid_t expect)
{
	unsigned long long	 want, now;
	long			 lpid;
	const char		*rboot, *sp;
	char			*boot, *host;
	size_t			 blen;
	int			 off = -1, alive = 1;

	if (sscanf(text, "%ld %llu %n", &lpid, &want, &off) != 2 || off <= 0 ||
	    lpid <= 0 || lpid > INT_MAX || (expect != 0 && lpid != (long)expect))
		return -1;
	rboot = text + off;
	if ((sp = strchr(rboot, ' ')) != NULL) {
		host = host_name();
		if (strcmp(sp + 1, host) != 0 && strcmp(sp + 1, "-") != 0 &&
		    strcmp(host, "-") != 0)
			alive = 2;
		free(host);
		if (alive == 2)
			return 2;
	}
	if (kill((pid_t)lpid, 0) == -1 && errno != EPERM)
		return 0;
	boot = boot_id();
	blen = sp != NULL ? (size_t)(sp - rboot) : strlen(rboot);
	if (boot != NULL && blen > 0 && !(blen == 1 && *rboot == '-') &&
	    (strlen(boot) != blen || strncmp(boot, rboot, blen) != 0))
		alive = 0;
	else if (!proc_start_time((pid_t)lpid, &now) || now != want)
		alive = 0;
	free(boot);
	return alive;
}

int
run_lock_write(const struct run *run, pid_t pid, char **cause)
{
	char	*path, *text;
	int	 rc = 0;

	path = run_guild_path(run, "LOCK.start");
	if ((text = proc_record(pid)) != NULL) {
		rc = write_file_atomic(path, text, strlen(text), cause);
		free(text);
	} else if (unlink(path) == -1 && errno != ENOENT)
		rc = set_cause(cause, "%s: %s", path, strerror(errno));
	free(path);
	if (rc == -1)
		return -1;

	path = run_guild_path(run, "LOCK");
	text = xasprintf("%ld", (long)pid);
	rc = write_file_atomic(path, text, strlen(text), cause);
	free(text);
	free(path);
	return rc;
}

int
run_lock_clear(const struct run *run, char **cause)
{
	static const char *const names[] = { "LOCK", "LOCK.start" };
	char			*path;
	size_t			 i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		path = run_guild_path(run, names[i]);
		if (unlink(path) == -1 && errno != ENOENT) {
			set_cause(cause, "%s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
		free(path);
	}
	return 0;
}

pid_t
run_lock_pid(const struct run *run)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path = run_guild_path(run, "LOCK");
	pid_t		 pid = 0;

	if (read_attr_file(path, &sb, NULL) == 0)
		pid = parse_pid(sb.buf);
	strbuf_release(&sb);
	free(path);
	return pid;
}

/* The start of a small file: records are short, and the file untrusted. */
static int
read_head(const char *path, struct strbuf *sb)
{
	char	buf[256];
	ssize_t	n;
	int	fd;

	if ((fd = file_open_regular(AT_FDCWD, path, FILE_NOFOLLOW, NULL,
	    NULL)) == -1)
		return -1;
	while ((n = read(fd, buf, sizeof buf - 1)) == -1 && errno == EINTR)
		;
	close(fd);
	if (n < 0)
		return -1;
	strbuf_add(sb, buf, (size_t)n);
	strbuf_rtrim(sb);
	return 0;
}

bool
run_lock_alive(const struct run *run)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path;
	pid_t		 pid;
	bool		 alive = true;

	if ((pid = run_lock_pid(run)) == 0)
		return false;
	path = run_guild_path(run, "LOCK.start");
	/*
	 * No (or a stale) LOCK.start: Guild AI's LOCK, trusted by pid. One
	 * written on another machine is never checked against our pids.
	 */
	if (read_head(path, &sb) == 0 && sb.len > 0) {
		switch (record_alive(sb.buf, pid)) {
		case 2:
			break;
		case 0:
			alive = false;
			break;
		default:
			alive = kill(pid, 0) == 0 || errno == EPERM;
			break;
		}
	} else
		alive = kill(pid, 0) == 0 || errno == EPERM;
	strbuf_release(&sb);
	free(path);
	return alive;
}

char *
run_lock_host(const struct run *run)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path = run_guild_path(run, "LOCK.start"), *host = NULL;
	const char	*p, *sp;

	if (read_head(path, &sb) == 0 && record_alive(sb.buf, 0) == 2 &&
	    (p = strchr(sb.buf, ' ')) != NULL &&
	    (p = strchr(p + 1, ' ')) != NULL &&
	    (sp = strchr(p + 1, ' ')) != NULL)
		host = xstrdup(sp + 1);
	strbuf_release(&sb);
	free(path);
	return host;
}

bool
run_pending_live(const struct run *run)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path = run_guild_path(run, "PENDING");
	bool		 live = false;

	/* Guild AI's PENDING is empty: nothing to judge by, so pending. */
	if (read_head(path, &sb) == 0)
		live = sb.len == 0 || record_alive(sb.buf, 0) != 0;
	strbuf_release(&sb);
	free(path);
	return live;
}

int
run_pending_claim(const struct run *run, char **cause)
{
	char	*path = run_guild_path(run, "PENDING"), *tmp, *text;
	int	 tries, rc = -1;

	text = proc_record(getpid());
	tmp = xasprintf("%s.%ld.claim", path, (long)getpid());
	if (write_file_atomic(tmp, text != NULL ? text : "",
	    text != NULL ? strlen(text) : 0, cause) == -1)
		goto out;
	/* link() fails when PENDING exists: one claimer wins. */
	for (tries = 0; tries < 2; tries++) {
		if (link(tmp, path) == 0) {
			rc = 0;
			break;
		}
		/* No hard links here: the check above has to do. */
		if ((errno == EPERM || errno == ENOTSUP || errno == ENOSYS) &&
		    !run_pending_live(run)) {
			if (rename(tmp, path) == 0)
				rc = 0;
			else
				set_cause(cause, "%s: %s", path, strerror(errno));
			break;
		}
		if (errno != EEXIST) {
			set_cause(cause, "%s: %s", path, strerror(errno));
			break;
		}
		if (run_pending_live(run)) {
			set_cause(cause, "run %.8s is being started by another "
			    "guild process", run->id);
			break;
		}
		/* Its creator is gone: the claim is free. */
		if (unlink(path) == -1 && errno != ENOENT) {
			set_cause(cause, "%s: %s", path, strerror(errno));
			break;
		}
	}
	unlink(tmp);
	/* A starter writes LOCK before it clears PENDING. */
	if (rc == 0 && run_lock_alive(run)) {
		unlink(path);
		rc = set_cause(cause, "run %.8s is running", run->id);
	}
out:
	free(text);
	free(tmp);
	free(path);
	return rc;
}

/* Status. */

enum run_status
run_status_decide(const struct run *run, const struct run_state *state)
{
	if (state->remote)
		return RUN_STATUS_RUNNING;
	/* A PENDING whose creator died tells nothing: the rest decides. */
	if (state->pending && run_pending_live(run))
		return RUN_STATUS_PENDING;
	if (state->staged)
		return RUN_STATUS_STAGED;
	switch (state->exit) {
	case RUN_EXIT_INT:
		if (state->exit_status == 0)
			return RUN_STATUS_COMPLETED;
		return state->exit_status < 0 ? RUN_STATUS_TERMINATED :
		    RUN_STATUS_ERROR;
	case RUN_EXIT_OTHER:
		return RUN_STATUS_ERROR;
	case RUN_EXIT_NONE:
		break;
	}
	if (run_lock_alive(run))
		return RUN_STATUS_RUNNING;
	return RUN_STATUS_ERROR;
}

enum run_status
run_get_status(const struct run *run)
{
	struct run_state	 state = { 0 };
	char			*path;

	path = run_guild_path(run, "LOCK.remote");
	state.remote = path_exists(path);
	free(path);
	state.pending = run_marker_exists(run, RUN_MARKER_PENDING);
	state.staged = run_marker_exists(run, RUN_MARKER_STAGED);
	switch (attr_int(run, "exit_status", &state.exit_status)) {
	case ATTR_INT_INT:
		state.exit = RUN_EXIT_INT;
		break;
	case ATTR_INT_OTHER:
		state.exit = RUN_EXIT_OTHER;
		break;
	case ATTR_INT_MISSING:
		state.exit = RUN_EXIT_NONE;
		break;
	}
	return run_status_decide(run, &state);
}

const char *
run_status_name(enum run_status st)
{
	if ((unsigned)st >= RUN_STATUS_COUNT)
		return "error";
	return run_status_names[st];
}

int
run_status_from_name(const char *name)
{
	int	i;

	for (i = 0; i < RUN_STATUS_COUNT; i++) {
		if (strcmp(run_status_names[i], name) == 0)
			return i;
	}
	return -1;
}

/* Listing. */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
run_list(const char *dir, struct strvec *ids, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*rel;
	size_t		 first = ids->n;

	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		return set_cause(cause, "%s: %s", dir, strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		/* Hidden: ., .., and runs being purged. */
		if (de->d_name[0] == '.')
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_LNK &&
		    de->d_type != DT_UNKNOWN)
			continue;
		/* One stat per entry, relative to the open directory. */
		rel = xasprintf("%s/.guild/opref", de->d_name);
		if (fstatat(dirfd(d), rel, &st, 0) == 0)
			strvec_push(ids, de->d_name);
		free(rel);
	}
	closedir(d);
	if (ids->n > first)
		qsort(ids->v + first, ids->n - first, sizeof *ids->v, cmp_str);
	return 0;
}
