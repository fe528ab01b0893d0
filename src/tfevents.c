/* tfevents.c: TFRecord event files: a scalar writer and a reader. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32c.h"
#include "strbuf.h"
#include "strvec.h"
#include "tfevents.h"
#include "util.h"

/* A record longer than this is taken for corruption, not read into memory. */
#define TFEVENTS_RECORD_MAX	(256u * 1024 * 1024)

/* tensorboard's text summaries: TAG + this (Guild cuts it). */
#define TEXT_SUFFIX	"/text_summary"

uint32_t
tfevents_crc32c(const void *buf, size_t len)
{
	return crc32c_update(0, buf, len);
}

uint32_t
tfevents_mask_crc(uint32_t crc)
{
	return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

char *
tfevents_file_name(double wall_time, const char *suffix)
{
	return xasprintf("events.out.tfevents.%010lld.%s",
	    (long long)wall_time, suffix);
}

/* Protocol buffer encoding: just what an Event needs. */

static void
pb_varint(struct strbuf *sb, uint64_t v)
{
	while (v >= 0x80) {
		strbuf_addch(sb, (int)((v & 0x7f) | 0x80));
		v >>= 7;
	}
	strbuf_addch(sb, (int)v);
}

static void
pb_key(struct strbuf *sb, unsigned field, unsigned wire)
{
	pb_varint(sb, ((uint64_t)field << 3) | wire);
}

static void
pb_fixed(struct strbuf *sb, uint64_t v, int bytes)
{
	int	i;

	for (i = 0; i < bytes; i++)
		strbuf_addch(sb, (int)((v >> (8 * i)) & 0xff));
}

static void
pb_bytes(struct strbuf *sb, unsigned field, const void *p, size_t len)
{
	pb_key(sb, field, 2);
	pb_varint(sb, len);
	strbuf_add(sb, p, len);
}

static void
pb_double(struct strbuf *sb, unsigned field, double d)
{
	uint64_t	bits;

	memcpy(&bits, &d, sizeof bits);
	pb_key(sb, field, 1);
	pb_fixed(sb, bits, 8);
}

static void
put_le(unsigned char *p, uint64_t v, int bytes)
{
	int	i;

	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)((v >> (8 * i)) & 0xff);
}

