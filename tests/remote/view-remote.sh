#!/bin/sh
# view-remote.sh: remotes in guild view, against a real sshd
# (sshd-lib.sh): a run on the remote shows in the runs pane with the
# remote's name, its status and output kept fresh by the background
# sync; the run form starts a run there; S stops it there. A remote that
# cannot be reached is one message on the status line, and one whose
# ssh hangs blocks no key.

. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"
. "$top_srcdir/tests/sshd-lib.sh"

sshd_start
# Both libraries' clean-ups: the view's terminals, the hanging ssh's
# proxy, sshd (by pid), the folder (runs still looping there end).
trap 'touch "$TEST_TMP/unhang"; _sshd_stop; _tui_cleanup' EXIT
RHOME=$TEST_TMP/remote/.guild
mkdir -p "$GUILD_HOME"
{
	echo "remotes:"
	sshd_remote box 'poll-interval: 1'
	# Nobody listens there.
	printf '  down:\n    type: ssh\n    host: 127.0.0.1\n'
	printf '    port: %s\n    poll-interval: 1\n' "$(_sshd_free_port)"
	# Its ssh waits for its proxy, which waits for the test's end.
	printf '  hang:\n    type: ssh\n    host: 127.0.0.1\n'
	printf '    connect-timeout: 3600\n'
	hang="sh -c 'while [ ! -e $TEST_TMP/unhang ] && [ -d $TEST_TMP ]; do sleep 0.1; done'" # check-tests: allow (a proxy that hangs)
	printf '    proxy: "%s"\n' "$hang"
} > "$GUILD_HOME/config.yml"

proj=$(make_project proj <<'EOF'
slow:
  exec: sh -c 'echo started; i=0; while [ ! -e ${go} ] && [ -d "$PWD" ]; do echo "tick $i"; i=$((i + 1)); sleep 0.2; done; echo finished'
  flags:
    go: /nonexistent
EOF
)
cd "$proj" || exit 1

# A run started there from the command line, before the view.
ok "a run on box" quiet guild run -y -r box -n slow go="$TEST_TMP/go"
rid=$(ls "$RHOME/runs")

# The last "tick N" on the screen (0: none).
last_tick()
{
	tui_screen | sed -n 's/.*tick \([0-9]*\).*/\1/p' | tail -1 | grep . ||
	    echo 0
}

ticked_past()
{
	[ "$(last_tick)" -gt "$1" ]
}

tui_start 100 30 GUILD_SSH_CONFIG="$GUILD_SSH_CONFIG"
# Said once, on the status line, soon after the start.
tui_expect "an unreachable remote: one message, what ssh said" \
    "sync of down failed: remote down (127.0.0.1 port"
tui_expect "... and the runs pane says it as long as it lasts" \
    "sync failed: down"
tui_expect "the remote's run shows, running, with the remote's name" \
    "running     @box"
tui_expect "its output is followed" "tick "
t=$(last_tick)
ok "... and kept fresh by the sync" wait_for 120 ticked_past $((t + 10))
ok "the sync of a hanging remote is under way" \
    wait_for 120 quiet pgrep -f "$TEST_TMP/unhang"
tui_keys '?'
tui_expect "... and keys are answered meanwhile (help)" "Keys"
tui_keys q
touch "$TEST_TMP/go"
tui_expect "the run's end comes with the next sync" "completed   @box"
tui_expect "... and its last line" "finished"
ok "... its mark is gone" test ! -e "$GUILD_HOME/runs/$rid/.guild/LOCK.remote"

# The form: a field for where the run goes.
tui_keys Tab Tab Tab
tui_expect "the operations pane" "Enter run"
tui_keys Enter
tui_expect "the form has the remote field" "remote local"
tui_expect "... listing the remotes" "<> local|box|down|hang"
tui_keys Down Down Down
tui_type "x"
tui_expect "... which takes no typing" "remote local"
tui_keys Left
tui_expect "Left steps back around the list" "remote hang"
tui_keys Right Right
tui_expect "Right steps to box" "remote box"
tui_keys Enter
tui_expect "the preview says where" "on remote box"
tui_keys Enter
tui_expect "the run starts there" "Started slow on box as"
nid=$(ls "$RHOME/runs" | grep -v "^$rid\$")
ok "... the run is there" test -n "$nid" -a -d "$RHOME/runs/$nid"
ok "... running there" wait_for 120 \
    sh -c '"$GUILD" runs -r box | grep -q "'"$(echo "$nid" | cut -c1-8)"'.*running"'
tui_expect "... it shows here on top, running on box" \
    "[0:<id>]  ./slow    <date>  running     @box go=/nonexistent"
tui_expect "... selected and followed" "Output  <id> slow  running"

# Stop: there, by guild stop -r.
tui_keys S
tui_expect "stop asks first" "Stop run <id>? (Y/n)"
tui_keys y
tui_expect "it stops there" "Stopped run"
ok "... terminated there" wait_for 120 \
    sh -c '"$GUILD" runs -r box | grep -q "'"$(echo "$nid" | cut -c1-8)"'.*terminated"'
tui_expect "... and here, after the sync" "terminated  @box"
tui_keys q
tui_expect_exit "q quits" 0
ok "nothing reached the terminal past the view" test ! -s "$TEST_TMP/tui-stderr"

# Without remotes in the config: no remote field, no sync.
rm "$GUILD_HOME/config.yml"
tui_start 100 30
tui_keys Tab Tab Tab Enter
tui_expect "no remotes: the form as before" "Run slow"
tui_expect_not "... without the remote field" "remote local"
tui_keys Escape
tui_expect "the runs of box are here still" "terminated"
tui_expect_not "... without a remote's name" "@box"
tui_keys q
tui_expect_exit "q quits" 0

done_testing
