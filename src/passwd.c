/* passwd.c: users' names and homes from /etc/passwd, without NSS. */
#include "common.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "passwd.h"

/*
 * Split a passwd line "name:password:uid:gid:gecos:dir:shell" in place;
 * false for a line that is not one (a comment, NIS's "+" and "-" lines,
 * too few fields, a uid that is not a number).
 */
static bool
split_entry(char *line, char **field, uid_t *uid)
{
	char		*p = line, *end;
	uintmax_t	 n;
	int		 i;

	if (*line == '#' || *line == '+' || *line == '-' || *line == '\0')
		return false;
	for (i = 0; i < 7; i++) {
		field[i] = p;
		p += strcspn(p, ":\n");
		if (i < 6 && *p != ':')
			return false;
		if (*p != '\0')
			*p++ = '\0';
	}
	if (*field[0] == '\0' || *field[2] == '\0')
		return false;
	errno = 0;
	n = strtoumax(field[2], &end, 10);
	if (errno != 0 || *end != '\0' || n != (uid_t)n)
		return false;
	*uid = (uid_t)n;
	return true;
}

int
passwd_lookup(const char *file, const char *name, uid_t uid,
    char **user_name, char **home)
{
	FILE	*f;
	char	*line = NULL, *field[7];
	size_t	 size = 0;
	uid_t	 u;
	int	 rc = -1;

	if (user_name != NULL)
		*user_name = NULL;
	if (home != NULL)
		*home = NULL;
	if ((f = fopen(file, "re")) == NULL)
		return -1;
	while (getline(&line, &size, f) != -1) {
		if (!split_entry(line, field, &u))
			continue;
		if (name != NULL ? strcmp(field[0], name) != 0 : u != uid)
			continue;
		if (user_name != NULL)
			*user_name = xstrdup(field[0]);
		if (home != NULL)
			*home = xstrdup(field[5]);
		rc = 0;
		break;
	}
	free(line);
	fclose(f);
	return rc;
}

char *
passwd_home(void)
{
	const char	*env = getenv("HOME");
	char		*home;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (passwd_lookup(PASSWD_FILE, NULL, getuid(), NULL, &home) == -1)
		return NULL;
	if (*home == '\0') {
		free(home);
		return NULL;
	}
	return home;
}

char *
passwd_home_of(const char *name)
{
	char	*home;

	if (*name == '\0' ||
	    passwd_lookup(PASSWD_FILE, name, 0, NULL, &home) == -1)
		return NULL;
	return home;
}

char *
passwd_user(void)
{
	char	*user;

	if (passwd_lookup(PASSWD_FILE, NULL, getuid(), &user, NULL) == -1)
		return NULL;
	return user;
}
