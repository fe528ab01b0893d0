/*
 * passwd.h: users' names and home directories, read from /etc/passwd.
 *
 * guild is linked statically, and a static C library's getpwuid() and
 * getpwnam() load NSS modules at run time (the linker warns: they need the
 * shared libraries of the very glibc guild was built with). These read the
 * passwd file itself, as NSS's "files" source does, which is where the
 * users that run guild are. $HOME comes first where the shell's ~ would
 * look at it.
 */
#ifndef GUILD_PASSWD_H
#define GUILD_PASSWD_H

#include <sys/types.h>

#define PASSWD_FILE	"/etc/passwd"

/*
 * The entry of user name (when name is not NULL) or of uid, from file:
 * the first one that matches, as NSS's files source takes it. Returns 0
 * with *user_name and *home (either may be NULL: not wanted) set to new
 * strings, or -1 when the file has no such user or cannot be read.
 */
int	 passwd_lookup(const char *file, const char *name, uid_t uid,
	    char **user_name, char **home);

/* The current user's home: $HOME when set and not empty, else the passwd
   file's; NULL when neither says. */
char	*passwd_home(void);
/* The home of user name (~name); NULL if unknown. */
char	*passwd_home_of(const char *name);
/* The current user's name from the passwd file (not $USER); NULL if
   unknown. */
char	*passwd_user(void);

#endif
