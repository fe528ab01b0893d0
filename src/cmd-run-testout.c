/*
 * cmd-run-testout.c: guild run --test-output-scalars and --test-output-attrs.
 *
 * --test-output-attrs OUTPUT: each line of
 * OUTPUT and, under it, what each of the operation's output-attrs
 * patterns finds there, as Guild 0.9's summary.test_output shows it:
 *
 *	model: cnn
 *	  '^([_a-zA-Z]\\S*):\\s+(\\S+)$': [('model', 'cnn')] (model=cnn)
 *	loss: 0.5 (step 1)
 *	  '^([_a-zA-Z]\\S*):\\s+(\\S+)$': <no matches>
 *
 * Patterns and groups are Python reprs (what Guild prints), the patterns
 * with Guild's attr aliases expanded (\key, and \value: any word).
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-run.h"
#include "guildfile.h"
#include "output.h"
#include "regex.h"
#include "runner.h"
#include "scalars.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"

/* OUTPUT_ATTR_ALIASES of Guild 0.9 (guild/summary.py), in its order. */
static const struct {
	const char	*alias;
	const char	*regex;
} attr_aliases[] = {
	{ "\\key", "[_a-zA-Z]\\S*" },
	{ "\\value", "\\S+" },
};

#define DEFAULT_ATTR_PATTERN	"^(\\key):\\s+(\\value)$"

struct test_pattern {
	const char	*key;		/* map form, or NULL */
	char		*text;		/* aliases expanded */
	struct regex	*re;
};

static char *
expand(const char *pattern)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*cur = xstrdup(pattern);
	const char	*p, *hit;
	size_t		 i;

	for (i = 0; i < ARRAY_SIZE(attr_aliases); i++) {
		strbuf_reset(&sb);
		for (p = cur; (hit = strstr(p, attr_aliases[i].alias)) != NULL;
		    p = hit + strlen(attr_aliases[i].alias)) {
			strbuf_add(&sb, p, (size_t)(hit - p));
			strbuf_addstr(&sb, attr_aliases[i].regex);
		}
		strbuf_addstr(&sb, p);
		free(cur);
		cur = strbuf_detach(&sb, NULL);
	}
	strbuf_release(&sb);
	return cur;
}

/* Python's repr() of a str: its quotes, backslashes and controls escaped. */
static void
py_repr(struct strbuf *sb, const char *s, size_t len)
{
	char	q = '\'';
	size_t	i;

	if (memchr(s, '\'', len) != NULL && memchr(s, '"', len) == NULL)
		q = '"';
	strbuf_addch(sb, q);
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)s[i];

		if (c == '\\' || c == (unsigned char)q) {
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, c);
		} else if (c == '\n')
			strbuf_addstr(sb, "\\n");
		else if (c == '\r')
			strbuf_addstr(sb, "\\r");
		else if (c == '\t')
			strbuf_addstr(sb, "\\t");
		else if (c < 0x20 || c == 0x7f)
			strbuf_addf(sb, "\\x%02x", c);
		else
			strbuf_addch(sb, c);
	}
	strbuf_addch(sb, q);
}

/* Group n of the last match as Python shows it: a repr, or None. */
static void
add_group(struct strbuf *sb, const struct regex *re, const char *line,
    unsigned n)
{
	size_t	start, end;

	if (regex_group(re, n, &start, &end))
		py_repr(sb, line + start, end - start);
	else
		strbuf_addstr(sb, "None");
}

/* "name=value" assignments, Guild's vals dict: last match wins. */
static void
vals_set(struct strvec *keys, struct strvec *vals, const char *key,
    char *val)
{
	ssize_t	i = strvec_find(keys, key);

	if (i >= 0) {
		free(vals->v[i]);
		vals->v[i] = val;
		return;
	}
	strvec_push(keys, key);
	strvec_push_nodup(vals, val);
}

static char *
group_text(const struct regex *re, const char *line, unsigned n)
{
	size_t	start, end;

	if (!regex_group(re, n, &start, &end))
		return xstrdup("None");
	return xstrndup(line + start, end - start);
}

/* What one match gives, as Guild's _try_apply_match with no conversion. */
static void
apply_match(const struct test_pattern *p, const char *line,
    struct strvec *keys, struct strvec *vals)
{
	size_t		 i, n = regex_nnames(p->re);
	unsigned	 g, kg = 0, vg = 0;
	const char	*name;
	char		*k;

