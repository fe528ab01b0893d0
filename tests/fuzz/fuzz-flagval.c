/*
 * fuzz-flagval.c: libFuzzer target for flag values: decoding NAME=VAL
 * text (every declared type), coercion to a flag's type, flag functions
 * (range, linspace, logspace, uniform, [a:b]), list repetition, the
 * encodings back to text, labels, and batch trials.
 *
 * The first byte chooses the type, force, the optimizer and the seed; the
 * rest is lines, each a value and an assignment. Besides crashes, leaks
 * and hangs, it checks what value.h promises: a decoded value written
 * as YAML (value_encode_yaml, value_encode_flow) reads back the same.
 */
#include "common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "flags.h"
#include "fuzz.h"
#include "guildfile.h"
#include "strbuf.h"
#include "strvec.h"
#include "value.h"
#include "yamlnode.h"

#define MAX_LINES	8

static const char guild_yml[] =
	"train:\n"
	"  main: train\n"
	"  label: '${lr|%.3f} ${opt|default:x} ${data|basename} "
	    "${words|unquote} ${default_label}'\n"
	"  flags:\n"
	"    lr: {type: float, default: 0.1, min: 0.0001, max: 1}\n"
	"    epochs: {type: int, default: 10, min: 1}\n"
	"    bs: {type: number, default: 32, alias: b}\n"
	"    opt:\n"
	"      type: string\n"
	"      default: adam\n"
	"      choices:\n"
	"        - adam\n"
	"        - {value: sgd, flags: {momentum: 0.9}}\n"
	"        - {value: rms, alias: r}\n"
	"    momentum: {type: float}\n"
	"    data: {type: path}\n"
	"    there: {type: existing-path}\n"
	"    debug: {type: boolean, default: no, arg-switch: yes}\n"
	"    layers: {type: int, default: '1,2', arg-split: ','}\n"
	"    words: {default: 'a b', arg-split: shlex}\n"
	"    secret: {type: string, default: s3, arg-skip: yes, "
	    "env-name: MY_SECRET}\n"
	"    auto: {default: 1e-05, arg-name: drop}\n"
	"    enc: {default: no, arg-encoding: {yes: 'Y', no: ''}}\n"
	"    mode: {default: train, choices: [train, eval, 1, 2.5]}\n";

static struct guildfile	*gf;
static struct opdef	*op;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	*cause = NULL;

	(void)argc;
	(void)argv;
	if (gf != NULL)
		return 0;
	warn_set_sink(fuzz_discard, NULL);
	gf = guildfile_load_buf(guild_yml, strlen(guild_yml), "guild.yml",
	    "/nonexistent-fuzz-dir", &cause);
	if (gf == NULL || (op = opspec_resolve(gf, "train", &cause)) == NULL) {
		fprintf(stderr, "fuzz-flagval: %s\n", cause);
		abort();
	}
	return 0;
}

/* Equal, with NaN equal to itself and maps in any key order. */
static bool
same(const struct value *a, const struct value *b)
{
	size_t	i;

	if (a->type != b->type)
		return false;
	switch (a->type) {
	case VALUE_NULL:
		return true;
	case VALUE_BOOL:
		return a->u.b == b->u.b;
	case VALUE_INT:
		return a->u.i == b->u.i;
	case VALUE_FLOAT:
		if (isnan(a->u.f))
			return isnan(b->u.f);
		return a->u.f == b->u.f && signbit(a->u.f) == signbit(b->u.f);
	case VALUE_STRING:
		return strcmp(a->u.s, b->u.s) == 0;
	case VALUE_LIST:
		if (a->u.list.n != b->u.list.n)
			return false;
		for (i = 0; i < a->u.list.n; i++) {
			if (!same(a->u.list.v[i], b->u.list.v[i]))
				return false;
		}
		return true;
	case VALUE_MAP:
		if (a->u.map.n != b->u.map.n)
			return false;
		for (i = 0; i < a->u.map.n; i++) {
			const struct value *bv = value_map_get(b, a->u.map.k[i]);

			if (bv == NULL || !same(a->u.map.v[i], bv))
				return false;
		}
		return true;
	}
	return false;
}

static bool
utf8_ok(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned		 c, n, i;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 1, c = *p & 0x1f;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2, c = *p & 0x0f;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 3, c = *p & 0x07;
		else
			return false;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			c = c << 6 | (p[i] & 0x3f);
		}
		if ((n == 2 && c < 0x800) || (n == 3 && (c < 0x10000 ||
		    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
			return false;
		p += n + 1;
	}
	return true;
}

/* Text that YAML (and so PyYAML) can carry at all: valid UTF-8 strings. */
static bool
yaml_safe(const struct value *v)
{
	size_t	i;

	switch (v->type) {
	case VALUE_STRING:
		return utf8_ok(v->u.s);
	case VALUE_LIST:
		for (i = 0; i < v->u.list.n; i++) {
			if (!yaml_safe(v->u.list.v[i]))
				return false;
		}
		return true;
	case VALUE_MAP:
		for (i = 0; i < v->u.map.n; i++) {
			if (!utf8_ok(v->u.map.k[i]) ||
			    !yaml_safe(v->u.map.v[i]))
				return false;
		}
		return true;
	default:
		return true;
	}
}

static void
roundtrip(const struct value *v, bool flow)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*back;
	char		*cause = NULL;

	if (flow)
		value_encode_flow(&sb, v);
	else
		value_encode_yaml(&sb, v);
	FUZZ_ASSERT(!flow || strchr(sb.buf, '\n') == NULL);
	back = yaml_parse_value(sb.buf, sb.len, &cause);
	if (back == NULL || !same(v, back))
		fprintf(stderr, "wrote: %s\nread: %s\n", sb.buf,
		    back == NULL ? cause : "another value");
	FUZZ_ASSERT(back != NULL && same(v, back));
	value_free(back);
	strbuf_release(&sb);
}

