#!/bin/sh
# runs-info.sh: guild runs info: the walkthrough's fields, flags, scalars,
# tags, label and marks, --output, --json, comments, and which run a spec
# names (indexes, id prefixes, full ids, errors).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
model: fashion
operations:
  train:
    main: train
  scalars:
    exec: "sh -c 'printf \"loss: 0.5\\nacc: 0.7\\nloss: 0.25\\nacc: 0.8\\nsys/gpu: 3\\n\"'"
    flags:
      lr: 0.1
      epochs: 2
      name: a b
EOF
)
RUNS_PROJECT=$proj
cd "$proj" || exit 1

expect_exact "no runs" - 1 -- guild runs info <<'EOF'
guild: no matching runs
Try 'guild runs list' to list available runs.
EOF

mkwalkthrough
expect_exact "walkthrough: runs info --output 1" - -- guild runs info --output 1 <<'EOF'
id: 1451e20cd18611e88f52d017c2ab916f
operation: ./fashion:train
status: error
started: 2018-10-16 15:57:23
stopped: 2018-10-16 15:57:23
run_dir: ~/.guild/runs/1451e20cd18611e88f52d017c2ab916f
command: /usr/bin/python -um guild.op_main train
exit_status: 1
pid:
output:
  guild: No module named train
EOF
expect_exact "-O is --output, after the run" - -- guild runs info 1 -O <<'EOF'
id: 1451e20cd18611e88f52d017c2ab916f
operation: ./fashion:train
status: error
started: 2018-10-16 15:57:23
stopped: 2018-10-16 15:57:23
run_dir: ~/.guild/runs/1451e20cd18611e88f52d017c2ab916f
command: /usr/bin/python -um guild.op_main train
exit_status: 1
pid:
output:
  guild: No module named train
EOF
expect_exact "default: the newest run" - -- guild runs info <<'EOF'
id: 19c67a72d18611e88f52d017c2ab916f
operation: ./fashion:train
status: completed
started: 2018-10-16 15:57:32
stopped: 2018-10-16 15:57:32
run_dir: ~/.guild/runs/19c67a72d18611e88f52d017c2ab916f
command: /usr/bin/python -um guild.op_main train
exit_status: 0
pid:
EOF
expect_exact "a run without output" - -- guild runs info -O 0 <<'EOF'
id: 19c67a72d18611e88f52d017c2ab916f
operation: ./fashion:train
status: completed
started: 2018-10-16 15:57:32
stopped: 2018-10-16 15:57:32
run_dir: ~/.guild/runs/19c67a72d18611e88f52d017c2ab916f
command: /usr/bin/python -um guild.op_main train
exit_status: 0
pid:
output:
EOF

# Specs: id prefixes, full ids, errors.
ok "an id prefix" test "$(stdout_of guild runs info 1451 | head -n 1)" = "id: $WT_ERR"
ok "a full id" test "$(stdout_of guild runs info $WT_OK | head -n 1)" = "id: $WT_OK"
mkrun 1451aaaa000000000000000000000000 train 1539700000 0
expect_exact "an ambiguous prefix lists the runs" - 1 -- guild runs info 1451 <<'EOF'
guild: '1451' matches multiple runs:
  1451e20c  fashion:train  error
  1451aaaa  fashion:train  completed
EOF
rm -rf "$GUILD_HOME/runs/1451aaaa000000000000000000000000"
expect_exact "no such run" - 1 -- guild runs info ffff <<'EOF'
guild: could not find a run matching 'ffff'
Try 'guild runs list' for a list.
EOF
expect_exact "one run only" - 1 -- guild runs info 0 1 <<'EOF'
guild: only one RUN may be given (got 2)
EOF
expect_exact "a range of several runs" - 1 -- guild runs info 0:1 <<'EOF'
guild: '0:1' matches 2 runs: specify one run
EOF

# Flags, label, tags, marks; command arguments with spaces are quoted.
mkrun 2e5a3b1c000000000000000000000001 train 1539706000 0 'lr=0.01 my run'
setattr 2e5a3b1c000000000000000000000001 flags 'batch-size: 100
epochs10: 1
epochs2: 2
lr: 0.01
name: a b
on: true
layers:
- 1
- 2'
setattr 2e5a3b1c000000000000000000000001 tags '- best
- v1'
setattr 2e5a3b1c000000000000000000000001 marked true
setattr 2e5a3b1c000000000000000000000001 cmd '- /usr/bin/python
- -um
- guild.op_main
- train
- --name
- a b'
expect_exact "flags, tags, label, marked" - -- guild runs info <<'EOF'
id: 2e5a3b1c000000000000000000000001
operation: ./fashion:train
status: completed
started: 2018-10-16 16:06:40
stopped: 2018-10-16 16:06:40
marked: yes
label: lr=0.01 my run
run_dir: ~/.guild/runs/2e5a3b1c000000000000000000000001
command: /usr/bin/python -um guild.op_main train --name "a b"
exit_status: 0
pid:
tags:
  - best
  - v1
