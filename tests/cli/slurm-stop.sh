#!/bin/sh
# slurm-stop.sh: runs on a Slurm remote that end early: guild stop -r of a
# pending and of a running job, and jobs cancelled with scancel behind
# guild's back (pending and running), all ending terminated with an exit
# status; a pending job's reason from Slurm. Against a one-node cluster
# of the test's own (tests/slurm-lib.sh).

. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"
. "$top_srcdir/tests/slurm-lib.sh"

slurm_start || skip_all "$SLURM_SKIP"

proj=$(make_project p <<'EOF'
sleeper:
  exec: sh -c 'echo started; exec sleep 600'
EOF
)
mkdir -p "$GUILD_HOME"
# held: every job waits (JobHeldUser) until released or cancelled.
cat > "$GUILD_HOME/config.yml" <<'EOF'
remotes:
  c:
    type: slurm
    poll-interval: 1
  held:
    type: slurm
    sbatch-args: [--hold]
    poll-interval: 1
EOF
cd "$proj" || exit 1

newest()
{
	guild runs -n 1 2>/dev/null | sed -n 's/^\[0:\([0-9a-f]*\)\].*/\1/p'
}

run_dir()
{
	printf '%s/runs/%s\n' "$GUILD_HOME" "$(ls "$GUILD_HOME/runs" | grep "^$1")"
}

job_of()
{
	tr -d "'" < "$(run_dir "$1")/.guild/attrs/slurm_job_id"
}

job_state()
{
	squeue -h -t all -j "$1" -o '%T'
}

status_is()
{
	guild runs -r "$1" -n 1 -s | grep -q "  $2\$"
}

# submit REMOTE: a sleeper submitted without waiting; its id in $id, its
# job in $job.
submit()
{
	guild run -y -r "$1" sleeper --no-wait > "$TEST_TMP/submit.out" 2>&1 ||
	    cat "$TEST_TMP/submit.out" | sed 's/^/# /'
	id=$(newest)
	job=$(job_of "$id")
}

# --- stop of a pending job

submit held
expect_output "held: the run is pending" - -- guild runs -r held -n 1 -s <<'EOF'
[0]  ./sleeper  pending
EOF
ok "Slurm's reason is kept with the run" \
    grep -qx "JobHeldUser" "$(run_dir "$id")/.guild/attrs/slurm_reason"
expect_output "stop -r of a pending job" - -- \
    guild stop -y -r held "$id" <<EOF
Stopping <id> (Slurm job $job)
EOF
ok "Slurm says CANCELLED" test "$(job_state "$job")" = CANCELLED
expect_output "terminated, with an exit status" - -- \
    guild runs -r held -n 1 -s <<'EOF'
[0]  ./sleeper  terminated
EOF
ok "exit status -15" grep -qx -- -15 "$(run_dir "$id")/.guild/attrs/exit_status"
ok "neither pending nor staged any more" \
    test ! -e "$(run_dir "$id")/.guild/PENDING" -a \
    ! -e "$(run_dir "$id")/.guild/STAGED"

# --- stop of a running job

submit c
ok "running: its output shows" \
    wait_for 120 grep -qx started "$(run_dir "$id")/.guild/output"
ok "Slurm says RUNNING" test "$(job_state "$job")" = RUNNING
expect_output "runs -r: running" - -- guild runs -r c -n 1 -s <<'EOF'
[0]  ./sleeper  running
EOF
guild stop -y -r c "$id" > "$TEST_TMP/stop.out" 2>&1
ok "stop -r of a running job: exit 0" test $? -eq 0
ok "stop -r of a running job: it says so" \
    grep -q "^Stopping [0-9a-f]* (Slurm job $job)\$" "$TEST_TMP/stop.out"
ok "stopped: terminated" status_is c terminated
ok "Slurm says CANCELLED (running)" \
    wait_for 120 sh -c "test \"\$(squeue -h -t all -j $job -o %T)\" = CANCELLED"

# --- cancelled behind guild's back

submit held
scancel "$job"
ok "scancel of a pending job: terminated once guild looks" \
    wait_for 120 status_is held terminated
ok "its exit status is written" \
    grep -qx -- -15 "$(run_dir "$id")/.guild/attrs/exit_status"

submit c
ok "running before scancel" \
    wait_for 120 grep -qx started "$(run_dir "$id")/.guild/output"
scancel "$job"
ok "scancel of a running job: terminated" \
    wait_for 120 status_is c terminated

# --- guild run -r follows a job cancelled while it waits

guild run -y -r held sleeper > "$TEST_TMP/follow.out" 2>&1 &
follower=$!
ok "following: the job is submitted" \
    wait_for 120 grep -q 'submitted to held' "$TEST_TMP/follow.out"
ok "following: Slurm's reason is said" \
    wait_for 120 grep -q 'is pending (JobHeldUser)' "$TEST_TMP/follow.out"
id=$(newest)
scancel "$(job_of "$id")"
ok "following: ends once the job is cancelled" \
    wait_for 120 sh -c "! kill -0 $follower"
wait "$follower"
ok "following: exit status of a terminated run" test $? -eq 143
ok "following: says the run was terminated" \
    grep -q "stopped with a status of 'terminated'" "$TEST_TMP/follow.out"

done_testing