static uint64_t
get_le(const unsigned char *p, int bytes)
{
	uint64_t	v = 0;
	int		i;

	for (i = bytes - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

struct tfevents {
	int	 fd;
	char	*path;
	char	*error;		/* the first failed write */
};

/* Frame a payload as a TFRecord and write it in one go. */
static int
write_record(struct tfevents *tf, const struct strbuf *payload, char **cause)
{
	struct strbuf	 rec = STRBUF_INIT;
	unsigned char	 head[12], tail[4];
	const char	*p;
	size_t		 left;
	ssize_t		 n;

	if (tf->error != NULL)
		return set_cause(cause, "%s", tf->error);
	put_le(head, payload->len, 8);
	put_le(head + 8, tfevents_mask_crc(tfevents_crc32c(head, 8)), 4);
	put_le(tail, tfevents_mask_crc(tfevents_crc32c(payload->buf,
	    payload->len)), 4);
	strbuf_add(&rec, head, sizeof head);
	strbuf_add(&rec, payload->buf, payload->len);
	strbuf_add(&rec, tail, sizeof tail);
	p = rec.buf;
	left = rec.len;
	while (left > 0) {
		n = write(tf->fd, p, left);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			tf->error = xasprintf("%s: %s", tf->path,
			    n == 0 ? "short write" : strerror(errno));
			strbuf_release(&rec);
			return set_cause(cause, "%s", tf->error);
		}
		p += n;
		left -= (size_t)n;
	}
	strbuf_release(&rec);
	return 0;
}

struct tfevents *
tfevents_create(const char *path, double wall_time, char **cause)
{
	struct tfevents	*tf;
	struct strbuf	 ev = STRBUF_INIT;
	int		 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	tf = xcalloc(1, sizeof *tf);
	tf->fd = fd;
	tf->path = xstrdup(path);
	pb_double(&ev, 1, wall_time);
	pb_bytes(&ev, 3, TFEVENTS_FILE_VERSION, strlen(TFEVENTS_FILE_VERSION));
	if (write_record(tf, &ev, cause) == -1) {
		strbuf_release(&ev);
		tfevents_close(tf, NULL);
		return NULL;
	}
	strbuf_release(&ev);
	return tf;
}

int
tfevents_add_scalar(struct tfevents *tf, double wall_time, long long step,
    const char *tag, float value, char **cause)
{
	struct strbuf	 val = STRBUF_INIT, sum = STRBUF_INIT, ev = STRBUF_INIT;
	uint32_t	 bits;
	int		 rc;

	memcpy(&bits, &value, sizeof bits);
	pb_bytes(&val, 1, tag, strlen(tag));
	pb_key(&val, 2, 5);
	pb_fixed(&val, bits, 4);
	pb_bytes(&sum, 1, val.buf, val.len);
	pb_double(&ev, 1, wall_time);
	pb_key(&ev, 2, 0);
	pb_varint(&ev, (uint64_t)step);	/* int64: two's complement */
	pb_bytes(&ev, 5, sum.buf, sum.len);
	rc = write_record(tf, &ev, cause);
	strbuf_release(&val);
	strbuf_release(&sum);
	strbuf_release(&ev);
	return rc;
}

int
tfevents_add_text(struct tfevents *tf, double wall_time, long long step,
    const char *tag, const char *text, char **cause)
{
	struct strbuf	 val = STRBUF_INIT, sum = STRBUF_INIT, ev = STRBUF_INIT;
	struct strbuf	 t = STRBUF_INIT, md = STRBUF_INIT, pd = STRBUF_INIT;
	int		 rc;

	/* Value { tag; metadata { plugin_data { plugin_name: "text" } } */
	strbuf_addstr(&t, tag);
	strbuf_addstr(&t, TEXT_SUFFIX);
	pb_bytes(&val, 1, t.buf, t.len);
	pb_bytes(&pd, 1, "text", 4);
	pb_bytes(&md, 1, pd.buf, pd.len);
	pb_bytes(&val, 9, md.buf, md.len);
	/* tensor { dtype: DT_STRING; tensor_shape {}; string_val } */
	strbuf_reset(&t);
	pb_key(&t, 1, 0);
	pb_varint(&t, 7);
	pb_bytes(&t, 2, "", 0);
	pb_bytes(&t, 8, text, strlen(text));
	pb_bytes(&val, 8, t.buf, t.len);
	pb_bytes(&sum, 1, val.buf, val.len);
	pb_double(&ev, 1, wall_time);
	pb_key(&ev, 2, 0);
	pb_varint(&ev, (uint64_t)step);
	pb_bytes(&ev, 5, sum.buf, sum.len);
	rc = write_record(tf, &ev, cause);
	strbuf_release(&val);
	strbuf_release(&sum);
	strbuf_release(&ev);
	strbuf_release(&t);
	strbuf_release(&md);
	strbuf_release(&pd);
	return rc;
}

int
tfevents_close(struct tfevents *tf, char **cause)
{
	int	rc = 0;

	if (tf == NULL)
		return 0;
	if (close(tf->fd) == -1 && tf->error == NULL)
		tf->error = xasprintf("%s: %s", tf->path, strerror(errno));
	if (tf->error != NULL)
		rc = set_cause(cause, "%s", tf->error);
	free(tf->error);
	free(tf->path);
	free(tf);
	return rc;
}

/* Protocol buffer decoding. */

struct pb {
	const unsigned char	*p, *end;
};

static int
pb_read_varint(struct pb *b, uint64_t *out)
{
	uint64_t	v = 0;
	int		shift;

	for (shift = 0; shift < 64; shift += 7) {
		if (b->p >= b->end)
			return -1;
		v |= (uint64_t)(*b->p & 0x7f) << shift;
		if ((*b->p++ & 0x80) == 0) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

/*
 * The next field: its number and wire type, and for length-delimited
 * fields the bytes (sub), for fixed ones the raw value in *num.
 */
static int
pb_next(struct pb *b, unsigned *field, unsigned *wire, uint64_t *num,
    struct pb *sub)
{
	uint64_t	key, len;

	if (pb_read_varint(b, &key) == -1 || (key >> 3) == 0 ||
	    (key >> 3) > 0x1fffffff)
		return -1;
	*field = (unsigned)(key >> 3);
	*wire = (unsigned)(key & 7);
	switch (*wire) {
	case 0:
		return pb_read_varint(b, num);
	case 1:
		if (b->end - b->p < 8)
			return -1;
		*num = get_le(b->p, 8);
		b->p += 8;
		return 0;
	case 5:
		if (b->end - b->p < 4)
			return -1;
		*num = get_le(b->p, 4);
		b->p += 4;
		return 0;
	case 2:
		if (pb_read_varint(b, &len) == -1 ||
		    len > (uint64_t)(b->end - b->p))
			return -1;
		sub->p = b->p;
		sub->end = b->p + len;
		b->p += len;
		return 0;
	default:
		/* Groups (3, 4) are not used by Event. */
		return -1;
	}
}

struct decoded {
	struct strvec	 tags;
	double		*values;
	size_t		 n, alloc;
	char		*file_version;
	struct strvec	 text_tags;
	struct strvec	 texts;
};

/*
 * A text tensor (DT_STRING, 7): its string_vals joined, as Guild 0.9
 * reads a logged attr (guild/tfevent.py); NULL when it is not one.
 */
static char *
decode_text(struct pb b)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct pb	 sub;
	unsigned	 field, wire;
	uint64_t	 num, dtype = 0;

	while (b.p < b.end) {
		if (pb_next(&b, &field, &wire, &num, &sub) == -1) {
			strbuf_release(&sb);
			return NULL;
		}
		if (field == 1 && wire == 0)
			dtype = num;
		else if (field == 8 && wire == 2)
			strbuf_add(&sb, sub.p, (size_t)(sub.end - sub.p));
	}
	if (dtype != 7) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/*
 * A TensorProto's one float (DT_FLOAT, 1) or double (DT_DOUBLE, 2): what
 * TF2's scalar summaries write (plugin "scalars", shape [] or [1]), from
 * tensor_content or float_val/double_val, packed or not. Guild 0.9 takes
 * any float tensor of one element (numpy's item()); anything else is not
 * a scalar.
 */
static bool
decode_tensor(struct pb b, double *out)
{
	struct pb	 sub, dim, db;
	unsigned	 field, wire, f2, w2, f3, w3;
	uint64_t	 num, n2, n3, dtype = 0, bits;
	long long	 elems = 1;
	size_t		 nvals = 0;
	const unsigned char *content = NULL;
	size_t		 clen = 0;
	double		 v = 0;
	float		 f;
	uint32_t	 b32;

	while (b.p < b.end) {
		if (pb_next(&b, &field, &wire, &num, &sub) == -1)
			return false;
		if (field == 1 && wire == 0)
			dtype = num;
		else if (field == 2 && wire == 2) {
			while (sub.p < sub.end) {
				if (pb_next(&sub, &f2, &w2, &n2, &dim) == -1)
					return false;
				if (f2 == 3 && w2 == 0 && n2 != 0)
					return false;	/* unknown rank */
				if (f2 != 2 || w2 != 2)
					continue;
				n3 = 0;
				while (dim.p < dim.end) {
					if (pb_next(&dim, &f3, &w3, &bits,
					    &db) == -1)
						return false;
					if (f3 == 1 && w3 == 0)
						n3 = bits;
				}
				/* -1 (unknown) and anything but 1 or 0. */
				if (n3 > 1)
					return false;
				elems *= (long long)n3;
			}
		} else if (field == 4 && wire == 2) {
			content = sub.p;
			clen = (size_t)(sub.end - sub.p);
		} else if (field == 5 && wire == 5) {
			b32 = (uint32_t)num;
			memcpy(&f, &b32, sizeof f);
			v = f;
			nvals++;
		} else if (field == 5 && wire == 2) {
			for (; sub.end - sub.p >= 4; sub.p += 4, nvals++) {
				b32 = (uint32_t)get_le(sub.p, 4);
				memcpy(&f, &b32, sizeof f);
				v = f;
			}
		} else if (field == 6 && wire == 1) {
			memcpy(&v, &num, sizeof v);
			nvals++;
		} else if (field == 6 && wire == 2) {
			for (; sub.end - sub.p >= 8; sub.p += 8, nvals++) {
				bits = get_le(sub.p, 8);
				memcpy(&v, &bits, sizeof v);
			}
		}
	}
	if ((dtype != 1 && dtype != 2) || elems != 1)
		return false;
	if (content != NULL && clen > 0) {
		if (clen != (dtype == 1 ? 4u : 8u))
			return false;
		if (dtype == 1) {
			b32 = (uint32_t)get_le(content, 4);
			memcpy(&f, &b32, sizeof f);
			v = f;
		} else {
			bits = get_le(content, 8);
			memcpy(&v, &bits, sizeof v);
		}
	} else if (nvals != 1)
		return false;
	*out = v;
	return true;
}

static int
decode_value(struct pb b, struct decoded *d)
{
	struct pb	 sub;
	unsigned	 field, wire;
	uint64_t	 num;
	char		*tag = NULL, *text = NULL;
	bool		 scalar = false, tensor = false;
	double		 v = 0;
	float		 f;
	uint32_t	 bits;

	while (b.p < b.end) {
		if (pb_next(&b, &field, &wire, &num, &sub) == -1) {
			free(tag);
			free(text);
			return -1;
		}
		if (field == 1 && wire == 2) {
			free(tag);
			tag = xstrndup((const char *)sub.p,
			    (size_t)(sub.end - sub.p));
		} else if (field == 2 && wire == 5) {
			bits = (uint32_t)num;
			memcpy(&f, &bits, sizeof f);
			/* Guild prefers a tensor when a value has both. */
			if (!tensor) {
				v = f;
				scalar = true;
			}
		} else if (field == 8 && wire == 2) {
			tensor = true;
			scalar = decode_tensor(sub, &v);
			if (!scalar) {
				free(text);
				text = decode_text(sub);
			}
		}
	}
	if (text != NULL && tag != NULL) {
		size_t	tl = strlen(tag), sl = strlen(TEXT_SUFFIX);

		/* tensorboard's text summaries name it TAG/text_summary. */
		if (tl > sl && strcmp(tag + tl - sl, TEXT_SUFFIX) == 0)
			tag[tl - sl] = '\0';
		strvec_push(&d->text_tags, tag);
		strvec_push_nodup(&d->texts, text);
		text = NULL;
	}
	free(text);
	if (scalar && tag != NULL) {
		XGROW(d->values, d->alloc, d->n + 1);
		d->values[d->n++] = v;
		strvec_push_nodup(&d->tags, tag);
	} else
		free(tag);
	return 0;
}

static int
decode_event(const unsigned char *buf, size_t len, struct tfevents_event *ev,
    struct decoded *d)
{
	struct pb	 b = { buf, buf + len }, sub, sb;
	unsigned	 field, wire, f2, w2;
	uint64_t	 num, n2;

	memset(ev, 0, sizeof *ev);
	while (b.p < b.end) {
		if (pb_next(&b, &field, &wire, &num, &sub) == -1)
			return -1;
		if (field == 1 && wire == 1)
			memcpy(&ev->wall_time, &num, sizeof ev->wall_time);
		else if (field == 2 && wire == 0)
			ev->step = (long long)num;
		else if (field == 3 && wire == 2) {
			free(d->file_version);
			d->file_version = xstrndup((const char *)sub.p,
			    (size_t)(sub.end - sub.p));
		} else if (field == 5 && wire == 2) {
			while (sub.p < sub.end) {
				if (pb_next(&sub, &f2, &w2, &n2, &sb) == -1)
					return -1;
				if (f2 == 1 && w2 == 2 &&
				    decode_value(sb, d) == -1)
					return -1;
			}
		}
	}
	ev->file_version = d->file_version;
	ev->nvalues = d->n;
	ev->tags = (const char *const *)d->tags.v;
	ev->values = d->values;
	ev->ntexts = d->texts.n;
	ev->text_tags = (const char *const *)d->text_tags.v;
	ev->texts = (const char *const *)d->texts.v;
	return 0;
}

static void
decoded_reset(struct decoded *d)
{
	strvec_clear(&d->tags);
	strvec_clear(&d->text_tags);
	strvec_clear(&d->texts);
	d->n = 0;
	free(d->file_version);
	d->file_version = NULL;
}

/*
 * An event file read in chunks of READ_CHUNK (or a record's size), by
 * pread, up to the size it had when opened: what a writer adds later is
 * for the next read. A small file is one read.
 */
#define READ_CHUNK	(256u * 1024)

struct rbuf {
	int		 fd;
	unsigned char	*buf;
	size_t		 cap, pos, have;	/* unread: buf[pos, have) */
	uint64_t	 at, limit;		/* file offsets: next, end */
};

/* n unread bytes at buf + pos: 1, or 0 when the file has fewer, or -1. */
static int
rbuf_need(struct rbuf *r, size_t n)
{
	size_t	want;
	ssize_t	got;

	if (r->have - r->pos >= n)
		return 1;
	if ((uint64_t)(r->have - r->pos) + (r->limit - r->at) < n)
		return 0;
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->have - r->pos);
		r->have -= r->pos;
		r->pos = 0;
	}
	want = n > READ_CHUNK ? n : READ_CHUNK;
	if (want - r->have > r->limit - r->at)
		want = r->have + (size_t)(r->limit - r->at);
	if (want > r->cap) {
		r->buf = xrealloc(r->buf, want);
		r->cap = want;
	}
	while (r->have < want) {
		got = pread(r->fd, r->buf + r->have, want - r->have,
		    (off_t)r->at);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1)
			return -1;
		if (got == 0) {
			/* Cut since it was opened. */
			r->limit = r->at;
			break;
		}
		r->have += (size_t)got;
		r->at += (uint64_t)got;
	}
	return r->have - r->pos >= n ? 1 : 0;
}

