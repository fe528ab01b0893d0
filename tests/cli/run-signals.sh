#!/bin/sh
# run-signals.sh: background runs followed by guild watch, Ctrl-C, a
# killed supervisor, and a real terminal driven through tmux.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tmux-lib.sh"
export GUILD

proj=$(make_project signals <<'EOF'
slow:
  exec: sh -c 'echo "line 1"; i=0; while [ ! -e "$GO" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done; for i in 2 3 4 5; do echo "line $i"; done'
sleeper:
  exec: sh -c 'echo started; sleep 600; echo never'
winch:
  exec: sh -c 'trap "stty size" WINCH; echo started; while :; do sleep 0.1; done'
EOF
)
cd "$proj" || exit 1
runs=$GUILD_HOME/runs

# slow prints its first line, then waits for $GO (two minutes at most):
# the test starts guild watch, sees the first line, then lets it go on.
GO=$TEST_TMP/go
export GO
guild run -y -b slow > "$TEST_TMP/bg" 2>&1
ok "--background returns at once" test $? -eq 0
id=$(sed -n 's/^slow started in background as \([0-9a-f]\{32\}\)$/\1/p' "$TEST_TMP/bg")
ok "--background names the run" test -n "$id"
"$GUILD" watch > "$TEST_TMP/watch" 2>&1 &
wpid=$!
wait_for 120 grep -q '^line 1' "$TEST_TMP/watch"
touch "$GO"
wait "$wpid"
expect_output "watch follows a background run live to its end" - -- cat "$TEST_TMP/watch" <<'EOF'
line 1
line 2
line 3
line 4
line 5
Run <id> stopped with a status of 'completed'
EOF
expect_output "watch with nothing running" - 1 -- guild watch <<'EOF'
guild: nothing to watch: no run is running
EOF

# SIGINT to a guild run without a terminal reaches the operation's group.
"$GUILD" run -y sleeper > "$TEST_TMP/int" 2>&1 &
gpid=$!
wait_for 120 grep -q started "$TEST_TMP/int"
kill -INT "$gpid"
wait "$gpid"
ok "interrupted run: guild exits 128+SIGINT" test $? -eq 130
id=$("$GUILD" select)
expect_output "interrupted run: exit_status is -SIGINT" - -- cat "$runs/$id/.guild/attrs/exit_status" <<'EOF'
-2
EOF
expect_output "interrupted run: terminated" - -- sh -c "\"\$GUILD\" watch $id | tail -n 1" <<'EOF'
Run <id> stopped with a status of 'terminated'
EOF

# A killed supervisor: the operation loses its terminal and the run ends
# as an error, never running forever.
guild run -y -b sleeper > "$TEST_TMP/bg" 2>&1
id=$(sed -n 's/^sleeper started in background as \([0-9a-f]\{32\}\)$/\1/p' "$TEST_TMP/bg")
wait_for 120 test -s "$runs/$id/.guild/LOCK"
op_pid=$(cat "$runs/$id/.guild/LOCK")
sup_pid=$(ps -o ppid= -p "$op_pid" | tr -d ' ')
ok "the supervisor is the operation's parent" test -n "$sup_pid"
kill -KILL "$sup_pid"
wait_for 120 sh -c "! kill -0 $op_pid 2>/dev/null"
ok "the operation ends with its supervisor" sh -c "! kill -0 $op_pid 2>/dev/null"
expect_output "killed supervisor: status error" - -- sh -c "\"\$GUILD\" watch $id | tail -n 1" <<'EOF'
Run <id> stopped with a status of 'error'
EOF
ok "killed supervisor: no exit_status was written" test ! -e "$runs/$id/.guild/attrs/exit_status"

# A real terminal: Ctrl-C, and the terminal is left as it was.
term_start "Ctrl-C in a terminal"
term_keys "cd '$proj' && \"\$GUILD\" run sleeper; echo EXIT=\$?" Enter
wait_for 120 term_has 'Continue? (Y/n)'
term_keys Enter
wait_for 120 term_has '^started'
ok "the operation's output reaches the terminal" term_has '^started'
term_keys C-c
wait_for 120 term_has 'EXIT=[0-9]'
ok "Ctrl-C stops the run: exit 130" term_has 'EXIT=130' || term_dump
term_keys "stty -a | tr ' ' '\n' | grep -x -e echo -e icanon | tr '\n' ' '; echo" Enter
wait_for 120 term_has '^icanon echo'
ok "the terminal is restored (icanon, echo)" term_has '^icanon echo'
id=$("$GUILD" select)
expect_output "Ctrl-C: the run is terminated" - -- cat "$runs/$id/.guild/attrs/exit_status" <<'EOF'
-2
EOF
# The window size is passed through: the operation sees the new size.
term_keys "clear; \"\$GUILD\" run -y winch; echo EXIT=\$?" Enter
wait_for 120 term_has '^started'
term_resize 100 30
wait_for 120 term_has '^30 100$'
ok "a resized terminal: the operation sees its new size" term_has '^30 100$' ||
    term_dump
term_keys C-c
wait_for 120 term_has 'EXIT=[0-9]'
ok "and Ctrl-C stops it: exit 130" term_has 'EXIT=130' || term_dump
term_stop
done_testing
