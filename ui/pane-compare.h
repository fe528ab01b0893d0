/*
 * pane-compare.h: the runs side by side, a row per run and a column per
 * field, flag and scalar, as guild compare; columns sort, hide and
 * move.
 */
#ifndef GUILD_UI_PANE_COMPARE_H
#define GUILD_UI_PANE_COMPARE_H

struct pane_ops;

extern const struct pane_ops	pane_compare_ops;

#endif
