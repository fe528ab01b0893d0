/*
 * cmds.h: the command entries, one per cmd-*.c file, gathered into the
 * table in main.c.
 */
#ifndef GUILD_CMDS_H
#define GUILD_CMDS_H

#include "cli.h"

extern const struct cmd_entry	cmd_help_entry;
extern const struct cmd_entry	cmd_models_entry;
extern const struct cmd_entry	cmd_ops_entry;
extern const struct cmd_entry	cmd_run_entry;
extern const struct cmd_entry	cmd_watch_entry;

#endif
