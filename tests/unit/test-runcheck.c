/* test-runcheck.c: a pipeline step's expect: checks (runcheck.h). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runcheck.h"
#include "scalars.h"
#include "strbuf.h"
#include "tap.h"
#include "util.h"
#include "value.h"
#include "xmalloc.h"

static struct value *
check1(const char *k1, const char *v1, const char *k2, const char *v2)
{
	struct value	*m = value_map();

	value_map_set(m, k1, value_string(v1));
	if (k2 != NULL)
		value_map_set(m, k2, value_string(v2));
	return m;
}

/* The cause of an invalid check (static), or "(valid)". */
static const char *
invalid(struct value *check)
{
	static char	*last;
	char		*cause = NULL;

	free(last);
	last = runcheck_validate(check, &cause) == 0 ? xstrdup("(valid)") :
	    cause;
	value_free(check);
	return last;
}

static void
test_validate(void)
{
	struct value	*v;
	char		*d;

	is_str(invalid(check1("scalar", "accuracy >= 0.9", NULL, NULL)),
	    "(valid)", "scalar KEY OP N");
	is_str(invalid(check1("scalar", "min val loss < 1e-3", NULL, NULL)),
	    "(valid)", "min, a key with a space");
	is_str(invalid(check1("scalar", "accuracy ~ 3", NULL, NULL)),
	    "invalid scalar check 'accuracy ~ 3': expected '[last|min|max] "
	    "KEY OP NUMBER' with OP one of >=, >, <=, <, ==, !=", "bad OP");
	is_str(invalid(check1("scalar", "accuracy >= high", NULL, NULL)),
	    "invalid scalar check 'accuracy >= high': expected '[last|min|max] "
	    "KEY OP NUMBER' with OP one of >=, >, <=, <, ==, !=",
	    "not a number");
	is_str(invalid(check1("scalar", ">= 3", NULL, NULL)),
	    "invalid scalar check '>= 3': expected '[last|min|max] KEY OP "
	    "NUMBER' with OP one of >=, >, <=, <, ==, !=", "no key");
	{
		/* No limit on a key's words. */
		struct strbuf	sb = STRBUF_INIT;
		int		i;

		for (i = 0; i < 70; i++)
			strbuf_addstr(&sb, "w ");
		strbuf_addstr(&sb, ">= 1");
		is_str(invalid(check1("scalar", sb.buf, NULL, NULL)),
		    "(valid)", "a key of 70 words");
		strbuf_release(&sb);
	}
	is_str(invalid(check1("output", "(", NULL, NULL)),
	    "invalid regular expression '(': missing closing parenthesis at "
	    "offset 1",
	    "bad output regex");
	is_str(invalid(check1("file", "x", "contains", "[a")),
	    "invalid regular expression '[a': missing terminating ] for "
	    "character class at offset 2", "bad contains regex");
	is_str(invalid(check1("file", "x", "output", "y")),
	    "invalid check: both file and output (one check per item)",
	    "two kinds");
	is_str(invalid(check1("output", "x", "contains", "y")),
	    "invalid check: contains and compare-to go with file",
	    "contains without file");
	is_str(invalid(check1("contains", "x", NULL, NULL)),
	    "invalid check: expected one of file, output, scalar", "no kind");
	is_str(invalid(check1("file", "x", "size", "3")),
	    "invalid check: unknown attribute 'size' (expected file, output "
	    "or scalar)", "unknown key");
	v = value_map();
	value_map_set(v, "scalar", value_int(3));
	is_str(invalid(v), "invalid check: scalar must be a string",
	    "not a string");
	is_str(invalid(value_string("x")), "invalid check: expected a "
	    "mapping with file, output or scalar", "not a mapping");

	v = check1("scalar", "max  loss   <= 2", NULL, NULL);
	d = runcheck_describe(v);
	is_str(d, "scalar max loss <= 2", "describe a scalar check");
	free(d);
	value_free(v);
	v = check1("file", "m/*.txt", "contains", "ok");
	d = runcheck_describe(v);
	is_str(d, "file 'm/*.txt' contains 'ok'", "describe a file check");
	free(d);
	value_free(v);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char	*path = path_join(dir, name);
	FILE	*f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
	free(path);
}

/* "pass: FOUND" / "fail: FOUND" / "error: CAUSE" (static). */
static const char *
apply(const char *run, const char *project, struct value *check)
{
	static char	*last;
	char		*found = NULL, *cause = NULL;
	int		 r;

	free(last);
	r = runcheck_apply(check, run, project, &found, &cause);
	if (r == 1)
		last = xasprintf("pass: %s", found ? found : "");
	else if (r == 0)
		last = xasprintf("fail: %s", found ? found : "");
	else
		last = xasprintf("error: %s", cause);
	free(found);
	free(cause);
	value_free(check);
	return last;
}

