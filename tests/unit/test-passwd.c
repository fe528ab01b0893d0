/* test-passwd.c: users' names and homes read from a passwd file. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "passwd.h"
#include "tap.h"
#include "util.h"

static char	*file;

static void
write_file(const char *text)
{
	FILE	*f = fopen(file, "w");

	if (f == NULL || fputs(text, f) == EOF || fclose(f) == EOF) {
		perror(file);
		exit(1);
	}
}

/* "name home" of the entry found, or "-" when none is. */
static char *
lookup(const char *name, uid_t uid)
{
	char	*n, *h, *out;

	if (passwd_lookup(file, name, uid, &n, &h) == -1) {
		ok(n == NULL && h == NULL, "not found: nothing returned");
		return xstrdup("-");
	}
	out = xasprintf("%s %s", n, h);
	free(n);
	free(h);
	return out;
}

#define IS_LOOKUP(name, uid, want, what) do { \
	char	*got_ = lookup((name), (uid)); \
	is_str(got_, (want), "%s", (what)); \
	free(got_); \
} while (0)

static void
test_lookup(void)
{
	char	*h;

	write_file("# a comment\n"
	    "root:x:0:0:root:/root:/bin/bash\n"
	    "+nis::::::\n"
	    "-gone:x:5:5::/gone:/bin/sh\n"
	    "short:x:7:7\n"
	    "badid:x:12z:7::/bad:/bin/sh\n"
	    "big:x:99999999999999999999:1::/big:/bin/sh\n"
	    ":x:8:8::/noname:/bin/sh\n"
	    "ann:x:1000:1000:Ann A,,,:/home/ann:/bin/zsh\n"
	    "bob:*:1001:1001::/home/b o:b\n"
	    "ann:x:1002:1002::/home/ann2:/bin/sh\n"
	    "nohome:x:1003:1003:::/bin/sh\n"
	    "last:x:1004:1004::/home/last:/bin/sh");
	IS_LOOKUP("root", 0, "root /root", "by name: root");
	IS_LOOKUP(NULL, 0, "root /root", "by uid: 0");
	IS_LOOKUP(NULL, 1000, "ann /home/ann", "by uid: the gecos field skipped");
	IS_LOOKUP("bob", 0, "bob /home/b o", "by name: a home with a space");
	IS_LOOKUP("ann", 0, "ann /home/ann", "by name: the first entry wins");
	IS_LOOKUP(NULL, 1002, "ann /home/ann2", "by uid: the second ann");
	IS_LOOKUP("nohome", 0, "nohome ", "an empty home is returned as is");
	IS_LOOKUP("last", 0, "last /home/last",
	    "the last line without a newline");
	IS_LOOKUP("nis", 0, "-", "NIS's + line is not a user");
	IS_LOOKUP(NULL, 5, "-", "NIS's - line is not a user");
	IS_LOOKUP("short", 0, "-", "a line with too few fields");
	IS_LOOKUP(NULL, 7, "-", "a line with too few fields, by uid");
	IS_LOOKUP("badid", 0, "-", "a uid that is not a number");
	IS_LOOKUP("big", 0, "-", "a uid too large");
	IS_LOOKUP("", 0, "-", "an empty name matches no entry");
	IS_LOOKUP(NULL, 4242, "-", "an unknown uid");
	IS_LOOKUP("nobody-here", 0, "-", "an unknown name");
	ok(passwd_lookup(file, "root", 0, NULL, &h) == 0 &&
	    strcmp(h, "/root") == 0, "only the home wanted");
	free(h);
	ok(passwd_lookup("/nonexistent/passwd", "root", 0, NULL, &h) == -1 &&
	    h == NULL, "a file that cannot be read: not found");
}

/* The process's own entry is in the system's file (as NSS files has it). */
static void
test_system(void)
{
	char	*user, *home, *want_home;
	bool	 listed;

	listed = passwd_lookup(PASSWD_FILE, NULL, getuid(), &user,
	    &want_home) == 0;
	if (!listed) {
		diag("uid %ld is not in " PASSWD_FILE, (long)getuid());
		ok(passwd_user() == NULL, "not listed: no user name");
		return;
	}
	home = passwd_user();
	is_str(home, user, "passwd_user: the uid's name");
	free(home);
	home = passwd_home_of(user);
	is_str(home, want_home, "passwd_home_of: the user's home");
	free(home);
	ok(passwd_home_of("") == NULL, "passwd_home_of(\"\"): no one");

	setenv("HOME", "/from/env", 1);
	home = passwd_home();
	is_str(home, "/from/env", "passwd_home: $HOME first");
	free(home);
	setenv("HOME", "", 1);
	home = passwd_home();
	is_str(home, *want_home != '\0' ? want_home : NULL,
	    "passwd_home: an empty $HOME falls back to the passwd file");
	free(home);
	unsetenv("HOME");
	home = passwd_home();
	is_str(home, *want_home != '\0' ? want_home : NULL,
	    "passwd_home: no $HOME falls back to the passwd file");
	free(home);
	free(user);
	free(want_home);
}

int
main(void)
{
	char	*dir = xstrdup("/tmp/test-passwd-XXXXXX");

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	file = xasprintf("%s/passwd", dir);
	test_lookup();
	test_system();
	unlink(file);
	rmdir(dir);
	free(file);
	free(dir);
	return done_testing();
}
