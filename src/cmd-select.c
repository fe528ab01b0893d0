/*
 * cmd-select.c: selecting runs for commands (cmd-select.h).
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd-select.h"
#include "cmds.h"
#include "compat.h"
#include "format.h"
#include "home.h"
#include "run.h"
#include "runindex.h"
#include "runsel.h"
#include "strvec.h"
#include "util.h"

/*
 * Open the home's index, creating the home's directories when it can: a
 * home that cannot be written (read-only, a full disk, Guild AI's
 * without cache/) is still read, and a command that writes fails at
 * its own write.
 */
int
cmd_runs_open_index(struct cmd_ctx *ctx, struct runindex **idxp)
{
	struct guild_home	*home;
	char			*cause = NULL;

	*idxp = NULL;
	if ((home = cli_home(ctx)) == NULL)
		return 1;
	home_ensure(home, NULL);
	if ((*idxp = runindex_open(home, &cause)) == NULL)
		return cli_error_cause(cause);
	return 0;
}

/*
 * Select with a filter: specs (duplicates dropped), else default_spec.
 * limit > 0 loads only the first limit rows of the selection (total, when
 * not NULL, gets its size). Prints errors; returns 0 or the exit status.
 */
int
cmd_runs_select_rows(struct runindex *idx, const struct run_filter *f,
    const struct strvec *specs, const char *default_spec, bool deleted,
    unsigned what, size_t limit, struct run_rows *rows, size_t *total)
{
	struct strvec	 uniq = STRVEC_INIT;
	char		*cause = NULL;
	size_t		 i;
	int		 rc;

	/* "guild runs rm 1 1" deletes one run (Guild drops duplicate specs). */
	for (i = 0; specs != NULL && i < specs->n; i++)
		if (strvec_find(&uniq, specs->v[i]) == -1)
			strvec_push(&uniq, specs->v[i]);
	/*
	 * The newest run by default: the first row of the filtered runs, so
	 * that no runs at all is "nothing to do", not a failed look-up of
	 * run 0, and only one row is loaded.
	 */
	if (uniq.n == 0 && default_spec != NULL &&
	    strcmp(default_spec, "0") == 0) {
		default_spec = NULL;
		limit = 1;
	}
	rc = runsel_select_page(idx, f, &uniq, default_spec, deleted, what, 0,
	    limit, rows, total, &cause);
	strvec_clear(&uniq);
	if (rc == -1)
		return cli_error_cause(cause);
	return 0;
}

int
cmd_runs_select_page(struct cmd_ctx *ctx, struct cmd_args *a,
    const struct strvec *specs, const char *default_spec, bool deleted,
    unsigned what, size_t limit, struct runindex **idxp,
    struct run_rows *rows, size_t *total)
{
	struct run_filter	 f;
	char			*cause = NULL;
	int			 rc;

	*idxp = NULL;
	if (cli_run_filter(a, &f, &cause) == -1) {
		runsel_filter_release(&f);
		return cli_error_cause(cause);
	}
	if ((rc = cmd_runs_open_index(ctx, idxp)) == 0)
		rc = cmd_runs_select_rows(*idxp, &f, specs != NULL ? specs : &a->pos,
		    default_spec, deleted, what, limit, rows, total);
	runsel_filter_release(&f);
	if (rc != 0 && *idxp != NULL) {
		runindex_close(*idxp);
		*idxp = NULL;
	}
	return rc;
}

int
cmd_runs_select(struct cmd_ctx *ctx, struct cmd_args *a,
    const struct strvec *specs, const char *default_spec, bool deleted,
    unsigned what, struct runindex **idxp, struct run_rows *rows)
{
	return cmd_runs_select_page(ctx, a, specs, default_spec, deleted, what, 0,
	    idxp, rows, NULL);
}

/*
 * The table cells of a run: index ("[0:19c67a72]", or "[19c67a72]" when
 * index < 0), operation, started, status, label.
 */
void
cmd_runs_row_cells(const struct run_row *row, long index, bool marked_suffix,
    char **cells)
{
	char	*desc;

	if (index >= 0)
		cells[0] = xasprintf("[%ld:%.8s]",
		    index + (long)compat_index_base(), row->id);
	else
		cells[0] = xasprintf("[%.8s]", row->id);
	desc = format_op_str(row);
	if (marked_suffix && row->marked) {
		cells[1] = xasprintf("%s [marked]", desc);
		free(desc);
	} else
		cells[1] = desc;
	cells[2] = format_time_str(row->started);
	cells[3] = xstrdup(run_status_name(row->status));
	cells[4] = xstrdup(row->label != NULL ? row->label : "");
}

