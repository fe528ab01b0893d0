/*
 * remotesync.c: the background syncs of the remotes' runs (see
 * remotesync.h).
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "home.h"
#include "loop.h"
#include "output.h"
#include "proc.h"
#include "remote.h"
#include "remotesync.h"
#include "strbuf.h"
#include "strvec.h"
#include "tui.h"
#include "util.h"

/* What a failed pull may say: enough for its one line. */
#define SYNC_OUTPUT_MAX	(64 * 1024)

struct rsremote {
	struct remotesync	*rs;
	char			*name;
	unsigned		 interval_ms;
	struct loop_timer	*timer;
	struct proc		*pull;		/* under way, or NULL */
	struct strbuf		 out;
	bool			 again;		/* asked for meanwhile */
	char			*error;		/* the last one said */
	char			*meta;		/* its mirrored runs */
	struct strvec		 ids;		/* sorted */
};

struct remotesync {
	struct view		*v;
	struct rsremote		**r;
	size_t			 n;
};

static void	sync_start(struct rsremote *);

/* The runs the last pull saw there, from its mirror. */
static void
read_ids(struct rsremote *r)
{
	strvec_clear(&r->ids);
	if (dir_names_sorted(r->meta, &r->ids) == -1)
		strvec_clear(&r->ids);
}

static void
sync_data(struct proc *p, const char *buf, size_t len, int stream,
    void *arg)
{
	struct rsremote	*r = arg;

	(void)p;
	(void)stream;
	if (r->out.len < SYNC_OUTPUT_MAX)
		strbuf_add(&r->out, buf, len);
}

static void
last_line(const struct output_line *line, void *arg)
{
	struct strbuf	*sb = arg;

	if (line->len == 0)
		return;
	strbuf_reset(sb);
	strbuf_add(sb, line->text, line->len);
}

/* The gist of a failed pull: its last line, as cooked as any output. */
static char *
failure(struct rsremote *r, int code)
{
	struct output_cooker	*ck;
	struct strbuf		 line = STRBUF_INIT;
	const char		*s;
	char			*msg;

	ck = output_cooker_new(last_line, &line);
	output_cooker_feed(ck, r->out.buf, r->out.len);
	output_cooker_finish(ck);
	output_cooker_free(ck);
	s = line.len > 0 ? line.buf : "";
	if (strncmp(s, "guild: ", 7) == 0)
		s += 7;
	if (*s != '\0')
		msg = xasprintf("sync of %s failed: %s", r->name, s);
	else
		msg = xasprintf("sync of %s failed (exit status %d)", r->name,
		    code);
	strbuf_release(&line);
	return msg;
}

static void
sync_exited(struct proc *p, int status, void *arg)
{
	struct rsremote	*r = arg;
	struct view	*v = r->rs->v;
	int		 code = proc_exit_code(status);
	char		*msg;

	proc_free(p);
	r->pull = NULL;
	if (code != 0) {
		/* Said once: a remote that is down stays down a while. */
		msg = failure(r, code);
		if (r->error == NULL || strcmp(r->error, msg) != 0)
			view_error(v, "%s", msg);
		else
			/* The runs pane's title keeps saying it. */
			view_dirty(v);
		free(r->error);
		r->error = msg;
	} else if (r->error != NULL) {
		view_message(v, "sync of %s works again", r->name);
		free(r->error);
		r->error = NULL;
	}
	strbuf_reset(&r->out);
	read_ids(r);
	/* Pulled runs show as any change of the runs does. */
	view_refresh_soon(v);
	if (r->again) {
		r->again = false;
		sync_start(r);
	}
}

static void
sync_start(struct rsremote *r)
{
	struct view		*v = r->rs->v;
	const char		*argv[] = { v->self_exe, "-H", v->home->path,
				    "pull", r->name, "-y", NULL };
	struct proc_spec	 spec = {
		.argv = argv,
		.mode = PROC_PIPES,
		.merge_err = true,
	};
	struct proc_hooks	 hooks = {
		.on_data = sync_data,
		.on_exit = sync_exited,
	};
	char			*cause = NULL;

	if (r->pull != NULL) {
		r->again = true;
		return;
	}
	strbuf_reset(&r->out);
	if ((r->pull = proc_spawn(v->loop, &spec, &hooks, r,
	    &cause)) == NULL)
		view_error_cause(v, cause);
}

