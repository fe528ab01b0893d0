#!/bin/sh
# run-dev-options.sh: guild run options Guild AI 0.9 users type while
# developing an operation: --run-dir, --test-sourcecode, --test-flags,
# --proto, --force-sourcecode, --stage-trials, -Fo, --break-on-error,
# --debug, and Guild's errors for options that cannot go together.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

proj=$(make_project devopts <<'EOT'
train:
  main: train
  flags-import: all
sh:
  exec: sh -c 'echo "run_id=$RUN_ID"; echo "dir=$(pwd)"'
nosrc:
  exec: "true"
  sourcecode: no
EOT
)
cd "$proj" || exit 1
cat > train.py <<'EOT'
import argparse
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=0.1, help="Learning rate")
p.add_argument("--epochs", type=int, default=3)
a = p.parse_args()
print("v1 lr=%s epochs=%s" % (a.lr, a.epochs))
EOT
printf 'print(1)\n' > util.py
mkdir -p .hidden build sub
printf 'x\n' > .hidden/f.txt
printf 'x\n' > build/f.txt
printf 'y = 2\n' > sub/mod.py
printf '\000\001\002\003' > data.bin

runs_count()
{
	guild runs -a 2>/dev/null | grep -c '^\['
}

# --test-sourcecode: Guild's layout, nothing created.
expect_output "--test-sourcecode: rules, selected and skipped" - -- \
    guild run train --test-sourcecode <<'EOT'
Copying from the current directory
Rules:
  exclude dir .*
  exclude dir * containing .guild-nocopy
  include text * size < 1048577, max match 100
  exclude dir __pycache__
  exclude dir * containing bin/activate
  exclude dir * containing Scripts/activate
  exclude dir build
  exclude dir dist
  exclude dir *.egg-info
Selected for copy:
  guild.yml
  train.py
  util.py
  sub/mod.py
Skipped:
  .hidden/
  build/
  data.bin
EOT
expect_output "--test-sourcecode: sourcecode: no" - -- \
    guild run nosrc --test-sourcecode <<'EOT'
Copying from the current directory
Rules:
  exclude *
Source code copy disabled
EOT
expect_output "--test-sourcecode from another directory" - -- \
    sh -c 'cd / && "$GUILD" -C "$1" run nosrc --test-sourcecode | head -1' \
    sh "$proj" <<'EOT'
Copying from the current directory
EOT
ok "--test-sourcecode creates no run" [ "$(runs_count)" = 0 ]

# --test-flags: Guild's _test_flags.
expect_output "--test-flags: the imported flags" - -- \
    sh -c '"$GUILD" run train --test-flags | head -21' <<'EOT'
flags-dest: args
flags-import: yes
flags:
  epochs:
    default: 3
    type: int
    required: no
    arg-name:
    arg-skip:
    arg-switch:
    arg-split:
    arg-encoding:
    env-name:
    env-encoding:
    choices: []
    allow-other: no
    distribution:
    max:
    min:
    null-label:
  lr:
EOT
ok "--test-flags creates no run" [ "$(runs_count)" = 0 ]

# --run-dir DIR: the run there, with a real id, not listed.
expect_output "--run-dir: Guild's note, the run in DIR" - -- \
    guild run -y sh --run-dir ../elsewhere <<'EOT'
Run directory is '$TEST_TMP/elsewhere' (results will not be visible to Guild)
run_id=<id>
dir=$TEST_TMP/elsewhere
EOT
id=$(cat ../elsewhere/.guild/attrs/id)
ok "--run-dir: attrs/id is a new run id" \
    sh -c 'printf "%s\n" "$1" | grep -q "^[0-9a-f]\{32\}$"' sh "$id"
ok "--run-dir: the run's RUN_ID is that id" \
    grep -q "run_id=$id" ../elsewhere/.guild/output
ok "--run-dir: the run completed" \
    [ "$(cat ../elsewhere/.guild/attrs/exit_status)" = 0 ]
ok "--run-dir: not in guild runs" [ "$(runs_count)" = 0 ]
expect_output "--run-dir: NO_WARN_RUNDIR=1 drops the note" - -- \
    env NO_WARN_RUNDIR=1 "$GUILD" run -y sh --run-dir ../else2 <<'EOT'
run_id=<id>
dir=$TEST_TMP/else2
EOT
expect_output "--run-dir: a directory that holds a run is refused" - 1 -- \
    guild run -y sh --run-dir ../elsewhere <<'EOT'
Run directory is '$TEST_TMP/elsewhere' (results will not be visible to Guild)
guild: run $TEST_TMP/elsewhere already exists
EOT
expect_output "--stage --run-dir: how to start it by hand" - -- \
    guild run -y sh --stage --run-dir ../staged <<'EOT'
sh staged in '$TEST_TMP/staged'
To start the operation, use "(cd '$TEST_TMP/staged' && source .guild/ENV && sh -c 'echo "run_id=$RUN_ID"; echo "dir=$(pwd)"')"
EOT
expect_output "--stage --run-dir: started by hand as Guild says" - -- \
    sh -c 'cd ../staged && . .guild/ENV && sh -c "echo run_id=\$RUN_ID"' <<'EOT'
run_id=<id>
EOT
expect_output "--run-dir with a batch is refused" - 1 -- \
    guild run -y sh --run-dir ../b "x=[1,2]" -f <<'EOT'
guild: --run-dir cannot be used with a batch
EOT

# --proto RUN: its operation, flags and source code.
guild run -y train lr=0.5 > /dev/null 2>&1
sed -i 's/v1 /v2 /' train.py
expect_output "--proto: the prototype's operation, flags and source" - -- \
    guild run -y --proto 0 epochs=1 <<'EOT'
