/*
 * tap.h: a tiny Test Anything Protocol library for the unit tests.
 *
 *	ok(cond, "name %d", i);
 *	is_int(got, want, "name");
 *	is_str(got, want, "name");
 *	return done_testing();
 */
#ifndef GUILD_TAP_H
#define GUILD_TAP_H

#include <stdbool.h>

int	ok_(bool, const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
int	is_int_(long long got, long long want, const char *file, int line,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int	is_str_(const char *got, const char *want, const char *file, int line,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void	diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	done_testing(void);	/* prints the plan; returns the exit status */

#define ok(c, ...)		ok_((c), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(g, w, ...)	is_int_((g), (w), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(g, w, ...)	is_str_((g), (w), __FILE__, __LINE__, __VA_ARGS__)

#endif
