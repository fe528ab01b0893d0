#!/bin/sh
# runs-index.sh: the run index is a cache: deleted or corrupted between
# commands it is rebuilt, and what other processes do to run directories
# (add, change, remove, a process that dies) shows in the next command.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
model: fashion
operations:
  train:
    main: train
EOF
)
RUNS_PROJECT=$proj
cd "$proj" || exit 1
cache=$GUILD_HOME/cache

mkwalkthrough
expect_exact "two runs" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
ok "the index is in the cache" test -n "$(ls -A "$cache" 2>/dev/null)"

rm -rf "$cache"
expect_exact "index deleted: the same runs" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF

# The index was written: its WAL and shared memory stay for the next
# command (not made and deleted by every one), the WAL emptied by the last
# close, so runs.db deleted alone by hand meets no stale pages.
ok "runs.db-wal is kept, empty" \
    test -f "$cache/runs.db-wal" -a ! -s "$cache/runs.db-wal"
ok "runs.db-shm is kept" test -f "$cache/runs.db-shm"
rm -f "$cache/runs.db"
expect_exact "runs.db deleted alone: the same runs" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF

for f in "$cache"/*; do
	[ -f "$f" ] && printf 'this is not a database\n%0500d\n' 0 > "$f"
done
runs_to_file()
{
	guild runs > "$TEST_TMP/out" 2>&1
}
ok "index corrupted: no error" runs_to_file
expect_exact "index corrupted: the same runs" - -- cat "$TEST_TMP/out" <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
for f in "$cache"/*; do
	[ -f "$f" ] && : > "$f"
done
expect_exact "index emptied: the same runs" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "info after a rebuild" - -- guild runs info 1 <<'EOF'
id: 1451e20cd18611e88f52d017c2ab916f
operation: ./fashion:train
from: $TEST_TMP/sample-project/guild.yml
status: error
started: 2018-10-16 15:57:23
stopped: 2018-10-16 15:57:23
marked: no
label:
sourcecode_digest:
vcs_commit:
run_dir: ~/.guild/runs/1451e20cd18611e88f52d017c2ab916f
command: /usr/bin/python -um guild.op_main train
exit_status: 1
pid:
tags:
flags:
scalars:
EOF

# Schema 12 added the runs_list index (the listing read from one index,
# not the table's rows): an index of schema 11 is brought up to date in
# place, not rebuilt (a marker only the index holds survives), and the
# listing's query (runindex.c's ROW_COLS, newest first) reads only it.
if command -v sqlite3 > /dev/null 2>&1; then
	db=$cache/runs.db
	sqlite3 "$db" "DROP INDEX runs_list; PRAGMA user_version = 11;
	    INSERT INTO attrnames (name) VALUES ('zz-only-in-the-index');"
	expect_exact "schema 11: the same runs" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
	expect_exact "schema 11: upgraded in place, not rebuilt" - -- \
	    sqlite3 "$db" "PRAGMA user_version; SELECT name FROM attrnames
	    WHERE name LIKE 'zz-%'; SELECT name FROM sqlite_master
	    WHERE name = 'runs_list'" <<'EOF'
12
zz-only-in-the-index
runs_list
EOF
	expect_exact "the listing reads the runs_list index alone" - -- \
	    sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT rid, id, deleted, status,
	    op_desc, model, op, pkg_type, pkg_name, opref, label, marked, tags,
	    digest, initialized, started, stopped, exit_status, pid, stamp,
	    editable, flags_loaded, scalars_stamp, problem FROM runs
	    WHERE deleted = 0 ORDER BY ts DESC, id LIMIT 20" <<'EOF'
QUERY PLAN
`--SEARCH runs USING COVERING INDEX runs_list (deleted=?)
EOF
	sqlite3 "$db" "PRAGMA user_version = 10;"
	expect_exact "schema 10: the same runs" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
	expect_exact "schema 10: rebuilt" - -- sqlite3 "$db" "PRAGMA user_version;
	    SELECT name FROM attrnames WHERE name LIKE 'zz-%'" <<'EOF'
12
EOF
else
	for t in "schema 11: the same runs" "schema 11: upgraded in place" \
	    "the listing reads runs_list" "schema 10: the same runs" \
	    "schema 10: rebuilt"; do
		skip "$t" "no sqlite3 command"
	done
fi

# Others change run directories between our commands.
mkrun 2e5a3b1c000000000000000000000001 train 1539706000 -
expect_exact "a run added by another process" - -- guild runs <<'EOF'
[0:2e5a3b1c]  ./fashion:train  2018-10-16 16:06:40  error
[1:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[2:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
setattr 2e5a3b1c000000000000000000000001 exit_status 0
setattr 2e5a3b1c000000000000000000000001 label 'written by hand'
expect_exact "its status and label changed by another process" - -- guild runs -n 1 <<'EOF'
[0:2e5a3b1c]  ./fashion:train  2018-10-16 16:06:40  completed  written by hand
EOF
setattr $WT_OK tags '- hand'
expect_exact "tags changed by another process" - -- guild runs -Ft hand <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
EOF
rm -rf "$GUILD_HOME/runs/2e5a3b1c000000000000000000000001"
expect_exact "a run removed by rm -rf" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "and it cannot be selected" - 1 -- guild runs info 2e5a <<'EOF'
guild: could not find a run matching '2e5a'
Try 'guild runs list' for a list.
EOF
mkdir -p "$GUILD_HOME/trash/runs"
mv "$GUILD_HOME/runs/$WT_ERR" "$GUILD_HOME/trash/runs/"
expect_exact "a run moved to the trash by hand" - -- guild runs -d <<'EOF'
[0:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "is not listed with the runs" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
EOF
mv "$GUILD_HOME/trash/runs/$WT_ERR" "$GUILD_HOME/runs/"

# However long after a listing another process rewrites an attr in place
# (as Guild AI does), every filter sees it from the next command on, not
# only the rows a listing happens to show. GUILD_INDEX_RACY_MS=0 makes the
# index trust its stamps at once, as it does for a change of long ago;
# each value below differs in size from the last, so the stamp must move
# even when the clock that stamps files has not.
GUILD_INDEX_RACY_MS=0
export GUILD_INDEX_RACY_MS
expect_exact "stamps trusted: both runs listed" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "stamps trusted: no run tagged v1" - -- guild runs -Ft v1 <<'EOF'
EOF
setattr $WT_ERR tags '- v1'
expect_exact "-Ft: a tag written in place after a filtered listing" - -- guild runs -Ft v1 <<'EOF'
[0:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
setattr $WT_ERR tags '- other'
expect_exact "-Ft: a tag removed in place" - -- guild runs -Ft v1 <<'EOF'
EOF
expect_exact "-Fl: no such label yet" - -- guild runs -Fl nightly <<'EOF'
EOF
setattr $WT_ERR label 'nightly build'
expect_exact "-Fl: a label written in place" - -- guild runs -Fl nightly <<'EOF'
[0:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error  nightly build
EOF
expect_exact "-F: an expression over the label" - -- guild runs -F "label = 'nightly build'" <<'EOF'
[0:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error  nightly build
EOF
expect_exact "-M: nothing marked" - -- guild runs -M <<'EOF'
EOF
setattr $WT_ERR marked 'true'
expect_exact "-M: marked in place" - -- guild runs -M <<'EOF'
[0:1451e20c]  ./fashion:train [marked]  2018-10-16 15:57:23  error  nightly build
EOF
setattr $WT_ERR marked 'no'
expect_exact "-Fn: unmarked in place" - -- guild runs -Fn <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error      nightly build
EOF
expect_exact "-Fc: no comment yet" - -- guild runs -Fc great <<'EOF'
EOF
setattr $WT_ERR comments '- body: a great run
  host: h
  time: 1539705452000000
  user: u'
expect_exact "-Fc: a comment written in place" - -- guild runs -Fc great <<'EOF'
[0:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error  nightly build
EOF
expect_exact "-Sc: one completed run" - -- guild runs -Sc <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
EOF
setattr $WT_ERR exit_status 0
expect_exact "-Sc: an exit status rewritten in place" - -- guild runs -Sc <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  completed  nightly build
EOF
setattr $WT_ERR exit_status 12
expect_exact "-Se: and back to an error" - -- guild runs -Se <<'EOF'
[0:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error  nightly build
EOF
rm -f "$GUILD_HOME/runs/$WT_ERR/.guild/attrs/label" \
    "$GUILD_HOME/runs/$WT_ERR/.guild/attrs/tags" \
    "$GUILD_HOME/runs/$WT_ERR/.guild/attrs/marked" \
    "$GUILD_HOME/runs/$WT_ERR/.guild/attrs/comments"
setattr $WT_ERR exit_status 1
unset GUILD_INDEX_RACY_MS

# Liveness: a run whose process is alive is running; once it died, error.
sleep 60 &
live=$!
mkrun 3f6b4c2d000000000000000000000002 train 1539707000 -
printf '%s' "$live" > "$GUILD_HOME/runs/3f6b4c2d000000000000000000000002/.guild/LOCK"
expect_exact "a Guild AI run with a live LOCK pid is running" - -- guild runs -n 1 <<'EOF'
[0:3f6b4c2d]  ./fashion:train  2018-10-16 16:23:20  running
EOF
expect_exact "its pid is shown" - -- sh -c "\"\$GUILD\" runs info | grep '^pid:'" <<EOF
pid: $live
EOF
kill "$live"
wait "$live" 2>/dev/null
expect_exact "once the process died, error" - -- guild runs -n 1 <<'EOF'
[0:3f6b4c2d]  ./fashion:train  2018-10-16 16:23:20  error
EOF
expect_exact "-Sr: nothing is running" - -- guild runs -Sr <<'EOF'
EOF

# A PENDING run, as Guild AI leaves one that crashed while resolving.
mkrun 4a7c5d3e000000000000000000000003 train 1539708000 -
: > "$GUILD_HOME/runs/4a7c5d3e000000000000000000000003/.guild/PENDING"
expect_exact "pending" - -- guild runs -n 1 <<'EOF'
[0:4a7c5d3e]  ./fashion:train  2018-10-16 16:40:00  pending
EOF

done_testing
