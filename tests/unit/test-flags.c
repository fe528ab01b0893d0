/*
 * test-flags.c: decoding, coercion, validation and encoding of flags,
 * against operations built by hand (no guild.yml).
 */
#include "common.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flags.h"
#include "strbuf.h"
#include "strvec.h"
#include "tap.h"
#include "util.h"
#include "value.h"

static char	*last_warning;

/* Warnings from the core are checked, not printed. */
static void
warn_sink(const char *msg, void *arg)
{
	free(last_warning);
	last_warning = xstrdup(msg);
}

static void
check_warning(const char *want, const char *name)
{
	is_str(last_warning, want, "warning: %s", name);
	free(last_warning);
	last_warning = NULL;
}

/* "type:flow text" of v. */
static char *
show(const struct value *v)
{
	struct strbuf	sb = STRBUF_INIT;
	static const char *const names[] = {
		"null", "bool", "int", "float", "string", "list", "map"
	};

	if (v == NULL)
		return xstrdup("(none)");
	strbuf_addf(&sb, "%s:", names[v->type]);
	value_encode_flow(&sb, v);
	return strbuf_detach(&sb, NULL);
}

static void
check_decode(const char *text, enum flag_type type, const char *want)
{
	struct value	*v;
	char		*s;

	v = flag_decode(text, type);
	s = show(v);
	is_str(s, want, "decode \"%s\" (type %d)", text, (int)type);
	free(s);
	value_free(v);
}

