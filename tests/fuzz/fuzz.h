/*
 * fuzz.h: what the libFuzzer targets share. Each target defines
 * LLVMFuzzerTestOneInput (and LLVMFuzzerInitialize when it needs a
 * fixture); under clang libFuzzer drives it, under any compiler
 * replay.c feeds it the files of its corpus for `make check`.
 */
#ifndef GUILD_FUZZ_H
#define GUILD_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

/*
 * An invariant the code promises. A violation traps (libFuzzer and the
 * replay both report a crash), after saying which one on stderr.
 */
#define FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant violated: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		__builtin_trap();					\
	}								\
} while (0)

/* The input as a C string (up to its first NUL). Caller frees. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char	*s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Warnings of the core go nowhere: fuzz inputs make plenty. */
static inline void
fuzz_discard(const char *msg, void *arg)
{
	(void)msg;
	(void)arg;
}

#endif
