/* digest.c: message digests through libmd. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <md5.h>
#include <sha1.h>
#include <sha2.h>

#include "digest.h"
#include "util.h"

struct digest {
	enum digest_algo	 algo;
	union {
		MD5_CTX		 md5;
		SHA1_CTX	 sha1;
		SHA2_CTX	 sha2;
	} ctx;
};

struct digest *
digest_new(enum digest_algo algo)
{
	struct digest	*d = xcalloc(1, sizeof *d);

	d->algo = algo;
	switch (algo) {
	case DIGEST_MD5:
		MD5Init(&d->ctx.md5);
		break;
	case DIGEST_SHA1:
		SHA1Init(&d->ctx.sha1);
		break;
	case DIGEST_SHA256:
		SHA256Init(&d->ctx.sha2);
		break;
	}
	return d;
}

void
digest_update(struct digest *d, const void *buf, size_t len)
{
	if (len == 0)
		return;
	switch (d->algo) {
	case DIGEST_MD5:
		MD5Update(&d->ctx.md5, buf, len);
		break;
	case DIGEST_SHA1:
		SHA1Update(&d->ctx.sha1, buf, len);
		break;
	case DIGEST_SHA256:
		SHA256Update(&d->ctx.sha2, buf, len);
		break;
	}
}

int
digest_update_file(struct digest *d, const char *path, char **cause)
{
	char	*buf;
	ssize_t	 n;
	int	 fd, saved;

	/* Files of runs (dependencies' sources): regular, never blocking. */
	if ((fd = file_open_regular(AT_FDCWD, path, 0, NULL, cause)) == -1)
		return -1;
	buf = xmalloc(65536);
	for (;;) {
		n = read(fd, buf, 65536);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		digest_update(d, buf, (size_t)n);
	}
	saved = errno;
	free(buf);
	close(fd);
	if (n == -1)
		return set_cause(cause, "%s: %s", path, strerror(saved));
	return 0;
}

size_t
digest_hex_len(enum digest_algo algo)
{
	switch (algo) {
	case DIGEST_MD5:
		return MD5_DIGEST_LENGTH * 2;
	case DIGEST_SHA1:
		return SHA1_DIGEST_LENGTH * 2;
	case DIGEST_SHA256:
		return SHA256_DIGEST_LENGTH * 2;
	}
	return 0;
}

char *
digest_end(struct digest *d)
{
	char	*hex = xmalloc(digest_hex_len(d->algo) + 1);

	/* The *End functions write lowercase hex and a NUL. */
	switch (d->algo) {
	case DIGEST_MD5:
		MD5End(&d->ctx.md5, hex);
		break;
	case DIGEST_SHA1:
		SHA1End(&d->ctx.sha1, hex);
		break;
	case DIGEST_SHA256:
		SHA256End(&d->ctx.sha2, hex);
		break;
	}
	free(d);
	return hex;
}

void
digest_free(struct digest *d)
{
	free(d);
}

char *
digest_buf(enum digest_algo algo, const void *buf, size_t len)
{
	struct digest	*d = digest_new(algo);

	digest_update(d, buf, len);
	return digest_end(d);
}

char *
digest_file(enum digest_algo algo, const char *path, char **cause)
{
	struct digest	*d = digest_new(algo);

	if (digest_update_file(d, path, cause) == -1) {
		digest_free(d);
		return NULL;
	}
	return digest_end(d);
}