static void
decode_cases(void)
{
	/* Auto: the order of flag_util._default_flag_decoders(). */
	check_decode("", FLAG_TYPE_AUTO, "string:''");
	check_decode("1", FLAG_TYPE_AUTO, "int:1");
	check_decode("-3", FLAG_TYPE_AUTO, "int:-3");
	check_decode("+4", FLAG_TYPE_AUTO, "int:4");
	check_decode(" 12 ", FLAG_TYPE_AUTO, "int:12");
	check_decode("010", FLAG_TYPE_AUTO, "int:10");
	check_decode("0x10", FLAG_TYPE_AUTO, "int:16");
	check_decode("0.1", FLAG_TYPE_AUTO, "float:0.1");
	check_decode("1e-3", FLAG_TYPE_AUTO, "float:0.001");
	check_decode("1E3", FLAG_TYPE_AUTO, "float:1000.0");
	check_decode(".5", FLAG_TYPE_AUTO, "float:0.5");
	check_decode("1.", FLAG_TYPE_AUTO, "float:1.0");
	check_decode("-2.5e-5", FLAG_TYPE_AUTO, "float:-2.5e-05");
	check_decode("inf", FLAG_TYPE_AUTO, "float:.inf");
	check_decode("-Infinity", FLAG_TYPE_AUTO, "float:-.inf");
	check_decode("nan", FLAG_TYPE_AUTO, "float:.nan");
	check_decode(".inf", FLAG_TYPE_AUTO, "float:.inf");
	check_decode("yes", FLAG_TYPE_AUTO, "bool:true");
	check_decode("no", FLAG_TYPE_AUTO, "bool:false");
	check_decode("On", FLAG_TYPE_AUTO, "bool:true");
	check_decode("TRUE", FLAG_TYPE_AUTO, "bool:true");
	check_decode("null", FLAG_TYPE_AUTO, "null:null");
	check_decode("~", FLAG_TYPE_AUTO, "null:null");
	check_decode("abc", FLAG_TYPE_AUTO, "string:abc");
	check_decode("hello world", FLAG_TYPE_AUTO, "string:hello world");
	check_decode("'1'", FLAG_TYPE_AUTO, "string:'1'");
	check_decode("\"yes\"", FLAG_TYPE_AUTO, "string:'yes'");
	check_decode("[1,2]", FLAG_TYPE_AUTO, "list:[1, 2]");
	check_decode("[0.1, 0.01]", FLAG_TYPE_AUTO, "list:[0.1, 0.01]");
	check_decode("[a, 'b c', yes]", FLAG_TYPE_AUTO, "list:[a, b c, true]");
	check_decode("{a: 1, b: [x]}", FLAG_TYPE_AUTO, "map:{a: 1, b: [x]}");
	check_decode("a: b", FLAG_TYPE_AUTO, "map:{a: b}");
	check_decode("a: b: c", FLAG_TYPE_AUTO, "string:'a: b: c'");
	check_decode("[unclosed", FLAG_TYPE_AUTO, "string:'[unclosed'");
	check_decode("x=1", FLAG_TYPE_AUTO, "string:x=1");

	/* _fix_surprising_number */
	check_decode("1_000", FLAG_TYPE_AUTO, "string:'1_000'");
	check_decode("2018_06_26", FLAG_TYPE_AUTO, "string:'2018_06_26'");
	check_decode("1:12", FLAG_TYPE_AUTO, "string:'1:12'");
	check_decode("1.5_0", FLAG_TYPE_AUTO, "string:'1.5_0'");
	check_decode("!!int 1_000", FLAG_TYPE_AUTO, "int:1000");

	/* Flag functions and list repetition. */
	check_decode("uniform[0.01:0.1]", FLAG_TYPE_AUTO,
	    "string:uniform[0.01:0.1]");
	check_decode("loguniform[1e-5:1e-1]", FLAG_TYPE_AUTO,
	    "string:loguniform[1e-5:1e-1]");
	check_decode("[1:10]", FLAG_TYPE_AUTO, "string:'[1:10]'");
	check_decode("[0.1:0.5:0.2]", FLAG_TYPE_AUTO, "string:'[0.1:0.5:0.2]'");
	check_decode("[a: 1]", FLAG_TYPE_AUTO, "list:[{a: 1}]");
	check_decode("range[1:5]", FLAG_TYPE_AUTO, "list:[1, 2, 3, 4, 5]");
	check_decode("range[3]", FLAG_TYPE_AUTO, "list:[0, 1, 2]");
	check_decode("range[1:6:2]", FLAG_TYPE_AUTO, "list:[1, 3, 5]");
	check_decode("range[5:1:-2]", FLAG_TYPE_AUTO, "list:[5, 3, 1]");
	check_decode("range[0:1:0.25]", FLAG_TYPE_AUTO,
	    "list:[0.0, 0.25, 0.5, 0.75, 1.0]");
	/* numpy.arange(0.1, 0.4, 0.1) has four values, and so has Guild. */
	check_decode("range[0.1:0.3:0.1]", FLAG_TYPE_AUTO,
	    "list:[0.1, 0.2, 0.3, 0.4]");
	check_decode("range[5:1]", FLAG_TYPE_AUTO, "list:[]");
	check_decode("linspace[0:1:5]", FLAG_TYPE_AUTO,
	    "list:[0.0, 0.25, 0.5, 0.75, 1.0]");
	check_decode("linspace[1:2:3]", FLAG_TYPE_AUTO, "list:[1.0, 1.5, 2.0]");
	check_decode("linspace[0:1:3]", FLAG_TYPE_AUTO, "list:[0.0, 0.5, 1.0]");
	check_decode("linspace[0:1]", FLAG_TYPE_AUTO,
	    "list:[0.0, 0.25, 0.5, 0.75, 1.0]");
	check_decode("linspace[0:1:0.5]", FLAG_TYPE_AUTO,
	    "string:linspace[0:1:0.5]");
	check_decode("logspace[0:2:3]", FLAG_TYPE_AUTO,
	    "list:[1.0, 10.0, 100.0]");
	check_decode("logspace[1:3:3:2]", FLAG_TYPE_AUTO, "list:[2.0, 4.0, 8.0]");
	check_decode("linspace[0:0.00000001:2]", FLAG_TYPE_AUTO,
	    "list:[0.0, 1.0e-08]");
	check_decode("range[a:b]", FLAG_TYPE_AUTO, "string:range[a:b]");
	check_warning("error decoding range[a:b]: range: invalid arg a: "
	    "expected a number", "bad range");
	check_decode("range[1:5:0]", FLAG_TYPE_AUTO, "string:range[1:5:0]");
	check_decode("[1,2]*3", FLAG_TYPE_AUTO, "list:[1, 2, 1, 2, 1, 2]");
	check_decode("[a] * 2", FLAG_TYPE_AUTO, "list:[a, a]");
	check_decode(" [0.1]*2 ", FLAG_TYPE_AUTO, "list:[0.1, 0.1]");
	check_decode("[]*5", FLAG_TYPE_AUTO, "list:[]");
	check_decode("[1,2]*0", FLAG_TYPE_AUTO, "list:[]");
	check_decode("[1:2]*2", FLAG_TYPE_AUTO, "string:'[1:2]*2'");
	check_decode("[1]*99999999999999999999", FLAG_TYPE_AUTO,
	    "string:'[1]*99999999999999999999'");
	check_decode("a[1]*2", FLAG_TYPE_AUTO, "string:a[1]*2");

	/* Declared types. */
	check_decode("123", FLAG_TYPE_STRING, "string:'123'");
	check_decode("yes", FLAG_TYPE_STRING, "string:'yes'");
	check_decode("1:12", FLAG_TYPE_STRING, "string:'1:12'");
	check_decode("'x'", FLAG_TYPE_STRING, "string:x");
	check_decode("[1, 2]", FLAG_TYPE_STRING, "list:[1, 2]");
	check_decode("{a: 1}", FLAG_TYPE_PATH, "map:{a: 1}");
	check_decode("a b", FLAG_TYPE_EXISTING_PATH, "string:a b");
	check_decode("12", FLAG_TYPE_INT, "int:12");
	check_decode("1.5", FLAG_TYPE_INT, "float:1.5");
	check_decode("1", FLAG_TYPE_FLOAT, "float:1.0");
	check_decode("1e-5", FLAG_TYPE_FLOAT, "float:1.0e-05");
	check_decode("abc", FLAG_TYPE_FLOAT, "string:abc");
	check_decode("1", FLAG_TYPE_NUMBER, "int:1");
	check_decode("1.5", FLAG_TYPE_NUMBER, "float:1.5");
	check_decode("yes", FLAG_TYPE_BOOLEAN, "bool:true");
	check_decode("off", FLAG_TYPE_BOOLEAN, "bool:false");
	check_decode("0", FLAG_TYPE_BOOLEAN, "bool:false");
	check_decode("2", FLAG_TYPE_BOOLEAN, "bool:true");
	check_decode("abc", FLAG_TYPE_BOOLEAN, "string:abc");
	check_decode("", FLAG_TYPE_INT, "string:''");
}

