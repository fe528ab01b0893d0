/* runsel.c: run specs: indexes and id prefixes. */
#include "common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "runsel.h"
#include "strbuf.h"
#include "util.h"

struct entry {
	char	*id;
	int64_t	 ts;
};

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry	*x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts > y->ts ? -1 : 1;
	return strcmp(x->id, y->id);
}

int
runsel_list(const char *runs_dir, struct strvec *out, char **cause)
{
	struct strvec	 ids = STRVEC_INIT;
	struct entry	*e;
	size_t		 i;

	if (run_list(runs_dir, &ids, cause) == -1)
		return -1;
	e = xcalloc(ids.n + 1, sizeof *e);
	for (i = 0; i < ids.n; i++) {
		char		*path = path_join(runs_dir, ids.v[i]);
		struct run	*run = run_open(path, NULL);

		e[i].id = ids.v[i];
		e[i].ts = run != NULL ? run_timestamp(run) : 0;
		run_free(run);
		free(path);
	}
	qsort(e, ids.n, sizeof *e, entry_cmp);
	for (i = 0; i < ids.n; i++)
		strvec_push(out, e[i].id);
	free(e);
	strvec_clear(&ids);
	return 0;
}

char *
runsel_one(const struct strvec *ids, const char *spec, char **cause)
{
	struct strvec	 matches = STRVEC_INIT;
	const char	*p;
	size_t		 i, len = strlen(spec);
	char		*id;

	for (p = spec; *p != '\0' && isdigit((unsigned char)*p); p++)
		;
	if (*spec != '\0' && *p == '\0' && len < 10) {
		unsigned long	n = strtoul(spec, NULL, 10);

		if (n < ids->n)
			return xstrdup(ids->v[n]);
	}
	if (len == 0) {
		set_cause(cause, "empty run spec");
		return NULL;
	}
	for (i = 0; i < ids->n; i++)
		if (strncmp(ids->v[i], spec, len) == 0)
			strvec_push(&matches, ids->v[i]);
	if (matches.n == 1) {
		id = xstrdup(matches.v[0]);
		strvec_clear(&matches);
		return id;
	}
	if (matches.n == 0)
		set_cause(cause, "could not find a run matching '%s'\n"
		    "Try 'guild runs list' for a list.", spec);
	else {
		struct strbuf	sb = STRBUF_INIT;

		strbuf_addf(&sb, "'%s' matches multiple runs:", spec);
		for (i = 0; i < matches.n; i++)
			strbuf_addf(&sb, "\n  %.8s", matches.v[i]);
		set_cause(cause, "%s", sb.buf);
		strbuf_release(&sb);
	}
	strvec_clear(&matches);
	return NULL;
}