v1 lr=0.5 epochs=1
EOT
expect_output "--proto: the new run keeps its prototype's digest" - -- \
    sh -c 'a=$("$GUILD" select --attr sourcecode_digest 0);
        b=$("$GUILD" select --attr sourcecode_digest 1);
        [ -n "$a" ] && [ "$a" = "$b" ] && echo same' <<'EOT'
same
EOT
expect_output "--proto --force-sourcecode: the project's source" - -- \
    guild run -y --proto 1 --force-sourcecode <<'EOT'
v2 lr=0.5 epochs=3
EOT
expect_output "--proto with an operation: flags and source only" - -- \
    guild run -y train --proto 2 --force-sourcecode epochs=2 <<'EOT'
v2 lr=0.5 epochs=2
EOT
expect_output "--restart --force-sourcecode: a new snapshot" - -- \
    sh -c 'sed -i "s/v2 /v3 /" train.py &&
        "$GUILD" run -y --restart 3 --force-sourcecode &&
        "$GUILD" run -y --restart 3' <<'EOT'
v3 lr=0.5 epochs=3
v3 lr=0.5 epochs=3
EOT

# Guild's incompatible options.
for o in "--proto 0" "--run-dir x" "--test-sourcecode" "--test-flags" \
    "--help-op" "--optimize" "--optimizer random"; do
	expect_output "--restart with ${o%% *}: Guild's error" - 1 -- \
	    guild run --restart 0 $o <<EOT
guild: ${o%% *} cannot be used with --restart
Try 'guild run --help' for more information.
EOT
done
expect_output "--restart with OPERATION: Guild's error" - 1 -- \
    guild run --restart 0 train <<'EOT'
guild: OPERATION cannot be used with --restart
Try 'guild run --help' for more information.
EOT
expect_output "--print-trials and --stage-trials" - 1 -- \
    guild run train "lr=[1,2]" --print-trials --stage-trials <<'EOT'
guild: --print-trials and --stage-trials cannot both be used
Try 'guild run --help' for more information.
EOT
expect_output "--break-on-error in the background is refused" - 1 -- \
    guild run train -b --break-on-error <<'EOT'
guild: --background and --break-on-error cannot both be used
Try 'guild run --help' for more information.
EOT

# -Fo: optimizer flags.
expect_output "-Fo without an optimizer: Guild's error" - 1 -- \
    guild run -y train -Fo x=1 <<'EOT'
guild: invalid optimizer flag x=1: no optimizer specified
EOT
expect_output "-Fo with random: no such flag" - 1 -- \
    guild run -y train -o random -Fo x=1 <<'EOT'
guild: unsupported flag 'x'
Try 'guild run skopt:random --help-op' for a list of flags or use --force-flags to skip this check.
EOT
expect_output "--opt-flag with a grid: no such flag" - 1 -- \
    guild run -y train "lr=[1,2]" --opt-flag y=2 <<'EOT'
guild: unsupported flag 'y'
Try 'guild run + --help-op' for a list of flags or use --force-flags to skip this check.
EOT

# --stage-trials: the trials staged, started later.
expect_output "--stage-trials: each trial staged" - -- \
    guild run -y train "lr=[1,2]" --stage-trials <<'EOT'
INFO: [guild] Staging trial <id>: train (epochs=3, lr=1.0)
INFO: [guild] Staging trial <id>: train (epochs=3, lr=2.0)
EOT
ok "--stage-trials: two staged runs" \
    [ "$(guild runs --staged 2>/dev/null | grep -c '^\[')" = 2 ]
ok "--stage-trials: the batch run records it" \
    sh -c 'cat "$GUILD_HOME"/runs/*/.guild/attrs/stage_trials | grep -q true'
expect_output "--stage-trials: a staged trial starts" - -- \
    sh -c '"$GUILD" run -y --start "$("$GUILD" select --staged 0)"' <<'EOT'
v3 lr=2.0 epochs=3
EOT
expect_output "--stage-trials without a batch: Guild's warning" - -- \
    guild run -y sh --stage-trials <<'EOT'
guild: warning: not a batch run - ignoring --stage-trials
run_id=<id>
dir=~/.guild/runs/<id>
EOT

# --break-on-error: pdb's post mortem in the run's terminal.
printf 'x = 41\nraise ValueError("boom")\n' > bad.py
expect_output "--break-on-error: pdb at the error" - -- \
    sh -c 'printf "p x + 1\nq\n" | "$GUILD" run -y bad.py --break-on-error 2>&1 |
        grep -E "^(ValueError|Entering|\(Pdb\)|42)" | tr -d "\r"' <<'EOT'
ValueError: boom
Entering post mortem debug session
(Pdb) p x + 1
42
(Pdb) q
EOT

# --debug and guild --debug: Guild's debug lines.
expect_output "guild --debug run: what the run does" - -- \
    sh -c '"$GUILD" --debug run -y train 2>&1 | sed "s|\x27[^\x27]*python[^\x27]*\x27|<python>|"' <<'EOT'
DEBUG: [guild] initializing run in ~/.guild/runs/<id>
DEBUG: [guild] starting run <id> in ~/.guild/runs/<id>
DEBUG: [guild] operation command: [<python>, '-um', 'guild.op_main', 'train', '--', '--epochs', '3', '--lr', '0.1']
v3 lr=0.1 epochs=3
EOT
expect_output "run --debug with DEBUG_ENV=1: the environment, secrets hidden" - -- \
    sh -c 'MY_TOKEN=abc DEBUG_ENV=1 "$GUILD" run --debug -y sh 2>&1 |
        grep "operation env" | grep -o "'"'"'MY_TOKEN'"'"': '"'"'[^'"'"']*'"'"'"' <<'EOT'
'MY_TOKEN': '***'
EOT

done_testing
