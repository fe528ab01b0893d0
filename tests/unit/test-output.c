/* test-output.c: output capture, cooking, output.index, reader, follower. */
#include "common.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "strbuf.h"
#include "tap.h"
#include "util.h"

/* Lines joined with '\n': plain text, and text rendered with SGR. */
struct collect {
	struct strbuf	plain;
	struct strbuf	sgr;
	size_t		n;
	size_t		truncated;
	size_t		max_len;
	uint64_t	first_lineno;
	uint64_t	next_lineno;
	bool		lineno_ok;
	int64_t		times[64];
	bool		clean;	/* UTF-8, no controls but \t */
};

static void
collect_init(struct collect *c)
{
	memset(c, 0, sizeof *c);
	strbuf_init(&c->plain);
	strbuf_init(&c->sgr);
	c->lineno_ok = true;
	c->clean = true;
}

static void
collect_release(struct collect *c)
{
	strbuf_release(&c->plain);
	strbuf_release(&c->sgr);
}

/* Valid UTF-8 without C0, DEL or C1 controls (but \t)? */
static bool
text_clean(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len;
	size_t			 n, i;

	while (p < end) {
		if (*p < 0x80) {
			if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
				return false;
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 1;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 3;
		else
			return false;
		if (*p == 0xc2 && p + 1 < end && p[1] < 0xa0)
			return false;
		if ((size_t)(end - p) <= n)
			return false;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
		}
		p += n + 1;
	}
	return true;
}

static void
on_line(const struct output_line *l, void *arg)
{
	struct collect	*c = arg;

	if (c->n > 0) {
		strbuf_addch(&c->plain, '\n');
		strbuf_addch(&c->sgr, '\n');
	}
	strbuf_add(&c->plain, l->text, l->len);
	output_line_render(l, &c->sgr);
	if (strlen(l->text) != l->len || !text_clean(l->text, l->len))
		c->clean = false;
	if (c->n == 0)
		c->first_lineno = l->lineno;
	else if (l->lineno != c->next_lineno)
		c->lineno_ok = false;
	c->next_lineno = l->lineno + 1;
	if (c->n < ARRAY_SIZE(c->times))
		c->times[c->n] = l->time_ms;
	if (l->truncated)
		c->truncated++;
	if (l->len > c->max_len)
		c->max_len = l->len;
	c->n++;
}

/* Cook input fed in pieces split at the given points (sorted). */
static void
cook_split(struct collect *c, const char *in, size_t len, const size_t *cuts,
    size_t ncuts)
{
	struct output_cooker	*k;
	size_t			 pos = 0, i;

	collect_init(c);
	k = output_cooker_new(on_line, c);
	for (i = 0; i < ncuts; i++) {
		output_cooker_feed(k, in + pos, cuts[i] - pos);
		pos = cuts[i];
	}
	output_cooker_feed(k, in + pos, len - pos);
	output_cooker_finish(k);
	output_cooker_free(k);
}

static void
cook(struct collect *c, const char *in)
{
	cook_split(c, in, strlen(in), NULL, 0);
}

static const char mixed[] =
	"plain\n"
	"\r 10%\r 50%\r100%\n"
	"\033[1;31mred\033[0m normal\n"
	"\033[2J\033[H\033[10;20Hmoved\033[K\n"
	"\033]0;title\007after\n"
	"\033]8;;http://x\033\\link\033]8;;\033\\\n"
	"\033Pq#0;2;0;0;0\033\\dcs\n"
	"h\xc3\xa9llo \xe2\x82\xac\n"
	"\xff\xfe bad \xc3(\n"
	"crlf\r\n"
	"\xc2\x9b" "31mc1\n"
	"a\tb\n"
	"\033(B\0337\0338\033[?25l\033[?1049hesc\n"
	"tail";

