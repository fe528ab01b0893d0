#!/bin/sh
# runs-delete.sh: guild runs delete (rm), restore and purge: the question
# and -y, the trash, -p, specs and filters, and what is left where.

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
trash=$GUILD_HOME/trash/runs

expect_exact "nothing to delete" - -- guild runs rm <<'EOF'
Nothing to delete.
EOF
expect_exact "nothing to restore" - -- guild runs restore <<'EOF'
Nothing to restore.
EOF
expect_exact "nothing to purge" - -- guild runs purge <<'EOF'
Nothing to purge.
EOF

# The walkthrough: rm 1 with Enter, then restore with Enter.
mkwalkthrough
printf '\n' > "$TEST_TMP/enter"
EXPECT_STDIN=$TEST_TMP/enter expect_exact "walkthrough: runs rm 1, Enter" - -- guild runs rm 1 <<'EOF'
You are about to delete the following runs:
  [1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
Delete 1 run(s)? (Y/n) Deleted 1 run(s)
EOF
ok "the run is in the trash" test -f "$trash/$WT_ERR/.guild/opref"
ok "and not in runs" test ! -e "$GUILD_HOME/runs/$WT_ERR"
expect_exact "walkthrough: guild runs after rm" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
EOF
expect_exact "runs -d shows it" - -- guild runs -d <<'EOF'
[0:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
EXPECT_STDIN=$TEST_TMP/enter expect_exact "walkthrough: runs restore, Enter" - -- guild runs restore <<'EOF'
You are about to restore the following runs:
  [1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
Restore 1 run(s)? (Y/n) Restored 1 run(s)
EOF
expect_exact "both runs are back" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
ok "the trash is empty" test -z "$(ls "$trash")"

# Answers: n keeps the runs, EOF is no, y is yes.
printf 'n\n' > "$TEST_TMP/no"
# (An answer read from a pipe is not echoed: the question ends the output.)
printf '%s\n%s\n%s' 'You are about to delete the following runs:' \
    '  [19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed' \
    'Delete 1 run(s)? (Y/n) ' > "$TEST_TMP/asked"
EXPECT_STDIN=$TEST_TMP/no expect_exact "n: nothing deleted" "$TEST_TMP/asked" -- guild runs rm 0
expect_exact "EOF: nothing deleted" - -- guild runs rm 0 <<'EOF'
You are about to delete the following runs:
  [19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
Delete 1 run(s)? (Y/n) 
EOF
ok "both runs still there" test "$(stdout_of guild runs | wc -l)" -eq 2

# -y; several specs; duplicates; all runs by default.
mkrun 2e5a3b1c000000000000000000000001 train 1539706000 0 'lr=0.1'
mkrun 3f6b4c2d000000000000000000000002 train 1539707000 1
expect_exact "-y, two specs, one given twice" - -- guild runs rm -y 0 2 0 <<'EOF'
Deleted 2 run(s)
EOF
expect_exact "the right ones went" - -- guild runs <<'EOF'
[0:2e5a3b1c]  ./fashion:train  2018-10-16 16:06:40  completed  lr=0.1
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "trash, newest first" - -- guild runs -d <<'EOF'
[0:3f6b4c2d]  ./fashion:train  2018-10-16 16:23:20  error
[1:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
EOF
expect_exact "restore indexes count deleted runs" - -- guild runs restore -y 1 <<'EOF'
Restored 1 run(s)
EOF
ok "19c67a72 restored" test -d "$GUILD_HOME/runs/$WT_OK"
expect_exact "rm with a filter, all matching runs by default" - -- guild runs rm -y -Se <<'EOF'
Deleted 1 run(s)
EOF
expect_exact "the error runs are gone" - -- guild runs <<'EOF'
[0:2e5a3b1c]  ./fashion:train  2018-10-16 16:06:40  completed  lr=0.1
[1:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
EOF
expect_exact "an id prefix" - -- guild runs rm -y 2e5a <<'EOF'
Deleted 1 run(s)
EOF
expect_exact "a bad spec deletes nothing" - 1 -- guild runs rm -y 0 ffff <<'EOF'
guild: could not find a run matching 'ffff'
Try 'guild runs list' for a list.
EOF
ok "run 0 is still there" test -d "$GUILD_HOME/runs/$WT_OK"

# A run deleted again: the older copy in the trash is moved aside (as
# Guild does), the trash keeps both.
cp -R "$GUILD_HOME/runs/$WT_OK" "$TEST_TMP/copy"
expect_exact "delete 19c67a72" - -- guild runs rm -y $WT_OK <<'EOF'
Deleted 1 run(s)
EOF
cp -R "$TEST_TMP/copy" "$GUILD_HOME/runs/$WT_OK"
setattr $WT_OK label newer
expect_exact "delete it again" - -- guild runs rm -y $WT_OK <<'EOF'
Deleted 1 run(s)
EOF
ok "the trash holds the newer copy under the id" \
    test "$(cat "$trash/$WT_OK/.guild/attrs/label")" = newer
ok "and the older one beside it" \
    test "$(ls -A "$trash" | grep -c "^$WT_OK")" -eq 2
ok "nothing is left in runs" test ! -e "$GUILD_HOME/runs/$WT_OK"

# Restoring over a run that exists again leaves it in the trash.
cp -R "$trash/2e5a3b1c000000000000000000000001" "$GUILD_HOME/runs/"
expect_exact "restore: the id is in use" - 1 -- guild runs restore -y 2e5a3b1c000000000000000000000001 <<'EOF'
guild: cannot restore run 2e5a3b1c000000000000000000000001: a run with that id exists
Restored 0 run(s)
EOF
ok "still in the trash" test -d "$trash/2e5a3b1c000000000000000000000001"
rm -rf "$GUILD_HOME/runs/2e5a3b1c000000000000000000000001"

# purge: the question defaults to no.
expect_exact "purge: Enter is no" - -- guild runs purge 0 <<'EOF'
WARNING: You are about to permanently delete the following runs:
  [3f6b4c2d]  ./fashion:train  2018-10-16 16:23:20  error
Permanently delete 1 run(s)? (y/N) 
EOF
printf 'y\n' > "$TEST_TMP/yes"
EXPECT_STDIN=$TEST_TMP/yes expect_exact "purge: y" - -- guild runs purge 0 <<'EOF'
WARNING: You are about to permanently delete the following runs:
  [3f6b4c2d]  ./fashion:train  2018-10-16 16:23:20  error
Permanently delete 1 run(s)? (y/N) Permanently deleted 1 run(s)
EOF
ok "purged from the disk" test ! -e "$trash/3f6b4c2d000000000000000000000002"
expect_exact "purge -y, everything" - -- guild runs purge -y <<'EOF'
Permanently deleted 4 run(s)
EOF
ok "the trash is empty" test -z "$(ls -A "$trash")"

# rm -p: permanent, default no.
mkwalkthrough
printf '%s\n%s\n%s' \
    'WARNING: You are about to permanently delete the following runs:' \
    '  [1451e20c]  ./fashion:train  2018-10-16 15:57:23  error' \
    'Permanently delete 1 run(s)? (y/N) ' > "$TEST_TMP/asked"
EXPECT_STDIN=$TEST_TMP/enter expect_exact "rm -p: Enter is no" "$TEST_TMP/asked" -- guild runs rm -p 1
expect_exact "rm -p -y" - -- guild runs delete -p -y 1 <<'EOF'
Permanently deleted 1 run(s)
EOF
ok "gone, not in the trash" test ! -e "$GUILD_HOME/runs/$WT_ERR" -a ! -e "$trash/$WT_ERR"
expect_exact "runs delete is runs rm" - -- guild runs delete -y <<'EOF'
Deleted 1 run(s)
EOF
expect_exact "nothing left" - -- guild runs <<'EOF'
EOF

done_testing
