#!/bin/sh
# archive.sh: guild archive: named archives (--create, --list, -v),
# runs moved or copied (--copy) there, listed with runs --archive / -A,
# imported back by name; archive directories given as paths; errors.

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
runs=$GUILD_HOME/runs
mkwalkthrough

expect_exact "an unknown archive" - 1 -- guild archive -y old <<'EOF'
guild: archive 'old' does not exist
Try 'guild archive --list' to list available archives or use the '--create' option.
EOF
expect_exact "NAME is required" - 1 -- guild archive -y <<'EOF'
guild: missing argument for NAME
EOF
EXPECT_STDIN=$TEST_TMP/enter
printf '\n' > "$EXPECT_STDIN"
expect_exact "--create, the question, Enter moves" - -- guild archive -c -d 'Old runs' old 1 <<'EOF'
You are about to archive (move) the following runs to 'old':
  [1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
Continue? (Y/n) Creating 'old'
Archived 1 run(s) to 'old'
EOF
unset EXPECT_STDIN
ok "the run moved" test ! -e "$runs/$WT_ERR"
ok "into the archives directory, with Guild's archive.json" sh -c 'grep -qx "{\"label\": \"old\", \"description\": \"Old runs\"}" "$1"/archives/*/archive.json && test -d "$(dirname "$1"/archives/*/archive.json)/$2"' sh "$GUILD_HOME" "$WT_ERR"
expect_exact "the home lists the rest" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
EOF
expect_exact "runs --archive NAME lists the archive" - -- guild runs --archive old <<'EOF'
[0:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "runs list -A NAME, with filters" - -- guild runs list -A old -E <<'EOF'
[0:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "--copy keeps the run" - -- guild archive -y --copy old 0 <<'EOF'
Archived 1 run(s) to 'old'
EOF
ok "still in the home" test -d "$runs/$WT_OK"
expect_exact "both are in the archive" - -- guild runs -A old <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
guild archive -y -c new 0 > /dev/null 2>&1
expect_exact "--list" - -- guild archive --list <<'EOF'
new
old  Old runs
EOF
expect_output "--list -v shows where" - -- sh -c '"$GUILD" archive -l -v | sed "s|archives/[0-9a-f]\{32\}|archives/ID|"' <<'EOF'
new            ~/.guild/archives/ID
old  Old runs  ~/.guild/archives/ID
EOF
expect_exact "import takes an archive's name" - -- guild import -y old 1 <<'EOF'
Imported 1 run(s) from old
EOF
old=$(dirname "$(grep -l '"old"' "$GUILD_HOME"/archives/*/archive.json)")
expect_exact "runs --archive PATH" - -- guild runs -A "$old" <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "a directory as the archive needs --create too" - 1 -- guild archive -y "$TEST_TMP/arch" <<'EOF'
guild: archive '$TEST_TMP/arch' does not exist
Try 'guild archive --list' to list available archives or use the '--create' option.
EOF
expect_exact "a directory as the archive" - -- guild archive -y -c "$TEST_TMP/arch" 1 <<'EOF'
Archived 1 run(s) to '$TEST_TMP/arch'
EOF
expect_exact "listed by path" - -- guild runs -A "$TEST_TMP/arch" <<'EOF'
[0:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "not an archive" - 1 -- guild runs -A nothere <<'EOF'
guild: 'nothere' is not a valid archive - use a path to a file/directory or specify an archive name returned by 'guild archive --list'.
EOF
expect_exact "--archive and --deleted" - 1 -- guild runs -A old -d <<'EOF'
guild: --archive and --deleted cannot both be used
EOF

done_testing
