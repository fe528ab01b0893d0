#!/bin/sh
# run.sh: guild run: the walkthrough's runs, flags, the run directory,
# output capture, scalars, staging and restarts.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
export GUILD

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
runs=$GUILD_HOME/runs

# The newest run, by start time as guild orders runs.
newest()
{
	"$GUILD" select 2>/dev/null
}

# The walkthrough: the first run fails, Enter confirms.
EXPECT_STDIN=$TEST_TMP/enter
printf '\n' > "$EXPECT_STDIN"
expect_output "walkthrough: missing module" - 1 -- guild run train <<'EOF'
You are about to run fashion:train
Continue? (Y/n) guild: No module named train
EOF
unset EXPECT_STDIN
id=$(newest)
ok "the failed run is kept" test -f "$runs/$id/.guild/opref"
expect_output "its exit_status is 1" - -- cat "$runs/$id/.guild/attrs/exit_status" <<'EOF'
1
EOF
expect_output "its output has the error" - -- cat "$runs/$id/.guild/output" <<'EOF'
guild: No module named train
EOF
ok "no LOCK is left" test ! -e "$runs/$id/.guild/LOCK"
ok "no PENDING is left" test ! -e "$runs/$id/.guild/PENDING"
expect_output "opref is Guild's format, one line without a newline" - -- sh -c "sed -e 's|$proj|PROJ|' -e 's/ [0-9a-f]\{32\} / MD5 /' '$runs/$id/.guild/opref'; echo '|'" <<'EOF'
guildfile:PROJ/guild.yml MD5 fashion train|
EOF
expect_output "watch reports the final status" - -- guild watch "$id" <<'EOF'
guild: No module named train
Run <id> stopped with a status of 'error'
EOF

# Answering n creates nothing.
n_before=$(ls "$runs" | wc -l)
EXPECT_STDIN=$TEST_TMP/no
printf 'n\n' > "$EXPECT_STDIN"
expect_output "n aborts" - -- sh -c '"$GUILD" run train; echo "|$?"' <<'EOF'
You are about to run fashion:train
Continue? (Y/n) |0
EOF
unset EXPECT_STDIN
ok "nothing written after n" test "$(ls "$runs" | wc -l)" -eq "$n_before"

# A real training script: flags by argparse, progress bars, colours, scalars.
cat > train.py <<'EOF'
import argparse, sys
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=0.1)
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--optimizer")
p.add_argument("--data")
a = p.parse_args()
for e in range(a.epochs):
    for i in range(4):
        sys.stdout.write("\rprogress %d%%" % (i * 33))
        sys.stdout.flush()
    print()
    print("loss: %.3f (step %d)" % (1.0 / (e + 1), e))
    print("\033[32maccuracy: %.2f\033[0m" % (0.5 + e * 0.1))
print("lr was %s" % a.lr)
open("weights-%04d.hdf5" % a.epochs, "w").write("w")
EOF
cat > guild.yml <<'EOF'
model: fashion
description: Basic fashion MNIST image classifier.
operations:
  train:
    description: Train classifier from scratch.
    main: train
    flags:
      lr: 0.1
      epochs:
        default: 2
        description: Number of epochs
        type: int
        min: 1
        max: 10
      optimizer:
        default: sgd
        choices: [sgd, adam]
      data:
        required: yes
        default: ~
