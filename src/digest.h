/*
 * digest.h: MD5, SHA-1 and SHA-256 as lowercase hex strings.
 *
 * Guild uses MD5 for the guild.yml version in opref and for
 * sourcecode_digest, SHA-1 in the manifest and SHA-256 for resource
 * sources. This is the only module that includes libmd's headers.
 *
 *	struct digest *d = digest_new(DIGEST_MD5);
 *	digest_update(d, buf, len);
 *	hex = digest_end(d);		// frees d; caller frees hex
 */
#ifndef GUILD_DIGEST_H
#define GUILD_DIGEST_H

#include <stddef.h>

enum digest_algo {
	DIGEST_MD5,
	DIGEST_SHA1,
	DIGEST_SHA256,
};

struct digest;

struct digest	*digest_new(enum digest_algo);
void		 digest_update(struct digest *, const void *, size_t);
/* Feed a whole file, read in chunks; -1 with cause (d stays usable). */
int		 digest_update_file(struct digest *, const char *path,
		    char **cause);
/* Finish: the hex digest (caller frees); d is freed. */
char		*digest_end(struct digest *);
/* Discard an unfinished digest. */
void		 digest_free(struct digest *);

/* One-shot forms. digest_file returns NULL with cause on error. */
char		*digest_buf(enum digest_algo, const void *, size_t);
char		*digest_file(enum digest_algo, const char *path, char **cause);

/* Length of the hex form (without NUL) for an algorithm. */
size_t		 digest_hex_len(enum digest_algo);

#endif