flags:
  batch-size: 100
  epochs2: 2
  epochs10: 1
  layers: [1, 2]
  lr: 0.01
  name: a b
  on: yes
EOF

if command -v python3 > /dev/null 2>&1; then
	json_info()
	{
		guild runs info --json "$@" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for k in sorted(d):
    print(k, repr(d[k]))
'
	}
	expect_exact "--json" - -- json_info -O 2 <<'EOF'
command '/usr/bin/python -um guild.op_main train'
exit_status 1
flags {}
id '1451e20cd18611e88f52d017c2ab916f'
marked False
operation './fashion:train'
output ['guild: No module named train']
pid None
run_dir '~/.guild/runs/1451e20cd18611e88f52d017c2ab916f'
scalars {}
started '2018-10-16 15:57:23'
status 'error'
stopped '2018-10-16 15:57:23'
tags []
EOF
	expect_exact "--json: flags, tags, label" - -- json_info 0 <<'EOF'
command '/usr/bin/python -um guild.op_main train --name "a b"'
exit_status 0
flags {'batch-size': 100, 'epochs10': 1, 'epochs2': 2, 'lr': 0.01, 'name': 'a b', 'on': True, 'layers': [1, 2]}
id '2e5a3b1c000000000000000000000001'
label 'lr=0.01 my run'
marked True
operation './fashion:train'
pid None
run_dir '~/.guild/runs/2e5a3b1c000000000000000000000001'
scalars {}
started '2018-10-16 16:06:40'
status 'completed'
stopped '2018-10-16 16:06:40'
tags ['best', 'v1']
EOF
else
	skip "--json" "python3 not found"
	skip "--json: flags, tags, label" "python3 not found"
fi

# Comments.
setattr $WT_OK comments '- body: |-
    Looks good.
    Second line.
  host: gpu1
  time: 1539706000000000
  user: alice'
expect_exact "-c: comments" - -- sh -c '"$GUILD" runs info -c 1 | tail -n 4' <<'EOF'
comments:
  [1] alice@gpu1 2018-10-16 16:06:40
    Looks good.
    Second line.
EOF

# Output is shown as a terminal would: no escape sequences, progress bars
# as their last state.
mkrun 3f6b4c2d000000000000000000000002 train 1539707000 0
setoutput 3f6b4c2d000000000000000000000002 \
    'start\n\033]0;title\007\033[31mred\033[0m text\nprogress 10%%\rprogress 100%%\n\033[2Jdone'
expect_exact "--output cooks the output" - -- sh -c '"$GUILD" runs info -O | sed -n "/^output:/,\$p"' <<'EOF'
output:
  start
  red text
  progress 100%
  done
EOF

# Scalars of a real run: the last value and its step; sys/ with -s only.
ok "a run with scalars" quiet guild run -y scalars
expect_output "scalars and flags of a real run" - -- guild runs info <<'EOF'
id: <id>
operation: ./fashion:scalars
status: completed
started: <time>
stopped: <time>
label: epochs=2 lr=0.1 name='a b'
run_dir: ~/.guild/runs/<id>
command: sh -c "printf "loss: 0.5\nacc: 0.7\nloss: 0.25\nacc: 0.8\nsys/gpu: 3\n""
exit_status: 0
pid:
flags:
  epochs: 2
  lr: 0.1
  name: a b
scalars:
  acc: 0.800000 (step 1)
  loss: 0.250000 (step 1)
EOF
expect_output "-s: every statistic, sys/ too" - -- sh -c '"$GUILD" runs info -s | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  acc:
    first: 0.700000 (step 0)
    last: 0.800000 (step 1)
    min: 0.700000 (step 0)
    max: 0.800000 (step 1)
    avg: 0.750000 (count 2)
    total: 1.500000 (count 2)
  loss:
    first: 0.500000 (step 0)
    last: 0.250000 (step 1)
    min: 0.250000 (step 1)
    max: 0.500000 (step 0)
    avg: 0.375000 (count 2)
    total: 0.750000 (count 2)
  sys/gpu:
    first: 3.000000 (step 1)
    last: 3.000000 (step 1)
    min: 3.000000 (step 1)
    max: 3.000000 (step 1)
    avg: 3.000000 (count 1)
    total: 3.000000 (count 1)
EOF

# A deleted run.
mkdir -p "$GUILD_HOME/trash/runs"
mv "$GUILD_HOME/runs/$WT_ERR" "$GUILD_HOME/trash/runs/"
expect_exact "-d: a deleted run" - -- sh -c '"$GUILD" runs info -d | head -n 6' <<'EOF'
id: 1451e20cd18611e88f52d017c2ab916f
operation: ./fashion:train
status: error
started: 2018-10-16 15:57:23
stopped: 2018-10-16 15:57:23
run_dir: ~/.guild/trash/runs/1451e20cd18611e88f52d017c2ab916f
EOF

done_testing
