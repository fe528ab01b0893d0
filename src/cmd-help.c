/* cmd-help.c: guild help, the project's help generated from guild.yml. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-run.h"
#include "cmds.h"
#include "flagimport.h"
#include "flags.h"
#include "guildfile.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"

enum {
	OPT_NO_PAGER = 1,
};

static const struct cmd_option help_options[] = {
	{ OPT_NO_PAGER, "n", "no-pager", NULL, "Do not use a pager to show help." },
	{ 0 }
};

/* Add text indented by n spaces, every line of it. */
static void
add_indented(struct strbuf *sb, int n, const char *text)
{
	while (*text != '\0') {
		size_t	len = strcspn(text, "\n");

		if (len > 0) {
			strbuf_addchars(sb, ' ', (size_t)n);
			strbuf_add(sb, text, len);
		}
		strbuf_addch(sb, '\n');
		text += len;
		if (*text == '\n')
			text++;
	}
}

static int
flag_cmp(const void *a, const void *b)
{
	return natcmp((*(struct flagdef *const *)a)->name,
	    (*(struct flagdef *const *)b)->name);
}

static int
op_cmp(const void *a, const void *b)
{
	return natcmp((*(struct opdef *const *)a)->name,
	    (*(struct opdef *const *)b)->name);
}

static void
add_flags(struct strbuf *sb, const struct opdef *op)
{
	struct flagdef	**flags;
	size_t		  i, width = 0;

	if (op->nflags == 0)
		return;
	flags = xmemdup(op->flags, op->nflags * sizeof *flags);
	qsort(flags, op->nflags, sizeof *flags, flag_cmp);
	for (i = 0; i < op->nflags; i++)
		if (strlen(flags[i]->name) > width)
			width = strlen(flags[i]->name);
	strbuf_addstr(sb, "\n          Flags:\n");
	for (i = 0; i < op->nflags; i++) {
		const struct flagdef	*f = flags[i];
		struct strbuf		 line = STRBUF_INIT;
		size_t			 c;

		strbuf_addf(&line, "            %-*s  ", (int)width, f->name);
		bool has_desc = f->description != NULL && *f->description != '\0';

		if (has_desc)
			strbuf_add(&line, f->description, strcspn(f->description, "\n"));
		if (f->required)
			strbuf_addstr(&line, has_desc ? " (required)" : "(required)");
		else if (f->default_value != NULL &&
		    f->default_value->type != VALUE_NULL) {
			strbuf_addstr(&line, has_desc ? " (default is " : "(default is ");
			/* Guild's format_flag: 'Hello Guild!' quoted. */
			flag_format(&line, f->default_value, false);
			strbuf_addch(&line, ')');
		}
		strbuf_rtrim(&line);
		strbuf_addf(sb, "%s\n", line.buf);
		strbuf_release(&line);
		if (f->nchoices > 0) {
			strbuf_addf(sb, "            %*s  Choices:", (int)width, "");
			for (c = 0; c < f->nchoices; c++) {
				strbuf_addstr(sb, c == 0 ? " " : ", ");
				value_format_flag(sb, f->choices[c].value);
			}
			strbuf_addch(sb, '\n');
		}
	}
	free(flags);
}

static void
add_model(struct strbuf *sb, const struct modeldef *m)
{
	struct opdef	**ops;
	size_t		  i, shown = 0;

	strbuf_addf(sb, "\n    %s\n", *m->name != '\0' ? m->name : "(anonymous)");
	if (m->description != NULL && *m->description != '\0') {
		strbuf_addch(sb, '\n');
		add_indented(sb, 6, m->description);
	}
	if (m->nops > 0) {
		ops = xmemdup(m->ops, m->nops * sizeof *ops);
		qsort(ops, m->nops, sizeof *ops, op_cmp);
		strbuf_addstr(sb, "\n      Operations:\n");
		for (i = 0; i < m->nops; i++) {
			if (ops[i]->name[0] == '_')
				continue;
			strbuf_addf(sb, "\n        %s\n", ops[i]->name);
			if (ops[i]->description != NULL && *ops[i]->description != '\0')
				add_indented(sb, 10, ops[i]->description);
			add_flags(sb, ops[i]);
			shown++;
		}
		free(ops);
	}
	if (m->nresources > 0) {
		size_t	width = 0;

		for (i = 0; i < m->nresources; i++)
			if (strlen(m->resources[i]->name) > width)
				width = strlen(m->resources[i]->name);
		strbuf_addstr(sb, "\n      Resources:\n");
		for (i = 0; i < m->nresources; i++) {
			const struct resdef	*r = m->resources[i];
			struct strbuf		 line = STRBUF_INIT;

			strbuf_addf(&line, "        %-*s  ", (int)width, r->name);
			if (r->description != NULL && *r->description != '\0')
				strbuf_add(&line, r->description,
				    strcspn(r->description, "\n"));
			strbuf_rtrim(&line);
			strbuf_addf(sb, "%s\n", line.buf);
			strbuf_release(&line);
		}
	}
}