static const char mixed_plain[] =
	"plain\n"
	"100%\n"
	"red normal\n"
	"moved\n"
	"after\n"
	"link\n"
	"dcs\n"
	"h\xc3\xa9llo \xe2\x82\xac\n"
	"\xef\xbf\xbd\xef\xbf\xbd bad \xef\xbf\xbd(\n"
	"crlf\n"
	"31mc1\n"
	"a\tb\n"
	"esc\n"
	"tail";

static void
test_cooking(void)
{
	struct collect	 whole, part;
	size_t		 len = sizeof mixed - 1, k, *cuts, esc;
	bool		 same = true;

	cook(&whole, mixed);
	is_str(whole.plain.buf, mixed_plain, "mixed output, plain lines");
	is_int((long long)whole.n, 14, "one line per LF plus the final one");
	ok(whole.clean, "cooked text is clean UTF-8 without controls");
	ok(whole.lineno_ok && whole.first_lineno == 0,
	    "line numbers count from 0");
	ok(strstr(whole.sgr.buf, "\033[0;1;31mred\033[m normal") != NULL,
	    "colour kept as our own SGR");
	for (k = 0, esc = 0; k < whole.sgr.len; k++)
		esc += whole.sgr.buf[k] == '\033';
	is_int((long long)esc, 2, "no other escape sequence survives");

	/* Every split point, then every byte on its own. */
	for (k = 0; k <= len; k++) {
		cook_split(&part, mixed, len, &k, 1);
		if (strcmp(part.plain.buf, whole.plain.buf) != 0 ||
		    strcmp(part.sgr.buf, whole.sgr.buf) != 0) {
			diag("split at %zu: %s", k, part.plain.buf);
			same = false;
		}
		collect_release(&part);
	}
	ok(same, "split at any byte: same cooked lines");
	cuts = xcalloc(len, sizeof *cuts);
	for (k = 0; k < len; k++)
		cuts[k] = k;
	cook_split(&part, mixed, len, cuts, len);
	is_str(part.sgr.buf, whole.sgr.buf, "fed byte by byte: same lines");
	collect_release(&part);
	free(cuts);
	collect_release(&whole);
}

static void
test_cr(void)
{
	struct collect		 c;
	struct output_cooker	*k;
	struct output_line	 l;

	cook(&c, "Epoch 1 [=>   ]\rEpoch 1 [==> ]\rEpoch 1 [====]\n");
	is_str(c.plain.buf, "Epoch 1 [====]", "progress bar: its last state");
	collect_release(&c);

	cook(&c, "abc\r\r\n\r\ndef\r\n");
	is_str(c.plain.buf, "abc\n\ndef", "\\r\\n is a line end");
	collect_release(&c);

	cook(&c, "long text here\rshort\n");
	is_str(c.plain.buf, "short", "\\r restarts the line");
	collect_release(&c);

	cook(&c, "\033[32mgreen 50%\r\033[Kgreen 100%\033[0m\n");
	is_str(c.plain.buf, "green 100%", "\\r then erase-line: last state");
	is_str(c.sgr.buf, "\033[0;32mgreen 100%\033[m",
	    "\\r drops the old spans");
	collect_release(&c);

	cook(&c, "done\r");
	is_str(c.plain.buf, "done", "final line ending with \\r kept");
	is_int((long long)c.n, 1, "one final line");
	collect_release(&c);

	cook(&c, "a\n\033[31m");
	is_int((long long)c.n, 2, "trailing escape alone is a final line");
	collect_release(&c);

	cook(&c, "a\n");
	is_int((long long)c.n, 1, "no final line after a last LF");
	collect_release(&c);

	collect_init(&c);
	k = output_cooker_new(on_line, &c);
	ok(!output_cooker_partial(k, &l), "no partial line at first");
	output_cooker_feed(k, "x\n 10%\r 20%", 11);
	ok(output_cooker_partial(k, &l), "partial line after progress");
	is_str(l.text, " 20%", "partial shows the latest state");
	is_int((long long)l.lineno, 1, "partial line number");
	output_cooker_feed(k, "\r", 1);
	ok(output_cooker_partial(k, &l) && strcmp(l.text, " 20%") == 0,
	    "after \\r the partial still shows the last state");
	output_cooker_feed(k, "100%\n", 5);
	is_str(c.plain.buf, "x\n100%", "completed line");
	ok(!output_cooker_partial(k, &l), "no partial after LF");
	output_cooker_free(k);
	collect_release(&c);
}

