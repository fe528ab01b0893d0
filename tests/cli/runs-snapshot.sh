#!/bin/sh
# runs-snapshot.sh: "guild runs" without opening the index (CACHE/runs-list,
# src/runindex-snap.c) shows what the index would: every change the index
# path notices sends the listing back to the index, which saves a new one.
# GUILD_TEST_INDEX_TRACE says which path each listing took.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'PROJ'
model: fashion
operations:
  train:
    main: train
PROJ
)
RUNS_PROJECT=$proj
cd "$proj" || exit 1
cache=$GUILD_HOME/cache
runs=$GUILD_HOME/runs
# Stamps are trusted at once (the default waits two seconds).
GUILD_INDEX_RACY_MS=0
GUILD_TEST_INDEX_TRACE=$TEST_TMP/trace
export GUILD_INDEX_RACY_MS GUILD_TEST_INDEX_TRACE
NEW=5d0a5a1ed18611e88f52d017c2ab916f

# took NAME PATH: the last listing took PATH (snapshot or index).
took()
{
	_tk_got=$(tail -n 1 "$TEST_TMP/trace" 2>/dev/null)
	if [ "$_tk_got" = "$2" ]; then
		pass "$1"
	else
		fail "$1" "the listing took '$_tk_got', expected '$2'"
	fi
}

# settle: list until the index has nothing left to do. A listing that
# wrote to the index (it read a run anew) saves no snapshot: it cannot
# tell its own commits from another process's. The next one saves it.
settle()
{
	quiet guild runs
	quiet guild runs
}

# tried: how many listings looked for the snapshot.
tried()
{
	wc -l < "$TEST_TMP/trace" | tr -d ' '
}

mkwalkthrough
expect_exact "first listing" - -- guild runs <<'OUT'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
OUT
took "the first listing reads the index" index
ok "it wrote the index: no snapshot" test ! -e "$cache/runs-list"
quiet guild runs
took "the second reads the index" index
ok "and saves the listing" test -s "$cache/runs-list"
expect_exact "third listing: the same" - -- guild runs <<'OUT'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
OUT
took "the third listing is the snapshot" snapshot
expect_exact "-n 1 from the snapshot" - -- guild runs -n 1 <<'OUT'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
OUT
took "-n 1 is the snapshot" snapshot
expect_exact "--all, all in the snapshot" - -- guild runs --all <<'OUT'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
OUT
took "--all is the snapshot" snapshot

# A label written in place, as Guild AI (and people) write attrs.
printf 'a label written in place\n' > "$runs/$WT_OK/.guild/attrs/label"
expect_exact "a label written in place shows" - -- guild runs <<'OUT'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  a label written in place
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
OUT
took "a changed run sends the listing to the index" index
settle
quiet guild runs
took "then the snapshot again" snapshot

