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
# The walkthrough shows some of Guild's fields: those, in the same order.
wt_fields()
{
	"$@" | grep -E '^(id|operation|status|started|stopped|run_dir|command|exit_status|pid|output):|^  '
}
expect_exact "walkthrough: runs info --output 1" - -- wt_fields guild runs info --output 1 <<'EOF'
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
expect_exact "every field of Guild 0.9, in its order; -O after the run" - -- guild runs info 1 -O <<'EOF'
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
output:
  guild: No module named train
EOF
expect_exact "default: the newest run" - -- sh -c '"$GUILD" runs info | head -n 1' <<'EOF'
id: 19c67a72d18611e88f52d017c2ab916f
EOF
expect_exact "a run without output" - -- sh -c '"$GUILD" runs info -O 0 | tail -n 4' <<'EOF'
tags:
flags:
scalars:
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
setattr 2e5a3b1c000000000000000000000001 sourcecode_digest 5f2a0c8e
setattr 2e5a3b1c000000000000000000000001 vcs_commit 'git:0a1b2c3d4e5f60718293a4b5c6d7e8f901234567*'
expect_exact "flags, tags, label, marked" - -- guild runs info <<'EOF'
id: 2e5a3b1c000000000000000000000001
operation: ./fashion:train
from: $TEST_TMP/sample-project/guild.yml
status: completed
started: 2018-10-16 16:06:40
stopped: 2018-10-16 16:06:40
marked: yes
label: lr=0.01 my run
sourcecode_digest: 5f2a0c8e
vcs_commit: git:0a1b2c3d4e5f60718293a4b5c6d7e8f901234567*
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
  layers:
    - 1
    - 2
  lr: 0.01
  name: a b
  on: yes
scalars:
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
from '$TEST_TMP/sample-project/guild.yml'
id '1451e20cd18611e88f52d017c2ab916f'
label ''
marked 'no'
operation './fashion:train'
output ['guild: No module named train']
pid ''
run_dir '~/.guild/runs/1451e20cd18611e88f52d017c2ab916f'
scalars {}
sourcecode_digest ''
started '2018-10-16 15:57:23'
status 'error'
stopped '2018-10-16 15:57:23'
tags []
vcs_commit ''
EOF
	expect_exact "--json: Guild's keys in Guild's order" - -- sh -c \
	    '"$GUILD" runs info --json 2 | python3 -c "import json, sys; print(\" \".join(json.load(sys.stdin)))"' <<'EOF'
id operation from status started stopped marked label sourcecode_digest vcs_commit run_dir command exit_status pid tags flags scalars
EOF
	expect_exact "--json: flags, tags, label" - -- json_info 0 <<'EOF'
command '/usr/bin/python -um guild.op_main train --name "a b"'
exit_status 0
flags {'batch-size': 100, 'epochs10': 1, 'epochs2': 2, 'lr': 0.01, 'name': 'a b', 'on': True, 'layers': [1, 2]}
from '$TEST_TMP/sample-project/guild.yml'
id '2e5a3b1c000000000000000000000001'
label 'lr=0.01 my run'
marked 'yes'
operation './fashion:train'
pid ''
run_dir '~/.guild/runs/2e5a3b1c000000000000000000000001'
scalars {}
sourcecode_digest '5f2a0c8e'
started '2018-10-16 16:06:40'
status 'completed'
stopped '2018-10-16 16:06:40'
tags ['best', 'v1']
vcs_commit 'git:0a1b2c3d4e5f60718293a4b5c6d7e8f901234567*'
EOF
else
	skip "--json" "python3 not found"
	skip "--json: Guild's keys in Guild's order" "python3 not found"
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
from: $TEST_TMP/sample-project/guild.yml
status: completed
started: <time>
stopped: <time>
marked: no
label: epochs=2 lr=0.1 name='a b'
sourcecode_digest: <id>
vcs_commit:
run_dir: ~/.guild/runs/<id>
command: sh -c "printf "loss: 0.5\nacc: 0.7\nloss: 0.25\nacc: 0.8\nsys/gpu: 3\n""
exit_status: 0
pid:
tags:
flags:
  epochs: 2
  lr: 0.1
  name: a b
