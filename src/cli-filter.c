/*
 * cli-filter.c: the run filter options every command that takes runs
 * shares, and the struct run_filter they give.
 *
 * Guild 0.9's -F?/-S? names come first; the short aliases Guild 0.6-0.8
 * had (-o, -l, -U, -M, -N, -D, -R, -C, -E, -T, -P, -G) are kept because
 * the walkthrough era and many scripts use them. A command's own option
 * with the same short name wins (the parser looks at the command's
 * options first), so "guild comment -l" is still --list.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "run.h"
#include "runsel.h"

enum {
	F_OPERATION = CMD_FILTER_BASE,
	F_LABEL,
	F_UNLABELED,
	F_TAG,
	F_COMMENT,
	F_MARKED,
	F_UNMARKED,
	F_STARTED,
	F_DIGEST,
	F_EXPR,
	F_STATUS_CHARS,
	F_RUNNING,
	F_COMPLETED,
	F_ERROR,
	F_TERMINATED,
	F_PENDING,
	F_STAGED,
	F_NOT_RUNNING,
	F_NOT_COMPLETED,
	F_NOT_ERROR,
	F_NOT_TERMINATED,
	F_NOT_PENDING,
	F_NOT_STAGED,
	F_LAST			/* must stay <= CMD_MAX_OPTIONS */
};

const struct cmd_option run_filter_options[] = {
	{ F_EXPR, "F", "filter", "EXPR",
	  "Filter runs with an expression over attrs, flags and scalars." },
	{ F_OPERATION, "Fo|o", "operation", "VAL",
	  "Filter runs by operation (repeatable)." },
	{ F_LABEL, "Fl|l", "label", "VAL",
	  "Filter runs by label ('-' for unlabeled; repeatable)." },
	{ F_UNLABELED, "Fu|U", "unlabeled", NULL,
	  "Filter runs without a label." },
	{ F_TAG, "Ft", "tag", "TAG", "Filter runs by tag (repeatable)." },
	{ F_COMMENT, "Fc", "comment", "VAL",
	  "Filter runs by comment text (repeatable)." },
	{ F_MARKED, "Fm|M", "marked", NULL, "Filter marked runs." },
	{ F_UNMARKED, "Fn|N", "unmarked", NULL, "Filter unmarked runs." },
	{ F_STARTED, "Fs", "started", "RANGE",
	  "Filter runs started in RANGE ('last hour', 'today', ...)." },
	{ F_DIGEST, "Fd|D", "digest", "VAL",
	  "Filter runs by source code digest prefix." },
	{ F_STATUS_CHARS, "S", NULL, "CHARS",
	  "Filter by status letters: r c e t p s (e.g. -Set)." },
	{ F_RUNNING, "Sr|R", "running", NULL, "Filter running runs." },
	{ F_COMPLETED, "Sc|C", "completed", NULL, "Filter completed runs." },
	{ F_ERROR, "Se|E", "error", NULL, "Filter runs that ended in error." },
	{ F_TERMINATED, "St|T", "terminated", NULL,
	  "Filter terminated runs." },
	{ F_PENDING, "Sp|P", "pending", NULL, "Filter pending runs." },
	{ F_STAGED, "Ss|G", "staged", NULL, "Filter staged runs." },
	{ F_NOT_RUNNING, NULL, "not-running", NULL, "Leave out running runs." },
	{ F_NOT_COMPLETED, NULL, "not-completed", NULL,
	  "Leave out completed runs." },
	{ F_NOT_ERROR, NULL, "not-error", NULL,
	  "Leave out runs that ended in error." },
	{ F_NOT_TERMINATED, NULL, "not-terminated", NULL,
	  "Leave out terminated runs." },
	{ F_NOT_PENDING, NULL, "not-pending", NULL, "Leave out pending runs." },
	{ F_NOT_STAGED, NULL, "not-staged", NULL, "Leave out staged runs." },
	{ 0 }
};

_Static_assert(F_LAST <= CMD_MAX_OPTIONS, "filter option ids overflow");

