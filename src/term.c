/* term.c: raw mode and window size of the user's terminal. */
#include "common.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "term.h"

int
term_raw(struct term_state *ts, int fd, char **cause)
{
	struct termios	tio;

	if (tcgetattr(fd, &tio) == -1)
		return set_cause(cause, "not a terminal: %s", strerror(errno));
	ts->fd = fd;
	ts->tio = tio;
	ts->saved = true;

	tio.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
	    ICRNL | IXON | IXOFF);
	tio.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	tio.c_cflag &= ~(CSIZE | PARENB);
	tio.c_cflag |= CS8;
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	while (tcsetattr(fd, TCSANOW, &tio) == -1) {
		if (errno != EINTR) {
			ts->saved = false;
			return set_cause(cause, "cannot set terminal: %s",
			    strerror(errno));
		}
	}
	return 0;
}

void
term_restore(struct term_state *ts)
{
	int	saved_errno = errno;

	if (ts == NULL || !ts->saved)
		return;
	while (tcsetattr(ts->fd, TCSANOW, &ts->tio) == -1 && errno == EINTR)
		continue;
	ts->saved = false;
	errno = saved_errno;
}

int
term_get_size(int fd, unsigned short *rows, unsigned short *cols)
{
	struct winsize	ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == -1)
		return -1;
	if (ws.ws_row == 0 || ws.ws_col == 0) {
		errno = EINVAL;
		return -1;
	}
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return 0;
}
