/*
 * dirscan.h: a directory's names, listed with as few system calls as the
 * system allows (a search of thousands of run directories lists each).
 */
#ifndef GUILD_DIRSCAN_H
#define GUILD_DIRSCAN_H

#include <sys/stat.h>

struct dirscan;

/*
 * Open directory name (relative to pfd) and stat it into *st; NULL with
 * errno when it cannot be opened or is not a directory.
 */
struct dirscan	*dirscan_openat(int pfd, const char *name, struct stat *st);
/* Its descriptor, for *at() calls; closed by dirscan_close(). */
int		 dirscan_fd(const struct dirscan *);
/*
 * The next name (never "." or ".."), and its DT_* type (DT_UNKNOWN when
 * the file system does not say), or NULL at the end or on an error.
 */
const char	*dirscan_next(struct dirscan *, unsigned char *type);
void		 dirscan_close(struct dirscan *);

#endif
