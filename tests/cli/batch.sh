#!/bin/sh
# batch.sh: grid and random searches: --print-trials, trials as runs,
# batch files, --needed, --parallel, failing trials and a batch stopped
# halfway.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tmux-lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"
export GUILD

proj=$(make_project batch <<'EOF'
say:
  exec: sh -c 'if [ "$2" = 1 ]; then echo "$1" | tr a-z A-Z; else echo "$1"; fi; [ "$1" != fail ]' sh ${msg} ${loud}
  flags:
    msg: hello
    loud: no
train:
  exec: sh -c 'echo "lr=$1 epochs=$2"' sh ${lr} ${epochs}
  flags:
    lr: 0.1
    epochs:
      default: 1
      type: int
      max: 5
sleepy:
  exec: sh -c 'echo "start $1"; sleep $1; echo "end $1"' sh ${n}
  flags:
    n: 1
meet:
  exec: sh -c 'echo "start $1"; touch "$MEET/$1"; i=0; while [ "$(ls "$MEET" | wc -l)" -lt 3 ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done; if [ $i -lt 1200 ]; then echo "met $1"; else echo "alone $1"; fi' sh ${n}
  flags:
    n: 1
EOF
)
cd "$proj" || exit 1
runs=$GUILD_HOME/runs

# batch N: the Nth newest batch run (1: the newest).
batch()
{
	for d in $(ls "$runs"); do
		case $(cat "$runs/$d/.guild/opref") in
		builtin:*)
			printf '%s %s\n' "$(cat "$runs/$d/.guild/attrs/started")" "$d"
		esac
	done | sort -rn | sed -n "$1p" | cut -d' ' -f2
}

expect_output "--print-trials: a grid" - -- guild run say msg='[b, a]' loud='[no, yes]' --print-trials <<'EOF'
#  loud  msg
1  no    b
2  no    a
3  yes   b
4  yes   a
EOF
ok "--print-trials creates nothing" test ! -d "$runs" -o -z "$(ls "$runs" 2>/dev/null)"
expect_output "--print-trials: range and linspace" - -- guild run train lr=linspace[0.1:0.3:3] epochs=range[1:2] --print-trials <<'EOF'
#  epochs  lr
1  1       0.1
2  1       0.2
3  1       0.3
4  2       0.1
5  2       0.2
6  2       0.3
EOF

EXPECT_STDIN=$TEST_TMP/enter
printf '\n' > "$EXPECT_STDIN"
expect_output "a grid batch: preview, trials, output" - -- guild run --keep-batch say msg='[hi, ho]' <<'EOF'
You are about to run say as a batch (2 trials)
  loud: no
  msg: [hi, ho]
Continue? (Y/n) INFO: [guild] Running trial <id>: say (loud=no, msg=hi)
hi
INFO: [guild] Running trial <id>: say (loud=no, msg=ho)
ho
EOF
unset EXPECT_STDIN
batch=$(batch 1)
expect_output "the batch run's opref: Guild's builtin:guildai VERSION '' +" - -- \
    sh -c "cat '$runs/$batch/.guild/opref' | sed 's/ [0-9][^ ]* / VERSION /'; echo" <<'EOF'
builtin:guildai VERSION '' +
EOF
expect_output "the batch run's attrs, as Guild writes them" - -- \
    sh -c "ls '$runs/$batch/.guild/attrs'" <<'EOF'
cmd
env
exit_status
flags
host
id
initialized
op
platform
random_seed
started
stopped
user
user_flags
EOF
expect_output "its cmd and op: Guild's batch_main" - -- sh -c \
    "sed 's/^- .*python.*/- PYTHON/' '$runs/$batch/.guild/attrs/cmd'; grep '^delete-on-success' '$runs/$batch/.guild/attrs/op'" <<'EOF'