static void
sync_timer(struct loop_timer *t, void *arg)
{
	struct rsremote	*r = arg;

	(void)t;
	/* One at a time: a slow remote is not asked again meanwhile. */
	if (r->pull == NULL)
		sync_start(r);
}

struct remotesync *
remotesync_start(struct view *v)
{
	struct remote_list	 list = REMOTE_LIST_INIT;
	struct remotesync	*rs;
	char			*cause = NULL;
	size_t			 i;

	if (remotes_load(v->home->path, &list, &cause) == -1) {
		view_error(v, "%s", cause);
		free(cause);
		return NULL;
	}
	if (list.n == 0) {
		remotes_clear(&list);
		return NULL;
	}
	rs = xcalloc(1, sizeof *rs);
	rs->v = v;
	rs->r = xreallocarray(NULL, list.n, sizeof *rs->r);
	for (i = 0; i < list.n; i++) {
		const struct remote	*rem = list.v[i];
		struct rsremote		*r = xcalloc(1, sizeof *r);
		double			 s = rem->poll_interval > 0 ?
					    rem->poll_interval :
					    REMOTE_POLL_INTERVAL;

		r->rs = rs;
		r->name = xstrdup(rem->name);
		r->interval_ms = s * 1000 < 100 ? 100 :
		    s * 1000 > 86400000 ? 86400000 : (unsigned)(s * 1000);
		strbuf_init(&r->out);
		r->meta = xasprintf("%s/remotes/%s/meta/runs", v->home->path,
		    rem->name);
		read_ids(r);
		rs->r[rs->n++] = r;
		/* The first at once (after the first screen), then steady. */
		r->timer = loop_timer_add(v->loop, r->interval_ms, 1,
		    sync_timer, r);
		sync_start(r);
	}
	remotes_clear(&list);
	return rs;
}

void
remotesync_free(struct remotesync *rs)
{
	size_t	i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++) {
		struct rsremote	*r = rs->r[i];

		loop_timer_del(r->timer);
		proc_free(r->pull);
		strbuf_release(&r->out);
		strvec_clear(&r->ids);
		free(r->error);
		free(r->meta);
		free(r->name);
		free(r);
	}
	free(rs->r);
	free(rs);
}

size_t
remotesync_count(const struct remotesync *rs)
{
	return rs != NULL ? rs->n : 0;
}

const char *
remotesync_name(const struct remotesync *rs, size_t i)
{
	return rs != NULL && i < rs->n ? rs->r[i]->name : NULL;
}

static int
cmp_id(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

const char *
remotesync_remote_of(const struct remotesync *rs, const char *id)
{
	size_t	i;

	if (rs == NULL || id == NULL)
		return NULL;
	for (i = 0; i < rs->n; i++)
		if (rs->r[i]->ids.n > 0 && bsearch(id, rs->r[i]->ids.v,
		    rs->r[i]->ids.n, sizeof *rs->r[i]->ids.v, cmp_id) != NULL)
			return rs->r[i]->name;
	return NULL;
}

char *
remotesync_live_remote(const char *run_dir)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path, *name = NULL;

	path = xasprintf("%s/.guild/LOCK.remote", run_dir);
	if (path_exists(path) && strbuf_read_file(&sb, path, NULL) == 0) {
		name = str_trim(sb.buf != NULL ? sb.buf : "");
		if (*name == '\0') {
			free(name);
			name = NULL;
		}
	}
	strbuf_release(&sb);
	free(path);
	return name;
}

bool
remotesync_failing(const struct remotesync *rs, struct strbuf *sb,
    const char *sep)
{
	size_t	i, n = 0;

	for (i = 0; rs != NULL && i < rs->n; i++) {
		if (rs->r[i]->error == NULL)
			continue;
		strbuf_addstr(sb, n++ == 0 ? sep : ", ");
		strbuf_addstr(sb, rs->r[i]->name);
	}
	return n > 0;
}

void
remotesync_now(struct remotesync *rs, const char *name)
{
	size_t	i;

	if (rs == NULL || name == NULL)
		return;
	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i]->name, name) == 0)
			sync_start(rs->r[i]);
}
