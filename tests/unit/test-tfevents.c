/* test-tfevents.c: the TFRecord event writer, read back by the reader. */
#include "common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crc32c.h"
#include "strbuf.h"
#include "tap.h"
#include "tfevents.h"
#include "util.h"

struct seen {
	int		 events;
	char		*file_version;
	struct strbuf	 log;
};

static int
collect(const struct tfevents_event *ev, void *arg)
{
	struct seen	*s = arg;
	size_t		 i;

	s->events++;
	if (ev->file_version != NULL) {
		free(s->file_version);
		s->file_version = xstrdup(ev->file_version);
	}
	for (i = 0; i < ev->nvalues; i++)
		strbuf_addf(&s->log, "%.0f %lld %s=%g;", ev->wall_time,
		    ev->step, ev->tags[i], (double)ev->values[i]);
	return 0;
}

static int
stop_early(const struct tfevents_event *ev, void *arg)
{
	(void)ev;
	return ++*(int *)arg == 2 ? -1 : 0;
}

static void
append_bytes(const char *path, const void *p, size_t len)
{
	FILE	*f = fopen(path, "ab");

	fwrite(p, 1, len, f);
	fclose(f);
}

static int
collect_text(const struct tfevents_event *ev, void *arg)
{
	struct strbuf	*sb = arg;
	size_t		 i;

	for (i = 0; i < ev->ntexts; i++)
		strbuf_addf(sb, "%s=%s;", ev->text_tags[i], ev->texts[i]);
	for (i = 0; i < ev->nvalues; i++)
		strbuf_addf(sb, "%s:%g;", ev->tags[i], ev->values[i]);
	return 0;
}

/* Text summaries: what Guild AI logs an attr as, read back as text. */
static void
test_text(void)
{
	struct tfevents	*tf;
	struct strbuf	 sb = STRBUF_INIT;
	char		 dir[] = "/tmp/test-tfevents.XXXXXX";
	char		*path;

	if (mkdtemp(dir) == NULL) {
		diag("mkdtemp failed");
		return;
	}
	path = path_join(dir, "events.out.tfevents.1.test.attrs");
	tf = tfevents_create(path, 1000.0, NULL);
	ok(tf != NULL && tfevents_add_text(tf, 1001, 0, "model", "cnn",
	    NULL) == 0 && tfevents_add_text(tf, 1002, 0, "note",
	    "two words", NULL) == 0 && tfevents_add_scalar(tf, 1003, 0, "loss",
	    0.5f, NULL) == 0, "texts written");
	ok(tf != NULL && tfevents_close(tf, NULL) == 0, "closed");
	is_int(tfevents_read(path, collect_text, &sb, NULL), 4,
	    "four events read back");
	is_str(sb.buf, "model=cnn;note=two words;loss:0.5;",
	    "texts without /text_summary, not scalars; scalars still read");
	unlink(path);
	rmdir(dir);
	free(path);
	strbuf_release(&sb);
}

/*
 * The table-driven CRC and the crc32c instruction agree with a bitwise
 * CRC, at every alignment and length of a buffer, in one go or in pieces.
 */
