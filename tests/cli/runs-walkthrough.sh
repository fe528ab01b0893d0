#!/bin/sh
# runs-walkthrough.sh: the run-management part of the Guild AI
# introduction, verbatim, on real runs: a failed train run, a completed
# one, guild runs, run info --output 1, runs rm 1 with Enter, guild runs,
# runs restore with Enter, guild ls and ls -f.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

if ! command -v python3 > /dev/null 2>&1 && ! command -v python > /dev/null 2>&1; then
	skip_all "no Python for the walkthrough's main: train"
fi

proj=$(make_project sample-project <<'EOF'
model: fashion
description: Basic fashion MNIST image classifier.
operations:
  train:
    description: Train classifier from scratch.
    main: train
EOF
)
cd "$proj" || exit 1
printf '\n' > "$TEST_TMP/enter"

# The first run fails: there is no train.py yet.
guild run train < "$TEST_TMP/enter" > "$TEST_TMP/out1" 2>&1
ok "walkthrough: the first run fails" test $? -ne 0
ok "with the walkthrough's message" grep -q "guild: No module named train" "$TEST_TMP/out1"

# train.py writes what the walkthrough's guild ls shows.
cat > train.py <<'EOF'
for name in ["events.out.tfevents.1539779455.local",
             "weights-0001-13.233.hdf5", "weights-0002-13.080.hdf5",
             "weights-0003-13.031.hdf5", "weights-0004-12.996.hdf5",
             "weights-0005-13.007.hdf5"]:
    open(name, "w").close()
print("loss: 12.996")
EOF
guild run train < "$TEST_TMP/enter" > "$TEST_TMP/out2" 2>&1
ok "walkthrough: the second run completes" test $? -eq 0

expect_output "walkthrough: guild runs" - -- guild runs <<'EOF'
[0:<id>]  ./fashion:train  <time>  completed
[1:<id>]  ./fashion:train  <time>  error
EOF

# The python path in "command" is this machine's. The walkthrough shows
# some of the fields Guild prints: those, in the same order.
info_output()
{
	"$@" > "$TEST_TMP/info" 2>&1
	_io_rc=$?
	sed 's|^command: [^ ]* -um|command: /usr/bin/python -um|' "$TEST_TMP/info" |
	    grep -E '^(id|operation|status|started|stopped|run_dir|command|exit_status|pid|output):|^  '
	return $_io_rc
}
expect_output "walkthrough: runs info --output 1" - -- info_output guild runs info --output 1 <<'EOF'
id: <id>
operation: ./fashion:train
status: error
started: <time>
stopped: <time>
run_dir: ~/.guild/runs/<id>
command: /usr/bin/python -um guild.op_main train
exit_status: 1
pid:
output:
  guild: No module named train
EOF
if info_output guild run info --output 1 2>/dev/null | grep -q '^id: '; then
	expect_output "walkthrough: run info --output 1" - -- info_output guild run info --output 1 <<'EOF'
id: <id>
operation: ./fashion:train
status: error
started: <time>
stopped: <time>
run_dir: ~/.guild/runs/<id>
command: /usr/bin/python -um guild.op_main train
exit_status: 1
pid:
output:
  guild: No module named train
EOF
else
	skip "walkthrough: run info --output 1" "guild run info is not runs info yet"
fi
failed=$(stdout_of guild select 1)
kept=$(stdout_of guild select 0)

EXPECT_STDIN=$TEST_TMP/enter expect_output "walkthrough: runs rm 1, Enter" - -- normed guild runs rm 1 <<'EOF'
You are about to delete the following runs:
  [<id>]  ./fashion:train  <time>  error
Delete 1 run(s)? (Y/n) Deleted 1 run(s)
EOF
expect_output "walkthrough: guild runs after rm" - -- guild runs <<'EOF'
[0:<id>]  ./fashion:train  <time>  completed
EOF
ok "the failed run was deleted" test "$(ls "$GUILD_HOME/trash/runs")" = "$failed"
EXPECT_STDIN=$TEST_TMP/enter expect_output "walkthrough: runs restore, Enter" - -- normed guild runs restore <<'EOF'
You are about to restore the following runs:
  [<id>]  ./fashion:train  <time>  error
Restore 1 run(s)? (Y/n) Restored 1 run(s)
EOF
expect_output "both runs again" - -- guild runs <<'EOF'
[0:<id>]  ./fashion:train  <time>  completed
[1:<id>]  ./fashion:train  <time>  error
EOF
ok "the same runs" test "$(stdout_of guild select 1)" = "$failed" -a \
    "$(stdout_of guild select 0)" = "$kept"

expect_output "walkthrough: guild ls" - -- guild ls <<'EOF'
~/.guild/runs/<id>:
  events.out.tfevents.1539779455.local
  weights-0001-13.233.hdf5
  weights-0002-13.080.hdf5
  weights-0003-13.031.hdf5
  weights-0004-12.996.hdf5
  weights-0005-13.007.hdf5
EOF
expect_output "walkthrough: guild ls -f" - -- sh -c '"$GUILD" ls -f | head -n 2' <<'EOF'
~/.guild/runs/<id>/events.out.tfevents.1539779455.local
~/.guild/runs/<id>/weights-0001-13.233.hdf5
EOF
ok "ls -f paths are the files" sh -c 'test -f "$("$GUILD" ls -f | head -n 1)"'
expect_output "the source code is in the snapshot" - -- guild ls -s <<'EOF'
~/.guild/runs/<id>/.guild/sourcecode:
  guild.yml
  train.py
EOF
expect_output "guild runs info: scalars" - -- sh -c '"$GUILD" runs info | tail -n 2' <<'EOF'
scalars:
  loss: 12.996000 (step 0)
EOF

done_testing
