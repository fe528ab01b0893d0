/* error.c: cause strings and the warning sink. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>

static void
default_sink(const char *msg, void *arg)
{
	(void)arg;
	fprintf(stderr, "guild: warning: %s\n", msg);
}

static warn_sink_fn	 sink = default_sink;
static void		*sink_arg;
/* A worker thread's own, so that its warnings keep their order. */
static _Thread_local warn_sink_fn	 thread_sink;
static _Thread_local void		*thread_sink_arg;

static int	set_causev(char **, const char *, va_list) PRINTFLIKE(2, 0);

static int
set_causev(char **cause, const char *fmt, va_list ap)
{
	if (cause != NULL) {
		free(*cause);
		*cause = xvasprintf(fmt, ap);
	}
	return -1;
}

int
set_cause(char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	set_causev(cause, fmt, ap);
	va_end(ap);
	return -1;
}

void
warn_set_sink(warn_sink_fn fn, void *arg)
{
	sink = fn != NULL ? fn : default_sink;
	sink_arg = arg;
}

void
warn_set_thread_sink(warn_sink_fn fn, void *arg)
{
	thread_sink = fn;
	thread_sink_arg = arg;
}

void
warnx_core(const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (thread_sink != NULL)
		thread_sink(msg, thread_sink_arg);
	else
		sink(msg, sink_arg);
	free(msg);
}