# A run directory added, then removed, by hand.
mkrun $NEW train 1539705460 0
expect_exact "a new run directory shows" - -- guild runs <<'OUT'
[0:5d0a5a1e]  ./fashion:train  2018-10-16 15:57:40  completed
[1:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  a label written in place
[2:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
OUT
took "a new run: the index" index
settle
rm -rf "${runs:?}/$NEW"
expect_exact "a run directory removed is gone" - -- guild runs <<'OUT'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  a label written in place
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
OUT
took "a removed run: the index" index

# Through guild: a label, a deletion.
settle
quiet guild label -y --set relabelled 1
expect_exact "guild label shows" - -- guild runs <<'OUT'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  a label written in place
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error      relabelled
OUT
took "after guild label: the index" index
settle
quiet guild runs rm -y 1
expect_exact "guild runs rm: gone" - -- guild runs <<'OUT'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  a label written in place
OUT
took "after guild runs rm: the index" index
settle
quiet guild runs restore -y 1
expect_exact "guild runs restore: back" - -- guild runs <<'OUT'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  a label written in place
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error      relabelled
OUT
took "after guild runs restore: the index" index

# The index changed by a writer that does not touch runs.db-gen (an older
# guild, a person with sqlite3).
settle
if python3 -c 'import sqlite3' 2> /dev/null; then
	python3 - "$cache/runs.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE runs SET label = 'set in the index' WHERE id LIKE '19c67a72%'")
db.commit()
db.close()
PY
	expect_exact "the index changed by another writer shows" - -- guild runs <<'OUT'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  set in the index
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error      relabelled
OUT
	took "another writer: the index" index
else
	skip "python3's sqlite3 module is missing" 2
fi

# A commit through the hooks rewrites the nonce.
settle
quiet guild runs
took "settled: the snapshot" snapshot
printf 'XXXXXXXX' > "$cache/runs.db-gen"
quiet guild runs
took "a new nonce: the index" index

# A filter, the trash, --json: never the snapshot.
settle
n=$(tried)
expect_exact "a filter" - -- guild runs -Fl relabelled <<'OUT'
[0:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error  relabelled
OUT
expect_exact "the trash" - -- guild runs --deleted <<'OUT'
OUT
quiet guild runs --json
ok "a filter, the trash, --json: the snapshot is not looked at" \
    test "$(tried)" -eq "$n"

# A snapshot that is not one.
settle
printf 'guild runs-list 1 12\n9 /nowhere\n' > "$cache/runs-list"
expect_exact "a bad snapshot: the index" - -- guild runs <<'OUT'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  set in the index
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error      relabelled
OUT
took "a bad snapshot is not used" index
settle
quiet guild runs
took "and is replaced" snapshot

# A home copied elsewhere: its runs are other directories.
settle
cp -R "$GUILD_HOME" "$TEST_TMP/copy"
GUILD_HOME=$TEST_TMP/copy guild runs > /dev/null 2>&1
took "a copied home: the index" index

# The rows the index looks at on every query are looked at the same way:
# a run without exit status is an error while no process holds its LOCK
# (a LOCK rewritten in place changes no stamp).
sh -c 'exit 0' &
dead=$!
wait "$dead"
mkrun $NEW train 1539705460 -
printf '%s' "$dead" > "$runs/$NEW/.guild/LOCK"
settle
expect_exact "an error without exit status, from the snapshot" - -- \
    guild runs -n 1 <<'OUT'
[0:5d0a5a1e]  ./fashion:train  2018-10-16 15:57:40  error
OUT
took "a row checked on every query: the snapshot" snapshot
# A process that lives until it is killed (no timer to run out on a busy machine).
tail -f /dev/null &
live=$!
printf '%s' "$live" > "$runs/$NEW/.guild/LOCK"
expect_exact "its LOCK rewritten with a live process: running" - -- \
    guild runs -n 1 <<'OUT'
[0:5d0a5a1e]  ./fashion:train  2018-10-16 15:57:40  running
OUT
took "a live process: the index" index
kill "$live"
wait "$live" 2>/dev/null
expect_exact "the process gone: an error again" - -- guild runs -n 1 <<'OUT'
[0:5d0a5a1e]  ./fashion:train  2018-10-16 15:57:40  error
OUT

# A directory that is not a run yet: the snapshot while it stays one.
mkdir "$runs/not-a-run-yet"
settle
quiet guild runs
took "a directory not a run: the snapshot" snapshot
# Made elsewhere, moved in: the runs directory itself does not change.
(GUILD_HOME=$TEST_TMP/elsewhere && mkrun 6e0a5a1ed18611e88f52d017c2ab916f \
    train 1539705470 0)
mv "$TEST_TMP/elsewhere/runs/6e0a5a1ed18611e88f52d017c2ab916f/.guild" \
    "$runs/not-a-run-yet/"
expect_exact "it became a run: shown" - -- guild runs -n 1 <<'OUT'
[0:not-a-ru]  ./fashion:train  2018-10-16 15:57:50  completed
OUT
took "it became a run: the index" index

done_testing
