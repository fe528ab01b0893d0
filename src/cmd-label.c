/*
 * cmd-label.c: guild label, tag and mark (also "guild runs label", ...):
 * the attrs people set on runs. Each writes to the run directory first
 * (run_attr_write: atomically), then tells the index; messages,
 * previews and questions are Guild 0.9's.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd-select.h"
#include "cmds.h"
#include "flags.h"
#include "run.h"
#include "runindex.h"
#include "runops.h"
#include "runsel.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"

/* Words of s, split on white space. */
static void
split_words(const char *s, struct strvec *out)
{
	const char	*p = s;

	for (;;) {
		size_t	n;

		p += strspn(p, " \t\r\n");
		if (*p == '\0')
			break;
		n = strcspn(p, " \t\r\n");
		strvec_push_nodup(out, xstrndup(p, n));
		p += n;
	}
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Remove every occurrence of part that stands between white space (or
 * the ends) from label; what is left is joined by single spaces.
 */
static char *
label_remove(const char *label, const char *part)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct strvec	 words = STRVEC_INIT;
	size_t		 plen = strlen(part);
	const char	*p = label, *hit;
	char		*out;

	if (plen == 0)
		return xstrdup(label);
	while ((hit = strstr(p, part)) != NULL) {
		bool	before = hit == label || is_space(hit[-1]);
		bool	after = hit[plen] == '\0' || is_space(hit[plen]);

		if (before && after) {
			strbuf_add(&sb, p, (size_t)(hit - p));
			strbuf_addch(&sb, ' ');
		} else
			strbuf_add(&sb, p, (size_t)(hit - p) + plen);
		p = hit + plen;
	}
	strbuf_addstr(&sb, p);
	split_words(sb.buf, &words);
	out = strvec_join(&words, " ");
	strvec_clear(&words);
	strbuf_release(&sb);
	return out;
}

/*
 * guild label
 */

enum {
	LABEL_SET = 1,
	LABEL_PREPEND,
	LABEL_APPEND,
	LABEL_REMOVE,
	LABEL_CLEAR,
	LABEL_YES,
};

