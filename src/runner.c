/* runner.c: run an operation end to end. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "compat.h"
#include "configflags.h"
#include "deps.h"
#include "digest.h"
#include "flagimport.h"
#include "flags.h"
#include "guildfile.h"
#include "home.h"
#include "loop.h"
#include "output.h"
#include "proc.h"
#include "run.h"
#include "runner.h"
#include "runops.h"
#include "scalars.h"
#include "sourcecode.h"
#include "strbuf.h"
#include "strvec.h"
#include "tfevents.h"
#include "util.h"
#include "value.h"

extern char **environ;

struct runner {
	struct run		*run;
	struct proc		*proc;
	struct output		*output;
	struct scalars		*scalars;
	struct scalars_log	*slog;
	struct scalars		*attrs;		/* output-attrs */
	struct tfevents		*attr_log;	/* made on the first */
	bool			 attr_failed;
	struct runner_hooks	 hooks;
	void			*arg;
	bool			 log_failed;
	int			 stop_signo;	/* runner_stop() */
	char			*error;		/* the first write failure */
	struct loop_timer	*stop_timer;	/* --stop-after, then the kill */
	uint64_t		 started_ms;	/* monotonic */
	bool			 stopping;
};

/*
 * Keep the first failure to write the run (a full disk), for
 * runner_error(): "output not fully written: No space left on device".
 * cause is "write PATH: REASON"; the reason is what the user can act on.
 */
static void
runner_write_failed(struct runner *r, const char *what, const char *cause)
{
	const char	*reason = cause != NULL ? strrchr(cause, ':') : NULL;

	warnx_core("%s", cause != NULL ? cause : what);
	if (r->error != NULL)
		return;
	reason = reason != NULL && reason[1] == ' ' ? reason + 2 : cause;
	r->error = xasprintf("%s: %s", what, reason != NULL ? reason :
	    "write failed");
}

const char *
runner_error(const struct runner *r)
{
	return r->error;
}

/* Whether PATH's entry at p (n bytes) is also one before it. */
static bool
path_entry_seen(const char *path, const char *p, size_t n)
{
	const char	*q;
	size_t		 m;

	for (q = path; q < p; q += m + 1) {
		m = strcspn(q, ":");
		if (m == n && memcmp(q, p, n) == 0)
			return true;
	}
	return false;
}

/*
 * What path_which(name) finds, keeping the lstat(2) and stat(2) of it
 * that the package cache keys on (a second look at the same file costs as
 * much as the search), and trying a directory that PATH names twice once
 * (profiles that prepend to PATH again make that common).
 */
static char *
python_which(const char *name, struct runner_python *rp)
{
	const char	*path = getenv("PATH"), *p;
	char		*dir, *full;
	size_t		 n;

	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p += n + 1) {
		n = strcspn(p, ":");
		if (!path_entry_seen(path, p, n)) {
			dir = n == 0 ? xstrdup(".") : xstrndup(p, n);
			full = path_join(dir, name);
			free(dir);
			if (access(full, X_OK) == 0 &&
			    lstat(full, &rp->lst) == 0) {
				rp->st = rp->lst;
				if ((S_ISLNK(rp->lst.st_mode) &&
				    stat(full, &rp->st) == 0 &&
				    S_ISREG(rp->st.st_mode)) ||
				    S_ISREG(rp->lst.st_mode))
					return full;
			}
			free(full);
		}
		if (p[n] == '\0')
			return NULL;
	}
}

const struct runner_python *
runner_python(void)
{
	static struct runner_python	 rp;
	static bool			 done;
	const char			*env = getenv("GUILD_PYTHON_EXE");
	char				*found = NULL;

	if (done)
		return &rp;
	done = true;
	if (env != NULL && *env != '\0') {
		rp.exe = xstrdup(env);
		if (strchr(env, '/') != NULL) {
			rp.abs = path_absolute(env);
			goto stat_abs;
		}
		found = python_which(env, &rp);
	} else if ((found = python_which("python3", &rp)) != NULL ||
	    (found = python_which("python", &rp)) != NULL)
		rp.exe = xstrdup(found);
	else
		rp.exe = xstrdup("python3");
	if (found == NULL)
		return &rp;
	rp.abs = path_absolute(found);
	/* Another name for it only when PATH has a relative or ".." entry. */
	if (strcmp(rp.abs, found) == 0) {
		free(found);
		rp.has_lst = true;
		return &rp;
	}
	free(found);
stat_abs:
	if (stat(rp.abs, &rp.st) == -1) {
		free(rp.abs);
		rp.abs = NULL;
	} else
		rp.has_lst = lstat(rp.abs, &rp.lst) == 0;
	return &rp;
}

char *
runner_python_exe(void)
{
	return xstrdup(runner_python()->exe);
}

char *
runner_guild_exe(void)
{
	const char	*env = getenv("GUILD_EXE");
	char		*buf;
	ssize_t		 n;
	size_t		 size = 256;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	for (;;) {
		buf = xmalloc(size);
		n = readlink("/proc/self/exe", buf, size);
		if (n < 0) {
			free(buf);
			return xstrdup("guild");
		}
		if ((size_t)n < size) {
			buf[n] = '\0';
			return buf;
		}
		free(buf);
		size *= 2;
	}
}

/*
 * Where guild's own Python launcher (guild/op_main.py) lives: the
 * environment, the installed copy, else the source tree this binary was
 * built from (so an uninstalled build works).
 */
static char *
runner_python_lib(void)
{
	const char	*env = getenv("GUILD_PYTHON_LIB");
	char		*p;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	p = xstrdup(GUILD_PKGDATADIR "/python");
	{
		char	*probe = path_join(p, "guild/op_main.py");
		bool	 ok = path_is_file(probe);

		free(probe);
		if (ok)
			return p;
	}
	free(p);
	return xstrdup(GUILD_SRCDIR "/src/python");
}

char *
runner_python_path(const char *first)
{
	const char	*inherited = getenv("PYTHONPATH");
	char		*lib = runner_python_lib(), *pp;
	bool		 inh = inherited != NULL && *inherited != '\0';

	pp = xasprintf("%s%s%s%s%s", first != NULL ? first : "",
	    first != NULL ? ":" : "", lib, inh ? ":" : "", inh ? inherited : "");
	free(lib);
	return pp;
}

/*
 * The main module's file in the project, to decide how flags reach it:
 * "pkg.mod" or "pkg/mod" -> pkg/mod.py or pkg/mod/__main__.py.
 */
static char *
find_module_file(const char *project_dir, const char *spec)
{
	char	*rel = xstrdup(spec), *p, *f;

	if (strchr(rel, '/') == NULL)
		for (p = rel; *p != '\0'; p++)
			if (*p == '.')
				*p = '/';
	p = xasprintf("%s/%s.py", project_dir, rel);
	if (path_is_file(p)) {
		free(rel);
		return p;
	}
	free(p);
	f = xasprintf("%s/%s/__main__.py", project_dir, rel);
	free(rel);
	if (path_is_file(f))
		return f;
	free(f);
	return NULL;
}

/*
 * Guild's rule: argparse in the module means args, else click args:click
 * (command-line options all the same), else globals.
 */
static const char *
detect_flags_dest(const char *path)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*dest = "globals";

	if (path != NULL && strbuf_read_file(&sb, path, NULL) == 0) {
		if (strstr(sb.buf, "import argparse") != NULL ||
		    strstr(sb.buf, "from argparse") != NULL)
			dest = "args";
		else if (strstr(sb.buf, "import click") != NULL ||
		    strstr(sb.buf, "from click") != NULL)
			dest = "args:click";
	}
	strbuf_release(&sb);
	return dest;
}

