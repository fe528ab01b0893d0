/*
 * pane-info.h: one run in detail, as guild runs info shows it, with
 * scalars (last, min, max and a sparkline each). Opened with the run's id
 * (a char *, copied); rebuilt while the run is live.
 */
#ifndef GUILD_UI_PANE_INFO_H
#define GUILD_UI_PANE_INFO_H

struct pane_ops;

extern const struct pane_ops	pane_info_ops;

#endif
