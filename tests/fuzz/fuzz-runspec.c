/*
 * fuzz-runspec.c: libFuzzer target for run specs and filters (runsel).
 *
 * A Guild home with a few runs is written once, in a temporary
 * directory. Each input is lines: "o:OP", "l:LABEL", "t:TAG", "c:TEXT",
 * "d:DIGEST", "s:RANGE", "F:EXPR" and "S:CHARS" (statuses) set filters,
 * "M", "N", "U" mark, unmark and unlabeled, "D" the trash; every other
 * line is a run spec. Without filters, the selection must be what a
 * plain model of the rules in runsel.h gives (indexes, A:B ranges, id
 * prefixes, duplicates dropped), positions included, and runsel_one()
 * must agree with it; with filters it must not crash, leak or hang.
 */
#include "common.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "home.h"
#include "run.h"
#include "runindex.h"
#include "runsel.h"
#include "strvec.h"
#include "util.h"

#include "../unit/runfixture.h"

#define MAX_SPECS	16

static char		*root;
static struct guild_home *home;
static struct runindex	*ri;
static struct strvec	 all = STRVEC_INIT;	/* ids, newest first */

static void
cleanup(void)
{
	if (ri != NULL)
		runindex_close(ri);
	if (root != NULL)
		rm_rf(root, NULL);
	free(root);
	home_free(home);
	strvec_clear(&all);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* Prefixes shared two ways, digits that read as indexes, statuses. */
	static const struct fx runs[] = {
		{ .id = "1aaa0000000000000000000000000001", .started =
		    1556720000, .exit = 0, .label = "lr=0.1",
		    .flags = "lr: 0.1\nopt: adam", .marked = 1 },
		{ .id = "1aab0000000000000000000000000002", .started =
		    1556721000, .exit = 1, .tags = "- red\n- blue" },
		{ .id = "2fff0000000000000000000000000003", .started =
		    1556722000, .exit = -15, .model = "", .op = "test",
		    .digest = "abc123" },
		{ .id = "a0000000000000000000000000000004", .started =
		    1556723000, .exit = FX_NO_EXIT, .pending = 1 },
		{ .id = "ab000000000000000000000000000005", .started =
		    1556724000, .exit = 0, .model = "util", .op = "eval",
		    .comments = "- body: Nice\n  host: gpu\n  time: 1\n"
		    "  user: bob" },
		{ .id = "abc00000000000000000000000000006", .started =
		    1556725000, .exit = FX_NO_EXIT, .staged = 1 },
		{ .id = "f9999999999999999999999999999997", .started =
		    1556726000, .exit = 0, .label = "'  '" },
	};
	struct run_rows	 rows = RUN_ROWS_INIT;
	char		*cause = NULL;
	size_t		 i;

	(void)argc;
	(void)argv;
	if (ri != NULL)
		return 0;
	warn_set_sink(fuzz_discard, NULL);
	setenv("TZ", "UTC", 1);
	tzset();
	setenv("GUILD_INDEX_RACY_MS", "0", 1);
	root = fx_home("fuzz-runspec");
	atexit(cleanup);
	if ((home = home_new(root, &cause)) == NULL)
		abort();
	for (i = 0; i < ARRAY_SIZE(runs); i++)
		fx_run(home->runs, &runs[i]);
	if ((ri = runindex_open(home, &cause)) == NULL ||
	    runindex_rows(ri, false, 0, &rows, &cause) == -1) {
		fprintf(stderr, "fuzz-runspec: %s\n", cause);
		abort();
	}
	for (i = 0; i < rows.n; i++)
		strvec_push(&all, rows.v[i]->id);
	run_rows_release(&rows);
	FUZZ_ASSERT(all.n == ARRAY_SIZE(runs));
	return 0;
}

/* A decimal index of at most 9 digits, as runsel.c reads them. */
static bool
index_of(const char *s, size_t len, size_t *out)
{
	size_t	i, n = 0;

	if (len == 0 || len > 9)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		n = n * 10 + (size_t)(s[i] - '0');
	}
	*out = n;
	return true;
}

