#!/bin/sh
# runs-stop.sh: guild stop on real runs in the background: TERM to the
# operation's process group, --no-wait, --timeout and --force, deleting a
# running run, and a run whose supervisor died (never "running" again).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
model: fashion
operations:
  sleep:
    exec: "sh -c 'echo started; sleep 600; echo slept'"
  stubborn:
    exec: "sh -c 'trap \"\" TERM; echo started; sleep 600'"
EOF
)
cd "$proj" || exit 1

# start OP: start a run in the background and wait until it runs.
start()
{
	guild run -y -b "$1" > /dev/null 2>&1 &&
	wait_for 120 running_has "$1" &&
	wait_for 120 started
}
started()
{
	guild cat -O 2>/dev/null | grep -q started
}
running_has()
{
	guild runs -Sr 2>/dev/null | grep -q "fashion:$1 "
}
status_of()
{
	guild runs -n 1 "$@" 2>/dev/null | awk '{ print $(NF) }'
}

expect_exact "nothing to stop" - -- guild stop <<'EOF'
Nothing to stop.
EOF

ok "a run in the background" start sleep
pid=$(cat "$GUILD_HOME"/runs/*/.guild/LOCK)
expect_output "stop asks, default no" - -- normed guild stop <<'EOF'
WARNING: You are about to stop the following runs:
  [<id>]  ./fashion:sleep  <time>  running
Stop 1 run(s)? (y/N) 
EOF
ok "the run still runs" running_has sleep
expect_output "stop -y: TERM to the run" - -- normed guild stop -y <<'EOF'
Stopping <id> (pid <pid>)
EOF
ok "its process is gone" sh -c "! kill -0 $pid 2>/dev/null"
expect_output "the run is terminated" - -- guild runs <<'EOF'
[0:<id>]  ./fashion:sleep  <time>  terminated
EOF
expect_output "its output ends where it was stopped" - -- guild cat -O <<'EOF'
started
EOF
expect_output "stopping a run that is not running" - -- guild stop -y 0 <<'EOF'
Run <id> is not running
EOF

ok "another run" start sleep
expect_output "stop -n: no wait" - -- normed guild runs stop -n -y <<'EOF'
Stopping <id> (pid <pid>)
EOF
ok "it ends soon after" wait_for 120 sh -c '[ "$("$GUILD" runs -n 1 2>/dev/null | awk "{ print \$NF }")" = terminated ]'

# A run that ignores SIGTERM: --timeout, then --force.
ok "a stubborn run" start stubborn
pid=$(cat "$GUILD_HOME"/runs/*/.guild/LOCK 2>/dev/null | head -n 1)
expect_output "TERM is not enough" - 1 -- normed guild stop -y --timeout 1 <<'EOF'
Stopping <id> (pid <pid>)
The following processes did not stop as expected: <pid>
EOF
ok "still running" running_has stubborn
expect_output "--force kills it after the timeout" - -- normed guild stop -y --timeout 1 --force <<'EOF'
Stopping <id> (pid <pid>)
EOF
ok "terminated" test "$(status_of)" = terminated
expect_exact "--timeout must be a number" - 1 -- guild stop --timeout x <<'EOF'
guild: invalid value for --timeout: 'x' is not a valid count
EOF

# Deleting a running run stops it first.
ok "a run to delete" start sleep
expect_output "rm asks twice for a running run" - -- normed guild runs rm 0 <<'EOF'
You are about to delete the following runs:
  [<id>]  ./fashion:sleep  <time>  running
Delete 1 run(s)? (Y/n) 
EOF
printf 'y\ny\n' > "$TEST_TMP/yy"
EXPECT_STDIN=$TEST_TMP/yy expect_output "rm a running run" - -- normed guild runs rm 0 <<'EOF'
You are about to delete the following runs:
  [<id>]  ./fashion:sleep  <time>  running
Delete 1 run(s)? (Y/n) WARNING: One or more runs are still running and will be stopped before being deleted.
Really delete these runs? (y/N) Stopping <id> (pid <pid>)
Deleted 1 run(s)
EOF
ok "it ended before it moved to the trash" test "$(status_of -d)" = terminated
ok "no run is running" test -z "$(guild runs -Sr 2>/dev/null)"

# The supervisor dies (kill -9): the operation loses its terminal and
# ends; the run is an error, never "running".
ok "a run whose supervisor will die" start sleep
pid=$(cat "$GUILD_HOME"/runs/*/.guild/LOCK 2>/dev/null | head -n 1)
sup=$(ps -o ppid= -p "$pid" | tr -d ' ')
ok "the supervisor is a guild process" sh -c "ps -o args= -p $sup | grep -q guild"
kill -9 "$sup"
ok "the operation ends" wait_for 120 sh -c "! kill -0 $pid 2>/dev/null"
expect_output "the run is an error" - -- guild runs -n 1 <<'EOF'
[0:<id>]  ./fashion:sleep  <time>  error
EOF
ok "and not running" test -z "$(guild runs -Sr 2>/dev/null)"
expect_exact "nothing to stop" - -- guild stop <<'EOF'
Nothing to stop.
EOF

done_testing