static void
test_apply(const char *tmp)
{
	struct scalars_log	*log;
	char			*run = path_join(tmp, "run");
	char			*proj = path_join(tmp, "proj");
	char			*guild = path_join(run, ".guild");
	char			*cause = NULL;

	mkdir(run, 0700);
	mkdir(proj, 0700);
	mkdir(guild, 0700);
	write_file(run, "out.txt", "hello\nworld\n");
	write_file(run, "b.txt", "a\nb\n");
	write_file(proj, "expected.txt", "hello\nworld\n");
	write_file(proj, "other.txt", "hello\nthere\n");
	write_file(guild, "output", "epoch 1\nval_acc: 0.5\ndone\n");

	is_str(apply(run, proj, check1("file", "out.txt", NULL, NULL)),
	    "pass: out.txt", "a file that is there");
	is_str(apply(run, proj, check1("file", "*.txt", NULL, NULL)),
	    "pass: 2 files", "a glob");
	is_str(apply(run, proj, check1("file", "model/*", NULL, NULL)),
	    "fail: no file matches", "no match");
	is_str(apply(run, proj, check1("file", "out.txt", "contains",
	    "wor")), "pass: out.txt", "contains");
	is_str(apply(run, proj, check1("file", "out.txt", "contains",
	    "^wor")), "fail: out.txt has no match",
	    "^ is the start of the file, as in Python's re.search");
	is_str(apply(run, proj, check1("file", "out.txt", "contains",
	    "planet")), "fail: out.txt has no match", "contains: no match");
	is_str(apply(run, proj, check1("file", "out.txt", "compare-to",
	    "expected.txt")), "pass: out.txt", "compare-to: same");
	is_str(apply(run, proj, check1("file", "out.txt", "compare-to",
	    "other.txt")), "fail: out.txt differs at line 2: 'world' where "
	    "the expected file has 'there'", "compare-to: differs");
	is_str(apply(run, proj, check1("file", "b.txt", "compare-to",
	    "expected.txt")), "fail: b.txt differs at line 1: 'a' where the "
	    "expected file has 'hello'", "compare-to: first line");
	ok(strstr(apply(run, proj, check1("file", "out.txt", "compare-to",
	    "missing.txt")), "/proj/missing.txt: No such file or directory") !=
	    NULL, "compare-to: no such file is an error, not a failure");
	is_str(apply(run, proj, check1("output", "val_acc: [0-9.]+", NULL,
	    NULL)), "pass: in line 'val_acc: 0.5'", "output matches");
	is_str(apply(run, proj, check1("output", "accuracy", NULL, NULL)),
	    "fail: no match in 3 lines of output", "output: no match");

	is_str(apply(run, proj, check1("scalar", "loss < 1", NULL, NULL)),
	    "fail: the run has no scalar 'loss'", "no scalars yet");
	if ((log = scalars_log_open(run, &cause)) == NULL) {
		diag("%s", cause);
		free(cause);
	} else {
		scalars_log_append(log, "loss", 0.9, 1, NULL);
		scalars_log_append(log, "loss", 0.2, 2, NULL);
		scalars_log_append(log, "loss", 0.4, 3, NULL);
		scalars_log_append(log, "acc", 0.75, 3, NULL);
		scalars_log_close(log, NULL);
	}
	is_str(apply(run, proj, check1("scalar", "loss < 0.5", NULL, NULL)),
	    "pass: last 0.4 at step 3", "last value");
	is_str(apply(run, proj, check1("scalar", "max loss < 0.5", NULL,
	    NULL)), "fail: max 0.9 at step 1", "max value");
	is_str(apply(run, proj, check1("scalar", "min loss <= 0.2", NULL,
	    NULL)), "pass: min 0.2 at step 2", "min value");
	is_str(apply(run, proj, check1("scalar", "acc == 0.75", NULL, NULL)),
	    "pass: last 0.75 at step 3", "==");
	is_str(apply(run, proj, check1("scalar", "acc != 0.75", NULL, NULL)),
	    "fail: last 0.75 at step 3", "!=");
	is_str(apply(run, proj, check1("scalar", "accuracy > 0.5", NULL,
	    NULL)), "fail: the run has no scalar 'accuracy' (it has acc, "
	    "loss)", "a key that is not there names those that are");
	free(run);
	free(proj);
	free(guild);
}

int
main(void)
{
	char	tmpl[] = "/tmp/test-runcheck.XXXXXX";
	char	*tmp;

	test_validate();
	if ((tmp = mkdtemp(tmpl)) != NULL) {
		test_apply(tmp);
		rm_rf(tmp, NULL);
	} else
		ok(0, "mkdtemp");
	return done_testing();
}