/*
 * Quoting of values put into a shell's command string (sh -c '...').
 * The command string is lexed as the shell will read it, far enough to
 * know the quoting in force where a ${name} stands, and the value is
 * quoted for that place, so that it reaches the shell as data (one word
 * where the reference was a word), never as code:
 *
 *	echo ${v}	'...' with ' as '\''
 *	echo '${v}'	' as '\'' (the value closes and reopens the quote)
 *	echo "${v}"	\ " $ ` escaped with a backslash
 *	echo $'${v}'	' and \ as octal escapes (bash's $'...')
 *	$( ... )	as at the top level: the shell reads it afresh
 *
 * Inside backquotes and here-documents a value is refused instead: each
 * rereads the text once more, and no one quoting holds there. So is a
 * value in a comment (a newline in it would end the comment), after a
 * backslash (which would take the quote the value starts with), after
 * a $ (which would make $'...' or $(...) of the value) and inside a
 * ${...} expansion. Once the text has a case statement (whose patterns
 * end in an unmatched ")"), or arithmetic (( )), $(( )), [[ ]] or let
 * (bash evaluates a quoted value there, $(...) in array subscripts
 * included), every later value is refused: the lexer can no longer be
 * sure how the shell reads it.
 */
enum sh_ctx {
	SH_PLAIN = 'p',
	SH_SQ = 's',		/* '...' */
	SH_DQ = 'd',		/* "..." */
	SH_ANSI = 'a',		/* $'...' */
	SH_PAREN = '(',		/* $( ... ) or ( ... ) */
	SH_BQ = '`',		/* `...` */
	SH_COMMENT = '#',	/* # to the end of the line */
	SH_BRACE = '{',		/* ${ ... } */
};

struct sh_lex {
	struct strbuf	 stack;		/* enum sh_ctx, innermost last */
	const char	*unsure;	/* why later values are refused */
	bool		 heredoc;	/* a << was seen */
	bool		 escaped;	/* the text ended in a backslash */
	char		 last;		/* the last character read, or '\0' */
};

static enum sh_ctx
sh_top(const struct sh_lex *l)
{
	return l->stack.len == 0 ? SH_PLAIN :
	    (enum sh_ctx)l->stack.buf[l->stack.len - 1];
}

static void
sh_pop(struct sh_lex *l)
{
	if (l->stack.len > 0)
		l->stack.buf[--l->stack.len] = '\0';
}

/* A word of the shell's own at p (after last), ending there or at end. */
static bool
sh_word(const char *p, const char *end, char last, const char *word)
{
	size_t	n = strlen(word);

	if (last != '\0' && strchr(" \t\n;&|()", last) == NULL)
		return false;
	if ((size_t)(end - p) < n || memcmp(p, word, n) != 0)
		return false;
	return p + n == end || strchr(" \t\n", p[n]) != NULL;
}

/* Text after which the lexer cannot follow the shell any more. */
static void
sh_doubt(struct sh_lex *l, const char *p, const char *end, char last)
{
	if (l->unsure != NULL)
		return;
	if (sh_word(p, end, last, "case"))
		l->unsure = "after a case statement";
	else if ((end - p >= 2 && p[0] == '(' && p[1] == '(') ||
	    (end - p >= 3 && p[0] == '$' && p[1] == '(' && p[2] == '('))
		l->unsure = "after arithmetic (( ))";
	else if (sh_word(p, end, last, "[["))
		l->unsure = "after a [[ ]] test";
	else if (sh_word(p, end, last, "let"))
		l->unsure = "after let";
}

/* Follow the shell's quoting over the template text [p, end). */
static void
sh_scan(struct sh_lex *l, const char *p, const char *end)
{
	for (; p < end; p++) {
		enum sh_ctx	top = sh_top(l);
		char		c = *p, next = p + 1 < end ? p[1] : '\0';
		char		last = l->last;

		l->last = c;
		l->escaped = false;
		if (c == '\\' && top != SH_SQ && top != SH_COMMENT) {
			/* The next character is taken as it is. */
			if (++p == end)
				l->escaped = true;
			l->last = '\0';
			continue;
		}
		if (top != SH_SQ && top != SH_ANSI && top != SH_COMMENT &&
		    top != SH_BRACE)
			sh_doubt(l, p, end, last);
		switch (top) {
		case SH_SQ:
		case SH_ANSI:
			if (c == '\'')
				sh_pop(l);
			break;
		case SH_BRACE:
			if (c == '}')
				sh_pop(l);
			break;
		case SH_COMMENT:
			if (c == '\n')
				sh_pop(l);
			break;
		case SH_DQ:
			if (c == '"')
				sh_pop(l);
			else if (c == '$' && next == '{') {
				strbuf_addch(&l->stack, SH_BRACE);
				p++;
			} else if (c == '$' && next == '(') {
				strbuf_addch(&l->stack, SH_PAREN);
				p++;
			} else if (c == '`')
				strbuf_addch(&l->stack, SH_BQ);
			break;
		default:
			if (c == '\'')
				strbuf_addch(&l->stack, SH_SQ);
			else if (c == '"')
				strbuf_addch(&l->stack, SH_DQ);
			else if (c == '$' && next == '\'') {
				strbuf_addch(&l->stack, SH_ANSI);
				p++;
			} else if (c == '$' && next == '{') {
				strbuf_addch(&l->stack, SH_BRACE);
				p++;
			} else if (c == '$' && next == '(') {
				strbuf_addch(&l->stack, SH_PAREN);
				p++;
			} else if (c == '(')
				strbuf_addch(&l->stack, SH_PAREN);
			else if (c == ')' && top == SH_PAREN)
				sh_pop(l);
			else if (c == '`') {
				if (top == SH_BQ)
					sh_pop(l);
				else
					strbuf_addch(&l->stack, SH_BQ);
			} else if (c == '<' && next == '<')
				l->heredoc = true;
			else if (c == '#' && (last == '\0' ||
			    strchr(" \t\n;&|()", last) != NULL))
				strbuf_addch(&l->stack, SH_COMMENT);
			break;
		}
		/* The second character of "$(", "${", "$'" was read too. */
		l->last = *p;
	}
}

/*
 * Add value to sb quoted for where the lexer stands; NULL, or why it
 * cannot be.
 */
static const char *
sh_quote(struct sh_lex *l, struct strbuf *sb, const char *v)
{
	enum sh_ctx	 top = sh_top(l);
	const char	*p;

	if (l->heredoc)
		return "inside a here-document";
	if (l->unsure != NULL)
		return l->unsure;
	if (memchr(l->stack.buf, SH_BRACE, l->stack.len) != NULL)
		return "inside ${...}";
	if (memchr(l->stack.buf, SH_BQ, l->stack.len) != NULL)
		return "inside backquotes";
	if (top == SH_COMMENT)
		return "inside a comment";
	if (l->escaped)
		return "after a backslash";
	/* $'...' or $(...) would be made of the $ and the value. */
	if (l->last == '$' && top != SH_SQ && top != SH_ANSI)
		return "after a $";
	l->last = 'x';
	switch (top) {
	case SH_SQ:
		for (p = v; *p != '\0'; p++) {
			if (*p == '\'')
				strbuf_addstr(sb, "'\\''");
			else
				strbuf_addch(sb, *p);
		}
		break;
	case SH_DQ:
		for (p = v; *p != '\0'; p++) {
			if (strchr("\\\"$`", *p) != NULL)
				strbuf_addch(sb, '\\');
			strbuf_addch(sb, *p);
		}
		break;
	case SH_ANSI:
		/*
		 * Octal escapes rather than \' and \\: a shell without $'...'
		 * (dash) reads '...' there, and must still see no quote.
		 */
		for (p = v; *p != '\0'; p++) {
			if (*p == '\'')
				strbuf_addstr(sb, "\\047");
			else if (*p == '\\')
				strbuf_addstr(sb, "\\134");
			else
				strbuf_addch(sb, *p);
		}
		break;
	default:
		strbuf_addch(sb, '\'');
		for (p = v; *p != '\0'; p++) {
			if (*p == '\'')
				strbuf_addstr(sb, "'\\''");
			else
				strbuf_addch(sb, *p);
		}
		strbuf_addch(sb, '\'');
		break;
	}
	return NULL;
}

