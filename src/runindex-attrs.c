/*
 * runindex-attrs.c: the run index's cache of each run's declared and
 * logged attrs (runattrs_read: a walk of the run directory for *.attrs
 * event files), so that compare's default columns do not search every
 * run's tree each time.
 *
 * An entry holds for as long as the run's row stamp (its .guild and
 * .guild/attrs directories: an attr log written in .guild, opdef_attrs)
 * and its scalar sources (every event file and directory searched, with
 * their times) are what they were when it was read; a running run, a
 * racy stamp or a run whose sources were never searched is read anew.
 * Text appended to an existing attr log of a finished run is not seen
 * until the index is deleted.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "run.h"
#include "runattrs.h"
#include "runindex-impl.h"
#include "runindex.h"
#include "scalars.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

#define ATTRS_SCHEMA \
	"CREATE TABLE IF NOT EXISTS run_attrs (" \
	" deleted INTEGER NOT NULL, id TEXT NOT NULL, key TEXT NOT NULL," \
	" attrs TEXT NOT NULL, PRIMARY KEY (deleted, id)) WITHOUT ROWID"

struct attrs_stmts {
	sqlite3_stmt	*key, *get, *put;
};

static void
stmts_free(struct attrs_stmts *s)
{
	sqlite3_finalize(s->key);
	sqlite3_finalize(s->get);
	sqlite3_finalize(s->put);
}

/*
 * Whether a source or directory was seen too soon after a change to trust
 * its time (its mtime is then -1: searched again each time, so the text
 * would not change when it does).
 */
static bool
racy(const char *text)
{
	struct scalars_sources	src = SCALARS_SOURCES_INIT;
	size_t			i;
	bool			r = false;

	if (scalars_sources_decode(text, &src) == -1)
		return true;
	for (i = 0; i < src.n && !r; i++)
		r = src.v[i].mtime_ns == -1;
	for (i = 0; i < src.ndirs && !r; i++)
		r = src.dirs[i].mtime_ns == -1;
	scalars_sources_release(&src);
	return r;
}

/* The entry's key for row; NULL when it may not be cached. */
static char *
row_key(struct attrs_stmts *s, const struct run_row *row)
{
	const char	*src;
	char		*key = NULL;
	int64_t		 stamp;

	if (row->status == RUN_STATUS_RUNNING)
		return NULL;
	sqlite3_reset(s->key);
	ri_bind_text(s->key, 1, row->id);
	sqlite3_bind_int(s->key, 2, row->deleted);
	if (sqlite3_step(s->key) == SQLITE_ROW &&
	    sqlite3_column_type(s->key, 1) != SQLITE_NULL) {
		stamp = sqlite3_column_int64(s->key, 0);
		src = (const char *)sqlite3_column_text(s->key, 1);
		if (stamp != 0 && src != NULL && !racy(src))
			key = xasprintf("%lld\n%s", (long long)stamp, src);
	}
	sqlite3_reset(s->key);
	return key;
}

static struct value *
cached(struct attrs_stmts *s, const struct run_row *row, const char *key)
{
	const char	*k, *text;
	struct value	*v = NULL;

	sqlite3_reset(s->get);
	sqlite3_bind_int(s->get, 1, row->deleted);
	ri_bind_text(s->get, 2, row->id);
	if (sqlite3_step(s->get) == SQLITE_ROW) {
		k = (const char *)sqlite3_column_text(s->get, 0);
		text = (const char *)sqlite3_column_text(s->get, 1);
		if (k != NULL && text != NULL && strcmp(k, key) == 0 &&
		    (v = yaml_parse_value(text, strlen(text), NULL)) != NULL &&
		    v->type != VALUE_MAP) {
			value_free(v);
			v = NULL;
		}
	}
	sqlite3_reset(s->get);
	return v;
}

static void
store(struct attrs_stmts *s, const struct run_row *row, const char *key,
    const struct value *attrs)
{
	struct strbuf	json = STRBUF_INIT;

	value_encode_json(&json, attrs);
	sqlite3_reset(s->put);
	sqlite3_bind_int(s->put, 1, row->deleted);
	ri_bind_text(s->put, 2, row->id);
	ri_bind_text(s->put, 3, key);
	ri_bind_text(s->put, 4, json.buf);
	/* A cache: a failed write is a read next time. */
	(void)sqlite3_step(s->put);
	sqlite3_reset(s->put);
	strbuf_release(&json);
}

void
runindex_run_attrs(struct runindex *ri, struct run_row *const *rows,
    size_t n, struct value **out)
{
	struct attrs_stmts	 s;
	bool			 ok, tx = false;
	size_t			 i;
	char			*key;

	memset(&s, 0, sizeof s);
	ok = ri != NULL && n > 0 &&
	    sqlite3_exec(ri->db, ATTRS_SCHEMA, NULL, NULL, NULL) == SQLITE_OK &&
	    (s.key = ri_prepare(ri, "SELECT stamp, scalars_src FROM runs"
	    " WHERE id = ?1 AND deleted = ?2", NULL)) != NULL &&
	    (s.get = ri_prepare(ri, "SELECT key, attrs FROM run_attrs"
	    " WHERE deleted = ?1 AND id = ?2", NULL)) != NULL &&
	    (s.put = ri_prepare(ri, "INSERT OR REPLACE INTO run_attrs"
	    " (deleted, id, key, attrs) VALUES (?1, ?2, ?3, ?4)",
	    NULL)) != NULL;
	if (ok && sqlite3_get_autocommit(ri->db) != 0)
		tx = ri_begin(ri, NULL) == 0;
	for (i = 0; i < n; i++) {
		out[i] = NULL;
		key = ok ? row_key(&s, rows[i]) : NULL;
		if (key != NULL)
			out[i] = cached(&s, rows[i], key);
		if (out[i] == NULL) {
			out[i] = runattrs_read(rows[i]->dir);
			if (key != NULL)
				store(&s, rows[i], key, out[i]);
		}
		free(key);
	}
	if (tx && ri_commit(ri, NULL) == -1)
		ri_rollback(ri);
	stmts_free(&s);
}