void
cmd_runs_cells_free(char **cells, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

/* The preview Guild shows before changing runs, on stderr. */
static void
preview_runs(const char *intro, const struct run_rows *rows)
{
	char	**cells;
	size_t	  i;

	fflush(stdout);
	fprintf(stderr, "%s\n", cli_text(stderr, intro));
	cells = xcalloc(rows->n * CMD_RUNS_ROW_NCOLS + 1, sizeof *cells);
	for (i = 0; i < rows->n; i++) {
		char	*c0;

		cmd_runs_row_cells(rows->v[i], -1, true, cells + i * CMD_RUNS_ROW_NCOLS);
		c0 = xasprintf("  %s", cells[i * CMD_RUNS_ROW_NCOLS]);
		free(cells[i * CMD_RUNS_ROW_NCOLS]);
		cells[i * CMD_RUNS_ROW_NCOLS] = c0;
	}
	cli_table(stderr, (const char *const *)cells, rows->n, CMD_RUNS_ROW_NCOLS);
	cmd_runs_cells_free(cells, rows->n * CMD_RUNS_ROW_NCOLS);
}

bool
cmd_runs_confirm(const struct run_rows *rows, const char *intro,
    const char *question, bool default_yes)
{
	preview_runs(intro, rows);
	return cli_confirm(question, default_yes);
}

int
cmd_runs_select_one(struct cmd_ctx *ctx, struct cmd_args *a, bool deleted,
    unsigned what, struct runindex **idxp, struct run_row **rowp)
{
	struct run_rows	 rows = RUN_ROWS_INIT;
	int		 rc;

	*rowp = NULL;
	if (a->pos.n > 1)
		return cli_error("only one RUN may be given (got %zu)", a->pos.n);
	if ((rc = cmd_runs_select(ctx, a, NULL, "0", deleted, what, idxp,
	    &rows)) != 0)
		return rc;
	if (rows.n == 0)
		rc = cli_error("no matching runs\n"
		    "Try 'guild runs list' to list available runs.");
	else if (rows.n > 1)
		rc = cli_error("'%s' matches %zu runs: specify one run",
		    a->pos.v[0], rows.n);
	else {
		*rowp = rows.v[0];
		rows.n = 0;
	}
	run_rows_release(&rows);
	if (rc != 0) {
		runindex_close(*idxp);
		*idxp = NULL;
	}
	return rc;
}

bool
cmd_runs_op_start(const struct cmd_runs_op *op, const struct run_rows *rows,
    bool yes, const char *intro, const char *question)
{
	if (rows->n == 0) {
		fflush(stdout);
		fprintf(stderr, "%s\n", op->nothing != NULL ? op->nothing :
		    "No matching runs\nTry 'guild runs list' to list available runs.");
		return false;
	}
	if (yes)
		return true;
	return cmd_runs_confirm(rows, intro, question, op->default_yes);
}

/* The index follows the directories anyway; tell it now so it is quick. */
void
cmd_runs_index_update(struct runindex *idx, const char *id, bool deleted)
{
	char	*cause = NULL;

	if (runindex_update(idx, id, deleted, NULL, &cause) == -1) {
		warnx_core("run index: %s", cause);
		free(cause);
	}
}

int
cmd_runs_change(struct runindex *idx, const struct run_rows *rows,
    cmd_runs_change_fn fn, void *arg, size_t *done)
{
	size_t	 i;
	int	 rc = 0;

	*done = 0;
	for (i = 0; i < rows->n; i++) {
		struct run	*run;
		char		*cause = NULL;

		if ((run = run_open(rows->v[i]->dir, &cause)) == NULL ||
		    fn(run, rows->v[i], arg, &cause) == -1) {
			cli_error_cause(cause);
			run_free(run);
			rc = 1;
			continue;
		}
		run_free(run);
		cmd_runs_index_update(idx, rows->v[i]->id, rows->v[i]->deleted);
		(*done)++;
	}
	return rc;
}