static void
test_sgr(void)
{
	struct collect	c;

	cook(&c, "\033[38;5;208mX\033[48;2;1;2;3mY"
	    "\033[38:2::10:20:30mZ\033[m\n");
	is_str(c.sgr.buf, "\033[0;38;5;208mX\033[0;38;5;208;48;2;1;2;3mY"
	    "\033[0;38;2;10;20;30;48;2;1;2;3mZ\033[m", "256 and RGB colours");
	collect_release(&c);

	cook(&c, "\033[31mred\nstill red\033[39m\n");
	is_str(c.sgr.buf, "\033[0;31mred\033[m\n\033[0;31mstill red\033[m",
	    "colour carries over to the next line");
	collect_release(&c);

	cook(&c, "\033[4mu\033[4:0mn\033[1;2;3;7;9mall\033[22;23;27;29mu2\n");
	is_str(c.sgr.buf, "\033[0;4mu\033[mn\033[0;1;2;3;7;9mall"
	    "\033[mu2", "attributes on and off");
	collect_release(&c);

	cook(&c, "\033[92;104mb\033[0m \033[5;8mhidden\033[0m\n");
	is_str(c.sgr.buf, "\033[0;92;104mb\033[m hidden",
	    "bright colours; blink and conceal ignored");
	collect_release(&c);

	cook(&c, "\033[?31mx\033[31 my\033[38;9;1mz\033[0m\n");
	is_str(c.sgr.buf, "xyz", "private, intermediate, bad: ignored");
	collect_release(&c);

	cook(&c, "\033[31;38;5mx\033[38;5;999my\n");
	is_str(c.sgr.buf, "\033[0;31mxy\033[m", "truncated or out of range");
	collect_release(&c);
}

static void
test_dropped(void)
{
	struct collect	c;
	struct strbuf	in = STRBUF_INIT;
	int		i;

	cook(&c, "a\033[5Ab\033[2Kc\033[1;1Hd\033[2Je\033[?1049lf\033[6ng\n");
	is_str(c.plain.buf, "abcdefg", "cursor movement, clear screen dropped");
	collect_release(&c);

	cook(&c, "\033]2;evil title\033\\x\033]52;c;ZXZpbA==\007y\n");
	is_str(c.plain.buf, "xy", "OSC titles and clipboard dropped");
	collect_release(&c);

	cook(&c, "\033]0;never ends\nnext\n");
	is_str(c.plain.buf, "\nnext", "unterminated OSC ends at the LF");
	collect_release(&c);

	cook(&c, "a\bb\007c\001d\177e\033\033[31mf\033[0m\n");
	is_str(c.plain.buf, "abcdef", "C0 controls and DEL dropped");
	collect_release(&c);

	cook(&c, "\033P1$r\033[31m\033\\x\033X sos \033\\y\033^pm\033\\z\n");
	is_str(c.plain.buf, "xyz", "DCS, SOS, PM dropped whole");
	collect_release(&c);

	cook(&c, "\xc2\x80\xc2\x9f\xc2\xa0ok\n");
	is_str(c.plain.buf, "\xc2\xa0ok", "C1 controls dropped, NBSP kept");
	collect_release(&c);

	cook(&c, "\xe0\x80\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|"
	    "\xf0\x9f\x98\x80\n");
	ok(c.clean, "overlong, surrogate, too large: replaced");
	ok(strstr(c.plain.buf, "\xf0\x9f\x98\x80") != NULL,
	    "4-byte character kept");
	collect_release(&c);

	/* Many escape bytes must not grow anything: a huge CSI. */
	strbuf_addstr(&in, "\033[");
	for (i = 0; i < 100000; i++)
		strbuf_addstr(&in, "1;");
	strbuf_addstr(&in, "31mx\n");
	cook(&c, in.buf);
	is_str(c.sgr.buf, "x", "overlong CSI consumed, not applied");
	collect_release(&c);
	strbuf_release(&in);
}