static int
status_chars(const char *chars, unsigned *status, char **cause)
{
	const char	*p;

	for (p = chars; *p != '\0'; p++) {
		switch (*p) {
		case 'r':
			*status |= 1u << RUN_STATUS_RUNNING;
			break;
		case 'c':
			*status |= 1u << RUN_STATUS_COMPLETED;
			break;
		case 'e':
			*status |= 1u << RUN_STATUS_ERROR;
			break;
		case 't':
			*status |= 1u << RUN_STATUS_TERMINATED;
			break;
		case 'p':
			*status |= 1u << RUN_STATUS_PENDING;
			break;
		case 's':
			*status |= 1u << RUN_STATUS_STAGED;
			break;
		default:
			return set_cause(cause, "unrecognized status char '%c' "
			    "in option '-S'", *p);
		}
	}
	return 0;
}

static void
push_all(struct strvec *to, const struct strvec *from)
{
	size_t	i;

	for (i = 0; i < from->n; i++)
		strvec_push(to, from->v[i]);
}

int
cli_run_filter(const struct cmd_args *a, struct run_filter *f, char **cause)
{
	static const struct {
		int		id, not_id;
		enum run_status	status;
	} flags[] = {
		{ F_RUNNING, F_NOT_RUNNING, RUN_STATUS_RUNNING },
		{ F_COMPLETED, F_NOT_COMPLETED, RUN_STATUS_COMPLETED },
		{ F_ERROR, F_NOT_ERROR, RUN_STATUS_ERROR },
		{ F_TERMINATED, F_NOT_TERMINATED, RUN_STATUS_TERMINATED },
		{ F_PENDING, F_NOT_PENDING, RUN_STATUS_PENDING },
		{ F_STAGED, F_NOT_STAGED, RUN_STATUS_STAGED },
	};
	const char	*v;
	unsigned	 not_status = 0;
	size_t		 i;

	memset(f, 0, sizeof *f);
	push_all(&f->ops, &a->values[F_OPERATION]);
	push_all(&f->labels, &a->values[F_LABEL]);
	push_all(&f->tags, &a->values[F_TAG]);
	push_all(&f->comments, &a->values[F_COMMENT]);
	f->unlabeled = cmd_arg_has(a, F_UNLABELED);
	f->marked = cmd_arg_has(a, F_MARKED);
	f->unmarked = cmd_arg_has(a, F_UNMARKED);
	if ((v = cmd_arg_value(a, F_STARTED)) != NULL)
		f->started = xstrdup(v);
	if ((v = cmd_arg_value(a, F_DIGEST)) != NULL)
		f->digest = xstrdup(v);
	/* Several -F expressions must all hold. */
	for (i = 0; i < a->values[F_EXPR].n; i++) {
		char	*expr;

		v = a->values[F_EXPR].v[i];
		if (f->expr == NULL)
			expr = xstrdup(v);
		else
			expr = xasprintf("(%s) and (%s)", f->expr, v);
		free(f->expr);
		f->expr = expr;
	}
	for (i = 0; i < a->values[F_STATUS_CHARS].n; i++)
		if (status_chars(a->values[F_STATUS_CHARS].v[i], &f->status,
		    cause) == -1)
			return -1;
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		if (cmd_arg_has(a, flags[i].id))
			f->status |= 1u << flags[i].status;
		if (cmd_arg_has(a, flags[i].not_id))
			not_status |= 1u << flags[i].status;
	}
	/*
	 * As Guild: the runs with any of the statuses asked for, and none of
	 * those left out. Leaving out every status selects nothing: the bit
	 * past the statuses keeps the mask from reading "any".
	 */
	if (not_status != 0) {
		if (f->status == 0)
			f->status = (1u << RUN_STATUS_COUNT) - 1;
		f->status &= ~not_status;
		if (f->status == 0)
			f->status = 1u << RUN_STATUS_COUNT;
	}
	return runsel_filter_check(f, cause);
}
