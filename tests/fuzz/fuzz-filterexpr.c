/*
 * fuzz-filterexpr.c: libFuzzer target for run filter expressions (-F).
 *
 * Any text parses or fails with a cause; what parses evaluates, against
 * a fixed fake run, to the same answer every time, and "not (E)" parses
 * too and gives the opposite answer.
 */
#include "common.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "filterexpr.h"
#include "fuzz.h"
#include "strbuf.h"
#include "value.h"
#include "yamlnode.h"

static struct value	*attrs, *flags, *scalars;

static struct value *
map(const char *text)
{
	char		*cause = NULL;
	struct value	*v = yaml_parse_value(text, strlen(text), &cause);

	FUZZ_ASSERT(v != NULL);
	return v;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	warn_set_sink(fuzz_discard, NULL);
	attrs = map("id: abcd1234\nstarted: 1661354455107621\n"
	    "label: hello world a=1\nl: [1, two, 3.0, [x], null, true]\n"
	    "status: completed\ntags: [red, green]\nop: train\nm: {a: 1}\n");
	flags = map("a: 1\nb: 1.2\nc: red\nd: true\nid: 4321dcba\ne: null\n"
	    "nan: .nan\ninf: .inf\nbig: 9223372036854775807\n"
	    "neg: -9223372036854775808\ns: ''\nu: \"\\u00e9t\\u00e9\"\n");
	scalars = map("x: 0.456\ny: 1.123\nb: 1.3\nloss: 0.25\nacc: -0.0\n");
	return 0;
}

static const struct value *
lookup(enum filterexpr_source src, const char *name, void *arg,
    struct value **owned)
{
	const struct value	*v = NULL;
	unsigned		*calls = arg;

	switch (src) {
	case FILTEREXPR_ANY:
		if ((v = value_map_get(attrs, name)) == NULL &&
		    (v = value_map_get(flags, name)) == NULL)
			v = value_map_get(scalars, name);
		break;
	case FILTEREXPR_ATTR:
		v = value_map_get(attrs, name);
		break;
	case FILTEREXPR_FLAG:
		v = value_map_get(flags, name);
		break;
	case FILTEREXPR_SCALAR:
		v = value_map_get(scalars, name);
		break;
	}
	/* Every other value is made for the call, so both paths run. */
	if (v != NULL && (*calls)++ % 2 == 0) {
		*owned = value_dup(v);
		return *owned;
	}
	return v;
}

static void
count_name(enum filterexpr_source src, const char *name, void *arg)
{
	FUZZ_ASSERT(src <= FILTEREXPR_SCALAR);
	FUZZ_ASSERT(name != NULL);
	(*(size_t *)arg)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filterexpr	*fx, *nfx;
	struct strbuf		 sb = STRBUF_INIT;
	char			*text = fuzz_cstr(data, size), *cause = NULL;
	unsigned		 calls = 0;
	size_t			 nnames = 0;
	bool			 r;

	if (attrs == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	fx = filterexpr_parse(text, &cause);
	if (fx == NULL) {
		FUZZ_ASSERT(cause != NULL && *cause != '\0');
		free(cause);
		free(text);
		return 0;
	}
	FUZZ_ASSERT(cause == NULL);
	filterexpr_names(fx, count_name, &nnames);
	r = filterexpr_eval(fx, lookup, &calls);
	FUZZ_ASSERT(filterexpr_eval(fx, lookup, &calls) == r);

	/* The negation, parenthesised: a newline keeps a trailing word apart. */
	strbuf_addf(&sb, "not (%s\n)", text);
	nfx = filterexpr_parse(sb.buf, &cause);
	if (nfx == NULL) {
		/* Two more levels may pass the nesting limit, nothing else. */
		if (strstr(cause, "nesting deeper than") == NULL)
			fprintf(stderr, "%s\n", cause);
		FUZZ_ASSERT(strstr(cause, "nesting deeper than") != NULL);
		free(cause);
	} else {
		FUZZ_ASSERT(filterexpr_eval(nfx, lookup, &calls) == !r);
		filterexpr_free(nfx);
	}
	strbuf_release(&sb);
	filterexpr_free(fx);
	free(text);
	return 0;
}
