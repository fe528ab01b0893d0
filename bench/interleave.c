/*
 * interleave.c: time several commands call by call in turn, for
 * bench/startup.sh. A benchmark that runs one command 300 times and then
 * the next lets a swing in the machine's load land on one of them only;
 * run in turn, every command sees the same load, and the difference of
 * each against the first in the same round cancels most of what is left.
 *
 *	cc -O2 -o interleave interleave.c
 *	./interleave ITERATIONS WARMUP NAME CMD [ARG...] -- NAME CMD [ARG...] ...
 *
 * Each command runs with its output on /dev/null. Printed, one line per
 * command, tab-separated: NAME, then the medians over the ITERATIONS
 * rounds of its wall time, its CPU time (user + system, from wait4) and
 * its minor page faults, then the medians of the per-round differences
 * of the wall and CPU times against the first command (milliseconds).
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct cmd {
	const char	 *name;
	char		**argv;
	double		 *wall, *cpu, *faults, *dwall, *dcpu;
};

static double
tv_ms(struct timeval tv)
{
	return tv.tv_sec * 1e3 + tv.tv_usec / 1e3;
}

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Run argv once: its wall and CPU milliseconds and minor faults. */
static void
run_once(char **argv, posix_spawn_file_actions_t *fa, double *wall,
    double *cpu, double *faults)
{
	struct rusage	ru;
	pid_t		pid;
	int		status, e;
	double		t0;

	t0 = now_ms();
	if ((e = posix_spawn(&pid, argv[0], fa, NULL, argv, environ)) != 0) {
		fprintf(stderr, "interleave: %s: %s\n", argv[0], strerror(e));
		exit(1);
	}
	while (wait4(pid, &status, 0, &ru) == -1)
		if (errno != EINTR) {
			perror("interleave: wait4");
			exit(1);
		}
	*wall = now_ms() - t0;
	*cpu = tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
	*faults = (double)ru.ru_minflt;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "interleave: %s failed (status %d)\n", argv[0],
		    status);
		exit(1);
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main(int argc, char **argv)
{
	posix_spawn_file_actions_t	 fa;
	struct cmd			*cmds;
	size_t				 ncmds = 0, iter, warmup, i, k, r;
	int				 a;
	double				 w, c, f;

	if (argc < 5) {
		fprintf(stderr, "usage: interleave ITERATIONS WARMUP "
		    "NAME CMD [ARG...] [-- NAME CMD [ARG...]]...\n");
		return 2;
	}
	iter = strtoul(argv[1], NULL, 10);
	warmup = strtoul(argv[2], NULL, 10);
	if (iter == 0) {
		fprintf(stderr, "interleave: ITERATIONS must be positive\n");
		return 2;
	}
	if ((cmds = calloc((size_t)argc, sizeof *cmds)) == NULL) {
		perror("interleave");
		return 1;
	}
	/* Split argv at "--" into NAME CMD ARG... groups, in place. */
	for (a = 3; a < argc; a++) {
		struct cmd	*cm = &cmds[ncmds++];

		cm->name = argv[a++];
		if (a >= argc || strcmp(argv[a], "--") == 0) {
			fprintf(stderr, "interleave: %s has no command\n",
			    cm->name);
			return 2;
		}
		cm->argv = &argv[a];
		while (a < argc && strcmp(argv[a], "--") != 0)
			a++;
		argv[a < argc ? a : argc] = NULL;
		cm->wall = calloc(iter, sizeof *cm->wall);
		cm->cpu = calloc(iter, sizeof *cm->cpu);
		cm->faults = calloc(iter, sizeof *cm->faults);
		cm->dwall = calloc(iter, sizeof *cm->dwall);
		cm->dcpu = calloc(iter, sizeof *cm->dcpu);
		if (cm->wall == NULL || cm->cpu == NULL || cm->faults == NULL ||
		    cm->dwall == NULL || cm->dcpu == NULL) {
			perror("interleave");
			return 1;
		}
	}

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
	    O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
	    O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
	    O_WRONLY, 0);

	for (r = 0; r < warmup; r++)
		for (i = 0; i < ncmds; i++)
			run_once(cmds[i].argv, &fa, &w, &c, &f);
	/* The order turns each round, so no command always follows the same
	 * one (whose pages and caches it would find warm or cold). */
	for (r = 0; r < iter; r++) {
		for (k = 0; k < ncmds; k++) {
			i = (r + k) % ncmds;
			run_once(cmds[i].argv, &fa, &cmds[i].wall[r],
			    &cmds[i].cpu[r], &cmds[i].faults[r]);
		}
		for (i = 0; i < ncmds; i++) {
			cmds[i].dwall[r] = cmds[i].wall[r] - cmds[0].wall[r];
			cmds[i].dcpu[r] = cmds[i].cpu[r] - cmds[0].cpu[r];
		}
	}

	for (i = 0; i < ncmds; i++)
		printf("%s\t%.3f\t%.3f\t%.0f\t%.3f\t%.3f\n", cmds[i].name,
		    median(cmds[i].wall, iter), median(cmds[i].cpu, iter),
		    median(cmds[i].faults, iter), median(cmds[i].dwall, iter),
		    median(cmds[i].dcpu, iter));
	return 0;
}