static const struct cmd_option label_options[] = {
	{ LABEL_SET, "s", "set", "VAL",
	  "Set the label (${flag} inserts a flag value)." },
	{ LABEL_PREPEND, "p", "prepend", "VAL", "Prepend VAL to the label." },
	{ LABEL_APPEND, "a", "append", "VAL", "Append VAL to the label." },
	{ LABEL_REMOVE, "rm", "remove", "VAL",
	  "Remove VAL from the label (may be repeated)." },
	{ LABEL_CLEAR, "c", "clear", NULL, "Clear the label." },
	{ LABEL_YES, "y", "yes", NULL, "Do not prompt." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

/* A label template over the run's flags, ${label} being the old label. */
static char *
label_render(struct run *run, const char *tmpl, const char *old)
{
	struct value	*flags = NULL, *vals;
	char		*s, *t;

	if (run_attr_read(run, "flags", &flags, NULL) == -1 || flags == NULL ||
	    flags->type != VALUE_MAP) {
		value_free(flags);
		vals = value_map();
	} else
		vals = flags;
	value_map_set(vals, "label", value_string(old));
	s = flags_label(tmpl, vals);
	value_free(vals);
	t = str_trim(s);
	free(s);
	return t;
}

static int
label_change(struct run *run, const struct run_row *row, void *arg,
    char **cause)
{
	struct cmd_args	*a = arg;
	const char	*old = row->label != NULL ? row->label : "";
	char		*label, *part, *next;
	size_t		 i;
	int		 rc;

	if (cmd_arg_has(a, LABEL_CLEAR))
		return run_set_label(run, NULL, cause);
	if (cmd_arg_has(a, LABEL_SET))
		label = label_render(run, cmd_arg_value(a, LABEL_SET), old);
	else if (cmd_arg_has(a, LABEL_PREPEND)) {
		part = label_render(run, cmd_arg_value(a, LABEL_PREPEND), old);
		next = xasprintf("%s %s", part, old);
		label = str_trim(next);
		free(next);
		free(part);
	} else if (cmd_arg_has(a, LABEL_APPEND)) {
		part = label_render(run, cmd_arg_value(a, LABEL_APPEND), old);
		next = xasprintf("%s %s", old, part);
		label = str_trim(next);
		free(next);
		free(part);
	} else {
		label = xstrdup(old);
		for (i = 0; i < a->values[LABEL_REMOVE].n; i++) {
			next = label_remove(label, a->values[LABEL_REMOVE].v[i]);
			free(label);
			label = next;
		}
	}
	rc = run_set_label(run, label, cause);
	free(label);
	return rc;
}

static int
cmd_label_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const struct cmd_runs_op	 op = { "No runs to modify.", true };
	static const int		 ids[] = { LABEL_SET, LABEL_PREPEND,
	    LABEL_APPEND, LABEL_REMOVE, LABEL_CLEAR };
	static const char *const	 names[] = { "--set", "--prepend",
	    "--append", "--remove", "--clear" };
	struct runindex			*idx;
	struct run_rows			 rows = RUN_ROWS_INIT;
	char				*intro, *removed;
	size_t				 i, done;
	int				 rc, first = -1;

	/* Exactly one way of changing the label (--remove may repeat). */
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		if (!cmd_arg_has(a, ids[i]))
			continue;
		if (first != -1)
			return cli_error("%s and %s cannot both be used",
			    names[first], names[i]);
		first = (int)i;
	}
	if (first == -1)
		return cli_error("specify one of --set, --prepend, --append, "
		    "--remove or --clear\n"
		    "Try 'guild label --help' for more information.");
	if ((rc = cmd_runs_select(ctx, a, NULL, "0", false, 0, &idx,
	    &rows)) != 0)
		return rc;
	switch (ids[first]) {
	case LABEL_SET:
		intro = xasprintf("You are about to label the following runs "
		    "with '%s':", cmd_arg_value(a, LABEL_SET));
		break;
	case LABEL_PREPEND:
		intro = xasprintf("You are about to prepend '%s' to the label "
		    "of the following runs:", cmd_arg_value(a, LABEL_PREPEND));
		break;
	case LABEL_APPEND:
		intro = xasprintf("You are about to append '%s' to the label "
		    "of the following runs:", cmd_arg_value(a, LABEL_APPEND));
		break;
	case LABEL_REMOVE:
		removed = strvec_join(&a->values[LABEL_REMOVE], " ");
		intro = xasprintf("You are about to remove '%s' from the label "
		    "of the following runs:", removed);
		free(removed);
		break;
	default:
		intro = xstrdup("You are about to clear the label of the "
		    "following runs:");
		break;
	}
	if (cmd_runs_op_start(&op, &rows, cmd_arg_has(a, LABEL_YES), intro,
	    "Continue?")) {
		rc = cmd_runs_change(idx, &rows, label_change, a, &done);
		if (ids[first] == LABEL_CLEAR)
			cli_note("Cleared label for %zu run(s)", done);
		else
			cli_note("Labeled %zu run(s)", done);
	}
	free(intro);
	run_rows_release(&rows);
	runindex_close(idx);
	return rc;
}

const struct cmd_entry cmd_label_entry = {
	.name = "label",
	.usage = "[RUN...]",
	.summary = "Set run labels.",
	.description =
	    "Exactly one of --set, --prepend, --append, --remove or --clear.\n"
	    "RUN defaults to the newest run. VAL may use ${flag} to insert a\n"
	    "flag value of each run, and ${label} for its current label.",
	.options = label_options,
	.filter_options = run_filter_options,
	.exec = cmd_label_exec,
};

/*
 * guild tag
 */

enum {
	TAG_ADD = 1,
	TAG_DELETE,
	TAG_CLEAR,
	TAG_SYNC,
	TAG_LIST_ALL,
	TAG_YES,
};

