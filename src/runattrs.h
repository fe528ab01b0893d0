/*
 * runattrs.h: the attrs Guild AI 0.9's run index gives a run beyond its
 * attr files (guild/index.py _run_attr_data): what the operation
 * declares (the opdef_attrs attr) and what the run logged as text
 * summaries (output-attrs, guild.summary: event files named *.attrs,
 * keys prefixed by their directory as "dir#key"), the logged ones over
 * the declared ones. compare shows them as columns, select --min/--max
 * and compare's .NAME columns find them.
 */
#ifndef GUILD_RUNATTRS_H
#define GUILD_RUNATTRS_H

#include <stdbool.h>

struct value;

/* A map (empty when the run has none); never NULL. */
struct value	*runattrs_read(const char *run_dir);

/* Guild's index CORE_ATTRS (id, run, operation...): never other attrs. */
bool		 runattrs_is_core(const char *name);

#endif
