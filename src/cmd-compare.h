/*
 * cmd-compare.h: guild compare's table for other commands (guild api
 * compare).
 */
#ifndef GUILD_CMD_COMPARE_H
#define GUILD_CMD_COMPARE_H

struct run_rows;
struct value;

/*
 * The comparison of rows (loaded with RUNINDEX_FLAGS | RUNINDEX_SCALARS)
 * as Guild's compare data: a list of rows, the headings first ("id",
 * "operation", "started", "time", "status", "label", then the runs' flag
 * and scalar columns), then a row of values per run, null where a run
 * has none; no runs give an empty list. Takes the rows (rows is left
 * empty).
 */
struct value	*cmd_compare_value(struct run_rows *rows);

#endif
