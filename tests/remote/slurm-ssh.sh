#!/bin/sh
# slurm-ssh.sh: a Slurm remote with a host: sbatch, squeue and scancel on
# the login node, reached over ssh (a real sshd, sshd-lib.sh, in front of
# a one-node cluster of the test's own, slurm-lib.sh: "the login node" is
# this machine, its Guild home another directory than ours). remote
# status (controller and partitions, with and without a host, and a
# controller that does not answer); run -r with live output and the
# finished run pulled, in three round trips; a failing job; a batch as
# one array job; stop -r of a pending and of a running job; runs -r.

. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"
. "$top_srcdir/tests/slurm-lib.sh"
. "$top_srcdir/tests/sshd-lib.sh"

slurm_start || skip_all "$SLURM_SKIP"
sshd_start
# Both libraries set a trap: stop both.
trap '_sshd_stop; slurm_stop; rm -rf "$TEST_TMP"' EXIT

RHOME=$TEST_TMP/remote/.guild
# cl_remote NAME [SETTING...]: the test's sshd as a Slurm remote.
cl_remote()
{
	_cr_name=$1
	shift
	sshd_remote "$_cr_name" 'poll-interval: 1' "env: {SLURM_CONF: $SLURM_CONF}" \
	    'init: "RUN_INIT=from-init; export RUN_INIT"' "$@" |
	    sed 's/type: ssh/type: slurm/'
}
mkdir -p "$GUILD_HOME"
{
	echo "remotes:"
	cl_remote cl
	cl_remote held 'sbatch-args: [--hold]'
	printf '  here:\n    type: slurm\n    guild-home: %s\n' "$TEST_TMP/here"
	printf '  down:\n    type: slurm\n    env: {SLURM_CONF: %s}\n' \
	    "$TEST_TMP/nonexistent/slurm.conf"
} > "$GUILD_HOME/config.yml"
proj=$(make_project proj <<'EOF'
hello:
  exec: sh -c 'echo "hello ${name} ($RUN_INIT)"; echo data > out.txt'
  flags:
    name: world
fail:
  exec: sh -c 'echo failing; exit 3'
sleeper:
  exec: sh -c 'echo started; exec sleep 600'
EOF
)
cd "$proj" || exit 1

sshd_log_calls
# slurm_out COMMAND...: its output with job numbers as <job>, without
# pending notes (the scheduler's business).
slurm_out()
{
	"$@" > "$TEST_TMP/so" 2>&1
	_so=$?
	grep -v ' is pending (' "$TEST_TMP/so" |
	    sed -e 's/Slurm \(array \)\{0,1\}job [0-9][0-9]*/Slurm \1job <job>/' \
		-e 's/watch [0-9a-f]\{8\} /watch <id> /'
	return $_so
}

rrun()
{
	ls "$RHOME/runs" | grep "^$1"
}

# --- remote status: the controller and the partitions

guild remote status cl > "$TEST_TMP/st" 2>&1
ok "remote status cl: exit 0" test $? -eq 0
ok "... reachable over ssh" grep -q '^cl (127.0.0.1) is available$' "$TEST_TMP/st"
ok "... the controller answers" \
    grep -q '^Slurm controller: Slurmctld(primary) at .* is UP$' \
    "$TEST_TMP/st"
ok "... the partitions, from sinfo" grep -q '^debug\* *up ' "$TEST_TMP/st"
guild remote status here > "$TEST_TMP/st" 2>&1
ok "remote status of a Slurm remote without a host: exit 0" test $? -eq 0
ok "... this machine, controller and partitions" \
    sh -c "grep -q '^here (localhost) is available (this machine)$' '$TEST_TMP/st' &&
	grep -q '^Slurm controller: .* is UP$' '$TEST_TMP/st' &&
	grep -q '^debug\*' '$TEST_TMP/st'"
guild remote status down > "$TEST_TMP/st" 2>&1
ok "a controller that does not answer: exit 1" test $? -eq 1
ok "... says so in one line" sh -c "tail -n 1 '$TEST_TMP/st' |
    grep -q '^guild: remote down: the Slurm controller does not answer: .'"

# --- run -r: submitted there, followed, pulled; three round trips

: > "$TEST_TMP/ssh.log"
expect_output "run -r: submitted there, its output, its end" - -- \
    slurm_out guild run -y -r cl hello name=slurm <<'EOF'
Run <id> submitted to cl as Slurm job <job>
hello slurm (from-init)
Run <id> stopped with a status of 'completed'
EOF
ok "run -r took three round trips" test "$(sshd_round_trips)" -eq 3
id=$(ls "$GUILD_HOME/runs")
ok "the run is a job there" test -s "$RHOME/runs/$id/.guild/attrs/slurm_job_id"
ok "... it ran there, in the remote's Guild home" \
    test -f "$RHOME/runs/$id/out.txt"
