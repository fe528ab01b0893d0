#!/bin/sh
# ssh-sync.sh: ssh remotes against a real sshd (tests/sshd-lib.sh): the
# config (guild remotes, a bad config, an unknown remote), remote status,
# an unreachable remote, push and pull with filters and --delete, only
# what changed copied, LOCK.remote on a pulled run still running there,
# and -r on the run commands.

. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"
. "$top_srcdir/tests/sshd-lib.sh"

sshd_start
# ssh's control sockets go here: the test sees that none is left.
TMPDIR=$TEST_TMP/tmp
export TMPDIR
mkdir -p "$TMPDIR"
RUNS_PROJECT=$TEST_TMP/proj
mkdir -p "$RUNS_PROJECT" "$GUILD_HOME"
: > "$RUNS_PROJECT/guild.yml"
cd "$RUNS_PROJECT" || exit 1
DEAD_PORT=$(_sshd_free_port)
{
	echo "remotes:"
	sshd_remote box "description: the test's sshd"
	printf '  dead:\n    type: ssh\n    host: 127.0.0.1\n    port: %s\n' \
	    "$DEAD_PORT"
	printf '    connect-timeout: 5\n'
} > "$GUILD_HOME/config.yml"
RHOME=$TEST_TMP/remote/.guild

# The configuration.
guild remotes > "$TEST_TMP/out" 2>&1
printf 'box   ssh  127.0.0.1:%s  the test'"'"'s sshd\ndead  ssh  127.0.0.1:%s\n' \
    "$SSHD_PORT" "$DEAD_PORT" > "$TEST_TMP/want"
ok "guild remotes lists name, type, destination, description" \
    diff -u "$TEST_TMP/want" "$TEST_TMP/out"

cat > "$TEST_TMP/bad.yml" <<'EOF'
remotes:
  gpu:
    type: ssh
    host: gpu1
    port: many
EOF
GUILD_CONFIG=$TEST_TMP/bad.yml expect_exact "a bad config: FILE:LINE:COL" - 1 -- \
    guild push gpu <<'EOF'
guild: $TEST_TMP/bad.yml:5:11: remote 'gpu': 'port' must be a port number (1-65535)
EOF
cat > "$TEST_TMP/bad2.yml" <<'EOF'
remotes:
  cloud:
    type: ec2
EOF
GUILD_CONFIG=$TEST_TMP/bad2.yml expect_exact "an unknown remote type" - 1 -- \
    guild remotes <<'EOF'
guild: $TEST_TMP/bad2.yml:3:11: remote 'cloud': unsupported type 'ec2' (guild has ssh and slurm)
EOF
expect_exact "an undefined remote" - 1 -- guild pull nowhere <<'EOF'
guild: remote nowhere is not defined (see guild remotes)
EOF

# Status, reachable and not.
expect_exact "remote status: available, guild there" - -- \
    guild remote status box <<EOF
box (127.0.0.1) is available
guild $("$GUILD" --version | cut -d' ' -f2)
EOF
expect_exact "unreachable remote: one line naming remote, host, ssh's words" \
    - 1 -- guild remote status dead <<EOF
guild: remote dead (127.0.0.1 port $DEAD_PORT): ssh: connect to host 127.0.0.1 port $DEAD_PORT: Connection refused
EOF
expect_exact "unreachable remote: runs -r too" - 1 -- guild runs -r dead <<EOF
guild: remote dead (127.0.0.1 port $DEAD_PORT): ssh: connect to host 127.0.0.1 port $DEAD_PORT: Connection refused
EOF
ok "no control directory left behind" test -z "$(ls "$TMPDIR")"

# Push with filters.
A=aaaaaaaa000000000000000000000001
B=bbbbbbbb000000000000000000000002
C=cccccccc000000000000000000000003
mkrun $A train 1600000000 0 keep
mkrun $B train 1600000100 1
mkrun $C train 1600000200 0 keep
setoutput $A 'epoch 1\n'
EXPECT_STDIN=/dev/null expect_exact "push -l: only the selected runs" - -- \
    normed guild push box -y -l keep <<'EOF'
Copied 2 run(s) to box
EOF
ok "push: the two labelled runs are there" \
    test "$(ls "$RHOME/runs" | tr '\n' ' ')" = "$A $C "