- PYTHON
- -um
- guild.batch_main
delete-on-success: true
EOF
ok "the batch keeps the prototype" test -f "$runs/$batch/.guild/proto/.guild/opref"
expect_output "guild runs shows the batch as the prototype's op and +" - -- guild runs <<'EOF'
[0:<id>]  ./say   <time>  completed  loud=no msg=ho
[1:<id>]  ./say   <time>  completed  loud=no msg=hi
[2:<id>]  ./say+  <time>  completed
EOF
expect_output "the prototype has the user's flags" - -- cat "$runs/$batch/.guild/proto/.guild/attrs/user_flags" <<'EOF'
msg:
- hi
- ho
EOF
expect_output "the batch links its trials" - -- sh -c "cd '$runs/$batch' && for l in *; do readlink \"\$l\"; done" <<'EOF'
../<id>
../<id>
EOF
expect_output "the batch completed" - -- cat "$runs/$batch/.guild/attrs/exit_status" <<'EOF'
0
EOF
expect_output "compare leaves the batch run out" - -- \
    sh -c '"$GUILD" compare --csv - -cc .operation | cut -d, -f2' <<'EOF'
operation
./say
./say
EOF
expect_output "compare --include-batch" - -- \
    sh -c '"$GUILD" compare --include-batch --csv - -cc .operation | cut -d, -f2' <<'EOF'
operation
./say
./say
./say+
EOF
expect_output "the batch's output has its log" - -- cat "$runs/$batch/.guild/output" <<'EOF'
INFO: [guild] Running trial <id>: say (loud=no, msg=hi)
INFO: [guild] Running trial <id>: say (loud=no, msg=ho)
EOF
trial=$(cd "$runs/$batch" && ls | head -n 1)
ok "a trial is a normal run" test -f "$runs/$trial/.guild/opref" -a -f "$runs/$trial/.guild/output"
ok "a trial's flags" grep -qx 'msg: h[io]' "$runs/$trial/.guild/attrs/flags"

# Without --keep-batch a batch that succeeded goes to the trash, as
# Guild's batch operations (delete-on-success); its trials stay.
n_before=$(ls "$runs" | wc -l)
ok "a batch without --keep-batch" quiet guild run -y say msg='[del1, del2]'
ok "its two trials are kept, the batch run is not" \
    test "$(ls "$runs" | wc -l)" -eq $((n_before + 2))
expect_output "the batch run is in the trash" - -- sh -c '"$GUILD" runs --deleted | head -n 1' <<'EOF'
[0:<id>]  ./say+  <time>  completed
EOF
ok "a failed batch is kept" sh -c '! "$GUILD" run -y say msg="[fail]" --fail-on-trial-error > /dev/null 2>&1'
ok "(it is listed)" sh -c '"$GUILD" runs | grep -q "say+ .* error"'
"$GUILD" runs rm -y $("$GUILD" select -A -o say+) $("$GUILD" select -o say -Fl msg=fail) > /dev/null 2>&1

# Batch files.
cat > trials.csv <<'EOF'
msg,loud
hello 1
hello 2,yes
hello 3
EOF
cat > trials.yml <<'EOF'
- msg: hello 4
- msg: hello 5
  loud: yes
EOF
cat > trials.json <<'EOF'
[{"msg": "hello 6", "loud": false}]
EOF
expect_output "batch files: CSV, YAML, JSON" - -- guild run -y say @trials.csv @trials.yml @trials.json <<'EOF'
INFO: [guild] Running trial <id>: say (loud=no, msg='hello 1')
hello 1
INFO: [guild] Running trial <id>: say (loud=yes, msg='hello 2')
HELLO 2
INFO: [guild] Running trial <id>: say (loud=no, msg='hello 3')
hello 3
INFO: [guild] Running trial <id>: say (loud=no, msg='hello 4')
hello 4
INFO: [guild] Running trial <id>: say (loud=yes, msg='hello 5')
HELLO 5
INFO: [guild] Running trial <id>: say (loud=no, msg='hello 6')
hello 6
EOF
expect_output "batch files and lists" - -- guild run say @trials.csv loud='[yes, no]' --print-trials <<'EOF'
#  loud  msg
1  yes   hello 1
2  no    hello 1
3  yes   hello 2
4  yes   hello 3
5  no    hello 3
EOF
echo x > trials.txt
expect_output "an unsupported batch file" - 1 -- guild run -y say @trials.txt <<'EOF'
guild: unsupported batch file extension for trials.txt
EOF