long long
tfevents_read_from(const char *path, uint64_t start, tfevents_cb cb,
    void *arg, uint64_t *end, char **cause)
{
	const unsigned char	*head, *payload;
	struct rbuf		 r;
	struct stat		 st;
	uint64_t		 len, off = start;
	long long		 count = 0, rc = -1;
	struct tfevents_event	 ev;
	struct decoded		 d;
	int			 k;

	if (end != NULL)
		*end = start;
	memset(&r, 0, sizeof r);
	/* Event files are found in run directories: regular ones only. */
	if ((r.fd = file_open_regular(AT_FDCWD, path, 0, &st, cause)) == -1)
		return -1;
	if (start > (uint64_t)INT64_MAX) {
		close(r.fd);
		return set_cause(cause, "%s: %s", path, strerror(EINVAL));
	}
	r.at = start;
	r.limit = st.st_size > 0 && (uint64_t)st.st_size > start ?
	    (uint64_t)st.st_size : start;
	memset(&d, 0, sizeof d);
	for (;;) {
		/* The end of the file, or a record still being written. */
		if ((k = rbuf_need(&r, 12)) <= 0) {
			rc = k == 0 ? count : set_cause(cause, "%s: %s", path,
			    strerror(errno));
			break;
		}
		head = r.buf + r.pos;
		if (get_le(head + 8, 4) !=
		    tfevents_mask_crc(tfevents_crc32c(head, 8))) {
			set_cause(cause, "%s: bad record length checksum "
			    "at offset %llu", path, (unsigned long long)off);
			break;
		}
		len = get_le(head, 8);
		if (len > TFEVENTS_RECORD_MAX) {
			set_cause(cause, "%s: record at offset %llu is too "
			    "large", path, (unsigned long long)off);
			break;
		}
		if ((k = rbuf_need(&r, 12 + (size_t)len + 4)) <= 0) {
			rc = k == 0 ? count : set_cause(cause, "%s: %s", path,
			    strerror(errno));
			break;
		}
		payload = r.buf + r.pos + 12;
		if (get_le(payload + len, 4) !=
		    tfevents_mask_crc(tfevents_crc32c(payload, len))) {
			set_cause(cause, "%s: bad record checksum at offset "
			    "%llu", path, (unsigned long long)off);
			break;
		}
		decoded_reset(&d);
		if (decode_event(payload, len, &ev, &d) == -1) {
			set_cause(cause, "%s: malformed event at offset %llu",
			    path, (unsigned long long)off);
			break;
		}
		count++;
		r.pos += 12 + (size_t)len + 4;
		off += 12 + len + 4;
		if (end != NULL)
			*end = off;
		if (cb != NULL && cb(&ev, arg) == -1)
			break;
	}
	decoded_reset(&d);
	free(d.values);
	free(r.buf);
	close(r.fd);
	return rc;
}

long long
tfevents_read(const char *path, tfevents_cb cb, void *arg, char **cause)
{
	return tfevents_read_from(path, 0, cb, arg, NULL, cause);
}
