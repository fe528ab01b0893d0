/*
 * nodlopen.c: dlopen() for a static guild, which loads no code at run time.
 *
 * SQLite's extension loader (which guild never enables) calls dlopen(),
 * and a static C library's dlopen needs the shared objects of the very
 * glibc it came from (the linker warns about it). A static guild is linked
 * with -Wl,--wrap=dlopen, so that call comes here and fails as loading a
 * missing file would. This is linked after the libraries, to resolve their
 * calls.
 */
#include "common.h"

#include <errno.h>

void	*__wrap_dlopen(const char *, int);

void *
__wrap_dlopen(const char *file, int mode)
{
	errno = ENOSYS;
	return NULL;
}