static char *
tmpdir_new(void)
{
	char	*d = xstrdup("/tmp/guild-test-output.XXXXXX");

	if (mkdtemp(d) == NULL) {
		diag("mkdtemp failed");
		exit(1);
	}
	return d;
}

static char *
run_file(const char *dir, const char *name)
{
	return xasprintf("%s/.guild/%s", dir, name);
}

static size_t
file_size(const char *path)
{
	struct stat	st;

	if (stat(path, &st) != 0)
		return (size_t)-1;
	return (size_t)st.st_size;
}

static void
read_file(const char *path, struct strbuf *sb)
{
	char	*cause = NULL;

	strbuf_reset(sb);
	if (strbuf_read_file(sb, path, &cause) != 0) {
		diag("%s", cause);
		free(cause);
	}
}

static int64_t
record_time(const unsigned char *p)
{
	uint64_t	v = 0;
	int		i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return (int64_t)v;
}

static uint64_t
lcg(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

static void
test_writer(void)
{
	struct collect	 c;
	struct output	*o;
	struct strbuf	 raw = STRBUF_INIT, idx = STRBUF_INIT;
	struct strbuf	 in = STRBUF_INIT;
	char		*dir, *cause = NULL, *path, *ipath;
	uint64_t	 seed = 42;
	size_t		 i, lfs = 0, pos, n;
	bool		 mono = true, stream0 = true;
	int64_t		 before, prev = 0, t;

	dir = tmpdir_new();
	path = run_file(dir, "output");
	ipath = run_file(dir, "output.index");

	/* Binary garbage with NULs, in random chunks. */
	for (i = 0; i < 1 << 20; i++)
		strbuf_addch(&in, (int)(lcg(&seed) & 0xff));
	strbuf_addstr(&in, "no newline at the end");
	for (i = 0; i < in.len; i++)
		lfs += in.buf[i] == '\n';

	collect_init(&c);
	before = now_us() / 1000;
	o = output_open(dir, &cause);
	ok(o != NULL, "output_open: %s", cause ? cause : "ok");
	output_subscribe(o, on_line, &c);
	for (pos = 0; pos < in.len; pos += n) {
		n = 1 + lcg(&seed) % 9000;
		if (n > in.len - pos)
			n = in.len - pos;
		if (output_feed(o, in.buf + pos, n, 0, &cause) != 0)
			diag("feed: %s", cause);
	}
	is_int(output_close(o, &cause), 0, "output_close");

	read_file(path, &raw);
	ok(raw.len == in.len && memcmp(raw.buf, in.buf, in.len) == 0,
	    "raw file keeps every byte (%zu)", raw.len);
	read_file(ipath, &idx);
	is_int((long long)idx.len, (long long)(lfs + 1) * 9,
	    "one index record per LF plus the final line");
	is_int((long long)c.n, (long long)lfs + 1, "subscriber saw every line");
	ok(c.clean, "garbage cooks to clean text");
	ok(c.lineno_ok, "line numbers in order");
	for (i = 0; i + 9 <= idx.len; i += 9) {
		t = record_time((unsigned char *)idx.buf + i);
		if (t < prev || t < before || t > now_us() / 1000 + 1)
			mono = false;
		if (idx.buf[i + 8] != 0)
			stream0 = false;
		prev = t;
	}
	ok(mono, "index times monotonic and plausible");
	ok(stream0, "stream 0 for every line");
	collect_release(&c);

	/* Appending (a restarted run) keeps what was there. */
	o = output_open(dir, &cause);
	output_feed(o, "\nmore\n", 6, 0, NULL);
	output_close(o, NULL);
	is_int((long long)file_size(path), (long long)in.len + 6,
	    "reopen appends");
	is_int((long long)file_size(ipath), (long long)(lfs + 3) * 9,
	    "index appended too");

	strbuf_release(&raw);
	strbuf_release(&idx);
	strbuf_release(&in);
	rm_rf(dir, NULL);
	free(path);
	free(ipath);
	free(dir);
}

static void
test_long_line(void)
{
	struct collect		 c;
	struct output		*o;
	struct output_line	 l;
	char			*dir, *path, *chunk, *cause = NULL;
	size_t			 i, total = 10 * 1024 * 1024, maxpart = 0;
	struct strbuf		 raw = STRBUF_INIT;
	bool			 same = true;

	dir = tmpdir_new();
	path = run_file(dir, "output");
	chunk = xmalloc(65536);
	for (i = 0; i < 65536; i++)
		chunk[i] = (char)('a' + i % 26);

	collect_init(&c);
	o = output_open(dir, &cause);
	output_subscribe(o, on_line, &c);
	for (i = 0; i < total; i += 65536) {
		output_feed(o, chunk, 65536, 0, NULL);
		if (output_partial(o, 0, &l) && l.len > maxpart)
			maxpart = l.len;
	}
	output_feed(o, "\nafter\n", 7, 0, NULL);
	output_close(o, NULL);

	ok(maxpart <= OUTPUT_LINE_MAX, "line being built stays capped (%zu)",
	    maxpart);
	is_int((long long)c.n, 2, "10 MB line is one line");
	is_int((long long)c.truncated, 1, "marked truncated");
	ok(c.max_len < OUTPUT_LINE_MAX + 64, "cooked line capped (%zu)",
	    c.max_len);
	ok(strstr(c.plain.buf, " [... 10420224 bytes cut]\nafter") != NULL,
	    "cut marker says how much");
	ok(c.clean, "cap does not split characters");

	is_int((long long)file_size(path), (long long)total + 7,
	    "raw file has every byte");
	read_file(path, &raw);
	for (i = 0; i < total && same; i += 65536)
		same = memcmp(raw.buf + i, chunk, 65536) == 0;
	ok(same, "raw bytes intact");

	/* A multi-byte character at the cap is cut whole. */
	collect_release(&c);
	collect_init(&c);
	{
		struct output_cooker	*k = output_cooker_new(on_line, &c);

		output_cooker_feed(k, chunk, OUTPUT_LINE_MAX - 1);
		output_cooker_feed(k, "\xe2\x82\xac\n", 4);
		output_cooker_free(k);
	}
	ok(c.clean, "character across the cap cut whole");
	ok(strstr(c.plain.buf, "[... 3 bytes cut]") != NULL, "3 bytes cut");

	collect_release(&c);
	strbuf_release(&raw);
	rm_rf(dir, NULL);
	free(chunk);
	free(path);
	free(dir);
}

struct times {
	int64_t		t[16];
	int		s[16];
	size_t		n;
};

static void
on_times(const struct output_line *l, void *arg)
{
	struct times	*t = arg;

	if (t->n < ARRAY_SIZE(t->t)) {
		t->t[t->n] = l->time_ms;
		t->s[t->n] = l->stream;
	}
	t->n++;
}

static void
test_reader(void)
{
	struct collect	 c;
	struct times	 w = { .n = 0 };
	struct output	*o;
	char		*dir, *ipath, *cause = NULL;
	bool		 same = true;
	size_t		 i;
	long long	 n;

	dir = tmpdir_new();
	ipath = run_file(dir, "output.index");

	collect_init(&c);
	n = output_read(dir, on_line, &c, &cause);
	is_int(n, 0, "a run without output has no lines");
	collect_release(&c);

	o = output_open(dir, &cause);
	output_subscribe(o, on_times, &w);
	output_feed(o, "one\n\033[1mtwo\033[0m\n", 16, 0, NULL);
	usleep(20000);
	output_feed(o, "three\nerr\n", 10, 1, NULL);
	usleep(20000);
	output_feed(o, "four", 4, 0, NULL);
	output_close(o, NULL);

	collect_init(&c);
	n = output_read(dir, on_line, &c, &cause);
	is_int(n, 5, "output_read counts lines");
	is_str(c.plain.buf, "one\ntwo\nthree\nerr\nfour", "cooked lines");
	is_str(c.sgr.buf, "one\n\033[0;1mtwo\033[m\nthree\nerr\nfour",
	    "colours read back");
	for (i = 0; i < 5; i++)
		same = same && c.times[i] == w.t[i];
	ok(same, "n-th line paired with n-th record");
	ok(w.t[2] > w.t[1] && w.t[4] > w.t[3], "times follow the feeds");
	ok(w.s[2] == 1 && w.s[3] == 1 && w.s[4] == 0, "streams recorded");
	collect_release(&c);

	/* A short index (Guild's can lag): later lines have no time. */
	if (truncate(ipath, 2 * 9 + 4) != 0)
		diag("truncate failed");
	collect_init(&c);
	n = output_read(dir, on_line, &c, &cause);
	is_int(n, 5, "short index: every line still read");
	ok(c.times[1] == w.t[1] && c.times[2] == 0 && c.times[4] == 0,
	    "lines past the index have time 0");
	collect_release(&c);

	unlink(ipath);
	collect_init(&c);
	n = output_read(dir, on_line, &c, &cause);
	is_int(n, 5, "missing index: every line still read");
	ok(c.times[0] == 0, "no times without index");
	collect_release(&c);

	rm_rf(dir, NULL);
	free(ipath);
	free(dir);
}

struct tailed {
	struct collect	c;
	int		resets;
};

static void
on_tail_line(const struct output_line *l, void *arg)
{
	struct tailed	*t = arg;

	on_line(l, &t->c);
}

static void
on_tail_reset(void *arg)
{
	struct tailed	*t = arg;

	t->resets++;
	collect_release(&t->c);
	collect_init(&t->c);
}

static const struct output_tail_hooks tail_hooks = {
	.on_line = on_tail_line,
	.on_reset = on_tail_reset,
};

/* Append to a file as another process would. */
static void
append(const char *path, const char *s)
{
	int	fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		diag("append to %s failed", path);
	if (fd >= 0)
		close(fd);
}

static void
test_tail(void)
{
	struct tailed		 t;
	struct output_tail	*tail;
	struct output		*o;
	struct output_line	 l;
	char			*dir, *path, *tmp, *cause = NULL;
	long long		 n;

	dir = tmpdir_new();
	path = run_file(dir, "output");
	collect_init(&t.c);
	t.resets = 0;

	/* Opened before the run writes anything. */
	tail = output_tail_open(dir, 10, &tail_hooks, &t, &cause);
	ok(tail != NULL, "tail open without a file");
	is_int(output_tail_poll(tail, &cause), 0, "nothing yet");

	o = output_open(dir, &cause);
	output_feed(o, "first\nsecond\npart", 17, 0, NULL);
	n = output_tail_poll(tail, &cause);
	is_int(n, 2, "follower sees lines written later");
	is_str(t.c.plain.buf, "first\nsecond", "their text");
	ok(t.c.times[0] > 0, "with their index times");
	ok(output_tail_partial(tail, &l) && strcmp(l.text, "part") == 0 &&
	    l.lineno == 2, "partial line visible");
	is_int(output_tail_poll(tail, &cause), 0, "nothing new");
	output_feed(o, "ial\n\033[32m 10%\r 90%", 18, 0, NULL);
	n = output_tail_poll(tail, &cause);
	is_int(n, 1, "completed line");
	is_str(t.c.plain.buf, "first\nsecond\npartial", "joined across polls");
	ok(output_tail_partial(tail, &l) && strcmp(l.text, " 90%") == 0 &&
	    l.nspans == 1, "progress bar as partial, in colour");
	output_close(o, NULL);
	output_tail_poll(tail, &cause);
	output_tail_finish(tail);
	is_int((long long)t.c.n, 4, "finish delivers the final line");
	ok(t.c.lineno_ok, "line numbers in order");
	output_tail_free(tail);
	collect_release(&t.c);

	/* Starting with the last lines of a file. */
	append(path, "\nl5\nl6\nl7\n");
	collect_init(&t.c);
	tail = output_tail_open(dir, 2, &tail_hooks, &t, &cause);
	n = output_tail_poll(tail, &cause);
	is_int(n, 2, "last 2 lines");
	is_str(t.c.plain.buf, "l6\nl7", "the right ones");
	ok(t.c.lineno_ok && t.c.first_lineno == 5,
	    "numbered from their place in the file");
	append(path, "l8\n");
	output_tail_poll(tail, &cause);
	is_str(t.c.plain.buf, "l6\nl7\nl8", "then new ones");

	/* Truncated and rewritten. */
	if (truncate(path, 0) != 0)
		diag("truncate failed");
	append(path, "new1\n");
	n = output_tail_poll(tail, &cause);
	is_int(t.resets, 1, "truncation resets");
	is_str(t.c.plain.buf, "new1", "and reads the new content");

	/* Replaced by another file. */
	tmp = xasprintf("%s.tmp", path);
	append(tmp, "r1\nr2\nr3\n");
	if (rename(tmp, path) != 0)
		diag("rename failed");
	n = output_tail_poll(tail, &cause);
	is_int(t.resets, 2, "replacement resets");
	is_str(t.c.plain.buf, "r2\nr3", "last lines of the new file");
	ok(t.c.lineno_ok && t.c.first_lineno == 1,
	    "line numbers of the new file");
	output_tail_free(tail);
	collect_release(&t.c);

	/* From the beginning. */
	collect_init(&t.c);
	tail = output_tail_open(dir, OUTPUT_TAIL_ALL, &tail_hooks, &t, &cause);
	is_int(output_tail_poll(tail, &cause), 3, "OUTPUT_TAIL_ALL");
	output_tail_free(tail);
	collect_release(&t.c);

	/* Zero last lines: only what comes next. */
	collect_init(&t.c);
	tail = output_tail_open(dir, 0, &tail_hooks, &t, &cause);
	is_int(output_tail_poll(tail, &cause), 0, "last 0 lines");
	append(path, "r4\n");
	is_int(output_tail_poll(tail, &cause), 1, "then the new line");
	is_str(t.c.plain.buf, "r4", "its text");
	output_tail_free(tail);
	collect_release(&t.c);

	rm_rf(dir, NULL);
	free(tmp);
	free(path);
	free(dir);
}

struct unsub {
	struct output	*o;
	int		 n;
};

static void
on_unsub(const struct output_line *l, void *arg)
{
	struct unsub	*u = arg;

	u->n++;
	output_unsubscribe(u->o, on_unsub, u);
}

static void
test_subscribers(void)
{
	struct collect	 c;
	struct unsub	 u = { NULL, 0 };
	char		*dir, *file, *bad, *cause = NULL;

	dir = tmpdir_new();
	collect_init(&c);
	u.o = output_open(dir, &cause);
	output_subscribe(u.o, on_unsub, &u);
	output_subscribe(u.o, on_line, &c);
	output_feed(u.o, "a\nb\n", 4, 0, NULL);
	output_close(u.o, NULL);
	is_int(u.n, 1, "a subscriber may unsubscribe itself");
	is_str(c.plain.buf, "a\nb", "others still get every line");
	collect_release(&c);

	/* Under a regular file: fails even for root. */
	file = xasprintf("%s/file", dir);
	append(file, "x");
	bad = xasprintf("%s/run", file);
	ok(output_open(bad, &cause) == NULL, "unusable run dir fails");
	ok(cause != NULL && strstr(cause, file) != NULL,
	    "with a cause naming it: %s", cause ? cause : "");
	free(cause);
	free(bad);
	free(file);
	rm_rf(dir, NULL);
	free(dir);
}

int
main(void)
{
	test_cooking();
	test_cr();
	test_sgr();
	test_dropped();
	test_writer();
	test_long_line();
	test_reader();
	test_tail();
	test_subscribers();
	return done_testing();
}