scalars:
  acc: 0.800000 (step 1)
  loss: 0.250000 (step 1)
EOF
expect_output "-s: every statistic as Guild shows it, sys/ too" - -- sh -c '"$GUILD" runs info -s | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  acc:
    avg: 0.750000 (step 2)
    first: 0.700000 (step 0)
    last: 0.800000 (step 1)
    max: 0.800000 (step 1)
    min: 0.700000 (step 0)
    total: 1.500000 (step 2)
  loss:
    avg: 0.375000 (step 2)
    first: 0.500000 (step 0)
    last: 0.250000 (step 1)
    max: 0.500000 (step 0)
    min: 0.250000 (step 1)
    total: 0.750000 (step 2)
  sys/gpu:
    avg: 3.000000 (step 1)
    first: 3.000000 (step 1)
    last: 3.000000 (step 1)
    max: 3.000000 (step 1)
    min: 3.000000 (step 1)
    total: 3.000000 (step 1)
EOF
if command -v python3 > /dev/null 2>&1; then
	expect_output "--json -s: [value, step] for each statistic" - -- sh -c \
	    '"$GUILD" runs info --json -s | python3 -c "import json, sys; print(json.load(sys.stdin)[\"scalars\"][\"loss\"])"' <<'EOF'
{'avg': [0.375, 2], 'first': [0.5, 0], 'last': [0.25, 1], 'max': [0.5, 0], 'min': [0.25, 1], 'total': [0.75, 2]}
EOF
else
	skip "--json -s: [value, step] for each statistic" "python3 not found"
fi

# A deleted run.
mkdir -p "$GUILD_HOME/trash/runs"
mv "$GUILD_HOME/runs/$WT_ERR" "$GUILD_HOME/trash/runs/"
expect_exact "--deleted: a deleted run" - -- sh -c '"$GUILD" runs info --deleted | grep -E "^(id|run_dir):"' <<'EOF'
id: 1451e20cd18611e88f52d017c2ab916f
run_dir: ~/.guild/trash/runs/1451e20cd18611e88f52d017c2ab916f
EOF
expect_exact "-d is --deps now, as in Guild, not --deleted" - 1 -- guild runs info -d $WT_ERR <<'EOF'
guild: could not find a run matching '1451e20cd18611e88f52d017c2ab916f'
Try 'guild runs list' for a list.
EOF

# What Guild shows with -e, -d, -m, -p and --private-attrs, and the
# attributes an operation declares.
R=4a7c5d3e000000000000000000000003
mkrun $R train 1539708000 0
setattr $R env 'FLAG_LR: "0.1"
HOME: /home/alice
RUN_ID: 4a7c5d3e000000000000000000000003'
setattr $R deps 'prepared-data:
  operation:prepare:
    config: 2e5a3b1c000000000000000000000001
    paths:
    - ../2e5a3b1c000000000000000000000001/data.csv
    uri: operation:prepare'
setattr $R plugins '- cpu
- python_script'
setattr $R opdef_attrs 'arch: resnet
_hidden: 1
layers:
- 64
- 32'
setattr $R op 'label-template: null'
printf '%s\n' "s train.py 1234abcd train.py" "d data.csv 5678 file:data.csv" \
    "s guild.yml abcd guild.yml" > "$GUILD_HOME/runs/$R/.guild/manifest"
expect_exact "-e -d -m -p: environment, manifest, dependencies, plugins" - -- \
    sh -c '"$GUILD" runs info -p -m -d -e '$R' | sed -n "/^tags:/,\$p"' <<'EOF'
tags:
flags:
scalars:
attributes:
  arch: resnet
  layers:
    - 64
    - 32
environment:
  FLAG_LR: '0.1'
  HOME: /home/alice
  RUN_ID: 4a7c5d3e000000000000000000000003
manifest:
  dependencies:
    - data.csv
  sourcecode:
    - guild.yml
    - train.py