static void
crc_checks(void)
{
	unsigned char	buf[300];
	uint32_t	want, c;
	size_t		off, len, i;
	int		k, bad = 0;

	for (i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	for (off = 0; off < 9; off++) {
		for (len = 0; len + off <= sizeof buf; len += 1 + len / 8) {
			c = 0xffffffffu;
			for (i = 0; i < len; i++) {
				c ^= buf[off + i];
				for (k = 0; k < 8; k++)
					c = (c & 1) ? (c >> 1) ^ 0x82f63b78u :
					    c >> 1;
			}
			want = ~c;
			if (crc32c_update(0, buf + off, len) != want ||
			    crc32c_update_soft(0, buf + off, len) != want ||
			    crc32c_update(crc32c_update_soft(0, buf + off,
			    len / 3), buf + off + len / 3, len - len / 3) !=
			    want)
				bad++;
		}
	}
	is_int(bad, 0, "crc32c: tables, instruction and pieces agree");
}

int
main(void)
{
	struct tfevents	*tf;
	struct seen	 s = { 0, NULL, STRBUF_INIT };
	struct strbuf	 data = STRBUF_INIT;
	char		 dir[] = "/tmp/test-tfevents.XXXXXX";
	char		*path, *name, *cause = NULL;
	long long	 n;
	int		 stops = 0;

	/* The check value of CRC-32C (RFC 3720). */
	is_int(tfevents_crc32c("123456789", 9), 0xe3069283,
	    "crc32c of the standard check string");
	is_int(tfevents_crc32c("", 0), 0, "crc32c of nothing");
	is_int(tfevents_mask_crc(0), 0xa282ead8, "masked crc of 0");
	crc_checks();

	name = tfevents_file_name(1539779455.7, "guild");
	is_str(name, "events.out.tfevents.1539779455.guild", "file name");
	free(name);

	if (mkdtemp(dir) == NULL) {
		diag("mkdtemp failed");
		return 1;
	}
	path = path_join(dir, "events.out.tfevents.1.test");
	tf = tfevents_create(path, 1000.0, &cause);
	ok(tf != NULL, "create");
	ok(tfevents_add_scalar(tf, 1001, 0, "loss", 0.5f, &cause) == 0,
	    "add a scalar");
	ok(tfevents_add_scalar(tf, 1002, 1, "loss", 0.25f, &cause) == 0,
	    "add another");
	ok(tfevents_add_scalar(tf, 1003, 1, "val/acc", 0.75f, NULL) == 0,
	    "a tag with a slash");
	ok(tfevents_add_scalar(tf, 1004, 300, "big step", -2.0f, NULL) == 0,
	    "a step needing a multi-byte varint");
	ok(tfevents_add_scalar(tf, 1005, -1, "neg", 1.0f, NULL) == 0,
	    "a negative step");
	ok(tfevents_close(tf, &cause) == 0, "close");

	n = tfevents_read(path, collect, &s, &cause);
	is_int(n, 6, "six events read back");
	is_int(s.events, 6, "callback per event");
	is_str(s.file_version, TFEVENTS_FILE_VERSION, "file_version event");
	is_str(s.log.buf,
	    "1001 0 loss=0.5;1002 1 loss=0.25;1003 1 val/acc=0.75;"
	    "1004 300 big step=-2;1005 -1 neg=1;",
	    "wall times, steps, tags and values");

	/* The first record is laid out as TensorFlow writes it. */
	ok(strbuf_read_file(&data, path, NULL) == 0, "read raw file");
	ok(data.len > 16 && (unsigned char)data.buf[0] == 24 &&
	    data.buf[1] == 0 && data.buf[7] == 0,
	    "little-endian length of the first event (24 bytes)");
	ok(data.len > 16 && data.buf[12] == 0x09 && data.buf[21] == 0x1a,
	    "wall_time is field 1 (fixed64), file_version field 3");

	/* A writer still at work: a partial last record ends the file. */
	append_bytes(path, "\x10\0\0", 3);
	strbuf_reset(&s.log);
	s.events = 0;
	n = tfevents_read(path, collect, &s, &cause);
	is_int(n, 6, "a truncated last record is not an error");

	/* Corruption is. */
	data.buf[30] ^= 0x55;
	ok(write_file_atomic(path, data.buf, data.len, NULL) == 0, "rewrite");
	n = tfevents_read(path, collect, &s, &cause);
	ok(n == -1 && cause != NULL && strstr(cause, "checksum") != NULL,
	    "a flipped byte is a checksum error: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	data.buf[30] ^= 0x55;
	data.buf[3] = 1;
	ok(write_file_atomic(path, data.buf, data.len, NULL) == 0, "rewrite");
	n = tfevents_read(path, collect, &s, &cause);
	ok(n == -1 && cause != NULL && strstr(cause, "length") != NULL,
	    "a bad length is caught by its checksum: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	data.buf[3] = 0;
	ok(write_file_atomic(path, data.buf, data.len, NULL) == 0, "rewrite");
	n = tfevents_read(path, stop_early, &stops, &cause);
	ok(n == -1 && cause == NULL && stops == 2,
	    "the callback can stop reading");

	n = tfevents_read("/nonexistent/x", collect, &s, &cause);
	ok(n == -1 && cause != NULL &&
	    strcmp(cause, "/nonexistent/x: No such file or directory") == 0,
	    "a missing file is an error: %s", cause != NULL ? cause : "(none)");
	free(cause);

	strbuf_release(&data);
	strbuf_release(&s.log);
	free(s.file_version);
	rm_rf(dir, NULL);
	free(path);
	test_text();
	return done_testing();
}
