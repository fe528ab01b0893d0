/*
 * error.h: errors as returned values.
 *
 * The core never prints and never exits. A failing function returns -1 or
 * NULL and, when the caller passed a non-NULL cause, stores an allocated
 * message there (tmux style). The caller owns and frees it.
 */
#ifndef GUILD_ERROR_H
#define GUILD_ERROR_H

#include <stdarg.h>

/* Set *cause (if cause is not NULL) to a formatted message; returns -1. */
int	set_cause(char **cause, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Warnings from the core (an unknown guild.yml attribute, an unreadable
 * source file). The CLI prints them as "guild: warning: ..."; the view
 * collects them. The default sink writes to stderr.
 */
typedef void (*warn_sink_fn)(const char *msg, void *arg);
void	warn_set_sink(warn_sink_fn, void *arg);
/*
 * The calling thread's warnings to fn instead (NULL: the sink again): a
 * worker thread keeps them for the main thread to pass on in order.
 */
void	warn_set_thread_sink(warn_sink_fn, void *arg);
void	warnx_core(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
