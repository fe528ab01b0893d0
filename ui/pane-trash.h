/*
 * pane-trash.h: deleted runs, listed like the runs pane. Restore brings
 * runs back; purge deletes them for good.
 */
#ifndef GUILD_UI_PANE_TRASH_H
#define GUILD_UI_PANE_TRASH_H

struct pane_ops;

extern const struct pane_ops	pane_trash_ops;

#endif