# Every trial's flags are checked before anything runs.
n_before=$(ls "$runs" | wc -l)
expect_output "a bad trial value stops the batch before it starts" - 1 -- guild run -y train epochs='[1, 9]' <<'EOF'
guild: invalid value 9 for epochs: out of range (greater than max 5)
Try 'guild run train --help-op' for a list of flags or use --force-flags to skip this check.
EOF
ok "nothing was created" test "$(ls "$runs" | wc -l)" -eq "$n_before"

# Random search.
guild run train lr='uniform[0.01:0.1]' epochs='[1:5]' --max-trials 4 --random-seed 11 --print-trials > "$TEST_TMP/t1"
guild run train lr='uniform[0.01:0.1]' epochs='[1:5]' --max-trials 4 --random-seed 11 --print-trials > "$TEST_TMP/t2"
ok "random: a seed gives the same trials" cmp -s "$TEST_TMP/t1" "$TEST_TMP/t2"
ok "random: --max-trials" test "$(wc -l < "$TEST_TMP/t1")" -eq 5
ok "random: values in range" awk 'NR > 1 { if ($2 < 1 || $2 > 5 || $2 != int($2) || $3 < 0.01 || $3 > 0.1) exit 1 }' "$TEST_TMP/t1"
guild run train lr='loguniform[0.001:0.1]' --print-trials > "$TEST_TMP/t3"
ok "random: 20 trials by default" test "$(wc -l < "$TEST_TMP/t3")" -eq 21
EXPECT_STDIN=$TEST_TMP/no
printf 'n\n' > "$EXPECT_STDIN"
expect_output "random: the preview" - -- sh -c '"$GUILD" run train lr="uniform[0.01:0.1]" --max-trials 3; echo' <<'EOF'
You are about to run train with random search (max 3 trials)
  epochs: 1
  lr: uniform[0.01:0.1]
Continue? (Y/n) 
EOF
unset EXPECT_STDIN
guild run -y --keep-batch train epochs='[1, 2, 3]' --optimizer random --max-trials 2 --random-seed 3 > "$TEST_TMP/out" 2>&1
batch=$(batch 1)
expect_output "random: the batch run's opref" - -- sh -c "cat '$runs/$batch/.guild/opref' | sed 's/ [0-9][^ ]* / VERSION /'; echo" <<'EOF'
builtin:guildai VERSION '' random
EOF
expect_output "random: the seed is recorded" - -- cat "$runs/$batch/.guild/attrs/random_seed" <<'EOF'
3
EOF
expect_output "grid trials beyond --max-trials are sampled, in order" - -- guild run train epochs='range[1:5]' --max-trials 2 --random-seed 1 --print-trials <<'EOF'
#  epochs  lr
1  3       0.1
2  4       0.1
EOF

# Previews of a batch show each trial and create nothing.
n_before=$(ls "$runs" | wc -l)
expect_output "--print-cmd: each trial's command" - -- guild run -y train lr='[0.1, 0.2]' epochs=2 --print-cmd <<'EOF'
sh -c 'echo "lr=$1 epochs=$2"' sh 0.1 2
sh -c 'echo "lr=$1 epochs=$2"' sh 0.2 2
EOF
expect_output "--print-cmd: a batch file's trials, --max-trials" - -- guild run say @trials.csv -m 1 --random-seed 1 --print-cmd <<'EOF'
sh -c 'if [ "$2" = 1 ]; then echo "$1" | tr a-z A-Z; else echo "$1"; fi; [ "$1" != fail ]' sh 'hello 2' 1
EOF
guild run -y train lr='[0.1, 0.2, 0.3]' --print-env > "$TEST_TMP/env" 2>&1
ok "--print-env: each trial's environment" test "$(grep -c '^RUN_ID=' "$TEST_TMP/env")" -eq 3
printf 'loss: 0.5\n' > "$TEST_TMP/scalars.txt"
expect_output "--test-output-scalars: once for a batch" - -- guild run train lr='[0.1, 0.2]' --test-output-scalars "$TEST_TMP/scalars.txt" <<'EOF'
loss: 0.5
  loss: 0.5 (step 0)