static bool
digits(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static void
add(struct strvec *got, const char *id)
{
	size_t	i;

	for (i = 0; i < got->n; i++) {
		if (strcmp(got->v[i], id) == 0)
			return;
	}
	strvec_push(got, id);
}

/* The rules of runsel.h, the plain way: -1 when the spec is an error. */
static int
model(const char *spec, struct strvec *got)
{
	const char	*colon = strchr(spec, ':');
	size_t		 len = strlen(spec), n = all.n, a, b, i, matches = 0;
	const char	*match = NULL;

	if (len == 0)
		return -1;
	if (index_of(spec, len, &a) && a < n) {
		add(got, all.v[a]);
		return 0;
	}
	if (colon != NULL && strchr(colon + 1, ':') == NULL &&
	    digits(spec, (size_t)(colon - spec)) &&
	    digits(colon + 1, strlen(colon + 1))) {
		size_t	alen = (size_t)(colon - spec), blen = strlen(colon + 1);
		bool	ok = true;

		a = 0;
		b = n - 1;
		if (alen > 0 && !index_of(spec, alen, &a))
			ok = false;
		if (blen > 0 && (!index_of(colon + 1, blen, &b) || b >= n))
			ok = false;
		if (ok) {
			for (i = a; i <= b && i < n; i++)
				add(got, all.v[i]);
			return 0;
		}
	}
	for (i = 0; i < n; i++) {
		if (strncmp(all.v[i], spec, len) == 0) {
			match = all.v[i];
			matches++;
		}
	}
	if (matches != 1)
		return -1;
	add(got, match);
	return 0;
}

static size_t
position(const char *id)
{
	size_t	i;

	for (i = 0; i < all.n; i++) {
		if (strcmp(all.v[i], id) == 0)
			return i;
	}
	FUZZ_ASSERT(!"a selected id that is not a run");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_filter	 f;
	struct run_rows		 rows = RUN_ROWS_INIT;
	struct strvec		 specs = STRVEC_INIT, want = STRVEC_INIT;
	char			*text = fuzz_cstr(data, size), *line, *next;
	char			*cause = NULL, *one;
	bool			 filtered = false, deleted = false;
	int			 rc, wrc = 0;
	size_t			 i;

	if (ri == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	memset(&f, 0, sizeof f);
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (line[0] != '\0' && line[1] == ':' && strchr("oltcdsFS",
		    line[0]) != NULL) {
			const char	*arg = line + 2;

			filtered = true;
			switch (line[0]) {
			case 'o':
				strvec_push(&f.ops, arg);
				break;
			case 'l':
				strvec_push(&f.labels, arg);
				break;
			case 't':
				strvec_push(&f.tags, arg);
				break;
			case 'c':
				strvec_push(&f.comments, arg);
				break;
			case 'd':
				free(f.digest);
				f.digest = xstrdup(arg);
				break;
			case 's':
				free(f.started);
				f.started = xstrdup(arg);
				break;
			case 'F':
				free(f.expr);
				f.expr = xstrdup(arg);
				break;
			case 'S':
				for (; *arg != '\0'; arg++)
					f.status |= 1U << ((unsigned char)*arg %
					    RUN_STATUS_COUNT);
				break;
			}
		} else if (strcmp(line, "M") == 0)
			filtered = f.marked = true;
		else if (strcmp(line, "N") == 0)
			filtered = f.unmarked = true;
		else if (strcmp(line, "U") == 0)
			filtered = f.unlabeled = true;
		else if (strcmp(line, "D") == 0)
			deleted = true;
		else if (specs.n < MAX_SPECS)
			strvec_push(&specs, line);
	}

	rc = runsel_select(ri, &f, &specs, NULL, deleted, 0, &rows, &cause);
	FUZZ_ASSERT(rc == 0 || rc == -1);
	FUZZ_ASSERT((rc == -1) == (cause != NULL));
	if (!filtered && !deleted) {
		if (specs.n == 0) {
			for (i = 0; i < all.n; i++)
				strvec_push(&want, all.v[i]);
		}
		for (i = 0; i < specs.n && wrc == 0; i++)
			wrc = model(specs.v[i], &want);
		FUZZ_ASSERT(rc == wrc);
		if (rc == 0) {
			FUZZ_ASSERT(rows.n == want.n);
			for (i = 0; i < rows.n; i++) {
				FUZZ_ASSERT(strcmp(rows.v[i]->id,
				    want.v[i]) == 0);
				FUZZ_ASSERT(rows.v[i]->index == -1 ||
				    (size_t)rows.v[i]->index ==
				    position(rows.v[i]->id));
			}
		}
		/* runsel_one: the engine's way, without ranges. */
		for (i = 0; i < specs.n; i++) {
			struct strvec	w1 = STRVEC_INIT;
			char		*c1 = NULL;

			if (strchr(specs.v[i], ':') != NULL)
				continue;
			wrc = model(specs.v[i], &w1);
			one = runsel_one(&all, specs.v[i], &c1);
			FUZZ_ASSERT((one == NULL) == (wrc == -1));
			FUZZ_ASSERT((one == NULL) == (c1 != NULL));
			if (one != NULL)
				FUZZ_ASSERT(strcmp(one, w1.v[0]) == 0);
			free(one);
			free(c1);
			strvec_clear(&w1);
		}
	} else if (deleted && rc == 0)
		FUZZ_ASSERT(rows.n == 0);
	free(cause);
	run_rows_release(&rows);
	runsel_filter_release(&f);
	strvec_clear(&specs);
	strvec_clear(&want);
	free(text);
	return 0;
}