EOF
guild run -y train epochs=3 lr=0.05 data=x -l mylabel -t a -t b > "$TEST_TMP/out" 2>&1
ok "a training run succeeds" test $? -eq 0
id=$(newest)
ok "output reaches the terminal" grep -q 'lr was 0.05' "$TEST_TMP/out"
ok "generated files are in the run directory" test -f "$runs/$id/weights-0003.hdf5"
ok "source is snapshotted under .guild/sourcecode" test -f "$runs/$id/.guild/sourcecode/train.py"
ok "source is not copied to the run root" test ! -e "$runs/$id/train.py"
expect_output "flags attr" - -- cat "$runs/$id/.guild/attrs/flags" <<'EOF'
data: x
epochs: 3
lr: 0.05
optimizer: sgd
EOF
expect_output "user_flags attr" - -- cat "$runs/$id/.guild/attrs/user_flags" <<'EOF'
data: x
epochs: 3
lr: 0.05
EOF
expect_output "label attr" - -- cat "$runs/$id/.guild/attrs/label" <<'EOF'
mylabel
EOF
expect_output "tags attr" - -- cat "$runs/$id/.guild/attrs/tags" <<'EOF'
- a
- b
EOF
expect_output "cmd attr passes flags as arguments" - -- sed 1d "$runs/$id/.guild/attrs/cmd" <<'EOF'
- -um
- guild.op_main
- train
- --
- --data
- x
- --epochs
- '3'
- --lr
- '0.05'
- --optimizer
- sgd
EOF
ok "exit_status 0" grep -qx 0 "$runs/$id/.guild/attrs/exit_status"
ok "started and stopped are microseconds" sh -c "grep -qx '[0-9]\{16\}' '$runs/$id/.guild/attrs/started' && grep -qx '[0-9]\{16\}' '$runs/$id/.guild/attrs/stopped'"
ok "sourcecode_digest is an md5" grep -qx '[0-9a-f]\{32\}' "$runs/$id/.guild/attrs/sourcecode_digest"
lines=$(tr -cd '\n' < "$runs/$id/.guild/output" | wc -c)
size=$(wc -c < "$runs/$id/.guild/output.index")
ok "output.index has a 9-byte record per line" test "$size" -eq $((lines * 9))
expect_output "watch shows cooked output: bars as one line, no escapes" - -- guild watch "$id" <<'EOF'
progress 99%
loss: 1.000 (step 0)
accuracy: 0.50
progress 99%
loss: 0.500 (step 1)
accuracy: 0.60
progress 99%
loss: 0.333 (step 2)
accuracy: 0.70
lr was 0.05
Run <id> stopped with a status of 'completed'
EOF
expect_output "scalars are logged with their steps" - -- cut -f1-3 "$runs/$id/.guild/scalars.tsv" <<'EOF'
# guild scalars 1
0	loss	1
0	accuracy	0.5
1	loss	0.5
1	accuracy	0.6
2	loss	0.333
2	accuracy	0.7
EOF

# Flag errors: nothing is created.
n_before=$(ls "$runs" | wc -l)
expect_output "unsupported flag" - 1 -- guild run -y train data=x bogus=1 <<'EOF'
guild: unsupported flag 'bogus'
Try 'guild run fashion:train --help-op' for a list of flags or use --force-flags to skip this check.
EOF
expect_output "bad int" - 1 -- guild run -y train data=x epochs=abc <<'EOF'
guild: invalid value abc for epochs: invalid value for type 'int'
Try 'guild run fashion:train --help-op' for a list of flags or use --force-flags to skip this check.
EOF
expect_output "out of range" - 1 -- guild run -y train data=x epochs=0 <<'EOF'
guild: invalid value 0 for epochs: out of range (less than min 1)
Try 'guild run fashion:train --help-op' for a list of flags or use --force-flags to skip this check.
EOF
expect_output "not a choice" - 1 -- guild run -y train data=x optimizer=rmsprop <<'EOF'
guild: invalid value rmsprop for optimizer: expected one of sgd, adam
Try 'guild run fashion:train --help-op' for a list of flags or use --force-flags to skip this check.
EOF
expect_output "missing required flag" - 1 -- guild run -y train <<'EOF'
guild: missing required flag 'data'
Try 'guild run fashion:train --help-op' for a list of flags or use --force-flags to skip this check.
EOF
expect_output "not NAME=VAL" - 1 -- guild run -y train data <<'EOF'
guild: invalid argument 'data': expected NAME=VAL
Try 'guild run fashion:train --help-op' for a list of flags or use --force-flags to skip this check.
EOF
expect_output "unknown operation" - 1 -- guild run -y trian <<'EOF'
guild: cannot find operation 'trian'
Operations: fashion:train
EOF
ok "no run was created by the errors" test "$(ls "$runs" | wc -l)" -eq "$n_before"

# The preview lists the flags, sorted.
EXPECT_STDIN=$TEST_TMP/no
expect_output "preview shows the flags" - -- sh -c '"$GUILD" run train data=x lr=0.5; echo' <<'EOF'
You are about to run fashion:train
  data: x
  epochs: 2
  lr: 0.5
  optimizer: sgd
Continue? (Y/n) 
EOF
unset EXPECT_STDIN

# --print-cmd and --print-env.
expect_output "--print-cmd" - -- sh -c '"$GUILD" run --print-cmd train data=x | sed "s|^[^ ]* |PYTHON |"' <<'EOF'
PYTHON -um guild.op_main train -- --data x --epochs 2 --lr 0.1 --optimizer sgd
EOF
guild run --print-env train data=x > "$TEST_TMP/env"
for v in FLAG_LR=0.1 FLAG_EPOCHS=2 FLAGS_DEST=args GUILD_OP=fashion:train "PROJECT_DIR=$proj" "GUILD_HOME=$GUILD_HOME" "CMD_DIR=$proj"; do
	ok "--print-env has $v" grep -qx "$v" "$TEST_TMP/env"