EOF
guild run train lr='uniform[0.01:0.1]' -m 1500 --print-cmd > "$TEST_TMP/cmds" 2>&1
ok "--print-cmd: a long search shows its first 1000 trials" test "$(grep -c '^sh ' "$TEST_TMP/cmds")" -eq 1000
expect_output "--print-cmd: and says how many more" - -- tail -n 1 "$TEST_TMP/cmds" <<'EOF'
... and 500 more trials
EOF
ok "previews of a batch create no run" test "$(ls "$runs" | wc -l)" -eq "$n_before"

# A random search makes its trials as it goes: ten million of them fit
# in 300 MB (all at once took 8 GB). Not under ASan, which needs more.
if (ulimit -v 300000 && "$GUILD" --version) > /dev/null 2>&1; then
	expect_output "random: ten million trials, previewed in bounded memory" - -- sh -c 'ulimit -v 300000 && "$GUILD" run train lr="uniform[0.01:0.1]" -m 10000000 --random-seed 1 --print-trials | tail -n 1' <<'EOF'
... and 9999000 more trials
EOF
	n_big=$(ls "$runs" | wc -l)
	(ulimit -v 300000 && exec "$GUILD" run -y -q train lr='uniform[0.01:0.1]' -m 10000000) > "$TEST_TMP/big" 2>&1 &
	big=$!
	ntrials()
	{
		[ "$(ls "$runs" | wc -l)" -ge $((n_big + 3)) ]
	}
	ok "random: ten million trials run in bounded memory" wait_for 120 ntrials
	kill -TERM $big
	wait $big
	rc=$?
	ok "random: the big search stops on SIGTERM" test "$rc" -eq 143 ||
	    diag "exit status $rc" "$(cat "$TEST_TMP/big")"
else
	skip "random: ten million trials in bounded memory" "ulimit -v is not usable here (ASan?)"
fi

# --needed skips trials already run with the same flags.
expect_output "--needed" - -- sh -c '"$GUILD" run -y say msg="[hi, new]" --needed 2>&1 | sed "s/run [0-9a-f]\{8\} has/run <short> has/"' <<'EOF'
INFO: [guild] Skipping trial (loud=no, msg=hi): run <short> has the same flags (--needed)
INFO: [guild] Running trial <id>: say (loud=no, msg=new)
new
EOF

# A failing trial: the batch goes on, unless --fail-on-trial-error.
expect_output "a failing trial" - -- guild run -y say msg='[fail, after]' <<'EOF'
INFO: [guild] Running trial <id>: say (loud=no, msg=fail)
fail
ERROR: [guild] Trial <id> exited with an error (1) - see log for details
INFO: [guild] Running trial <id>: say (loud=no, msg=after)
after
EOF
expect_output "--fail-on-trial-error" - 1 -- guild run -y say msg='[fail, after]' --fail-on-trial-error <<'EOF'
INFO: [guild] Running trial <id>: say (loud=no, msg=fail)
fail
ERROR: [guild] Trial <id> exited with an error (1) - see log for details
INFO: [guild] Stopping batch because a trial failed (--fail-on-trial-error)
EOF

