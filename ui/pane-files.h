/*
 * pane-files.h: the files of a run, as guild ls lists them, with sizes.
 * Enter shows a file in the text viewer (pane-text.h).
 */
#ifndef GUILD_UI_PANE_FILES_H
#define GUILD_UI_PANE_FILES_H

struct pane_ops;

extern const struct pane_ops	pane_files_ops;

#endif