/*
 * Replace ${name} references in s: flags, then the given extra names.
 * With shell set, s is a shell's command string and every value is
 * quoted for the shell (see above). NULL, with cause, when a value
 * stands where it cannot be quoted.
 */
static char *
resolve_refs(const char *s, const struct opdef *op, const struct value *flags,
    const char *const *extra, bool shell, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT, val = STRBUF_INIT;
	struct sh_lex	 lex = { STRBUF_INIT, NULL, false, false, '\0' };
	const char	*p = s, *end, *why;

	while ((end = strstr(p, "${")) != NULL) {
		const char	*close = strchr(end, '}');
		char		*name;
		const struct value *v;
		size_t		 i;
		bool		 done = false;

		if (close == NULL)
			break;
		strbuf_add(&sb, p, (size_t)(end - p));
		if (shell)
			sh_scan(&lex, p, end);
		name = xstrndup(end + 2, (size_t)(close - end - 2));
		strbuf_reset(&val);
		for (i = 0; extra != NULL && extra[i] != NULL; i += 2)
			if (strcmp(extra[i], name) == 0) {
				strbuf_addstr(&val, extra[i + 1]);
				done = true;
				break;
			}
		if (!done && (v = value_map_get(flags, name)) != NULL) {
			if (v->type != VALUE_NULL)
				flag_encode_arg(&val, opdef_flag(op, name), v);
			done = true;
		}
		if (!done) {
			strbuf_add(&sb, end, (size_t)(close - end + 1));
			if (shell)
				sh_scan(&lex, end, close + 1);
		} else if (!shell || val.len == 0)
			strbuf_add(&sb, val.buf, val.len);
		else if ((why = sh_quote(&lex, &sb, val.buf)) != NULL) {
			set_cause(cause, "${%s} stands %s in a shell command, "
			    "where its value cannot be quoted", name, why);
			free(name);
			strbuf_release(&sb);
			strbuf_release(&val);
			strbuf_release(&lex.stack);
			return NULL;
		}
		free(name);
		p = close + 1;
	}
	strbuf_addstr(&sb, p);
	strbuf_release(&val);
	strbuf_release(&lex.stack);
	return strbuf_detach(&sb, NULL);
}