static void
function_cases(void)
{
	struct value	*args, *v, *out;
	char		*name, *cause = NULL, *s;

	ok(flag_function_parse("uniform[0:1]", &name, &args), "uniform parses");
	is_str(name, "uniform", "uniform name");
	s = show(args);
	is_str(s, "list:[0, 1]", "uniform args");
	free(s);
	free(name);
	value_free(args);

	ok(flag_function_parse("loguniform[ 1e-5 : 0.1 : 0.01 ]", &name, &args),
	    "loguniform parses");
	s = show(args);
	is_str(s, "list:[1.0e-05, 0.1, 0.01]", "loguniform args are decoded");
	free(s);
	free(name);
	value_free(args);

	ok(flag_function_parse("[1:10]", &name, &args), "anonymous parses");
	ok(name == NULL, "anonymous has no name");
	s = show(args);
	is_str(s, "list:[1, 10]", "anonymous args");
	free(s);
	value_free(args);

	ok(flag_function_parse("[a:b]", NULL, NULL), "[a:b] is a function");
	ok(flag_function_parse("choice[]", &name, &args), "empty args");
	is_int((long long)args->u.list.n, 0, "no args");
	free(name);
	value_free(args);
	ok(!flag_function_parse("foo", NULL, NULL), "a word is not a function");
	ok(!flag_function_parse("[1, 2]", NULL, NULL), "a list is not");
	ok(!flag_function_parse("[a: 1]", NULL, NULL), "a list of maps is not");
	ok(!flag_function_parse("[1:2", NULL, NULL), "unclosed is not");
	ok(!flag_function_parse("a b[1]", NULL, NULL), "spaces in the name");

	v = value_string("uniform[0:1]");
	ok(flag_is_function(v), "flag_is_function on a string");
	value_free(v);
	v = value_int(1);
	ok(!flag_is_function(v), "flag_is_function on an int");
	value_free(v);
	ok(!flag_is_function(NULL), "flag_is_function on NULL");

	ok(flag_function_parse("range[1:3]", &name, &args), "range parses");
	is_int(flag_function_expand(name, args, &out, &cause), 1,
	    "range expands");
	s = show(out);
	is_str(s, "list:[1, 2, 3]", "range values");
	free(s);
	value_free(out);
	free(name);
	value_free(args);

	ok(flag_function_parse("uniform[1:3]", &name, &args), "uniform");
	is_int(flag_function_expand(name, args, &out, &cause), 0,
	    "uniform does not expand");
	ok(out == NULL, "nothing out");
	free(name);
	value_free(args);

	ok(flag_function_parse("range[]", &name, &args), "range[]");
	is_int(flag_function_expand(name, args, &out, &cause), -1,
	    "range[] fails");
	is_str(cause, "range: function requires at least 1 arg(s)",
	    "range[] message");
	free(cause);
	cause = NULL;
	free(name);
	value_free(args);

	ok(flag_function_parse("linspace[x:1]", &name, &args), "linspace[x:1]");
	is_int(flag_function_expand(name, args, &out, &cause), -1,
	    "linspace[x:1] fails");
	is_str(cause, "linspace: invalid arg x: expected a number",
	    "linspace message");
	free(cause);
	cause = NULL;
	free(name);
	value_free(args);

	ok(flag_function_parse("range[1:1000000000]", &name, &args), "big");
	is_int(flag_function_expand(name, args, &out, &cause), -1,
	    "huge ranges are refused");
	free(cause);
	free(name);
	value_free(args);
}

/* Operation fixtures. */

static struct flagdef *
mkflag(struct opdef *op, const char *name, enum flag_type type,
    struct value *def)
{
	struct flagdef	*fd;

