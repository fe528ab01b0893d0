/*
 * fuzz-guildfile.c: libFuzzer target for the guild.yml loader.
 *
 *	CC=clang configure --enable-fuzzing
 *	make tests/fuzz/fuzz-guildfile
 *	tests/fuzz/fuzz-guildfile -max_len=4096 tests/fuzz/corpus-guildfile
 *
 * Any input must give a guildfile or an error: no crash, leak, hang or
 * unbounded memory. Relative include: paths point nowhere, so a run does
 * not depend on the directory it starts in.
 */
#include "common.h"

#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"

#include "guildfile.h"
#include "value.h"
#include "yamlnode.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const specs[] = { "", "train", "a:train", ":x", "m:" };
	struct guildfile	*gf;
	struct value		*v;
	struct opdef		*op;
	char			*cause = NULL, *name;
	size_t			 i;

	warn_set_sink(fuzz_discard, NULL);
	gf = guildfile_load_buf((const char *)data, size, "guild.yml",
	    "/nonexistent-fuzz-dir", &cause);
	free(cause);
	cause = NULL;
	if (gf != NULL) {
		for (i = 0; i < ARRAY_SIZE(specs); i++) {
			op = opspec_resolve(gf, specs[i], &cause);
			if (op != NULL) {
				name = opdef_fullname(op);
				free(name);
			}
			free(cause);
			cause = NULL;
		}
		guildfile_free(gf);
	}
	v = yaml_parse_value((const char *)data, size, &cause);
	value_free(v);
	free(cause);
	return 0;
}