	if (n > 0) {
		for (i = 0; i < n; i++) {
			name = regex_name(p->re, i, &g);
			if (strcmp(name, "_key") == 0)
				kg = g;
			else if (strcmp(name, "_val") == 0)
				vg = g;
		}
		if (kg != 0 && vg != 0) {
			k = group_text(p->re, line, kg);
			vals_set(keys, vals, k, group_text(p->re, line, vg));
			free(k);
			return;
		}
		for (i = 0; i < n; i++) {
			name = regex_name(p->re, i, &g);
			vals_set(keys, vals, name, group_text(p->re, line, g));
		}
		return;
	}
	switch (regex_ngroups(p->re)) {
	case 1:
		vals_set(keys, vals, p->key != NULL ? p->key : "None",
		    group_text(p->re, line, 1));
		break;
	case 2:
		k = group_text(p->re, line, 1);
		vals_set(keys, vals, k, group_text(p->re, line, 2));
		free(k);
		break;
	default:
		break;
	}
}

static void
test_line(struct test_pattern *p, const char *line, size_t len)
{
	struct strbuf	 sb = STRBUF_INIT, groups = STRBUF_INIT;
	struct strvec	 keys = STRVEC_INIT, vals = STRVEC_INIT, sorted;
	size_t		 off = 0, start, end, i;
	unsigned	 g, ng = regex_ngroups(p->re);
	int		 eflags = 0, rc, nmatch = 0;

	/* Every match, as Python's finditer: past an empty one by a char. */
	while (off <= len) {
		if ((rc = regex_exec(p->re, line, len, off, eflags)) < 0)
			break;
		if (rc == 0) {
			if (eflags == 0)
				break;
			off++;
			while (off < len && (line[off] & 0xc0) == 0x80)
				off++;
			eflags = 0;
			continue;
		}
		strbuf_addstr(&groups, nmatch++ > 0 ? ", (" : "(");
		for (g = 1; g <= ng; g++) {
			if (g > 1)
				strbuf_addstr(&groups, ", ");
			add_group(&groups, p->re, line, g);
		}
		strbuf_addstr(&groups, ng == 1 ? ",)" : ")");
		apply_match(p, line, &keys, &vals);
		regex_group(p->re, 0, &start, &end);
		off = end;
		eflags = end == start ? REGEX_NOTEMPTY_HERE : 0;
		if (end == start && end >= len)
			break;
	}
	strbuf_addstr(&sb, "  ");
	py_repr(&sb, p->text, strlen(p->text));
	if (nmatch == 0)
		strbuf_addstr(&sb, ": <no matches>");
	else {
		strbuf_addf(&sb, ": [%s] (", groups.buf);
		sorted = (struct strvec)STRVEC_INIT;
		for (i = 0; i < keys.n; i++)
			strvec_push_nodup(&sorted, xasprintf("%s=%s",
			    keys.v[i], vals.v[i]));
		strvec_sort(&sorted);
		for (i = 0; i < sorted.n; i++)
			strbuf_addf(&sb, "%s%s", i > 0 ? ", " : "",
			    sorted.v[i]);
		strbuf_addch(&sb, ')');
		strvec_clear(&sorted);
	}
	printf("%s\n", cli_text(stdout, sb.buf));
	strvec_clear(&keys);
	strvec_clear(&vals);
	strbuf_release(&groups);
	strbuf_release(&sb);
}

static void
patterns_free(struct test_pattern *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].text);
		regex_free(v[i].re);
	}
	free(v);
}

/* The patterns that compile; the others are warned about, as Guild does. */
static struct test_pattern *
patterns_new(const struct capture *cap, size_t *np)
{
	struct test_pattern	*v;
	size_t			 i, n = 0, count;
	char			*cause = NULL;

	count = cap->mode == CAPTURE_DEFAULT ? 1 : cap->nspecs;
	v = xcalloc(count + 1, sizeof *v);
	for (i = 0; i < count; i++) {
		const char	*pat = cap->mode == CAPTURE_DEFAULT ?
		    DEFAULT_ATTR_PATTERN : cap->specs[i].pattern;

		v[n].key = cap->mode == CAPTURE_DEFAULT ? NULL :
		    cap->specs[i].key;
		v[n].text = expand(pat);
		if ((v[n].re = regex_new(v[n].text, 0, &cause)) == NULL) {
			cli_note("guild: warning: error compiling pattern %s: "
			    "%s", v[n].text, cause);
			free(cause);
			cause = NULL;
			free(v[n].text);
			continue;
		}
		n++;
	}
	*np = n;
	return v;
}