	fd = xcalloc(1, sizeof *fd);
	fd->name = xstrdup(name);
	fd->type = type;
	fd->default_value = def;
	op->flags = xreallocarray(op->flags, op->nflags + 1, sizeof *op->flags);
	op->flags[op->nflags++] = fd;
	return fd;
}

static void
add_choice(struct flagdef *fd, struct value *v, const char *alias,
    struct value *flags)
{
	fd->choices = xreallocarray(fd->choices, fd->nchoices + 1,
	    sizeof *fd->choices);
	memset(&fd->choices[fd->nchoices], 0, sizeof *fd->choices);
	fd->choices[fd->nchoices].value = v;
	fd->choices[fd->nchoices].alias = alias != NULL ? xstrdup(alias) : NULL;
	fd->choices[fd->nchoices].flags = flags;
	fd->nchoices++;
}

static void
free_op(struct opdef *op)
{
	struct flagdef	*fd;
	size_t		 i, j;

	for (i = 0; i < op->nflags; i++) {
		fd = op->flags[i];
		free(fd->name);
		free(fd->alias);
		free(fd->arg_name);
		free(fd->arg_split);
		free(fd->env_name);
		value_free(fd->default_value);
		value_free(fd->arg_switch);
		value_free(fd->arg_encoding);
		value_free(fd->env_encoding);
		value_free(fd->min);
		value_free(fd->max);
		for (j = 0; j < fd->nchoices; j++) {
			value_free(fd->choices[j].value);
			value_free(fd->choices[j].flags);
			free(fd->choices[j].alias);
		}
		free(fd->choices);
		free(fd);
	}
	free(op->flags);
}

/* train: the operation most tests use. */
static void
make_train(struct opdef *op)
{
	struct flagdef	*fd;
	struct value	*m;

	memset(op, 0, sizeof *op);
	op->name = (char *)"train";
	fd = mkflag(op, "lr", FLAG_TYPE_FLOAT, value_float(0.1));
	fd->min = value_float(0.0001);
	fd->max = value_int(1);
	mkflag(op, "epochs", FLAG_TYPE_INT, value_int(10));
	fd = mkflag(op, "batch-size", FLAG_TYPE_NUMBER, value_int(32));
	fd->alias = xstrdup("bs");
	fd = mkflag(op, "optimizer", FLAG_TYPE_STRING, value_string("adam"));
	add_choice(fd, value_string("adam"), NULL, NULL);
	m = value_map();
	value_map_set(m, "momentum", value_float(0.9));
	add_choice(fd, value_string("sgd"), NULL, m);
	mkflag(op, "momentum", FLAG_TYPE_FLOAT, NULL);
	fd = mkflag(op, "data", FLAG_TYPE_PATH, NULL);
	fd->required = true;
	fd = mkflag(op, "mode", FLAG_TYPE_AUTO, value_string("train"));
	add_choice(fd, value_string("train"), NULL, NULL);
	add_choice(fd, value_string("eval"), "e", NULL);
	fd = mkflag(op, "debug", FLAG_TYPE_BOOLEAN, value_bool(false));
	fd->arg_switch = value_bool(true);
	fd = mkflag(op, "layers", FLAG_TYPE_INT, value_string("1,2"));
	fd->arg_split = xstrdup(",");
	fd = mkflag(op, "secret", FLAG_TYPE_STRING, value_string("s3"));
	fd->arg_skip = true;
	fd->env_name = xstrdup("MY_SECRET");
	fd = mkflag(op, "dropout", FLAG_TYPE_AUTO, value_float(1e-05));
	fd->arg_name = xstrdup("drop");
}

static int
resolve(const struct opdef *op, bool force, struct value **flags,
    struct value **user, char **cause, ...)
{
	const char	*argv[16];
	size_t		 n = 0;
	va_list		 ap;

