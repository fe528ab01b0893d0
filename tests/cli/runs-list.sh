#!/bin/sh
# runs-list.sh: guild runs / runs list: the walkthrough's format, limits,
# the trash, details, JSON, and the run filters shared by every command.
# The runs are written by hand in Guild AI's format, so ids and times are
# fixed and the output is compared as it is.

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

expect_exact "no runs: nothing listed" - -- guild runs <<'EOF'
EOF

mkwalkthrough
expect_exact "walkthrough: guild runs" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "runs list is the same" - -- guild runs list <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "runs ls is the same" - -- guild runs ls <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF

# Labels, marks, and runs of a project in another directory.
mkrun 2e5a3b1c000000000000000000000001 prepare 1539706000 0 'epochs=2 lr=0.1'
setattr 2e5a3b1c000000000000000000000001 marked true
mkrun 3f6b4c2d000000000000000000000002 evaluate 1539707000 -
otherproj=$HOME/projects/other
mkdir -p "$otherproj"
printf 'guildfile:%s/guild.yml abc fashion evaluate' "$otherproj" \
    > "$GUILD_HOME/runs/3f6b4c2d000000000000000000000002/.guild/opref"
expect_exact "label, [marked], another project, no exit status" - -- guild runs <<'EOF'
[0:3f6b4c2d]  fashion:evaluate (~/projects/other)  2018-10-16 16:23:20  error
[1:2e5a3b1c]  ./fashion:prepare [marked]           2018-10-16 16:06:40  completed  epochs=2 lr=0.1
[2:19c67a72]  ./fashion:train                      2018-10-16 15:57:32  completed
[3:1451e20c]  ./fashion:train                      2018-10-16 15:57:23  error
EOF
expect_exact "from another directory, the project is named" - -- guild -C "$TEST_TMP" runs -n 1 <<'EOF'
[0:3f6b4c2d]  fashion:evaluate (~/projects/other)  2018-10-16 16:23:20  error
EOF
expect_exact "-C into the other project gives it ./" - -- guild -C "$otherproj" runs -n 1 <<'EOF'
[0:3f6b4c2d]  ./fashion:evaluate  2018-10-16 16:23:20  error
EOF
expect_exact "-s: simplified" - -- guild runs -s <<'EOF'
[0]  fashion:evaluate (~/projects/other)  error
[1]  ./fashion:prepare [marked]           completed  epochs=2 lr=0.1
[2]  ./fashion:train                      completed
[3]  ./fashion:train                      error
EOF

# -v: each run's details under it.
expect_exact "-v: details" - -- guild runs -v -n 2 <<'EOF'
[0:3f6b4c2d]  fashion:evaluate (~/projects/other)  2018-10-16 16:23:20  error
  id: 3f6b4c2d000000000000000000000002
  operation: fashion:evaluate (~/projects/other)
  from: ~/projects/other/guild.yml
  status: error
  started: 2018-10-16 16:23:20
  stopped: 2018-10-16 16:23:20
  marked: no
  label:
  sourcecode_digest:
  vcs_commit:
  run_dir: ~/.guild/runs/3f6b4c2d000000000000000000000002
  command: /usr/bin/python -um guild.op_main evaluate
  exit_status:
  pid:
[1:2e5a3b1c]  ./fashion:prepare [marked]           2018-10-16 16:06:40  completed  epochs=2 lr=0.1
  id: 2e5a3b1c000000000000000000000001
  operation: ./fashion:prepare
  from: $TEST_TMP/sample-project/guild.yml
  status: completed
  started: 2018-10-16 16:06:40
  stopped: 2018-10-16 16:06:40
  marked: yes
  label: epochs=2 lr=0.1
  sourcecode_digest:
  vcs_commit:
  run_dir: ~/.guild/runs/2e5a3b1c000000000000000000000001
  command: /usr/bin/python -um guild.op_main prepare
  exit_status: 0
  pid:
EOF

# --json: every run, Guild's members.
json_summary()
{
	guild runs --json "$@" | python3 -c '
import json, os, sys
for r in json.load(sys.stdin):
    print(r["id"][:8], r["operation"], r["status"], r["exit_status"],
          r["started"], r["marked"], repr(r["label"]), r["tags"],
          r["cmd"][-1], r["run_dir"] == os.environ["GUILD_HOME"] + "/runs/" + r["id"],
          r["opref"].split()[-1])
'
}
if command -v python3 > /dev/null 2>&1; then
	expect_exact "--json" - -- json_summary <<'EOF'