static const char *
base_name(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/*
 * The index of the exec word that a shell runs as its command string
 * (`sh -c STRING`, `bash -lc STRING`, `env -u X bash -c STRING`,
 * `timeout 60 sh -c STRING`), or 0. The shell is the first word that
 * names one, wherever it stands: a wrapper that runs it (env, nice,
 * timeout, srun, docker run...) changes nothing about how the shell reads
 * its string, and a shell missed here would get its values unquoted.
 */
static size_t
shell_command_word(const struct strvec *words)
{
	static const char *const shells[] = { "sh", "bash", "dash", "zsh",
	    "ksh", "ksh93", "mksh", "ash", "yash", "posh", "busybox" };
	const char	*w;
	size_t		 i, k;
	bool		 is_shell = false, c = false;

	for (i = 0; i < words->n && !is_shell; i++)
		for (k = 0; k < sizeof shells / sizeof *shells; k++)
			if (strcmp(base_name(words->v[i]), shells[k]) == 0)
				is_shell = true;
	if (!is_shell)
		return 0;
	i--;
	/* busybox sh -c ... */
	if (strcmp(base_name(words->v[i]), "busybox") == 0 &&
	    ++i < words->n && strcmp(words->v[i], "sh") != 0 &&
	    strcmp(words->v[i], "ash") != 0)
		return 0;
	for (i++; i < words->n; i++) {
		w = words->v[i];
		if (strcmp(w, "--") == 0 || strcmp(w, "-") == 0) {
			i++;
			break;
		}
		if (w[0] != '-' && w[0] != '+')
			break;
		if (strcmp(w, "--rcfile") == 0 || strcmp(w, "--init-file") == 0) {
			i++;		/* bash's options with a value */
			continue;
		}
		if (w[1] == '-')
			continue;	/* --login, --norc */
		if (strcmp(w + 1, "o") == 0 || strcmp(w + 1, "O") == 0) {
			i++;		/* -o pipefail */
			continue;
		}
		if (w[0] == '-' && strchr(w, 'c') != NULL)
			c = true;
	}
	return c && i < words->n ? i : 0;
}

static int
plan_command(const struct runner_spec *spec, struct run_plan *plan,
    char **cause)
{
	const struct opdef	*op = spec->op;
	const char		*project = opdef_dir(op);
	struct strvec		 words = STRVEC_INIT, flag_args = STRVEC_INIT;
	char			*python = runner_python_exe();
	const char		*extra[7];
	char			*err = NULL;
	size_t			 i, shell;
	int			 rc = -1;

	extra[0] = "python_exe";
	extra[1] = python;
	extra[2] = "project_dir";
	extra[3] = project;
	extra[4] = "guild_python_exe";
	extra[5] = python;
	extra[6] = NULL;

	if (op->exec != NULL) {
		plan->flags_dest = xstrdup(op->flags_dest != NULL ?
		    op->flags_dest : "args");
		if (shlex_split(op->exec, &words, cause) == -1)
			goto out;
		if (words.n == 0) {
			set_cause(cause, "operation %s has an empty exec", plan->opname);
			goto out;
		}
		flags_args(op, spec->flags, flags_dest_parse(plan->flags_dest),
		    NULL, &flag_args);
		shell = shell_command_word(&words);
		for (i = 0; i < words.n; i++) {
			char	*w;

			if (strcmp(words.v[i], "${flag_args}") == 0) {
				strvec_pushv(&plan->argv,
				    (const char *const *)flag_args.v);
				continue;
			}
			w = resolve_refs(words.v[i], op, spec->flags, extra,
			    shell != 0 && i == shell, &err);
			if (w == NULL) {
				set_cause(cause, "operation %s: exec: %s",
				    plan->opname, err);
				free(err);
				goto out;
			}
			strvec_push_nodup(&plan->argv, w);
		}
		rc = 0;
		goto out;
	}
	if (op->nsteps > 0 && op->main == NULL) {
		/* A pipeline: guild runs the steps, each as a run of its own. */
		plan->flags_dest = xstrdup("none");
		strvec_push_nodup(&plan->argv, runner_guild_exe());
		strvec_push(&plan->argv, "-C");
		strvec_push(&plan->argv, project);
		strvec_push(&plan->argv, "run");
		strvec_push(&plan->argv, "--run-steps");
		strvec_push(&plan->argv, plan->run_dir);
		rc = 0;
		goto out;
	}

	/* main: MODULE [ARGS]; no main at all means a module named as the op. */
	if (shlex_split(op->main != NULL ? op->main : op->name, &words, cause) == -1)
		goto out;
	if (words.n == 0) {
		set_cause(cause, "operation %s has an empty main", plan->opname);
		goto out;
	}
	if (op->flags_dest != NULL)
		plan->flags_dest = xstrdup(op->flags_dest);
	else {
		char	*file = find_module_file(project, words.v[0]);

		plan->flags_dest = xstrdup(detect_flags_dest(file));
		free(file);
	}
	strvec_push(&plan->argv, python);
	strvec_push(&plan->argv, "-um");
	strvec_push(&plan->argv, "guild.op_main");
	for (i = 0; i < words.n; i++)
		strvec_push_nodup(&plan->argv,
		    resolve_refs(words.v[i], op, spec->flags, extra, false,
		    NULL));
	flags_args(op, spec->flags, flags_dest_parse(plan->flags_dest),
	    &plan->argv, &flag_args);
	if (flag_args.n > 0) {
		strvec_push(&plan->argv, "--");
		strvec_pushv(&plan->argv, (const char *const *)flag_args.v);
	}
	rc = 0;
out:
	strvec_clear(&words);
	strvec_clear(&flag_args);
	free(python);
	return rc;
}

static void
op_setenv(struct run_plan *plan, const char *name, const char *value)
{
	strvec_setenv(&plan->op_env, name, value);
	strvec_setenv(&plan->env, name, value);
}

static void
plan_env(const struct runner_spec *spec, struct run_plan *plan)
{
	const struct opdef	*op = spec->op;
	char			**e, *cwd, *pp, *src;
	struct strvec		 flag_env = STRVEC_INIT;
	size_t			 i;

	for (e = environ; *e != NULL; e++)
		strvec_push(&plan->env, *e);
	if (op->env != NULL && op->env->type == VALUE_MAP)
		for (i = 0; i < op->env->u.map.n; i++) {
			struct strbuf	 sb = STRBUF_INIT;
			char		*v;

			value_format_flag(&sb, op->env->u.map.v[i]);
			v = resolve_refs(sb.buf, op, spec->flags, NULL, false,
			    NULL);
			op_setenv(plan, op->env->u.map.k[i], v);
			free(v);
			strbuf_release(&sb);
		}
	flags_env(op, spec->flags, &flag_env);
	for (i = 0; i < flag_env.n; i++) {
		char	*eq = strchr(flag_env.v[i], '=');

		if (eq == NULL)
			continue;
		*eq = '\0';
		op_setenv(plan, flag_env.v[i], eq + 1);
	}
	strvec_clear(&flag_env);
	op_setenv(plan, "PROJECT_DIR", op->model->gf->dir);
	op_setenv(plan, "FLAGS_DEST", plan->flags_dest);
	src = path_join(plan->run_dir, plan->sourcecode_dest);
	pp = runner_python_path(src);
	op_setenv(plan, "PYTHONPATH", pp);
	free(pp);
	free(src);
	op_setenv(plan, "GUILD_OP", plan->opname);
	op_setenv(plan, "GUILD_HOME", spec->home->path);
	op_setenv(plan, "GUILD_SOURCECODE", plan->sourcecode_dest);
	cwd = getcwd(NULL, 0);
	op_setenv(plan, "CMD_DIR", cwd != NULL ? cwd : ".");
	free(cwd);
	op_setenv(plan, "RUN_DIR", plan->run_dir);
	op_setenv(plan, "RUN_ID", plan->id);
	for (i = 0; spec->env != NULL && i < spec->env->n; i++) {
		char	*name, *eq = strchr(spec->env->v[i], '=');

		if (eq == NULL)
			continue;
		name = xstrndup(spec->env->v[i], (size_t)(eq - spec->env->v[i]));
		op_setenv(plan, name, eq + 1);
		free(name);
	}
}

/*
 * Where a restarted run's source code is: the operation's place if the
 * run has it, else where the run says it put it (attrs/op), else its root
 * (a run written by Guild AI 0.9, which copies sources there).
 */
static char *
restart_sourcecode_dest(const char *run_dir, const char *dest)
{
	struct run		*run;
	struct value		*op = NULL;
	const struct value	*sc, *d;
	char			*path = path_join(run_dir, dest), *found = NULL;

	if (path_is_dir(path)) {
		free(path);
		return xstrdup(dest);
	}
	free(path);
	if ((run = run_open(run_dir, NULL)) != NULL &&
	    run_attr_read(run, "op", &op, NULL) == 0 &&
	    (sc = value_map_get(op, "sourcecode")) != NULL &&
	    (d = value_map_get(sc, "dest")) != NULL &&
	    d->type == VALUE_STRING && *d->u.s != '\0' && *d->u.s != '/' &&
	    strstr(d->u.s, "..") == NULL) {
		path = path_join(run_dir, d->u.s);
		if (path_is_dir(path))
			found = xstrdup(d->u.s);
		free(path);
	}
	value_free(op);
	run_free(run);
	return found != NULL ? found : xstrdup(".");
}

int
runner_plan(const struct runner_spec *spec, struct run_plan *plan, char **cause)
{
	const struct sourcecode_spec *sc = &spec->op->sourcecode;

	memset(plan, 0, sizeof *plan);
	if (spec->restart_id != NULL)
		plan->id = xstrdup(spec->restart_id);
	else if (spec->run_id != NULL) {
		if (*spec->run_id == '\0' || *spec->run_id == '.' ||
		    strchr(spec->run_id, '/') != NULL)
			return set_cause(cause, "invalid run id '%s'",
			    spec->run_id);
		plan->id = xstrdup(spec->run_id);
	} else if ((plan->id = run_new_id(cause)) == NULL)
		return -1;
	if (spec->run_dir != NULL && spec->restart_id == NULL)
		plan->run_dir = xstrdup(spec->run_dir);
	else
		plan->run_dir = run_dir_path(spec->home->runs, plan->id);
	plan->opname = opdef_fullname(spec->op);
	if (!sc->set || sc->dest == NULL)
		sc = &spec->op->model->sourcecode;
	plan->sourcecode_dest = xstrdup(sc->set && sc->dest != NULL ?
	    sc->dest : compat_sourcecode_dest());
	if (spec->restart_id != NULL) {
		char	*dest = restart_sourcecode_dest(plan->run_dir,
		    plan->sourcecode_dest);

		free(plan->sourcecode_dest);
		plan->sourcecode_dest = dest;
	}
	if (plan_command(spec, plan, cause) == -1) {
		run_plan_clear(plan);
		return -1;
	}
	plan_env(spec, plan);
	{
		/*
		 * Dependency flags hold run ids: in the default label a run's
		 * short id, as Guild shows it (operation:train=3f1c0a7e).
		 */
		struct strvec	 depflags = STRVEC_INIT;
		struct value	*lflags = value_dup(spec->flags), *v;
		size_t		 i;

		deps_flag_names(spec->op, &depflags);
		for (i = 0; lflags != NULL && i < depflags.n; i++) {
			v = value_map_get(lflags, depflags.v[i]);
			if (v != NULL && v->type == VALUE_STRING &&
			    strlen(v->u.s) == 32 &&
			    strspn(v->u.s, "0123456789abcdef") == 32)
				v->u.s[RUN_SHORT_ID_LEN] = '\0';
		}
		strvec_clear(&depflags);
		plan->label = flags_label(spec->label != NULL ? spec->label :
		    spec->op->label, lflags);
		value_free(lflags);
	}
	return 0;
}

void
run_plan_clear(struct run_plan *plan)
{
	free(plan->vcs_commit);
	free(plan->id);
	free(plan->run_dir);
	free(plan->opname);
	free(plan->label);
	free(plan->sourcecode_dest);
	free(plan->flags_dest);
	strvec_clear(&plan->argv);
	strvec_clear(&plan->env);
	strvec_clear(&plan->op_env);
	memset(plan, 0, sizeof *plan);
}

/* Write a message to a run's output, so that it stays with the run. */
static void
output_message(const struct run *run, const char *msg)
{
	struct output	*o = output_open(run->path, NULL);
	char		*line;

	if (o == NULL)
		return;
	line = xasprintf("guild: %s\n", msg);
	output_feed(o, line, strlen(line), 0, NULL);
	output_close(o, NULL);
	free(line);
}

static void
vcs_data(struct proc *p, const char *buf, size_t len, int stream, void *arg)
{
	struct strbuf	*out = arg;

	(void)p;
	/* Only the first line matters; a long log is not kept whole. */
	if (stream == 0 && out->len < 4096)
		strbuf_add(out, buf, len);
}

/* git ARGS... in dir; 0 with its stdout when it exits 0. */
static int
vcs_git(const char *dir, const char *const *argv, struct strbuf *out)
{
	struct proc_spec	 spec = {
		.argv = argv, .cwd = dir, .mode = PROC_PIPES,
	};
	struct proc_hooks	 hooks = { .on_data = vcs_data };
	char			*cause = NULL;
	int			 code;

	if (proc_run(&spec, &hooks, out, &code, &cause) == -1) {
		free(cause);
		return -1;
	}
	return code == 0 ? 0 : -1;
}

char *
runner_vcs_commit(const char *dir)
{
	static const char *const log_argv[] = { "git", "log", "-1", ".", NULL };
	static const char *const status_argv[] = { "git", "status", "-s", NULL };
	struct strbuf	 out = STRBUF_INIT;
	const char	*e = getenv("NO_VCS_COMMIT");
	char		*sha = NULL, *r;
	size_t		 n;

	if ((e != NULL && strcmp(e, "1") == 0) || dir == NULL)
		return NULL;
	/* Guild's pattern: "commit ([a-f0-9]+)" at the start. */
	if (vcs_git(dir, log_argv, &out) == -1 ||
	    !str_starts_with(out.buf, "commit ")) {
		strbuf_release(&out);
		return NULL;
	}
	n = strspn(out.buf + 7, "0123456789abcdef");
	if (n > 0)
		sha = xstrndup(out.buf + 7, n);
	strbuf_reset(&out);
	if (sha == NULL) {
		strbuf_release(&out);
		return NULL;
	}
	/* Anything "git status -s" prints makes the commit dirty. */
	if (vcs_git(dir, status_argv, &out) == 0 && out.len > 0 &&
	    out.buf[0] != '\n')
		r = xasprintf("git:%s*", sha);
	else
		r = xasprintf("git:%s", sha);
	free(sha);
	strbuf_release(&out);
	return r;
}

/* A Python executable, as Guild's python_script plugin tells one. */
static bool
is_python_exe(const char *cmd)
{
	const char	*base = strrchr(cmd, '/');

	base = base != NULL ? base + 1 : cmd;
	return strcmp(cmd, "${python_exe}") == 0 ||
	    strcmp(cmd, "${guild_python_exe}") == 0 ||
	    str_starts_with(base, "python");
}

/* Guild's plugins attr for a run of op: the plugins it has, by name. */
static struct value *
runner_plugins(const struct opdef *op)
{
	struct value	*l = value_list();
	struct strvec	 words = STRVEC_INIT;
	bool		 python = op->main != NULL || op->nsteps > 0;

	if (!python && op->exec != NULL &&
	    shlex_split(op->exec, &words, NULL) == 0 && words.n > 0)
		python = is_python_exe(words.v[0]);
	strvec_clear(&words);
	/*
	 * Of Guild's plugins, guild does what python_script does (Python
	 * operations, flags imported from scripts); cpu, gpu, memory, disk
	 * and perf are system scalars it does not log.
	 */
	if (python)
		value_list_push(l, value_string("python_script"));
	return l;
}

int
runner_prepare(const struct runner_spec *spec, struct value *flags,
    const struct value *prior, bool plan_deps, bool force_deps,
    struct runner_prep *prep, char **cause)
{
	memset(prep, 0, sizeof *prep);
	if (plan_deps && deps_plan(spec->home, spec->op, flags, prior,
	    force_deps, &prep->deps, cause) == -1)
		return -1;
	if (runner_plan(spec, &prep->plan, cause) == -1)
		return -1;
	/* Before any loop owns the signals (git runs through proc_run). */
	if (plan_deps)
		prep->plan.vcs_commit = runner_vcs_commit(spec->op->model->gf->dir);
	return 0;
}

struct run *
runner_launch(const struct runner_spec *spec, struct runner_prep *prep,
    deps_log_fn log, void *arg, char **cause)
{
	struct run	*run;
	char		*c = NULL;

	if ((run = runner_create(spec, &prep->plan, cause)) == NULL)
		return NULL;
	/* Still PENDING: a dependency not met ends the run before it starts. */
	if (deps_resolve(spec->home, spec->op, &prep->deps, run, log, arg,
	    &c) == -1) {
		output_message(run, c != NULL ? c : "a dependency was not met");
		runner_fail(run, 1, NULL);
		run_marker_clear(run, RUN_MARKER_STAGED, NULL);
		run_free(run);
		set_cause(cause, "%s", c != NULL ? c :
		    "a dependency was not met");
		free(c);
		return NULL;
	}
	deps_plan_clear(&prep->deps);
	return run;
}

void
runner_prep_clear(struct runner_prep *prep)
{
	run_plan_clear(&prep->plan);
	deps_plan_clear(&prep->deps);
}

static struct value *
strings_value(const struct strvec *sv)
{
	struct value	*list = value_list();
	size_t		 i;

	for (i = 0; sv != NULL && i < sv->n; i++)
		value_list_push(list, value_string(sv->v[i]));
	return list;
}

/*
 * Words that, as a whole component of a variable's name, mark it as
 * holding a secret: OPENAI_API_KEY, MYSQL_PWD, SSH_PASS... but not
 * KEYBOARD_LAYOUT or PASSTHROUGH.
 */
static const char *const secret_words[] = {
	"apikey", "auth", "cred", "creds", "credential", "credentials",
	"key", "keys", "pass", "passphrase", "passwd", "private", "privkey",
	"pw", "pwd",
};

static bool
secret_word(const char *w, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof secret_words / sizeof *secret_words; i++)
		if (strlen(secret_words[i]) == len &&
		    strncmp(secret_words[i], w, len) == 0)
			return true;
	return false;
}