static const struct cmd_option tag_options[] = {
	{ TAG_ADD, "a", "add", "TAG", "Add TAG (may be repeated)." },
	{ TAG_DELETE, "d", "delete", "TAG", "Delete TAG (may be repeated)." },
	{ TAG_CLEAR, "c", "clear", NULL, "Delete every tag first." },
	{ TAG_SYNC, "s", "sync-labels", NULL,
	  "Update labels too: added tags are prepended, deleted ones removed." },
	{ TAG_LIST_ALL, NULL, "list-all", NULL,
	  "List the tags of the selected runs (default: all runs)." },
	{ TAG_YES, "y", "yes", NULL, "Do not prompt." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

static int
tag_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
tag_change(struct run *run, const struct run_row *row, void *arg,
    char **cause)
{
	struct cmd_args	*a = arg;
	struct strvec	 tags = STRVEC_INIT, removed = STRVEC_INIT;
	size_t		 i;
	int		 rc;

	if (cmd_arg_has(a, TAG_CLEAR))
		strvec_pushv(&removed, (const char *const *)row->tags.v);
	else
		for (i = 0; i < a->values[TAG_DELETE].n; i++)
			strvec_push(&removed, a->values[TAG_DELETE].v[i]);
	for (i = 0; i < row->tags.n; i++)
		if (strvec_find(&removed, row->tags.v[i]) == -1 &&
		    strvec_find(&tags, row->tags.v[i]) == -1)
			strvec_push(&tags, row->tags.v[i]);
	for (i = 0; i < a->values[TAG_ADD].n; i++)
		if (strvec_find(&tags, a->values[TAG_ADD].v[i]) == -1)
			strvec_push(&tags, a->values[TAG_ADD].v[i]);
	if (tags.n > 0)
		qsort(tags.v, tags.n, sizeof *tags.v, tag_cmp);
	rc = run_set_tags(run, &tags, cause);

	if (rc == 0 && cmd_arg_has(a, TAG_SYNC)) {
		struct strvec	 words = STRVEC_INIT, front = STRVEC_INIT;
		char		*label = xstrdup(row->label != NULL ?
		    row->label : ""), *next, *prefix;

		for (i = 0; i < removed.n; i++) {
			next = label_remove(label, removed.v[i]);
			free(label);
			label = next;
		}
		split_words(row->label != NULL ? row->label : "", &words);
		for (i = 0; i < a->values[TAG_ADD].n; i++) {
			const char	*t = a->values[TAG_ADD].v[i];

			if (strvec_find(&words, t) == -1 &&
			    strvec_find(&front, t) == -1)
				strvec_push(&front, t);
		}
		if (front.n > 0) {
			prefix = strvec_join(&front, " ");
			next = xasprintf("%s %s", prefix, label);
			free(label);
			label = str_trim(next);
			free(next);
			free(prefix);
		}
		rc = run_set_label(run, label, cause);
		free(label);
		strvec_clear(&words);
		strvec_clear(&front);
	}
	strvec_clear(&tags);
	strvec_clear(&removed);
	return rc;
}

static int
cmd_tag_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const struct cmd_runs_op	 op = { "No runs to modify.", true };
	struct runindex			*idx;
	struct run_rows			 rows = RUN_ROWS_INIT;
	struct strvec			 all = STRVEC_INIT;
	size_t				 i, j, done;
	bool				 list = cmd_arg_has(a, TAG_LIST_ALL);
	int				 rc;

	if (!list && !cmd_arg_has(a, TAG_ADD) && !cmd_arg_has(a, TAG_DELETE) &&
	    !cmd_arg_has(a, TAG_CLEAR))
		return cli_error("specify one of --add, --delete, --clear or "
		    "--list-all\nTry 'guild tag --help' for more information.");
	if (list && (cmd_arg_has(a, TAG_ADD) || cmd_arg_has(a, TAG_DELETE) ||
	    cmd_arg_has(a, TAG_CLEAR)))
		return cli_error("--list-all cannot be used with --add, "
		    "--delete or --clear");
	if ((rc = cmd_runs_select(ctx, a, NULL, list ? ":" : "0", false, 0,
	    &idx, &rows)) != 0)
		return rc;
	if (list) {
		for (i = 0; i < rows.n; i++)
			for (j = 0; j < rows.v[i]->tags.n; j++)
				if (strvec_find(&all, rows.v[i]->tags.v[j]) == -1)
					strvec_push(&all, rows.v[i]->tags.v[j]);
		strvec_sort(&all);
		for (i = 0; i < all.n; i++)
			printf("%s\n", cli_field(stdout, all.v[i]));
		strvec_clear(&all);
	} else if (cmd_runs_op_start(&op, &rows, cmd_arg_has(a, TAG_YES),
	    cmd_arg_has(a, TAG_SYNC) ?
	    "You are about to modify tags and labels for the following runs:" :
	    "You are about to modify tags for the following runs\n"
	    "(their labels stay as they are: --sync-labels updates them too):",
	    "Continue?")) {
		rc = cmd_runs_change(idx, &rows, tag_change, a, &done);
		cli_note("Modified tags for %zu run(s)", done);
	}
	run_rows_release(&rows);
	runindex_close(idx);
	return rc;
}

const struct cmd_entry cmd_tag_entry = {
	.name = "tag",
	.usage = "[RUN...]",
	.summary = "Add or remove run tags.",
	.description =
	    "RUN defaults to the newest run. Tags are kept sorted; --clear\n"
	    "removes every tag before --add adds new ones.",
	.options = tag_options,
	.filter_options = run_filter_options,
	.exec = cmd_tag_exec,
};

/*
 * guild mark
 */

enum {
	MARK_CLEAR = 1,
	MARK_YES,
};

static const struct cmd_option mark_options[] = {
	{ MARK_CLEAR, "c", "clear", NULL, "Unmark the runs." },
	{ MARK_YES, "y", "yes", NULL, "Do not prompt." },
	{ 0 }
};

static int
mark_change(struct run *run, const struct run_row *row UNUSED, void *arg,
    char **cause)
{
	return run_set_marked(run, arg == NULL, cause);
}

static int
cmd_mark_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const struct cmd_runs_op	 op_mark = { "No runs to mark.", true };
	static const struct cmd_runs_op	 op_clear = { "No runs to unmark.", true };
	struct run_filter		 f;
	struct runindex			*idx;
	struct run_rows			 rows = RUN_ROWS_INIT;
	bool				 clear = cmd_arg_has(a, MARK_CLEAR);
	char				*cause = NULL;
	size_t				 done;
	int				 rc;

	if (cli_run_filter(a, &f, &cause) == -1) {
		runsel_filter_release(&f);
		return cli_error_cause(cause);
	}
	/* Without RUN, --clear unmarks every marked run (Guild). */
	if (clear && a->pos.n == 0)
		f.marked = true;
	if ((rc = cmd_runs_open_index(ctx, &idx)) == 0)
		rc = cmd_runs_select_rows(idx, &f, &a->pos, clear ? ":" : "0", false, 0,
		    0, &rows, NULL);
	runsel_filter_release(&f);
	if (rc != 0)
		goto out;
	if (cmd_runs_op_start(clear ? &op_clear : &op_mark, &rows,
	    cmd_arg_has(a, MARK_YES), clear ?
	    "You are about to unmark the following runs:" :
	    "You are about to mark the following runs:", "Continue?")) {
		rc = cmd_runs_change(idx, &rows, mark_change, clear ? a : NULL,
		    &done);
		cli_note("%s %zu run(s)", clear ? "Unmarked" : "Marked", done);
	}
out:
	run_rows_release(&rows);
	if (idx != NULL)
		runindex_close(idx);
	return rc;
}

const struct cmd_entry cmd_mark_entry = {
	.name = "mark",
	.usage = "[RUN...]",
	.summary = "Mark a run.",
	.description =
	    "Marked runs are shown with [marked] and are preferred when a\n"
	    "later operation needs one of their files. RUN defaults to the\n"
	    "newest run; with --clear, to every marked run.",
	.options = mark_options,
	.filter_options = run_filter_options,
	.exec = cmd_mark_exec,
};
