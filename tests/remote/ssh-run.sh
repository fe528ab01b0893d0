#!/bin/sh
# ssh-run.sh: guild run -r on an ssh remote (a real sshd, sshd-lib.sh):
# staged here, started there, its output followed live, the finished run
# pulled; --no-wait and a pull after the run ended there; Ctrl-C
# detaches and says how to re-attach; watch -r and stop -yr there; run -r
# takes three round trips; a batch runs there as a batch run.

. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"
. "$top_srcdir/tests/sshd-lib.sh"

sshd_start
mkdir -p "$GUILD_HOME"
{ echo "remotes:"; sshd_remote box 'init: "RUN_INIT=from-init; export RUN_INIT"'; } \
    > "$GUILD_HOME/config.yml"
RHOME=$TEST_TMP/remote/.guild
proj=$(make_project proj <<'EOF'
hello:
  exec: sh -c 'echo "hello ${name} ($RUN_INIT)"; echo data > out.txt'
  flags:
    name: world
slow:
  exec: sh -c 'echo started; while [ ! -e ${go} ]; do sleep 0.1; done; echo finished; exit ${code}'
  flags:
    go: /nonexistent
    code: 0
EOF
)
cd "$proj" || exit 1
sshd_log_calls

# run -r: staged here, run there, output here, pulled at the end.
expect_output "run -r: the output comes back, the run is pulled" - -- \
    guild run -y -r box hello name=ssh <<'EOF'
hello ssh (from-init)
Run <id> stopped with a status of 'completed'
EOF
id=$(ls "$RHOME/runs")
ok "run -r: three round trips (copy, start and follow, pull)" \
    test "$(sshd_round_trips)" -eq 3
ok "the run ran there (in the remote's Guild home)" \
    test -f "$RHOME/runs/$id/out.txt"
ok "the finished run is here too" test -f "$GUILD_HOME/runs/$id/out.txt"
expect_exact "it is listed here as completed, with its flags" - -- \
    sh -c '"$GUILD" runs | cut -c13- | sed "s/  20[0-9-]* [0-9:]*//"' <<'EOF'
  ./hello  completed  name=ssh
EOF
ok "no staging left in the cache" \
    test -z "$(ls "$GUILD_HOME/cache" | grep remote-stage)"

# A batch: its trials staged here, run there one after another by the
# batch run, each followed in turn; all of them pulled at the end.
: > "$TEST_TMP/ssh.log"
guild run -y -r box hello 'name=[a,b]' > "$TEST_TMP/batch" 2>&1
ok "batch run -r: exit 0" test $? -eq 0
expect_exact "... each trial's output, in turn" - -- \
    grep '^hello' "$TEST_TMP/batch" <<'EOF'
hello a (from-init)
hello b (from-init)
EOF
ok "... three round trips too" test "$(sshd_round_trips)" -eq 3
expect_exact "... the batch and its trials ran there and are here" - -- \
    sh -c '"$GUILD" runs -s | grep "hello.*name=[ab]\|hello+" |
	sed "s/^\[[0-9]\]  //; s/  */ /g" | sort' <<'EOF'
./hello completed name=a
./hello completed name=b
./hello+ completed
EOF
ok "... and there" test "$(ls "$RHOME/runs" | wc -l)" -eq 4

# Live output: the first line arrives while the run waits there.
guild run -y -r box slow go="$TEST_TMP/go" code=3 > "$TEST_TMP/live" 2>&1 &
runner=$!
ok "run -r: output arrives live" wait_for 120 grep -q '^started' "$TEST_TMP/live"
ok "the remote run is running there" \
    sh -c '"$GUILD" runs -r box | grep -q "slow.*running"'
ok "a pull meanwhile" quiet guild pull box -y
ok "... shows it running here" sh -c '"$GUILD" runs | grep -q "slow.*running"'
touch "$TEST_TMP/go"
wait "$runner"
ok "run -r exits 1 for a run that failed there" test $? -eq 1
ok "... its last line came too" grep -q '^finished' "$TEST_TMP/live"
ok "... and its end: error" \
    grep -q "stopped with a status of 'error'" "$TEST_TMP/live"
ok "... the pulled run is no longer running here" \
    sh -c '"$GUILD" runs | grep "slow" | grep -q "error"'
ok "... and has no LOCK.remote" \
    test -z "$(ls "$GUILD_HOME"/runs/*/.guild/LOCK.remote 2>/dev/null)"

# --no-wait, then a pull after the run ended there.
rm -f "$TEST_TMP/go"
guild run -y -r box -n slow go="$TEST_TMP/go" > "$TEST_TMP/nowait" 2>&1
ok "run -r -n returns at once" test $? -eq 0
normalize < "$TEST_TMP/nowait" | sed 's/[0-9a-f]\{8\}/<id>/g' > "$TEST_TMP/got"
cat > "$TEST_TMP/want" <<'EOF'
Run <id> is running on box
To watch use 'guild watch <id> -r box'
EOF
ok "... and says how to watch" diff -u "$TEST_TMP/want" "$TEST_TMP/got"
nid=$(sed -n 's/^Run \([0-9a-f]*\) is running.*/\1/p' "$TEST_TMP/nowait")
ok "... the run is running there" wait_for 120 \
    sh -c '"$GUILD" runs -r box | grep -q "'"$nid"'.*running"'
touch "$TEST_TMP/go"
ok "watch -r follows it to its end" \
    sh -c '"$GUILD" watch -r box '"$nid"' | grep -q finished'
ok "pull after the run ended there" quiet guild pull box -y "$nid"
ok "... completed here" sh -c '"$GUILD" runs | grep "'"$nid"'" | grep -q completed'

# Ctrl-C detaches: the run goes on there.
rm -f "$TEST_TMP/go"
# (A background job of sh starts with Ctrl-C ignored: give it back.)
env --default-signal=INT "$GUILD" run -y -r box slow go="$TEST_TMP/go" \
    > "$TEST_TMP/detach" 2>&1 &
runner=$!
ok "run -r to detach from" wait_for 120 grep -q '^started' "$TEST_TMP/detach"
kill -INT "$runner"
wait "$runner"
ok "Ctrl-C: run -r exits 0" test $? -eq 0
ok "... says how to re-attach" \
    grep -q "To re-attach use 'guild watch [0-9a-f]\{8\} -r box'" \
    "$TEST_TMP/detach"
did=$(sed -n "s/.*guild watch \([0-9a-f]*\) -r box.*/\1/p" "$TEST_TMP/detach")
ok "... the run still runs there" \
    sh -c '"$GUILD" runs -r box | grep -q "'"$did"'.*running"'
ok "stop -yr: -r in a cluster of short options, it stops it there" \
    quiet guild stop -yr box "$did"
ok "... terminated" wait_for 120 \
    sh -c '"$GUILD" runs -r box | grep -q "'"$did"'.*terminated"'

done_testing