/*
 * "scheme://user:password@host...": a URL that carries a password. A '/'
 * does not end the user part, so that a password with an unescaped '/'
 * is still found (at worst a URL is left out that had no password).
 */
static bool
url_has_password(const char *v)
{
	const char	*p = v, *auth, *end, *at, *colon;

	while ((p = strstr(p, "://")) != NULL) {
		auth = p + 3;
		end = auth + strcspn(auth, " \t\n,;");
		at = NULL;
		for (colon = auth; colon < end; colon++)
			if (*colon == '@')
				at = colon;
		if (at != NULL) {
			colon = memchr(auth, ':', (size_t)(at - auth));
			if (colon != NULL && colon + 1 < at)
				return true;
		}
		p = auth;
	}
	return false;
}

bool
runner_env_secret(const char *name, const char *value)
{
	char	*lower = xstrdup(name), *p, *w;
	bool	 secret;

	for (p = lower; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	/* Guild's rule first: these anywhere in the name. */
	secret = strstr(lower, "password") != NULL ||
	    strstr(lower, "token") != NULL || strstr(lower, "secret") != NULL;
	/* PWD alone is the shell's working directory, not a password. */
	for (w = p = lower; !secret && strcmp(lower, "pwd") != 0; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			continue;
		secret = secret_word(w, (size_t)(p - w));
		if (*p == '\0')
			break;
		w = p + 1;
	}
	free(lower);
	return secret || (value != NULL && url_has_password(value));
}

static bool
is_secret(const struct opdef *op, const char *name, const char *value)
{
	return runner_env_secret(name, value) ||
	    strvec_find(&op->env_secrets, name) >= 0;
}

static struct value *
env_value(const struct opdef *op, const struct strvec *env)
{
	struct value	*map = value_map();
	size_t		 i;

	for (i = 0; i < env->n; i++) {
		char	*eq = strchr(env->v[i], '='), *name;

		if (eq == NULL)
			continue;
		name = xstrndup(env->v[i], (size_t)(eq - env->v[i]));
		if (!is_secret(op, name, eq + 1))
			value_map_set(map, name, value_string(eq + 1));
		free(name);
	}
	return map;
}

static struct value *
platform_value(void)
{
	struct value	*map = value_map();
	struct utsname	 u;
	long		 cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (uname(&u) == 0) {
		char	*s = xasprintf("%s %s %s %s %s", u.sysname, u.nodename,
		    u.release, u.version, u.machine);

		value_map_set(map, "architecture", value_string(u.machine));
		value_map_set(map, "uname", value_string(s));
		free(s);
	}
	value_map_set(map, "cpus", value_int(cpus > 0 ? cpus : 1));
	return map;
}

static struct value *
op_value(const struct runner_spec *spec, const struct run_plan *plan)
{
	struct value	*op = value_map(), *cmd = value_map(), *env = value_map();
	size_t		 i;

	value_map_set(cmd, "cmd-args", strings_value(&plan->argv));
	for (i = 0; i < plan->op_env.n; i++) {
		char	*eq = strchr(plan->op_env.v[i], '='), *name;

		if (eq == NULL)
			continue;
		name = xstrndup(plan->op_env.v[i], (size_t)(eq - plan->op_env.v[i]));
		if (!is_secret(spec->op, name, eq + 1))
			value_map_set(env, name, value_string(eq + 1));
		free(name);
	}
	value_map_set(cmd, "cmd-env", env);
	value_map_set(cmd, "flags-dest", value_string(plan->flags_dest));
	value_map_set(op, "op-cmd", cmd);
	/* What labels the run, so that a restart labels it the same way. */
	if (spec->label != NULL)
		value_map_set(op, "label-template", value_string(spec->label));
	else if (spec->op->label != NULL)
		value_map_set(op, "label-template", value_string(spec->op->label));
	else
		value_map_set(op, "label-template", value_null());
	{
		struct value	*sc = value_map();

		value_map_set(sc, "dest", value_string(plan->sourcecode_dest));
		value_map_set(sc, "root", value_string(opdef_dir(spec->op)));
		value_map_set(op, "sourcecode", sc);
	}
	return op;
}

/* The steps attr: each step as a map, as Guild keeps them. */
static struct value *
steps_value(const struct opdef *op)
{
	struct value	*list = value_list();
	size_t		 i;

	for (i = 0; i < op->nsteps; i++) {
		const struct step	*st = op->steps[i];
		struct value		*m = value_map();

		value_map_set(m, "run", value_string(st->run != NULL ?
		    st->run : ""));
		if (st->name != NULL)
			value_map_set(m, "name", value_string(st->name));
		if (st->flags != NULL)
			value_map_set(m, "flags", value_dup(st->flags));
		if (!st->isolate_runs)
			value_map_set(m, "isolate-runs", value_bool(false));
		if (st->expect != NULL)
			value_map_set(m, "expect", value_dup(st->expect));
		value_list_push(list, m);
	}
	return list;
}

static int
write_attr(const struct run *run, const char *name, struct value *v, char **cause)
{
	int	rc = run_attr_write(run, name, v, cause);

	value_free(v);
	return rc;
}

static bool
run_attr_exists(const struct run *run, const char *name)
{
	struct value	*v = NULL;
	bool		 r;

	r = run_attr_read(run, name, &v, NULL) == 0 && v != NULL;
	value_free(v);
	return r;
}

/* Guild's runlib.random_seed(): a seed Python's random.seed() takes. */
static unsigned long long
pick_seed(void)
{
	uint32_t	seed = 0;
	int		fd;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		if (read(fd, &seed, sizeof seed) != (ssize_t)sizeof seed)
			seed = 0;
		close(fd);
	}
	if (seed == 0)
		seed = (uint32_t)(now_us() ^ ((uint64_t)getpid() << 16));
	return seed;
}

