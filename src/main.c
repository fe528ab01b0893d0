/*
 * main.c: the command table and main(). Everything else lives in the
 * core library (src/) and the view (ui/).
 */
#include "common.h"

#include <locale.h>
#include <stdlib.h>

#include "cli.h"
#include "cmds.h"

/* Listed in --help in this order. */
static const struct cmd_entry *const commands[] = {
	&cmd_help_entry,
	&cmd_models_entry,
	&cmd_ops_entry,
	&cmd_run_entry,
	&cmd_watch_entry,
	NULL
};

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	return cli_main(commands, argc, argv);
}