done
for v in RUN_DIR RUN_ID PYTHONPATH GUILD_SOURCECODE; do
	ok "--print-env has $v" grep -q "^$v=" "$TEST_TMP/env"
done

# Globals: a script without argparse gets flags as module globals.
cat > glob.py <<'EOF'
lr = 0.5
name = "default"
print("lr=%r name=%r" % (lr, name))
EOF
cat > guild.yml <<'EOF'
glob:
  main: glob
  flags:
    lr: 0.5
    name: default
shell:
  exec: sh -c 'echo "lr=${lr} args=$*"; echo "env=$FLAG_LR $RUN_ID $GUILD_OP"; exit 3' sh ${flag_args}
  flags:
    lr: 0.25
reader:
  exec: sh -c 'read x; echo "got:$x"'
bytes:
  exec: python3 -c "import sys; sys.stdout.buffer.write(bytes(range(256)) * 4); sys.stdout.flush()"
scalars:
  exec: 'sh -c ''echo "step 7 val=2.5"; echo "loss: 9"'''
  output-scalars:
    - 'step (?P<step>\d+) val=(?P<val>\value)'
EOF
expect_output "globals replace the script's first assignments" - -- guild run -y glob lr=0.01 name=x <<'EOF'
lr=0.01 name='x'
EOF
guild run -y shell lr=0.75 > "$TEST_TMP/out" 2>&1
ok "exec: the operation's exit status is guild's" test $? -eq 3
ok "exec: \${flag} and \${flag_args}" grep -q '^lr=0.75 args=--lr 0.75' "$TEST_TMP/out"
id=$(newest)
ok "exec: environment" grep -q "^env=0.75 $id shell" "$TEST_TMP/out"
expect_output "exec: no shell is involved unless written" - -- sed -n 1p "$runs/$id/.guild/attrs/cmd" <<'EOF'
- sh
EOF
EXPECT_STDIN=$TEST_TMP/input
printf 'hello\n' > "$EXPECT_STDIN"
expect_output "keys reach the operation" - -- sh -c '"$GUILD" run -y reader' <<'EOF'
hello
got:hello
EOF
unset EXPECT_STDIN
guild run -y -q bytes > "$TEST_TMP/out" 2>&1
id=$(newest)
python3 -c "import sys; sys.stdout.buffer.write(bytes(range(256)) * 4)" > "$TEST_TMP/bytes"
ok "-q shows nothing" test ! -s "$TEST_TMP/out"
# The pty leaves "\n" alone (no ONLCR), so the file is what was written.
python3 - "$TEST_TMP/bytes" "$runs/$id/.guild/output" <<'EOF'
import sys
want = open(sys.argv[1], "rb").read()
got = open(sys.argv[2], "rb").read()
sys.exit(0 if got == want else 1)
EOF
ok "binary output is kept byte for byte" test $? -eq 0
guild run -y scalars > /dev/null 2>&1
id=$(newest)
expect_output "custom output-scalars with named groups" - -- cut -f1-3 "$runs/$id/.guild/scalars.tsv" <<'EOF'
# guild scalars 1
7	val	2.5
EOF
printf 'loss: 0.5\nacc: 0.9 (step 3)\nnothing\n' > "$TEST_TMP/sample"
expect_output "--test-output-scalars" - -- guild run scalars --test-output-scalars "$TEST_TMP/sample" <<'EOF'
loss: 0.5
acc: 0.9 (step 3)
nothing
EOF
expect_output "--test-output-scalars with defaults" - -- guild run glob --test-output-scalars "$TEST_TMP/sample" <<'EOF'
loss: 0.5
  loss: 0.5 (step 0)
acc: 0.9 (step 3)
  acc: 0.9 (step 3)
nothing
EOF

# Staging and starting; restarting.
expect_output "--stage" - -- guild run -y --stage shell lr=1 <<'EOF'
shell staged as <id>
To start the operation, use 'guild run --start <id>'
EOF
id=$(newest)
ok "a staged run has STAGED" test -e "$runs/$id/.guild/STAGED"
guild run -y --start "$id" > "$TEST_TMP/out" 2>&1
ok "--start runs it with its flags" grep -q '^lr=1 ' "$TEST_TMP/out"
ok "STAGED is gone" test ! -e "$runs/$id/.guild/STAGED"
short=$(printf '%.8s' "$id")
expect_output "--start needs a staged run" - 1 -- guild run -y --start "$id" <<EOF
guild: run $short is not staged: use --restart
EOF
guild run -y --restart "$id" lr=2 > "$TEST_TMP/out" 2>&1
ok "--restart reuses the run with new flags" grep -q '^lr=2 ' "$TEST_TMP/out"
ok "--restart wrote no new run" test "$(newest)" = "$id"

done_testing
