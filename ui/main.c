/*
 * main.c: guild-view, the view's program: the only one that loads curses,
 * so that no other command pays for it at start.
 *
 *	guild-view GUILD [-H HOME] view|compare [ARGS...]
 *
 * guild runs it so (src/cmd-view.c, cmd_view_handoff): GUILD is the guild
 * program itself (absolute), run for the view's actions, then the global
 * options that still matter (-C is already done: the directory is
 * inherited) and the command line from the command's name on, parsed here
 * again with the view at hand.
 */
#include "common.h"

#include <sys/prctl.h>

#include <locale.h>
#include <stdio.h>

#include "cli.h"
#include "cmds.h"
#include "view.h"

static const struct cmd_entry *const commands[] = {
	&cmd_view_entry,
	&cmd_compare_entry,
	NULL
};

int
main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] != '/') {
		fputs("guild: guild-view is started by guild view\n", stderr);
		return 1;
	}
	/*
	 * Still "guild" to ps, top, pgrep and killall: the process the user
	 * started, which became this one.
	 */
	prctl(PR_SET_NAME, "guild", 0, 0, 0);
	/* As guild does (src/main.c). */
	setlocale(LC_CTYPE, "");
	cli_set_view(view_main);
	/* GUILD takes argv[0]'s place: cmd_ctx.argv0, the guild to run. */
	return cli_main(commands, argc - 1, argv + 1);
}