ok "the finished run is pulled here" test -f "$GUILD_HOME/runs/$id/out.txt"
ok "... completed here, no LOCK.remote" \
    sh -c '"$GUILD" runs | grep -q "hello.*completed" &&
	! test -e "$GUILD_HOME/runs/'"$id"'/.guild/LOCK.remote"'
ok "runs -r lists it there" \
    sh -c '"$GUILD" runs -r cl | grep -q "'"$(echo "$id" | cut -c1-8)"'.*hello.*completed"'

# --- a failing job

slurm_out guild run -y -r cl fail > "$TEST_TMP/fail" 2>&1
ok "a failing job: run -r exits with its status" test $? -eq 3
ok "... its output and its end" \
    sh -c "grep -q '^failing' '$TEST_TMP/fail' &&
	grep -q \"stopped with a status of 'error'\" '$TEST_TMP/fail'"
ok "... error here too" sh -c '"$GUILD" runs -n 1 | grep -q "fail.*error"'

# --- a batch: one array job there

slurm_out guild run -y -r cl hello 'name=[a,b]' > "$TEST_TMP/batch" 2>&1
ok "batch: exit 0" test $? -eq 0
ok "... one array job" grep -q \
    '^Batch [0-9a-f]* (2 trials) submitted to cl as Slurm array job <job>$' \
    "$TEST_TMP/batch"
expect_output "... every trial's output" - -- \
    sh -c "grep '^hello' '$TEST_TMP/batch' | sort" <<'EOF'
hello a (from-init)
hello b (from-init)
EOF
expect_output "... the trials pulled here, completed" - -- \
    sh -c '"$GUILD" runs -s | grep "name=[ab]" | sed "s/^\[[0-9]\]  //; s/  */ /g" | sort' <<'EOF'
./hello completed name=a
./hello completed name=b
EOF

# --- stop -r of a pending job (held), -yr as one cluster

slurm_out guild run -y -r held -n sleeper > "$TEST_TMP/held" 2>&1
ok "run -r -n on a held remote: exit 0" test $? -eq 0
hid=$(sed -n 's/^Run \([0-9a-f]*\) submitted.*/\1/p' "$TEST_TMP/held")
ok "... the run is pending there" \
    sh -c '"$GUILD" runs -r held | grep -q "sleeper.*pending"'
ok "stop -yr held: the pending job is cancelled" quiet guild stop -yr held "$hid"
ok "... terminated there" wait_for 120 \
    sh -c '"$GUILD" runs -r held | grep -q "sleeper.*terminated"'
ok "... with an exit status" test -s "$RHOME/runs/$hid/.guild/attrs/exit_status"
ok "pull of the ended run" quiet guild pull held -y "$hid"
ok "... terminated here" \
    sh -c '"$GUILD" runs | grep "sleeper" | grep -q terminated'

# --- a job cancelled behind guild's back, then pulled: the pull asks
# Slurm there first, so the run is not left pending here

slurm_out guild run -y -r held -n sleeper > "$TEST_TMP/held2" 2>&1
cid=$(sed -n 's/^Run \([0-9a-f]*\) submitted.*/\1/p' "$TEST_TMP/held2")
cjob=$(tr -dc 0-9 < "$RHOME/runs/$cid/.guild/attrs/slurm_job_id")
ok "a held job to cancel by hand" test -n "$cjob"
scancel "$cjob"
ok "... Slurm has it cancelled" wait_for 120 \
    sh -c "test \"\$(squeue -h -t all -j $cjob -o %T)\" = CANCELLED"
ok "pull of it, with no command before" quiet guild pull held -y "$cid"
expect_output "... terminated here, with its exit status" - -- \
    sh -c 'cat "$GUILD_HOME/runs/$1/.guild/attrs/exit_status"; "$GUILD" runs info "$1" | grep "^status:"' sh "$cid" <<'EOF'
-15
status: terminated
EOF

# --- stop -r of a running job

slurm_out guild run -y -r cl -n sleeper > "$TEST_TMP/run" 2>&1
sid=$(sed -n 's/^Run \([0-9a-f]*\) submitted.*/\1/p' "$TEST_TMP/run")
ok "a running job" wait_for 120 grep -q '^started' "$RHOME/runs/$sid/.guild/output"
ok "stop -r: the running job is cancelled" quiet guild stop -r cl -y "$sid"
ok "... terminated there" wait_for 120 \
    sh -c '"$GUILD" runs -r cl -n 1 | grep -q "sleeper.*terminated"'

done_testing
