#!/bin/sh
# steps.sh: pipelines: each step a run of its own, flags passed through,
# links under the parent, a failing step, restarts, step isolation and a
# stopped pipeline.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tmux-lib.sh"
export GUILD

proj=$(make_project steps <<'EOF'
- model: m1
  operations:
    prepare:
      exec: sh -c 'echo "prepare size=$1"; echo data > data.txt' sh ${size}
      flags:
        size: 10
    train:
      exec: sh -c 'echo "train lr=$1 data=$(cat data/data.txt)"' sh ${lr}
      flags:
        lr: 0.1
      requires:
        - operation: prepare
          target-path: data
    fail:
      exec: sh -c 'if [ "$1" = 1 ]; then echo FAIL; exit 3; fi; echo ok' sh ${fail}
      flags:
        fail: yes
    sleeper:
      exec: sh -c 'echo started; sleep 600; echo never'
    pipeline:
      flags:
        size: 5
        lr: 0.01
      steps:
        - prepare size=${size}
        - run: train
          flags:
            lr: ${lr}
    steps-restart:
      flags:
        fail: yes
      steps:
        - fail fail=no
        - fail fail=${fail}
        - prepare
    lonely:
      steps:
        - train
    open:
      steps:
        - run: train
          isolate-runs: no
    stoppable:
      steps:
        - prepare
        - sleeper
        - prepare
EOF
)
cd "$proj" || exit 1
runs=$GUILD_HOME/runs

# run_of LINK: the run id a step link names.
run_of()
{
	readlink "$1" | sed 's|^\.\./||'
}

# newest_of OP: the newest run of OP, as guild orders runs (by start time;
# a directory's mtime moves whenever something is added to it).
newest_of()
{
	"$GUILD" select -o "$1" 2>/dev/null
}

expect_output "a pipeline runs its steps, flags passed through" - -- guild run -y pipeline size=7 <<'EOF'
INFO: [guild] running prepare: m1:prepare size=7
prepare size=7
INFO: [guild] running train: m1:train lr=0.01
Resolving operation:prepare
Using run <id> for operation:prepare
train lr=0.01 data=data
EOF
parent=$(newest_of pipeline)
ok "the parent links its steps" test -L "$runs/$parent/prepare" -a -L "$runs/$parent/train"
ok "links are ../<id>" sh -c "readlink '$runs/$parent/prepare' | grep -q '^\.\./[0-9a-f]\{32\}$'"
prep=$(run_of "$runs/$parent/prepare")
train=$(run_of "$runs/$parent/train")
expect_output "the step runs have their flags" - -- cat "$runs/$prep/.guild/attrs/flags" "$runs/$train/.guild/attrs/flags" <<'EOF'
size: 7
lr: 0.01
operation:prepare: <id>
EOF
ok "the train step used its sibling prepare run" grep -qx "operation:prepare: $prep" "$runs/$train/.guild/attrs/flags"
expect_output "the parent completed" - -- cat "$runs/$parent/.guild/attrs/exit_status" <<'EOF'
0
EOF
expect_output "the parent's steps attr" - -- cat "$runs/$parent/.guild/attrs/steps" <<'EOF'
- run: prepare size=${size}
- flags:
    lr: ${lr}
  run: train
EOF
ok "the parent's output has every step's output" grep -q 'train lr=0.01 data=data' "$runs/$parent/.guild/output"
ok "a pipeline snapshots no source code" test ! -e "$runs/$parent/.guild/sourcecode"

# A step in the middle fails: the pipeline stops with its status.
expect_output "a failing step stops the pipeline" - 3 -- guild run -y steps-restart <<'EOF'
INFO: [guild] running fail: m1:fail fail=no
ok
INFO: [guild] running fail_2: m1:fail fail=yes
FAIL
EOF
parent=$(newest_of steps-restart)
expect_output "the parent has the step's exit status" - -- cat "$runs/$parent/.guild/attrs/exit_status" <<'EOF'
3
EOF
expect_output "only the steps that ran are linked" - -- sh -c "cd '$runs/$parent' && ls" <<'EOF'
fail
fail_2
EOF
first=$(run_of "$runs/$parent/fail")
second=$(run_of "$runs/$parent/fail_2")

# Restart the pipeline with a flag that lets the step succeed.
expect_output "restart: every step again, in its own run" - -- guild run -y --restart "$parent" fail=no <<'EOF'
INFO: [guild] restarting fail: <id> fail=no
ok
INFO: [guild] restarting fail_2: <id> fail=no
ok
INFO: [guild] running prepare: m1:prepare
prepare size=10
EOF
ok "restart: the same step runs" test "$(run_of "$runs/$parent/fail")" = "$first" -a "$(run_of "$runs/$parent/fail_2")" = "$second"
expect_output "restart: the statuses" - -- cat "$runs/$parent/.guild/attrs/exit_status" "$runs/$second/.guild/attrs/exit_status" <<'EOF'
0
0
EOF

# Steps resolve dependencies among their siblings only.
guild run -y prepare > /dev/null 2>&1
expect_output "isolated steps: no sibling prepare run" - 1 -- guild run -y lonely <<'EOF'
INFO: [guild] running train: m1:train
guild: run failed because a dependency was not met: could not resolve 'operation:prepare' in operation:prepare resource: no suitable run for prepare
EOF
expect_output "isolate-runs: no sees every run" - -- guild run -y open <<'EOF'
INFO: [guild] running train: m1:train
Resolving operation:prepare
Using run <id> for operation:prepare
train lr=0.1 data=data
EOF

# Stopping a pipeline stops the running step: both end terminated.
"$GUILD" run -y stoppable > "$TEST_TMP/stop" 2>&1 &
gpid=$!
wait_for 120 grep -q started "$TEST_TMP/stop"
kill -TERM "$gpid"
wait "$gpid"
ok "stopped pipeline: guild exits 128+SIGTERM" test $? -eq 143
parent=$(newest_of stoppable)
sleeper=$(run_of "$runs/$parent/sleeper")
expect_output "stopped pipeline: parent and step terminated" - -- cat "$runs/$parent/.guild/attrs/exit_status" "$runs/$sleeper/.guild/attrs/exit_status" <<'EOF'
-15
-15
EOF
ok "stopped pipeline: the last step never ran" test ! -e "$runs/$parent/prepare_2"
ok "stopped pipeline: nothing is left running" sh -c "! grep -q never '$TEST_TMP/stop'"

# A real terminal: Ctrl-C.
term_start "Ctrl-C in a terminal"
term_keys "cd '$proj' && \"\$GUILD\" run -y stoppable; echo EXIT=\$?" Enter
wait_for 120 term_has '^started'
term_keys C-c
wait_for 120 term_has 'EXIT=[0-9]'
ok "Ctrl-C in a terminal stops the pipeline: exit 130" term_has 'EXIT=130' ||
    term_dump
parent=$(newest_of stoppable)
sleeper=$(run_of "$runs/$parent/sleeper")
expect_output "Ctrl-C: pipeline and step terminated" - -- cat "$runs/$parent/.guild/attrs/exit_status" "$runs/$sleeper/.guild/attrs/exit_status" <<'EOF'
-2
-2
EOF
term_keys "stty -a | tr ' ' '\n' | grep -x -e echo -e icanon | tr '\n' ' '; echo" Enter
wait_for 120 term_has '^icanon echo'
ok "the terminal is restored (icanon, echo)" term_has '^icanon echo'
term_stop
done_testing
