/*
 * term.h: the user's terminal, for a foreground `guild run` that passes
 * keys and window size through to a child's pseudo-terminal.
 *
 *	struct term_state ts = TERM_STATE_INIT;
 *	if (term_raw(&ts, STDIN_FILENO, &cause) == -1) ...
 *	...
 *	term_restore(&ts);	(also from cleanup and signal paths)
 */
#ifndef GUILD_TERM_H
#define GUILD_TERM_H

#include <stdbool.h>
#include <termios.h>

struct term_state {
	int		fd;
	bool		saved;	/* tio holds the settings to restore */
	struct termios	tio;
};

#define TERM_STATE_INIT { -1, false, { 0 } }

/*
 * Save fd's settings in ts and switch it to raw mode: no echo, no line
 * editing, no signal keys (Ctrl-C reaches the child's terminal as a byte,
 * and its own line discipline signals the child), 8-bit input, reads return
 * as soon as a byte is there. Output processing (OPOST/ONLCR) is kept, so
 * that a "\n" guild itself prints still returns to column 0. -1 with
 * *cause set if fd is not a terminal.
 */
int	term_raw(struct term_state *ts, int fd, char **cause);
/*
 * Put back what term_raw() saved. Does nothing if nothing is saved, so it
 * may be called twice; uses only tcsetattr(), so it is safe in a signal
 * handler or an atexit path.
 */
void	term_restore(struct term_state *ts);
/* The window size of the terminal on fd; -1 if unknown (not a tty, 0x0). */
int	term_get_size(int fd, unsigned short *rows, unsigned short *cols);

#endif