3f6b4c2d fashion:evaluate error None 1539707000000000 False '' [] evaluate True evaluate
2e5a3b1c fashion:prepare completed 0 1539706000000000 True 'epochs=2 lr=0.1' [] prepare True prepare
19c67a72 fashion:train completed 0 1539705452000000 False '' [] train True train
1451e20c fashion:train error 1 1539705443000000 False '' [] train True train
EOF
	expect_exact "--json -n 1" - -- json_summary -n 1 <<'EOF'
3f6b4c2d fashion:evaluate error None 1539707000000000 False '' [] evaluate True evaluate
EOF
else
	skip "--json" "python3 not found"
	skip "--json -n 1" "python3 not found"
fi
expect_exact "--json and -v cannot be combined" - 1 -- guild runs --json -v <<'EOF'
guild: --json, --verbose and --comments cannot be used together
EOF

# Filters: status, operation, label, marked, tag; before indexes.
expect_exact "-Se: runs in error" - -- guild runs -Se <<'EOF'
[0:3f6b4c2d]  fashion:evaluate (~/projects/other)  2018-10-16 16:23:20  error
[1:1451e20c]  ./fashion:train                      2018-10-16 15:57:23  error
EOF
expect_exact "-E is -Se" - -- guild runs -E <<'EOF'
[0:3f6b4c2d]  fashion:evaluate (~/projects/other)  2018-10-16 16:23:20  error
[1:1451e20c]  ./fashion:train                      2018-10-16 15:57:23  error
EOF
expect_exact "--completed" - -- guild runs --completed <<'EOF'
[0:2e5a3b1c]  ./fashion:prepare [marked]  2018-10-16 16:06:40  completed  epochs=2 lr=0.1
[1:19c67a72]  ./fashion:train             2018-10-16 15:57:32  completed
EOF
expect_exact "--not-error: every run but those in error (Guild 0.9)" - -- guild runs --not-error <<'EOF'
[0:2e5a3b1c]  ./fashion:prepare [marked]  2018-10-16 16:06:40  completed  epochs=2 lr=0.1
[1:19c67a72]  ./fashion:train             2018-10-16 15:57:32  completed
EOF
expect_exact "--not-completed --not-running --not-pending --not-staged --not-terminated" - -- \
    guild runs --not-completed --not-running --not-pending --not-staged --not-terminated <<'EOF'
