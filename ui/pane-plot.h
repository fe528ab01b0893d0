/*
 * pane-plot.h: one scalar of one or more runs against its step, in
 * braille dots, half blocks or ASCII, a colour (or symbol) per run.
 */
#ifndef GUILD_UI_PANE_PLOT_H
#define GUILD_UI_PANE_PLOT_H

struct pane_ops;

extern const struct pane_ops	pane_plot_ops;

#endif