int
runner_write_system_attrs(const struct run *run, const struct opdef *op,
    const struct strvec *env, char **cause)
{
	char		 host[HOST_NAME_MAX + 1] = "";
	const char	*user;

	if (write_attr(run, "env", env_value(op, env),
	    cause) == -1 ||
	    write_attr(run, "platform", platform_value(),
	    cause) == -1)
		return -1;
	if (gethostname(host, sizeof host) == 0) {
		host[sizeof host - 1] = '\0';
		if (write_attr(run, "host", value_string(host),
		    cause) == -1)
			return -1;
	}
	/* $USER, else '', as Guild 0.9's util.user() (no passwd look-up). */
	user = getenv("USER");
	if (write_attr(run, "user", value_string(user != NULL ? user : ""),
	    cause) == -1)
		return -1;
	return 0;
}

void
runner_opref(const struct opdef *op, struct opref *ref, char **md5)
{
	struct strbuf	gfbytes = STRBUF_INIT;

	memset(ref, 0, sizeof *ref);
	*md5 = NULL;
	if (op->model->gf->installed_name != NULL) {
		/* Guild's opref for a package: "package:gpkg.hello 0.1 ..." */
		ref->pkg_type = (char *)"package";
		ref->pkg_name = op->model->gf->installed_name;
		ref->pkg_version = op->model->gf->installed_version;
	} else if (op->model->gf->script) {
		/* Guild's script_model_ref: "script:DIR '' '' train.py" */
		ref->pkg_type = (char *)"script";
		ref->pkg_name = op->model->gf->dir;
		ref->pkg_version = (char *)"";
	} else {
		ref->pkg_type = (char *)"guildfile";
		ref->pkg_name = op->model->gf->path;
		if (strbuf_read_file(&gfbytes, op->model->gf->path, NULL) == 0)
			*md5 = digest_buf(DIGEST_MD5, gfbytes.buf, gfbytes.len);
		strbuf_release(&gfbytes);
		ref->pkg_version = *md5 != NULL ? *md5 : (char *)"unknown";
	}
	ref->model = op->model->name;
	ref->op = op->name;
}

int
runner_write_opref(const struct run *run, const struct opdef *op,
    char **cause)
{
	struct opref	 ref;
	char		*md5;
	int		 rc;

	runner_opref(op, &ref, &md5);
	rc = run_opref_write(run, &ref, cause);
	free(md5);
	return rc;
}

/*
 * What a run started from a prototype takes from it besides its source
 * files: the attrs that describe that source (Guild's RUN_PROTO_ATTRS
 * also has host, user and platform: this run has its own).
 */
static int
proto_attrs_copy(const char *proto_dir, struct run *run, char **cause)
{
	static const char *const names[] = { "sourcecode_digest", "vcs_commit" };
	struct run	*proto = run_open(proto_dir, NULL);
	struct value	*v;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; proto != NULL && i < ARRAY_SIZE(names) && rc == 0; i++) {
		v = NULL;
		if (run_attr_read(proto, names[i], &v, NULL) == 0 && v != NULL)
			rc = run_attr_write(run, names[i], v, cause);
		value_free(v);
	}
	run_free(proto);
	return rc;
}

/*
 * A staged run's .guild/ENV, as Guild writes it: the environment the
 * operation will get, "export NAME=VALUE" sorted, so that it can also be
 * started by hand in its directory (guild run --stage --run-dir says how).
 */
static int
stage_env_write(const struct run *run, const struct run_plan *plan,
    char **cause)
{
	struct strvec	 env = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	char		*path;
	const char	*eq;
	size_t		 i;
	int		 rc;

	strvec_pushv(&env, (const char *const *)plan->env.v);
	strvec_sort(&env);
	for (i = 0; i < env.n; i++) {
		if ((eq = strchr(env.v[i], '=')) == NULL ||
		    str_starts_with(env.v[i], "PWD=") ||
		    str_starts_with(env.v[i], "_="))
			continue;
		strbuf_addf(&sb, "export %.*s=", (int)(eq - env.v[i]),
		    env.v[i]);
		if (eq[1] != '\0')
			shlex_quote(&sb, eq + 1);
		strbuf_addch(&sb, '\n');
	}
	path = run_guild_path(run, "ENV");
	rc = write_file_atomic(path, sb.buf, sb.len, cause);
	free(path);
	strbuf_release(&sb);
	strvec_clear(&env);
	return rc;
}