static void
one_value(const char *text, enum flag_type type)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*v, *c, *args = NULL, *list = NULL;
	char		*cause = NULL, *name = NULL, *val = NULL;
	size_t		 i;

	v = flag_decode(text, type);
	FUZZ_ASSERT(v != NULL);
	value_format_flag(&sb, v);
	FUZZ_ASSERT(strchr(sb.buf, '\n') == NULL);
	strbuf_reset(&sb);
	flag_format(&sb, v, true);
	flag_format(&sb, v, false);
	value_format_py(&sb, v, true);
	if (yaml_safe(v)) {
		roundtrip(v, false);
		roundtrip(v, true);
	}
	/*
	 * Coerced to every flag's type, with its choices and bounds. Not for
	 * a long sequence (range[0:500:.02]): formatting 25,000 floats a
	 * dozen times is slow under the sanitizers, and finds nothing more.
	 */
	for (i = 0; i < op->nflags && !(v->type == VALUE_LIST &&
	    v->u.list.n > 1000); i++) {
		c = flag_coerce(op->flags[i], v, &cause);
		FUZZ_ASSERT((c == NULL) == (cause != NULL));
		if (c != NULL)
			flag_encode_arg(&sb, op->flags[i], c);
		value_free(c);
		free(cause);
		cause = NULL;
	}
	value_free(v);

	if (flag_function_parse(text, &name, &args)) {
		FUZZ_ASSERT(args != NULL && args->type == VALUE_LIST);
		if (flag_function_expand(name, args, &list, &cause) == -1)
			FUZZ_ASSERT(cause != NULL);
		else
			FUZZ_ASSERT(cause == NULL);
		value_free(list);
		free(cause);
		cause = NULL;
		free(name);
		value_free(args);
	}
	if (flag_assign_split(text, &name, &val, &cause) == 0) {
		FUZZ_ASSERT(strchr(name, '=') == NULL);
		free(name);
		free(val);
	} else {
		FUZZ_ASSERT(cause != NULL);
		free(cause);
	}
	strbuf_release(&sb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const optimizers[] = { NULL, "+", "random", "x" };
	struct strvec	 lines = STRVEC_INIT, out = STRVEC_INIT;
	struct value	*flags = NULL, *user = NULL, *trials = NULL;
	enum batch_kind	 kind;
	char		*text, *line, *next, *cause = NULL, *s;
	unsigned	 sel = size > 0 ? data[0] : 0;
	size_t		 i;
	int		 rc;

	if (gf == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (size > 0) {
		data++;
		size--;
	}
	text = fuzz_cstr(data, size);
	for (line = text; line != NULL && lines.n < MAX_LINES; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		strvec_push(&lines, line);
	}
	for (i = 0; i < lines.n; i++)
		one_value(lines.v[i], (enum flag_type)(sel % 8));

	/* The lines as the assignments of a run. */
	rc = flags_resolve(op, (const char *const *)lines.v, lines.n,
	    sel & 0x08, &flags, &user, &cause);
	FUZZ_ASSERT((rc == -1) == (cause != NULL));
	if (rc == 0) {
		flags_args(op, flags, FLAGS_DEST_ARGS, NULL, &out);
		flags_args(op, flags, FLAGS_DEST_GLOBALS, NULL, &out);
		flags_env(op, flags, &out);
		free(flags_default_label(flags));
		free(flags_label(op->label, flags));
		free(flags_label(lines.v[0], flags));
		free(batch_trial_desc(op, flags));
		if (batch_kind(op, user, 0, optimizers[sel >> 4 & 3], &kind,
		    &cause) == 0 && kind != BATCH_NONE) {
			if (batch_trials(op, user, NULL, kind, sel >> 6,
			    sel, &trials, &cause) == 0) {
				FUZZ_ASSERT(trials->type == VALUE_LIST);
				for (i = 0; i < trials->u.list.n; i++) {
					s = batch_trial_desc(op,
					    trials->u.list.v[i]);
					free(s);
				}
			}
		}
		free(cause);
		value_free(trials);
	} else
		free(cause);
	value_free(flags);
	value_free(user);
	strvec_clear(&out);
	strvec_clear(&lines);
	free(text);
	return 0;
}
