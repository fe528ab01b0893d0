/*
 * runfixture.h: run directories written by hand, byte for byte as Guild
 * AI 0.9 writes them, for test-runindex.c and test-runsel.c.
 */
#ifndef GUILD_RUNFIXTURE_H
#define GUILD_RUNFIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define FX_NO_EXIT	(-1000)

struct fx {
	const char	*id;
	const char	*model;		/* "" for the anonymous model */
	const char	*op;
	const char	*pkg;		/* guild.yml path */
	long long	 started;	/* seconds since the epoch; 0: none */
	int		 exit;		/* exit_status, or FX_NO_EXIT */
	const char	*label;		/* YAML text of attrs, or NULL */
	const char	*tags;
	const char	*flags;
	const char	*comments;
	const char	*digest;
	int		 marked;
	int		 pending;
	int		 staged;
};

static void
fx_write(const char *path, const char *text)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(99);
	}
	fputs(text, f);
	fclose(f);
}

/* base/id/.guild/rel with text (YAML attrs end in a newline, as Guild's). */
static void
fx_put(const char *base, const char *id, const char *rel, const char *text)
{
	char	*path = xasprintf("%s/%s/.guild/%s", base, id, rel);

	fx_write(path, text);
	free(path);
}

static void
fx_attr(const char *base, const char *id, const char *name, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
fx_attr(const char *base, const char *id, const char *name, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*text, *rel;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	rel = xasprintf("attrs/%s", name);
	fx_put(base, id, rel, text);
	free(rel);
	free(text);
}

static void
fx_run(const char *base, const struct fx *fx)
{
	char		*dir, *opref;
	long long	 us = fx->started * 1000000LL;

	dir = xasprintf("%s/%s/.guild/attrs", base, fx->id);
	if (mkdir_p(dir, 0777, NULL) == -1)
		exit(99);
	free(dir);
	opref = xasprintf("guildfile:%s 2673b06329378ca2fc355cb5c0f38cef %s "
	    "%s", fx->pkg != NULL ? fx->pkg : "/proj/guild.yml",
	    fx->model != NULL ? (*fx->model != '\0' ? fx->model : "''") :
	    "fashion", fx->op != NULL ? fx->op : "train");
	fx_put(base, fx->id, "opref", opref);
	free(opref);
	fx_attr(base, fx->id, "id", "%s\n", fx->id);
	if (fx->started != 0) {
		fx_attr(base, fx->id, "initialized", "%lld\n", us - 1000);
		fx_attr(base, fx->id, "started", "%lld\n", us);
	} else
		fx_attr(base, fx->id, "initialized", "%lld\n", 1000000LL);
	if (fx->exit != FX_NO_EXIT) {
		fx_attr(base, fx->id, "exit_status", "%d\n", fx->exit);
		fx_attr(base, fx->id, "stopped", "%lld\n", us + 10000000);
	}
	if (fx->label != NULL)
		fx_attr(base, fx->id, "label", "%s\n", fx->label);
	if (fx->tags != NULL)
		fx_attr(base, fx->id, "tags", "%s\n", fx->tags);
	if (fx->flags != NULL)
		fx_attr(base, fx->id, "flags", "%s\n", fx->flags);
	if (fx->comments != NULL)
		fx_attr(base, fx->id, "comments", "%s\n", fx->comments);
	if (fx->digest != NULL)
		fx_attr(base, fx->id, "sourcecode_digest", "%s\n", fx->digest);
	if (fx->marked)
		fx_attr(base, fx->id, "marked", "true\n");
	if (fx->pending)
		fx_put(base, fx->id, "PENDING", "");
	if (fx->staged)
		fx_put(base, fx->id, "STAGED", "");
}

/* A fresh GUILD_HOME under TMPDIR; caller frees. */
static char *
fx_home(const char *name)
{
	const char	*tmp = getenv("TMPDIR");
	char		*dir, *runs;

	dir = xasprintf("%s/guild-%s.XXXXXX", tmp != NULL ? tmp : "/tmp",
	    name);
	if (mkdtemp(dir) == NULL)
		exit(99);
	runs = xasprintf("%s/runs", dir);
	mkdir_p(runs, 0777, NULL);
	free(runs);
	runs = xasprintf("%s/trash/runs", dir);
	mkdir_p(runs, 0777, NULL);
	free(runs);
	return dir;
}

/* A 32-hex id made of n (so the tests read well). */
static char *fx_id(unsigned) __attribute__((unused));

static char *
fx_id(unsigned n)
{
	return xasprintf("%08x%024x", n * 0x11111111U, n);
}

#endif