ino=$(stat -c %i "$RHOME/runs/$A/.guild/output")
ok "push: all runs" quiet guild push box -y
ok "push: the third run is there" test -d "$RHOME/runs/$B/.guild"
ok "push: an unchanged file is not copied again" \
    test "$(stat -c %i "$RHOME/runs/$A/.guild/output")" = "$ino"
echo extra > "$RHOME/runs/$A/extra"
ok "push without --delete keeps remote files" quiet guild push box -y $A
ok "... extra is still there" test -f "$RHOME/runs/$A/extra"
EXPECT_STDIN=/dev/null expect_exact "push -n previews with delete" - -- \
    normed guild push box -n $A <<'EOF'
You are about to copy (push with delete) the following runs to box:
  [<id>]  ./fashion:train  2020-09-13 12:26:40  completed  keep
Continue? (Y/n) 
EOF
ok "push -n -y deletes remote files missing here" \
    quiet guild push box -n -y $A
ok "... extra is gone" test ! -e "$RHOME/runs/$A/extra"

# -r runs the command there.
expect_exact "runs -r lists the remote's runs" - -- \
    sh -c '"$GUILD" runs -r box | cut -d" " -f1-5' <<'EOF'
[0:cccccccc]  fashion:train ($TEST_TMP/proj)
[1:bbbbbbbb]  fashion:train ($TEST_TMP/proj)
[2:aaaaaaaa]  fashion:train ($TEST_TMP/proj)
EOF
ok "label -r changes the remote run" quiet guild label -r box -y -s there $B
ok "... there" test "$(cat "$RHOME/runs/$B/.guild/attrs/label")" = there
ok "... not here" test "$(cat "$GUILD_HOME/runs/$B/.guild/attrs/label" \
    2>/dev/null)" = ""

# Pull with filters.
rm -rf "$GUILD_HOME/runs"/*
EXPECT_STDIN=/dev/null expect_exact "pull -l: the remote's runs, filtered" - -- \
    normed guild pull box -y -l there <<'EOF'
Copied 1 run(s) from box
EOF
ok "pull: only that run is here" test "$(ls "$GUILD_HOME/runs")" = "$B"
expect_exact "pull: the pulled run is listed" - -- guild runs <<'EOF'
[0:bbbbbbbb]  ./fashion:train  2020-09-13 12:28:20  error  there
EOF
ok "pull all" quiet guild pull box -y
ok "... three runs here" test "$(ls "$GUILD_HOME/runs" | wc -l)" -eq 3
echo mine > "$GUILD_HOME/runs/$A/local-only"
ok "pull without --delete keeps local files" quiet guild pull box -y $A
ok "... still there" test -f "$GUILD_HOME/runs/$A/local-only"
ok "pull -d deletes local files missing there" quiet guild pull box -d -y $A
ok "... gone" test ! -e "$GUILD_HOME/runs/$A/local-only"

# A run still running there: LOCK.remote here until a pull brings its end.
D=dddddddd000000000000000000000004
RUNS_SAVE=$GUILD_HOME
GUILD_HOME=$RHOME mkrun $D train 1600000300 -
GUILD_HOME=$RUNS_SAVE
sleep 600 &
live=$!
printf '%s' "$live" > "$RHOME/runs/$D/.guild/LOCK"
ok "pull of a run running there" quiet guild pull box -y $D
ok "... carries LOCK.remote" test "$(cat "$GUILD_HOME/runs/$D/.guild/LOCK.remote")" = box
ok "... no LOCK of the remote's" test ! -e "$GUILD_HOME/runs/$D/.guild/LOCK"
expect_exact "... and shows running" - -- \
    sh -c '"$GUILD" runs | grep dddddddd | sed "s/ *\$//"' <<'EOF'
[0:dddddddd]  ./fashion:train  2020-09-13 12:31:40  running
EOF
printf '0\n' > "$RHOME/runs/$D/.guild/attrs/exit_status"
rm -f "$RHOME/runs/$D/.guild/LOCK"
kill "$live"
ok "pull after it ended there" quiet guild pull box -y $D
ok "... LOCK.remote is gone" test ! -e "$GUILD_HOME/runs/$D/.guild/LOCK.remote"
expect_exact "... and it shows completed" - -- \
    sh -c '"$GUILD" runs | grep dddddddd | sed "s/ *\$//"' <<'EOF'
[0:dddddddd]  ./fashion:train  2020-09-13 12:31:40  completed
EOF

done_testing