struct run *
runner_create(const struct runner_spec *spec, const struct run_plan *plan,
    char **cause)
{
	const struct opdef	*op = spec->op;
	struct run		*run;
	struct sourcecode_result sc;
	bool			 fresh = false;

	if (spec->restart_id != NULL) {
		if ((run = run_open(plan->run_dir, cause)) == NULL)
			return NULL;
		/* One process per run: a running run is not restarted. */
		if (run_pending_claim(run, cause) == -1) {
			run_free(run);
			return NULL;
		}
		if (run_attr_delete(run, "exit_status", cause) == -1 ||
		    run_attr_delete(run, "stopped", cause) == -1 ||
		    run_lock_clear(run, cause) == -1 ||
		    run_marker_clear(run, RUN_MARKER_STAGED, cause) == -1)
			goto fail;
	} else {
		fresh = !path_exists(plan->run_dir);
		if ((run = spec->run_dir != NULL ?
		    run_create_at(plan->run_dir, plan->id, cause) :
		    run_create(spec->home->runs, plan->id, cause)) == NULL)
			return NULL;
	}

	if (runner_write_opref(run, op, cause) == -1)
		goto fail;

	if (write_attr(run, "cmd", strings_value(&plan->argv), cause) == -1 ||
	    write_attr(run, "flags", value_dup(spec->flags), cause) == -1 ||
	    write_attr(run, "user_flags", spec->user_flags != NULL ?
	    value_dup(spec->user_flags) : value_map(), cause) == -1 ||
	    write_attr(run, "label", value_string(plan->label), cause) == -1 ||
	    write_attr(run, "op", op_value(spec, plan), cause) == -1 ||
	    runner_write_system_attrs(run, op, &plan->env, cause) == -1)
		goto fail;
	if (spec->tags != NULL && spec->tags->n > 0 &&
	    write_attr(run, "tags", strings_value(spec->tags), cause) == -1)
		goto fail;
	if (write_attr(run, "plugins", runner_plugins(op), cause) == -1)
		goto fail;
	/* A restart keeps what the run was started with, as Guild does. */
	if (!run_attr_exists(run, "run_params") &&
	    write_attr(run, "run_params", spec->run_params != NULL ?
	    value_dup(spec->run_params) : value_map(), cause) == -1)
		goto fail;
	if ((spec->has_random_seed || !run_attr_exists(run, "random_seed")) &&
	    write_attr(run, "random_seed", value_int((long long)
	    (spec->has_random_seed ? spec->random_seed : pick_seed())),
	    cause) == -1)
		goto fail;
	/* Guild writes deps even when there are none: resolved later. */
	if (!run_attr_exists(run, "deps") &&
	    write_attr(run, "deps", value_map(), cause) == -1)
		goto fail;
	if (plan->vcs_commit != NULL &&
	    write_attr(run, "vcs_commit", value_string(plan->vcs_commit),
	    cause) == -1)
		goto fail;
	if (spec->comment != NULL &&
	    run_comment_add(run, spec->comment, NULL, NULL, 0, cause) == -1)
		goto fail;

	if (op->nsteps > 0 && op->main == NULL && op->exec == NULL &&
	    write_attr(run, "steps", steps_value(op), cause) == -1)
		goto fail;
	/* A model test's steps get its flags (steps.h). */
	if (op->test && write_attr(run, "test", value_string(op->name),
	    cause) == -1)
		goto fail;
	/* A pipeline's steps snapshot their own source code. */
	if ((spec->restart_id == NULL || spec->force_sourcecode) &&
	    !(op->nsteps > 0 && op->main == NULL && op->exec == NULL)) {
		memset(&sc, 0, sizeof sc);
		if (spec->proto_dir != NULL) {
			if (sourcecode_copy_run(spec->proto_dir, run->path, &sc,
			    cause) == -1 || proto_attrs_copy(spec->proto_dir,
			    run, cause) == -1) {
				sourcecode_result_clear(&sc);
				goto fail;
			}
		} else if (sourcecode_snapshot(opdef_dir(op),
		    &op->model->sourcecode, &op->sourcecode, op->name,
		    run->path, &sc, cause) == -1)
			goto fail;
		if (sc.digest != NULL &&
		    write_attr(run, "sourcecode_digest", value_string(sc.digest),
		    cause) == -1) {
			sourcecode_result_clear(&sc);
			goto fail;
		}
		sourcecode_result_clear(&sc);
	}
	/* flags-dest: config:FILE: the run's copy gets the flag values. */
	if (config_flags_file(op->flags_dest) != NULL) {
		struct value	*split = flags_split_values(op, spec->flags);
		int		 crc = config_flags_write(opdef_dir(op), run->path,
				    config_flags_file(op->flags_dest), split,
				    cause);

		value_free(split);
		if (crc == -1)
			goto fail;
	}
	if (spec->stage) {
		if (stage_env_write(run, plan, cause) == -1 ||
		    run_marker_set(run, RUN_MARKER_STAGED, cause) == -1 ||
		    write_attr(run, "started", value_int(run_now_us()), cause) == -1 ||
		    run_marker_clear(run, RUN_MARKER_PENDING, cause) == -1)
			goto fail;
	}
	return run;
fail:
	/*
	 * A new run that could not be written whole (a full disk) is not
	 * left behind, half a run forever pending; a restarted one keeps
	 * its files and is finished as an error by the caller.
	 */
	if (fresh)
		rm_rf(run->path, NULL);
	else if (spec->restart_id != NULL)
		run_marker_clear(run, RUN_MARKER_PENDING, NULL);
	run_free(run);
	return NULL;
}

int
runner_fail(struct run *run, int exit_status, char **cause)
{
	struct value	*v;
	int		 rc = 0;

	v = value_int(exit_status);
	if (run_attr_write(run, "exit_status", v, cause) == -1)
		rc = -1;
	value_free(v);
	v = value_int(run_now_us());
	if (run_attr_write(run, "stopped", v, cause) == -1)
		rc = -1;
	value_free(v);
	if (run_lock_clear(run, cause) == -1 ||
	    run_marker_clear(run, RUN_MARKER_PENDING, cause) == -1)
		rc = -1;
	return rc;
}

static void
on_scalar(const char *key, double value, long long step, void *arg)
{
	struct runner	*r = arg;
	char		*cause = NULL;

	if (r->slog == NULL || r->log_failed)
		return;
	if (scalars_log_append(r->slog, key, value, step, &cause) == -1) {
		runner_write_failed(r, "scalars not fully written", cause);
		free(cause);
		r->log_failed = true;
	}
}

/*
 * An output attr, where Guild AI 0.9 logs it: a text summary in an event
 * file of .guild named *.attrs (summary.py OutputAttrs), which both tools
 * read back as the run's attributes.
 */
static void
on_attr(const char *key, const char *text, void *arg)
{
	struct runner	*r = arg;
	double		 now = (double)run_now_us() / 1e6;
	char		 host[256], *suffix, *name, *path, *cause = NULL;

	if (r->attr_failed)
		return;
	if (r->attr_log == NULL) {
		if (gethostname(host, sizeof host) != 0)
			strcpy(host, "localhost");
		host[sizeof host - 1] = '\0';
		suffix = xasprintf("%s.%ld.attrs", host, (long)getpid());
		name = tfevents_file_name(now, suffix);
		path = xasprintf("%s/.guild/%s", r->run->path, name);
		r->attr_log = tfevents_create(path, now, &cause);
		free(suffix);
		free(name);
		free(path);
	}
	if (r->attr_log == NULL || tfevents_add_text(r->attr_log, now, 0, key,
	    text, &cause) == -1) {
		runner_write_failed(r, "attributes not fully written", cause);
		free(cause);
		r->attr_failed = true;
	}
}

