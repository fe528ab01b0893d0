/*
 * pane-output.h: the output of the selected run, followed live while
 * the run is, cooked (no escape sequence from the run reaches the
 * terminal) and kept in a ring with a line and a byte budget.
 */
#ifndef GUILD_UI_PANE_OUTPUT_H
#define GUILD_UI_PANE_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

struct pane;
struct pane_ops;
struct run_row;

extern const struct pane_ops	pane_output_ops;

/* Show and follow this run's output (NULL: none). */
void		 output_follow_run(struct pane *, const struct run_row *);
/* The last line it shows (benchmarks); false when none. */
bool		 output_last_line(struct pane *, const char **text, size_t *len);

#endif