# Trials in parallel: lines marked with their trial, outputs kept apart.
# Each trial waits (up to two minutes) until all three have started, so
# they meet only when they run at once, however slow the machine.
MEET=$TEST_TMP/meet
export MEET
mkdir "$MEET"
guild run -y --keep-batch meet n='[1, 2, 3]' --parallel 3 > "$TEST_TMP/par" 2>&1
ok "--parallel: guild exits 0" test $? -eq 0
expect_output "--parallel: every trial's lines, marked" - -- sh -c "grep -v INFO '$TEST_TMP/par' | sed 's/^\[[0-9a-f]\{8\}\]/[<short>]/' | sort" <<'EOF'
[<short>] met 1
[<short>] met 2
[<short>] met 3
[<short>] start 1
[<short>] start 2
[<short>] start 3
EOF
ok "--parallel: the trials ran at once" test "$(grep -c '^\[[0-9a-f]\{8\}\] met [123]$' "$TEST_TMP/par")" -eq 3
batch=$(batch 1)
# trial_output RUN: the trial's output, its own n replaced by N.
trial_output()
{
	_to_n=$(sed -n 's/^start //p' "$runs/$1/.guild/output")
	sed "s/ $_to_n\$/ N/" "$runs/$1/.guild/output"
}
for t in $(cd "$runs/$batch" && ls); do
	expect_output "--parallel: trial output kept apart" - -- trial_output "$t" <<'EOF'
start N
met N
EOF
done

# A batch stopped halfway: its trials are stopped and all terminated.
"$GUILD" run -y sleepy n='[600, 600, 600, 600]' --parallel 2 > "$TEST_TMP/stop" 2>&1 &
gpid=$!
wait_for 120 sh -c "[ \"\$(grep -c 'start 600' '$TEST_TMP/stop')\" = 2 ]"
kill -TERM "$gpid"
wait "$gpid"
ok "stopped batch: guild exits 128+SIGTERM" test $? -eq 143
batch=$(batch 1)
expect_output "stopped batch: the batch is terminated" - -- cat "$runs/$batch/.guild/attrs/exit_status" <<'EOF'
-15
EOF
expect_output "stopped batch: two trials were started, both terminated" - -- sh -c "cd '$runs/$batch' && for t in *; do cat ../\$t/.guild/attrs/exit_status; done" <<'EOF'
-15
-15
EOF
ok "stopped batch: no trial is left running" sh -c "! grep -q 'end 600' '$TEST_TMP/stop'"
expect_output "stopped batch: the log" - -- sh -c "grep INFO '$TEST_TMP/stop' | sed 's/proc [0-9]*/proc <pid>/'" <<'EOF'
INFO: [guild] Running trial <id>: sleepy (n=600)
INFO: [guild] Running trial <id>: sleepy (n=600)
INFO: [guild] Stopping trial <id> (proc <pid>)
INFO: [guild] Stopping trial <id> (proc <pid>)
INFO: [guild] Stopping batch
EOF

expect_output "not a batch: --print-trials" - 1 -- guild run say --print-trials <<'EOF'
guild: not a batch: nothing to print for --print-trials
EOF
expect_output "an unsupported optimizer" - 1 -- guild run -y say -o gp <<'EOF'
guild: unsupported optimizer 'gp' (guild runs grid searches and random searches: --optimizer random)
EOF

# A real terminal: Ctrl-C.
term_start "Ctrl-C in a terminal"
term_keys "cd '$proj' && \"\$GUILD\" run -y sleepy n='[600, 600, 600]'; echo EXIT=\$?" Enter
wait_for 120 term_has '^start 600'
term_keys C-c
wait_for 120 term_has 'EXIT=[0-9]'
ok "Ctrl-C in a terminal stops the batch: exit 130" term_has 'EXIT=130' ||
    term_dump
batch=$(batch 1)
expect_output "Ctrl-C: the batch and its trial are terminated" - -- sh -c "cat '$runs/$batch/.guild/attrs/exit_status'; cd '$runs/$batch' && for t in *; do cat ../\$t/.guild/attrs/exit_status; done" <<'EOF'
-2
-15
EOF
term_stop
done_testing