/*
 * The flags of the operations' scripts, as guild run imports them (and
 * Guild lists them in its help); a script that cannot be read is a
 * warning, as in Guild, and its operation shows the flags it declares.
 */
static void
import_flags(struct cmd_ctx *ctx, struct guildfile *gf)
{
	struct guild_home	*home = cli_home(ctx);
	char			*cause = NULL;
	size_t			 i, k;

	if (home == NULL)
		return;
	for (i = 0; i < gf->nmodels; i++)
		for (k = 0; k < gf->models[i]->nops; k++) {
			struct opdef	*op = gf->models[i]->ops[k];

			if (op->name[0] == '_' || op->error != NULL)
				continue;
			if (flags_import_apply(home, op, &cause) == -1) {
				cli_note("guild: warning: %s", cause);
				free(cause);
				cause = NULL;
			}
		}
}

static int
cmd_help_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guildfile	*gf;
	struct strbuf		 sb = STRBUF_INIT;
	char			*cause = NULL, *where;
	size_t			 i;

	if (a->pos.n > 1)
		return cli_error("help takes at most one PATH");
	if (a->pos.n == 1 && !path_exists(a->pos.v[0]) &&
	    strchr(a->pos.v[0], '/') == NULL) {
		/* "guild help gpkg.hello": an installed package's. */
		if ((gf = run_package_named(ctx, a->pos.v[0], &cause)) == NULL)
			return cli_error_cause(cause);
		where = xasprintf("in package %s", gf->installed_name);
	} else if (a->pos.n == 1) {
		if ((gf = guildfile_find(a->pos.v[0], &cause)) == NULL)
			return cli_error_cause(cause);
		where = xasprintf("in %s", a->pos.v[0]);
	} else {
		if ((gf = cli_guildfile(ctx)) == NULL)
			return 1;
		where = xstrdup("in the current directory");
	}
	strbuf_addf(&sb,
	    "OVERVIEW\n\n"
	    "    You are viewing help for operations defined %s.\n\n"
	    "    To run an operation use 'guild run OPERATION' where OPERATION is\n"
	    "    one of those listed below. If an operation belongs to a model,\n"
	    "    name it as MODEL:OPERATION.\n\n"
	    "    To list available operations, run 'guild operations'.\n\n"
	    "    Set operation flags using FLAG=VALUE arguments to the run\n"
	    "    command. Refer to the operations below for the supported flags.\n\n"
	    "    For more help, try 'guild run --help' or 'guild --help'.\n\n"
	    "MODELS\n", where);
	free(where);
	import_flags(ctx, gf);
	for (i = 0; i < gf->nmodels; i++)
		if (gf->models[i]->name[0] != '_')
			add_model(&sb, gf->models[i]);
	if (gf->nmodels == 0)
		strbuf_addstr(&sb, "\n    There are no models defined in this project.\n");
	cli_page(sb.buf, !cmd_arg_has(a, OPT_NO_PAGER));
	strbuf_release(&sb);
	if (gf != ctx->gf)
		guildfile_free(gf);
	return 0;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "[PATH | PACKAGE]",
	.summary = "Show help for a project (PATH), an installed PACKAGE or the current directory.",
	.description =
	    "Shows the project's models, their operations with flags\n"
	    "(defaults and descriptions) and resources, through $PAGER\n"
	    "when the output is a terminal.",
	.options = help_options,
	.exec = cmd_help_exec,
};