/* Guild's rstrip(): the length of line without trailing whitespace. */
static size_t
rstrip_len(const char *line, size_t len)
{
	while (len > 0 && strchr(" \t\r\n\v\f", line[len - 1]) != NULL)
		len--;
	return len;
}

int
run_test_output_attrs(const struct opdef *op, const char *path)
{
	struct test_pattern	*v;
	FILE			*f;
	char			*line = NULL;
	size_t			 n, i, cap = 0, len;
	ssize_t			 got;
	bool			 interactive = false;

	if (op->output_attrs.mode == CAPTURE_NONE) {
		fprintf(stderr, "Output attrs disabled, nothing to test\n");
		return 0;
	}
	if (strcmp(path, "-") == 0) {
		f = stdin;
		if ((interactive = isatty(STDIN_FILENO)))
			cli_note("Type patterns and press Enter to test. "
			    "Use Ctrl-c or empty line to exit.");
	} else if ((f = fopen(path, "rb")) == NULL) {
		if (errno == ENOENT)
			return cli_error("%s does not exist", path);
		return cli_error("error opening %s: %s", path, strerror(errno));
	}
	v = patterns_new(&op->output_attrs, &n);
	/* Lines as Python reads a binary file: split after each newline. */
	while ((got = getline(&line, &cap, f)) != -1) {
		/* A NUL byte ends the text there (it cannot be printed). */
		len = rstrip_len(line, strnlen(line, (size_t)got));
		if (interactive && len == 0)
			break;
		line[len] = '\0';
		printf("%s\n", cli_text(stdout, line));
		for (i = 0; i < n; i++)
			test_line(&v[i], line, len);
		if (interactive)
			fflush(stdout);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	patterns_free(v, n);
	return 0;
}

/*
 * guild run --test-output-scalars OUTPUT: each line of OUTPUT and the
 * scalars the operation's output-scalars (and Keras's patterns) find.
 */
static void
test_scalar(const char *key, double value, long long step, void *arg)
{
	struct strbuf	sb = STRBUF_INIT;

	format_double(&sb, value);
	printf("  %s: %s (step %lld)\n", cli_field(stdout, key), sb.buf, step);
	strbuf_release(&sb);
}

struct scalars_test {
	struct scalars	*s;
};

static void
scalars_test_line(const struct output_line *line, void *arg)
{
	struct scalars_test	*t = arg;

	printf("%s\n", line->text);
	scalars_feed_line(t->s, line->text, line->len, test_scalar, NULL);
}

int
run_test_output_scalars(const struct opdef *op, const struct value *flags,
    const char *path)
{
	struct scalars_test		 t;
	struct output_cooker	*c;
	const char		**names;
	char			*cause = NULL, buf[8192];
	size_t			 i, n = 0;
	int			 fd;
	ssize_t			 len;

	names = xcalloc(flags->u.map.n + 1, sizeof *names);
	for (i = 0; i < flags->u.map.n; i++)
		names[n++] = flags->u.map.k[i];
	t.s = scalars_new(&op->output_scalars, names, &cause);
	free(names);
	if (t.s != NULL && runner_keras_scalars(t.s, op, &cause) == -1) {
		scalars_free(t.s);
		t.s = NULL;
	}
	if (t.s == NULL)
		return cli_error_cause(cause);
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		scalars_free(t.s);
		return cli_error("%s: %s", path, strerror(errno));
	}
	c = output_cooker_new(scalars_test_line, &t);
	while ((len = read(fd, buf, sizeof buf)) != 0) {
		if (len < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		output_cooker_feed(c, buf, (size_t)len);
	}
	output_cooker_finish(c);
	output_cooker_free(c);
	if (fd != STDIN_FILENO)
		close(fd);
	scalars_free(t.s);
	return 0;
}