	va_start(ap, cause);
	while ((argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	*flags = *user = NULL;
	return flags_resolve(op, argv, n, force, flags, user, cause);
}

static void
check_error(const struct opdef *op, bool force, const char *want, ...)
{
	const char	*argv[16];
	struct value	*flags = NULL, *user = NULL;
	char		*cause = NULL;
	size_t		 n = 0;
	va_list		 ap;

	va_start(ap, want);
	while ((argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	is_int(flags_resolve(op, argv, n, force, &flags, &user, &cause), -1,
	    "%s fails", argv[0]);
	is_str(cause, want, "%s message", argv[0]);
	ok(flags == NULL && user == NULL, "%s returns nothing", argv[0]);
	free(cause);
}

static char *
flag_text(const struct value *flags, const char *name)
{
	return show(value_map_get(flags, name));
}

static void
check_flag(const struct value *flags, const char *name, const char *want)
{
	char	*s = flag_text(flags, name);

	is_str(s, want, "flag %s", name);
	free(s);
}

static void
resolve_cases(void)
{
	struct opdef	 op;
	struct value	*flags, *user;
	char		*cause = NULL, *cwd, *want, *s;

	make_train(&op);
	cwd = getcwd(NULL, 0);

	is_int(resolve(&op, false, &flags, &user, &cause, "data=x", NULL), 0,
	    "resolve with defaults");
	is_int((long long)flags->u.map.n, 11, "every flag is there");
	check_flag(flags, "lr", "float:0.1");
	check_flag(flags, "epochs", "int:10");
	check_flag(flags, "momentum", "null:null");
	check_flag(flags, "dropout", "float:1.0e-05");
	want = xasprintf("string:%s/x", cwd);
	check_flag(flags, "data", want);
	free(want);
	s = show(user);
	is_str(s, "map:{data: x}", "user flags are what was typed");
	free(s);
	value_free(flags);
	value_free(user);

	is_int(resolve(&op, false, &flags, &user, &cause, "data=/d", "lr=0.01",
	    "epochs=5", "bs=64", "lr=1e-3", NULL), 0, "resolve assignments");
	check_flag(flags, "lr", "float:0.001");
	check_flag(flags, "epochs", "int:5");
	check_flag(flags, "batch-size", "int:64");
	ok(value_map_get(flags, "bs") == NULL, "aliases are stored by name");
	check_flag(user, "batch-size", "int:64");
	check_flag(user, "lr", "float:0.001");
	check_flag(flags, "data", "string:/d");
	value_free(flags);
	value_free(user);

	/* Coercion to the declared type. */
	is_int(resolve(&op, false, &flags, &user, &cause, "data=/d", "lr=1",
	    "epochs=[1,2]", "bs=1.5", "debug=yes", "optimizer=sgd", NULL), 0,
	    "resolve coerced");
	check_flag(flags, "lr", "float:1.0");
	check_flag(user, "lr", "float:1.0");
	check_flag(flags, "epochs", "list:[1, 2]");
	check_flag(flags, "batch-size", "float:1.5");
	check_flag(flags, "debug", "bool:true");
	check_flag(flags, "momentum", "float:0.9");
	value_free(flags);
	value_free(user);

	is_int(resolve(&op, false, &flags, &user, &cause, "data=/d",
	    "optimizer=sgd", "momentum=0.5", NULL), 0, "choice flags");
	check_flag(flags, "momentum", "float:0.5");
	value_free(flags);
	value_free(user);

	is_int(resolve(&op, false, &flags, &user, &cause, "data=/d", "mode=e",
	    NULL), 0, "choice alias");
	check_flag(flags, "mode", "string:eval");
	check_flag(user, "mode", "string:e");
	value_free(flags);
	value_free(user);

	is_int(resolve(&op, false, &flags, &user, &cause, "data=/d",
	    "lr=uniform[0.01:2]", "epochs=[1:10]", NULL), 0,
	    "flag functions skip checks");
	check_flag(flags, "lr", "string:uniform[0.01:2]");
	check_flag(flags, "epochs", "string:'[1:10]'");
	value_free(flags);
	value_free(user);

	is_int(resolve(&op, false, &flags, &user, &cause, "data=/d",
	    "lr=[0.1,0.01]", "layers=3,4,5", NULL), 0, "lists and splits");
	check_flag(flags, "lr", "list:[0.1, 0.01]");
	check_flag(flags, "layers", "string:3,4,5");
	value_free(flags);
	value_free(user);

	check_error(&op, false, "invalid argument 'lr': expected NAME=VAL",
	    "lr", NULL);
	check_error(&op, false,
	    "invalid value abc for lr: invalid value for type 'float'",
	    "lr=abc", "data=/d", NULL);
	check_error(&op, false,
	    "invalid value 1.5 for epochs: invalid value for type 'int'",
	    "epochs=1.5", "data=/d", NULL);
	check_error(&op, false,
	    "invalid value abc for batch-size: invalid value for type 'number'",
	    "bs=abc", "data=/d", NULL);
	check_error(&op, false,
	    "invalid value 1,x for layers: invalid value for type 'int'",
	    "layers=1,x", "data=/d", NULL);
	check_error(&op, false, "unsupported flag 'bogus'",
	    "bogus=1", "data=/d", NULL);
	check_error(&op, false,
	    "invalid value 0.0 for lr: out of range (less than min 0.0001)",
	    "lr=0", "data=/d", NULL);
	check_error(&op, false,
	    "invalid value 2.0 for lr: out of range (greater than max 1)",
	    "lr=2", "data=/d", NULL);
	check_error(&op, false,
	    "invalid value 2.0 for lr: out of range (greater than max 1)",
	    "lr=[0.1,2]", "data=/d", NULL);
	check_error(&op, false,
	    "invalid value rmsprop for optimizer: expected one of adam, sgd",
	    "optimizer=rmsprop", "data=/d", NULL);
	check_error(&op, false,
	    "invalid value x for mode: expected one of train, e",
	    "mode=x", "data=/d", NULL);
	check_error(&op, false, "missing required flag 'data'", "lr=0.1", NULL);
	check_error(&op, false, "missing required flag 'data'", "data=", NULL);

	/* force: unknown flags and bad values are kept as they are. */
	is_int(resolve(&op, true, &flags, &user, &cause, "bogus=1", "lr=abc",
	    "optimizer=x", NULL), 0, "force");
	check_flag(flags, "bogus", "int:1");
	check_flag(flags, "lr", "string:abc");
	check_flag(flags, "data", "null:null");
	value_free(flags);
	value_free(user);

	/* Without an operation everything is auto and unknown. */
	is_int(resolve(NULL, true, &flags, &user, &cause, "x=1", NULL), 0,
	    "no operation");
	check_flag(flags, "x", "int:1");
	value_free(flags);
	value_free(user);

	/* flags_apply on its own, with a NULL user map. */
	is_int(flags_apply(&op, NULL, true, &flags, &cause), 0, "apply NULL");
	check_flag(flags, "lr", "float:0.1");
	value_free(flags);

	free(cwd);
	free_op(&op);
}

/* Operation dependencies take flags too (a run id, a path). */
static void
resource_cases(void)
{
	struct opdef	 op;
	struct opdep	 dep, *deps[1];
	struct resdef	 res;
	struct source	 src, *srcs[1];
	struct value	*flags, *user;
	struct strvec	 argv = STRVEC_INIT;
	char		*cause = NULL;

	make_train(&op);
	memset(&dep, 0, sizeof dep);
	memset(&res, 0, sizeof res);
	memset(&src, 0, sizeof src);
	src.kind = SOURCE_OPERATION;
	src.uri = (char *)"prepare";
	src.name = (char *)"operation:prepare";
	srcs[0] = &src;
	res.sources = srcs;
	res.nsources = 1;
	dep.inline_res = &res;
	deps[0] = &dep;
	op.requires = deps;
	op.nrequires = 1;

	is_int(resolve(&op, false, &flags, &user, &cause, "data=/d", NULL), 0,
	    "dependency flag defaults to null");
	check_flag(flags, "operation:prepare", "null:null");
	value_free(flags);
	value_free(user);

	is_int(resolve(&op, false, &flags, &user, &cause, "data=/d",
	    "prepare=123", NULL), 0, "dependency flag");
	check_flag(flags, "operation:prepare", "string:'123'");
	flags_args(&op, flags, FLAGS_DEST_ARGS, NULL, &argv);
	ok(strvec_find(&argv, "--prepare") < 0, "dependency flags are no args");
	strvec_clear(&argv);
	value_free(flags);
	value_free(user);

	res.flag_name = (char *)"run";
	check_error(&op, false, "unsupported flag 'prepare'", "data=/d",
	    "prepare=1", NULL);
	is_int(resolve(&op, false, &flags, &user, &cause, "data=/d",
	    "run=abc", NULL), 0, "dependency flag-name");
	check_flag(flags, "run", "string:abc");
	value_free(flags);
	value_free(user);

	free_op(&op);
}

static void
coerce_cases(void)
{
	struct flagdef	 fd;
	struct value	*v, *c;
	char		*cause = NULL, *s;

	memset(&fd, 0, sizeof fd);
	fd.name = (char *)"f";

	fd.type = FLAG_TYPE_STRING;
	v = value_int(3);
	c = flag_coerce(&fd, v, &cause);
	s = show(c);
	is_str(s, "string:'3'", "int to string");
	free(s);
	value_free(c);
	value_free(v);
	v = value_bool(true);
	c = flag_coerce(&fd, v, &cause);
	s = show(c);
	is_str(s, "string:'True'", "bool to string as Python's str()");
	free(s);
	value_free(c);
	value_free(v);

	fd.type = FLAG_TYPE_BOOLEAN;
	v = value_string("no");
	c = flag_coerce(&fd, v, &cause);
	s = show(c);
	is_str(s, "bool:true", "a non-empty string is true (Python bool())");
	free(s);
	value_free(c);
	value_free(v);

	fd.type = FLAG_TYPE_INT;
	v = value_string("1_000");
	c = flag_coerce(&fd, v, &cause);
	s = show(c);
	is_str(s, "int:1000", "Python int() reads underscores");
	free(s);
	value_free(c);
	value_free(v);
	v = value_map();
	ok(flag_coerce(&fd, v, &cause) == NULL, "a map is not an int");
	is_str(cause, "invalid value for type 'int'", "int message");
	free(cause);
	cause = NULL;
	value_free(v);
	v = value_null();
	c = flag_coerce(&fd, v, &cause);
	ok(c != NULL && c->type == VALUE_NULL, "null is never coerced");
	value_free(c);
	value_free(v);

	fd.type = FLAG_TYPE_FLOAT;
	fd.arg_split = (char *)"shlex";
	v = value_string("1 2");
	c = flag_coerce(&fd, v, &cause);
	s = show(c);
	is_str(s, "string:1.0 2.0", "split parts are coerced and joined");
	free(s);
	value_free(c);
	value_free(v);
	fd.arg_split = NULL;

	fd.type = FLAG_TYPE_PATH;
	setenv("HOME", "/home/u", 1);
	v = value_string("~/data");
	c = flag_coerce(&fd, v, &cause);
	s = show(c);
	is_str(s, "string:/home/u/data", "paths expand ~");
	free(s);
	value_free(c);
	value_free(v);
	v = value_string("/a/../b");
	c = flag_coerce(&fd, v, &cause);
	s = show(c);
	is_str(s, "string:/a/../b", "absolute paths are kept");
	free(s);
	value_free(c);
	value_free(v);
}

static void
check_argv(const struct strvec *sv, const char *want, const char *name)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	for (i = 0; i < sv->n; i++) {
		if (i > 0)
			strbuf_addch(&sb, ' ');
		strbuf_addf(&sb, "<%s>", sv->v[i]);
	}
	is_str(sb.buf, want, "%s", name);
	strbuf_release(&sb);
}

static void
encode_cases(void)
{
	struct opdef	 op;
	struct value	*flags, *user, *v;
	struct strvec	 argv = STRVEC_INIT, cmd = STRVEC_INIT;
	struct strvec	 env = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	char		*cause = NULL, *s;

	make_train(&op);
	is_int(resolve(&op, false, &flags, &user, &cause, "data=/d",
	    "debug=yes", "lr=0.001", NULL), 0, "resolve for encoding");
	flags_args(&op, flags, FLAGS_DEST_ARGS, NULL, &argv);
	check_argv(&argv, "<--batch-size> <32> <--data> </d> <--debug> "
	    "<--drop> <1e-05> <--epochs> <10> <--layers> <1> <2> "
	    "<--lr> <0.001> <--mode> <train> <--optimizer> <adam>",
	    "args dest");
	strvec_clear(&argv);

	flags_args(&op, flags, FLAGS_DEST_GLOBALS, NULL, &argv);
	check_argv(&argv, "<--batch-size> <32> <--data> </d> <--debug> "
	    "<--drop> <1.0e-05> <--epochs> <10> <--layers> <[1, 2]> "
	    "<--lr> <0.001> <--mode> <train> <--optimizer> <adam>",
	    "globals dest");
	strvec_clear(&argv);

	flags_args(&op, flags, FLAGS_DEST_NONE, NULL, &argv);
	is_int((long long)argv.n, 0, "none dest");

	strvec_push(&cmd, "train.py");
	strvec_push(&cmd, "--epochs");
	value_map_set(flags, "debug", value_bool(false));
	flags_args(&op, flags, FLAGS_DEST_ARGS, &cmd, &argv);
	check_argv(&argv, "<--batch-size> <32> <--data> </d> "
	    "<--drop> <1e-05> <--layers> <1> <2> "
	    "<--lr> <0.001> <--mode> <train> <--optimizer> <adam>",
	    "shadowed and switched off");
	check_warning("ignoring flag 'epochs=10' because it's shadowed in the "
	    "operation cmd as --epochs", "shadowed flag");
	strvec_clear(&argv);
	strvec_clear(&cmd);

	flags_env(&op, flags, &env);
	is_str(strvec_getenv(&env, "FLAG_LR"), "0.001", "FLAG_LR");
	is_str(strvec_getenv(&env, "FLAG_BATCH_SIZE"), "32", "FLAG_BATCH_SIZE");
	is_str(strvec_getenv(&env, "FLAG_DEBUG"), "", "FLAG_DEBUG false");
	is_str(strvec_getenv(&env, "FLAG_MOMENTUM"), "", "FLAG_MOMENTUM null");
	is_str(strvec_getenv(&env, "MY_SECRET"), "s3", "env-name");
	ok(strvec_getenv(&env, "FLAG_SECRET") == NULL, "env-name replaces");
	is_str(strvec_getenv(&env, "FLAG_DROPOUT"), "1e-05", "FLAG_DROPOUT");
	is_str(strvec_getenv(&env, "FLAG_LAYERS"), "1,2", "FLAG_LAYERS");
	strvec_clear(&env);
	value_free(flags);
	value_free(user);

	s = flag_env_name(NULL, "a.b-c9");
	is_str(s, "FLAG_A_B_C9", "env names");
	free(s);

	/* One value at a time. */
	v = value_bool(true);
	flag_encode_arg(&sb, NULL, v);
	is_str(sb.buf, "1", "true arg");
	value_free(v);
	strbuf_reset(&sb);
	v = value_list();
	value_list_push(v, value_string("a b"));
	value_list_push(v, value_float(0.5));
	value_list_push(v, value_bool(false));
	flag_encode_arg(&sb, NULL, v);
	is_str(sb.buf, "'a b' 0.5 no", "list arg, shlex joined");
	value_free(v);
	strbuf_reset(&sb);
	v = value_string("x y");
	flag_encode_arg(&sb, NULL, v);
	is_str(sb.buf, "x y", "strings as they are");
	value_free(v);
	strbuf_reset(&sb);

	is_int(flags_dest_parse("args"), FLAGS_DEST_ARGS, "dest args");
	is_int(flags_dest_parse("args:click"), FLAGS_DEST_ARGS, "dest click");
	is_int(flags_dest_parse(NULL), FLAGS_DEST_ARGS, "dest default");
	is_int(flags_dest_parse("globals"), FLAGS_DEST_GLOBALS, "dest globals");
	is_int(flags_dest_parse("global:p"), FLAGS_DEST_GLOBALS, "dest global:");
	is_int(flags_dest_parse("dict:p"), FLAGS_DEST_GLOBALS, "dest dict:");
	is_int(flags_dest_parse("none"), FLAGS_DEST_NONE, "dest none");

	/* arg-encoding wins over the default text. */
	op.flags[7]->arg_encoding = value_map();
	value_map_set(op.flags[7]->arg_encoding, "yes", value_string("True"));
	value_map_set(op.flags[7]->arg_encoding, "no", value_string("False"));
	v = value_bool(false);
	flag_encode_arg(&sb, op.flags[7], v);
	is_str(sb.buf, "False", "arg-encoding");
	value_free(v);
	strbuf_release(&sb);

	free_op(&op);
}

static void
label_cases(void)
{
	struct value	*flags;
	char		*s;

	flags = value_map();
	value_map_set(flags, "lr", value_float(0.123456789));
	value_map_set(flags, "epochs", value_int(2));
	value_map_set(flags, "name", value_string("a b"));
	value_map_set(flags, "none", value_null());
	value_map_set(flags, "flag", value_bool(true));
	value_map_set(flags, "s", value_string("yes"));
	value_map_set(flags, "small", value_float(1.23456789e-7));
	value_map_set(flags, "path", value_string("/data/sets/mnist.tgz"));

	s = flags_default_label(flags);
	is_str(s, "epochs=2 flag=yes lr=0.12345 name='a b' "
	    "path=/data/sets/mnist.tgz s='yes' small=1.23456e-07",
	    "default label");
	free(s);

	s = flags_label(NULL, flags);
	is_str(s, "epochs=2 flag=yes lr=0.12345 name='a b' "
	    "path=/data/sets/mnist.tgz s='yes' small=1.23456e-07",
	    "no template");
	free(s);

	s = flags_label("lr=${lr} e=${ epochs } ${none} ${missing}.", flags);
	is_str(s, "lr=0.123456789 e=2  .", "template");
	free(s);
	s = flags_label("${none|default:x} ${missing|default:y} ${s}", flags);
	is_str(s, "x y 'yes'", "default filter");
	free(s);
	s = flags_label("${lr|%.2f} ${epochs|%03d} ${lr|%s} ${name|%s}", flags);
	is_str(s, "0.12 002 0.123456789 a b", "format filter");
	free(s);
	s = flags_label("${path|basename} ${s|unquote}", flags);
	is_str(s, "mnist.tgz yes", "basename and unquote");
	free(s);
	s = flags_label("[${default_label}]", flags);
	is_str(s, "[epochs=2 flag=yes lr=0.12345 name='a b' "
	    "path=/data/sets/mnist.tgz s='yes' small=1.23456e-07]",
	    "default_label token");
	free(s);
	s = flags_label("${} ${lr", flags);
	is_str(s, "${} ${lr", "unfinished tokens are text");
	free(s);
	value_free(flags);

	flags = value_map();
	s = flags_default_label(flags);
	is_str(s, "", "empty default label");
	free(s);
	value_free(flags);
}

int
main(void)
{
	warn_set_sink(warn_sink, NULL);
	decode_cases();
	function_cases();
	coerce_cases();
	resolve_cases();
	resource_cases();
	encode_cases();
	label_cases();
	free(last_warning);
	return done_testing();
}