static void
on_line(const struct output_line *line, void *arg)
{
	struct runner	*r = arg;
	struct strvec	 captured = STRVEC_INIT;

	if (r->scalars != NULL)
		scalars_feed_line_keys(r->scalars, line->text, line->len,
		    on_scalar, r, r->attrs != NULL ? &captured : NULL);
	if (r->attrs != NULL)
		scalars_feed_attrs(r->attrs, line->text, line->len, &captured,
		    on_attr, r);
	strvec_clear(&captured);
	if (r->hooks.on_line != NULL)
		r->hooks.on_line(line, r->arg);
}

static void
on_proc_data(struct proc *p, const char *buf, size_t len, int stream, void *arg)
{
	struct runner	*r = arg;
	char		*cause = NULL;

	if (r->hooks.on_data != NULL)
		r->hooks.on_data(buf, len, r->arg);
	if (r->output != NULL &&
	    output_feed(r->output, buf, len, stream, &cause) == -1) {
		runner_write_failed(r, "output not fully written", cause);
		free(cause);
	}
}

/* --stop-after: Guild's message, SIGTERM now, SIGKILL if it stays. */
static void
stop_early(struct loop_timer *t, void *arg)
{
	struct runner	*r = arg;
	char		*line;

	if (r->stopping) {
		runner_kill(r, SIGKILL);
		return;
	}
	r->stopping = true;
	line = xasprintf("Stopping process early (pid %d) - %.1f minute(s) "
	    "elapsed", (int)runner_pid(r),
	    (double)(mono_ms() - r->started_ms) / 60000.0);
	if (r->hooks.on_log != NULL)
		r->hooks.on_log(line, r->arg);
	free(line);
	runner_stop(r, SIGTERM);
	loop_timer_set(t, RUNNER_KILL_DELAY_MS, 0);
}

static void
on_proc_exit(struct proc *p, int status, void *arg)
{
	struct runner	*r = arg;
	char		*cause = NULL;
	int		 code = proc_exit_code(status);

	if (r->stop_timer != NULL) {
		loop_timer_del(r->stop_timer);
		r->stop_timer = NULL;
	}

	if (r->stop_signo != 0 && code > 0)
		code = -r->stop_signo;

	if (r->output != NULL) {
		if (output_close(r->output, &cause) == -1) {
			runner_write_failed(r, "output not fully written",
			    cause);
			free(cause);
			cause = NULL;
		}
		r->output = NULL;
	}
	if (r->slog != NULL) {
		if (scalars_log_close(r->slog, &cause) == -1) {
			runner_write_failed(r, "scalars not fully written",
			    cause);
			free(cause);
			cause = NULL;
		}
		r->slog = NULL;
	}
	if (r->attr_log != NULL) {
		if (tfevents_close(r->attr_log, &cause) == -1) {
			runner_write_failed(r, "attributes not fully written",
			    cause);
			free(cause);
			cause = NULL;
		}
		r->attr_log = NULL;
	}
	if (runner_fail(r->run, code, &cause) == -1) {
		runner_write_failed(r, "status not recorded", cause);
		free(cause);
	}
	if (r->hooks.on_done != NULL)
		r->hooks.on_done(code, r->arg);
}

int
runner_keras_scalars(struct scalars *s, const struct opdef *op, char **cause)
{
	char	*script = flags_import_main_script(op);
	int	 rc = 0;

	if (script != NULL && scalars_keras_script(script))
		rc = scalars_use_keras(s, cause);
	free(script);
	return rc;
}

struct runner *
runner_start(struct loop *loop, const struct runner_spec *spec,
    const struct run_plan *plan, struct run *run,
    const struct runner_hooks *hooks, void *arg, unsigned short rows,
    unsigned short cols, char **cause)
{
	struct runner		*r = xcalloc(1, sizeof *r);
	struct proc_spec	 ps;
	struct proc_hooks	 ph = { .on_data = on_proc_data, .on_exit = on_proc_exit };
	const char		**names;
	size_t			 i, n = 0;

	r->run = run;
	if (hooks != NULL)
		r->hooks = *hooks;
	r->arg = arg;
	names = xcalloc(spec->flags != NULL && spec->flags->type == VALUE_MAP ?
	    spec->flags->u.map.n + 1 : 1, sizeof *names);
	if (spec->flags != NULL && spec->flags->type == VALUE_MAP)
		for (i = 0; i < spec->flags->u.map.n; i++)
			names[n++] = spec->flags->u.map.k[i];
	r->scalars = scalars_new(&spec->op->output_scalars, names, cause);
	if (r->scalars != NULL)
		r->attrs = scalars_attrs_new(&spec->op->output_attrs, names,
		    cause);
	free(names);
	if (r->scalars == NULL || r->attrs == NULL ||
	    runner_keras_scalars(r->scalars, spec->op, cause) == -1)
		goto fail;
	if (!scalars_enabled(r->attrs)) {
		scalars_free(r->attrs);
		r->attrs = NULL;
	}
	if ((r->output = output_open(run->path, cause)) == NULL)
		goto fail;
	output_subscribe(r->output, on_line, r);
	if (scalars_enabled(r->scalars) &&
	    (r->slog = scalars_log_open(run->path, cause)) == NULL)
		goto fail;

	memset(&ps, 0, sizeof ps);
	ps.argv = (const char *const *)plan->argv.v;
	ps.env = (const char *const *)plan->env.v;
	ps.cwd = run->path;
	ps.mode = PROC_PTY;
	ps.keep_lf = true;
	ps.rows = rows;
	ps.cols = cols;
	{
		struct value	*v = value_int(run_now_us());
		int		 rc = run_attr_write(run, "started", v, cause);

		value_free(v);
		if (rc == -1)
			goto fail;
	}
	if ((r->proc = proc_spawn(loop, &ps, &ph, r, cause)) == NULL)
		goto fail;
	if (spec->stop_after_ms > 0) {
		r->started_ms = mono_ms();
		r->stop_timer = loop_timer_add(loop, spec->stop_after_ms, 0,
		    stop_early, r);
	}
	if (run_lock_write(run, proc_pid(r->proc), cause) == -1 ||
	    run_marker_clear(run, RUN_MARKER_PENDING, cause) == -1 ||
	    run_marker_clear(run, RUN_MARKER_STAGED, cause) == -1) {
		proc_kill(r->proc, SIGKILL);
		goto fail;
	}
	return r;
fail:
	runner_free(r);
	return NULL;
}

int
runner_write(struct runner *r, const void *buf, size_t len)
{
	return r->proc != NULL ? proc_write(r->proc, buf, len) : -1;
}

int
runner_resize(struct runner *r, unsigned short rows, unsigned short cols)
{
	return r->proc != NULL ? proc_resize(r->proc, rows, cols) : -1;
}

int
runner_kill(struct runner *r, int signo)
{
	return r->proc != NULL ? proc_kill(r->proc, signo) : -1;
}

int
runner_stop(struct runner *r, int signo)
{
	if (r->proc == NULL)
		return -1;
	if (r->stop_signo == 0)
		r->stop_signo = signo;
	return proc_kill(r->proc, signo);
}

pid_t
runner_pid(const struct runner *r)
{
	return r->proc != NULL ? proc_pid(r->proc) : 0;
}

void
runner_free(struct runner *r)
{
	if (r == NULL)
		return;
	if (r->stop_timer != NULL)
		loop_timer_del(r->stop_timer);
	proc_free(r->proc);
	if (r->output != NULL)
		output_close(r->output, NULL);
	if (r->slog != NULL)
		scalars_log_close(r->slog, NULL);
	if (r->attr_log != NULL)
		tfevents_close(r->attr_log, NULL);
	scalars_free(r->scalars);
	scalars_free(r->attrs);
	free(r->error);
	free(r);
}
