/* tap.c: Test Anything Protocol output for the unit tests. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int	ntests;
static int	nfailed;

static void __attribute__((format(printf, 2, 0)))
report(bool pass, const char *fmt, va_list ap)
{
	ntests++;
	if (!pass)
		nfailed++;
	printf("%sok %d - ", pass ? "" : "not ", ntests);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

int
ok_(bool pass, const char *file, int line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	report(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("  at %s:%d", file, line);
	return pass;
}

int
is_int_(long long got, long long want, const char *file, int line,
    const char *fmt, ...)
{
	va_list	ap;
	bool	pass = got == want;

	va_start(ap, fmt);
	report(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("  at %s:%d: got %lld, want %lld", file, line, got, want);
	return pass;
}

int
is_str_(const char *got, const char *want, const char *file, int line,
    const char *fmt, ...)
{
	va_list	ap;
	bool	pass;

	pass = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);
	va_start(ap, fmt);
	report(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("  at %s:%d:\n  got:  [%s]\n  want: [%s]", file, line,
		    got ? got : "(null)", want ? want : "(null)");
	return pass;
}

void
diag(const char *fmt, ...)
{
	va_list	ap;

	fflush(stdout);
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

int
done_testing(void)
{
	printf("1..%d\n", ntests);
	return nfailed == 0 ? 0 : 1;
}