[0:3f6b4c2d]  fashion:evaluate (~/projects/other)  2018-10-16 16:23:20  error
[1:1451e20c]  ./fashion:train                      2018-10-16 15:57:23  error
EOF
expect_exact "-Sce --not-error: the completed ones" - -- guild runs -Sce --not-error <<'EOF'
[0:2e5a3b1c]  ./fashion:prepare [marked]  2018-10-16 16:06:40  completed  epochs=2 lr=0.1
[1:19c67a72]  ./fashion:train             2018-10-16 15:57:32  completed
EOF
expect_exact "--error --not-error: no run" - -- guild runs --error --not-error <<'EOF'
EOF
expect_exact "--not-error on another command (select)" - -- guild select --not-error -o train <<'EOF'
19c67a72d18611e88f52d017c2ab916f
EOF
expect_exact "-S ce: statuses add up" - -- guild runs -S ce -n 3 <<'EOF'
[0:3f6b4c2d]  fashion:evaluate (~/projects/other)  2018-10-16 16:23:20  error
[1:2e5a3b1c]  ./fashion:prepare [marked]           2018-10-16 16:06:40  completed  epochs=2 lr=0.1
[2:19c67a72]  ./fashion:train                      2018-10-16 15:57:32  completed
EOF
expect_exact "-Sr: none running" - -- guild runs -Sr <<'EOF'
EOF
expect_exact "-o train" - -- guild runs -o train <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "-Fo fashion:prepare" - -- guild runs -Fo fashion:prepare <<'EOF'
[0:2e5a3b1c]  ./fashion:prepare [marked]  2018-10-16 16:06:40  completed  epochs=2 lr=0.1
EOF
expect_exact "-o train -o prepare: either" - -- guild runs -o train -o prepare <<'EOF'
[0:2e5a3b1c]  ./fashion:prepare [marked]  2018-10-16 16:06:40  completed  epochs=2 lr=0.1
[1:19c67a72]  ./fashion:train             2018-10-16 15:57:32  completed
[2:1451e20c]  ./fashion:train             2018-10-16 15:57:23  error
EOF
expect_exact "-l lr=0.1" - -- guild runs -l lr=0.1 <<'EOF'
[0:2e5a3b1c]  ./fashion:prepare [marked]  2018-10-16 16:06:40  completed  epochs=2 lr=0.1
EOF
expect_exact "-Fu: unlabeled" - -- guild runs -Fu <<'EOF'
[0:3f6b4c2d]  fashion:evaluate (~/projects/other)  2018-10-16 16:23:20  error
[1:19c67a72]  ./fashion:train                      2018-10-16 15:57:32  completed
[2:1451e20c]  ./fashion:train                      2018-10-16 15:57:23  error
EOF
expect_exact "-M: marked" - -- guild runs -M <<'EOF'
[0:2e5a3b1c]  ./fashion:prepare [marked]  2018-10-16 16:06:40  completed  epochs=2 lr=0.1
EOF
expect_exact "-Fn: unmarked, and -o train" - -- guild runs -Fn -o train -Sc <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
EOF
setattr $WT_OK tags '- best
- v1'
expect_exact "-Ft: tagged" - -- guild runs -Ft v1 <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
EOF
expect_exact "filters apply before indexes" - -- sh -c '"$GUILD" runs info -o train 1 | head -n 1' <<'EOF'
id: 1451e20cd18611e88f52d017c2ab916f
EOF
expect_exact "a bad status letter" - 1 -- guild runs -S x <<'EOF'
guild: unrecognized status char 'x' in option '-S'
EOF
expect_exact "no arguments to runs list" - 1 -- guild runs list 1 <<'EOF'
guild: unexpected argument '1'
Try 'guild runs list --help' for more information.
EOF
expect_exact "a bad -n" - 1 -- guild runs -n x <<'EOF'
guild: invalid value for --limit: 'x' is not a valid count
EOF
expect_exact "--all and --limit" - 1 -- guild runs -a -n 2 <<'EOF'
guild: --all and --limit cannot both be used
EOF

# 20 runs by default, with a note on stderr; -m, -a, -n.
i=10
while [ $i -lt 34 ]; do
	mkrun "${i}000000000000000000000000000000" train $((1539800000 + i)) 0
	i=$((i + 1))
done
ok "28 runs: 20 listed" test "$(stdout_of guild runs | wc -l)" -eq 20
stderr_of()
{
	"$@" 2>&1 > /dev/null < /dev/null
}
expect_exact "the note says how to see more" - -- stderr_of guild runs <<'EOF'
Showing the first 20 runs (28 total) - use --all to show all or -m to show more
EOF
ok "-m shows 20 more" test "$(stdout_of guild runs -m | wc -l)" -eq 28
ok "-a shows all" test "$(stdout_of guild runs -a | wc -l)" -eq 28
ok "--all, no note" test -z "$(guild runs --all 2>&1 >/dev/null)"
ok "-n 3" test "$(stdout_of guild runs -n 3 | wc -l)" -eq 3
expect_exact "newest first, numbered from 0" - -- guild runs -n 2 <<'EOF'
[0:33000000]  ./fashion:train  2018-10-17 18:13:53  completed
[1:32000000]  ./fashion:train  2018-10-17 18:13:52  completed
EOF
last_line()
{
	"$@" | tail -n 1
}
expect_exact "the last of -a is the oldest" - -- last_line guild runs -a <<'EOF'
[27:1451e20c]  ./fashion:train                      2018-10-16 15:57:23  error
EOF

# The trash: -d.
mkdir -p "$GUILD_HOME/trash/runs"
mv "$GUILD_HOME/runs/$WT_ERR" "$GUILD_HOME/trash/runs/"
expect_exact "-d lists deleted runs" - -- guild runs -d <<'EOF'
[0:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
ok "and they are not listed with the others" \
    test "$(stdout_of guild runs -a | grep -c 1451e20c)" -eq 0

done_testing