dependencies:
  prepared-data:
    operation:prepare:
      config: 2e5a3b1c000000000000000000000001
      paths:
      - ../2e5a3b1c000000000000000000000001/data.csv
      uri: operation:prepare
plugins:
  - cpu
  - python_script
EOF
expect_exact "--private-attrs: opref, op and _attributes" - -- \
    sh -c '"$GUILD" runs info --private-attrs '$R' | sed -n "/^pid:/,\$p"' <<'EOF'
pid:
opref: guildfile:$TEST_TMP/sample-project/guild.yml 2673b06329378ca2fc355cb5c0f38cef fashion train
op:
  label-template: null
tags:
flags:
scalars:
attributes:
  _hidden: 1
  arch: resnet
  layers:
    - 64
    - 32
EOF

# Output attrs, as Guild 0.9 captures them: by default every "key: word"
# line whose key is neither a flag nor taken by output scalars; an
# operation's output-attrs replace the default. They are logged where
# Guild logs them (.guild/*.attrs, text summaries), and shown with what
# Guild AI's own summary writer logged (a subdirectory's keys prefixed).
attrs_proj=$(make_project attrs-project <<'EOT'
train:
  exec: "sh -c 'echo model: cnn; echo step: 2; echo loss: 0.5; echo lr: ${lr}; echo note: two words; echo _private: x'"
  flags:
    lr: 0.1
own:
  exec: "sh -c 'echo model: a file model; echo arch: x'"
  output-attrs:
    - model: 'model: (.*)'
none:
  exec: "sh -c 'echo model: cnn'"
  output-attrs: no
EOT
)
cd "$attrs_proj" || exit 1
quiet guild run -y train
expect_exact "output attrs: key: word lines, not flags, scalars or the step" - -- \
    sh -c '"$GUILD" runs info | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  loss: 0.500000 (step 2)
attributes:
  model: cnn
EOF
ok "logged as Guild logs them: an event file of .guild named *.attrs" \
    sh -c 'ls "$GUILD_HOME"/runs/*/.guild/ | grep -q "^events\.out\.tfevents\..*\.attrs$"'
expect_exact "--private-attrs: the private ones too" - -- \
    sh -c '"$GUILD" runs info --private-attrs | sed -n "/^attributes:/,\$p"' <<'EOF'
attributes:
  _private: x
  model: cnn
EOF
expect_exact "--json: attributes as text" - -- \
    sh -c '"$GUILD" runs info --json | python3 -c "import json, sys; print(json.load(sys.stdin)[\"attributes\"])"' <<'EOF'
{'model': 'cnn'}
EOF
quiet guild run -y own
expect_exact "an operation's output-attrs replace the default" - -- \
    sh -c '"$GUILD" runs info | sed -n "/^attributes:/,\$p"' <<'EOF'
attributes:
  model: a file model
EOF
quiet guild run -y none
ok "output-attrs: no captures none" \
    sh -c '! "$GUILD" runs info | grep -q "^attributes:"'
# What guild.summary (Guild AI's SummaryWriter with suffix .attrs) logs in
# the run directory and in a subdirectory, as in Guild's attrs example.
rd=$(ls -d "$GUILD_HOME"/runs/*/ | while read -r d; do
	grep -q ' none$' "$d/.guild/opref" && echo "$d"; done)
mkdir -p "$rd/train"
python3 "$top_srcdir/tests/tfw.py" \
    "$rd/events.out.tfevents.1700000000.host.1.2.attrs" -f text \
    model=cnn id=abcd1234
python3 "$top_srcdir/tests/tfw.py" \
    "$rd/train/events.out.tfevents.1700000000.host.1.3.attrs" -f text \
    model=cnn-2
expect_exact "guild.summary's attrs, a subdirectory's prefixed, core attrs not" - -- \
    sh -c '"$GUILD" runs info | sed -n "/^attributes:/,\$p"' <<'EOF'
attributes:
  model: cnn
  train#model: cnn-2
EOF

done_testing
