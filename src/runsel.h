/*
 * runsel.h: which runs a run spec means, shared by every command that
 * takes runs.
 *
 * Runs are numbered from 0, newest first (by started, else initialized),
 * as in the walkthrough: "0" is the newest run, "1" the one before. A
 * spec that is not an index in range is an id prefix; a prefix that
 * matches several runs is an error listing them.
 */
#ifndef GUILD_RUNSEL_H
#define GUILD_RUNSEL_H

#include "strvec.h"

/* Ids of the runs in runs_dir, newest first. */
int	 runsel_list(const char *runs_dir, struct strvec *ids, char **cause);
/* The id one spec names among ids (as runsel_list orders them). */
char	*runsel_one(const struct strvec *ids, const char *spec, char **cause);

#endif
