/*
 * barepty.c: the baseline for bench/output.sh: run a command in a
 * pseudo-terminal and read everything it writes, doing nothing with it.
 * This is the least any pty-based runner must do.
 *
 *	cc -O2 -o barepty barepty.c -lutil
 *	./barepty cat big-file
 */
#include <errno.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char		buf[65536];
	int		master, status;
	pid_t		pid;
	ssize_t		n;
	long long	total = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: barepty COMMAND [ARG...]\n");
		return 2;
	}
	if ((pid = forkpty(&master, NULL, NULL, NULL)) == -1) {
		perror("forkpty");
		return 1;
	}
	if (pid == 0) {
		struct termios	tio;

		/* As guild's runs: "\n" is not turned into "\r\n". */
		if (tcgetattr(STDOUT_FILENO, &tio) == 0) {
			tio.c_oflag &= ~(tcflag_t)ONLCR;
			tcsetattr(STDOUT_FILENO, TCSANOW, &tio);
		}
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	for (;;) {
		n = read(master, buf, sizeof buf);
		if (n > 0) {
			total += n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		break;		/* EIO: the slave side is closed */
	}
	waitpid(pid, &status, 0);
	fprintf(stderr, "barepty: %lld bytes\n", total);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
