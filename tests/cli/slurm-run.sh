#!/bin/sh
# slurm-run.sh: guild run -r on a Slurm remote without a host (sbatch on
# this machine, as on a login node), against a one-node cluster of the
# test's own (tests/slurm-lib.sh): output followed live, the job script,
# a failing job, a batch as one array job, a pipeline as one job,
# --no-wait and watch -r, and the errors.

. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"
. "$top_srcdir/tests/slurm-lib.sh"

slurm_start || skip_all "$SLURM_SKIP"

proj=$(make_project p <<'EOF'
hello:
  exec: sh -c 'echo hello $0; echo done' ${msg}
  flags:
    msg: world
fail:
  exec: sh -c 'echo failing; exit 3'
both:
  steps:
    - hello msg=one
    - hello msg=two
EOF
)
mkdir -p "$GUILD_HOME"
cat > "$GUILD_HOME/config.yml" <<'EOF'
remotes:
  c:
    type: slurm
    poll-interval: 1
  bad:
    type: slurm
    sbatch-args: [--partition=nope]
EOF
cd "$proj" || exit 1

# slurm_out COMMAND...: COMMAND's output with Slurm job numbers as <job>
# and without the pending notes (whether the scheduler makes a job wait a
# moment is its business).
slurm_out()
{
	"$@" > "$TEST_TMP/so" 2>&1
	_so=$?
	grep -v ' is pending (' "$TEST_TMP/so" |
	    sed -e 's/Slurm \(array \)\{0,1\}job [0-9][0-9]*/Slurm \1job <job>/' \
		-e 's/watch [0-9a-f]\{8\} /watch <id> /'
	return $_so
}

newest()
{
	guild runs -n 1 2>/dev/null | sed -n 's/^\[0:\([0-9a-f]*\)\].*/\1/p'
}

run_id()
{
	ls "$GUILD_HOME/runs" | grep "^$1"
}

job_of()
{
	tr -d "'" < "$GUILD_HOME/runs/$(run_id "$1")/.guild/attrs/slurm_job_id"
}

# --- a run, its output followed live

expect_output "run -r: submitted, output, final status" - -- \
    slurm_out guild run -y -r c hello msg=there <<'EOF'
Run <id> submitted to c as Slurm job <job>
hello there
done
Run <id> stopped with a status of 'completed'
EOF
id=$(newest)
job=$(job_of "$id")
expect_output "runs -r lists it completed" - -- guild runs -r c <<'EOF'
[0:<id>]  ./hello  <time>  completed  msg=there
EOF
ok "the job id is in the run's attrs" test -n "$job"
ok "the job carries the run id in its comment" \
    test "$(squeue -h -t all -j "$job" -o '%k')" = \
    "guild-run:$(run_id "$id")"
ok "the job is named after the run" \
    test "$(squeue -h -t all -j "$job" -o '%j')" = "guild-$id"
ok "Slurm says COMPLETED" \
    test "$(squeue -h -t all -j "$job" -o '%T')" = COMPLETED
ok "the job ran in the run directory" \
    test "$(squeue -h -t all -j "$job" -o '%Z')" = \
    "$GUILD_HOME/runs/$(run_id "$id")"
ok "the job's log is in the run" \
    test -f "$GUILD_HOME/runs/$(run_id "$id")/.guild/slurm-$job.out"

# --- a job that fails

expect_output "a failing job: its exit status" - 3 -- \
    slurm_out guild run -y -r c fail <<'EOF'
Run <id> submitted to c as Slurm job <job>
failing
Run <id> stopped with a status of 'error'
EOF
id=$(newest)
ok "Slurm says FAILED" \
    test "$(squeue -h -t all -j "$(job_of "$id")" -o '%T')" = FAILED
expect_output "runs -r: error" - -- guild runs -r c -n 1 <<'EOF'
[0:<id>]  ./fail  <time>  error
EOF

# --- a batch: one array job, one trial per task

slurm_out guild run -y -r c hello 'msg=[a,b,c]' --parallel 2 \
    > "$TEST_TMP/batch.out" 2>&1
ok "batch: exit 0" test $? -eq 0
expect_output "batch: submitted as one array job" - -- \
    sed -n '/submitted/p' "$TEST_TMP/batch.out" <<'EOF'
Batch <id> (3 trials) submitted to c as Slurm array job <job>
EOF
expect_output "batch: every trial's output" - -- \
    sh -c "grep '^hello' '$TEST_TMP/batch.out' | sort" <<'EOF'
hello a
hello b
hello c
EOF
# The trials start in the order Slurm gives them.
expect_output "batch: the trials and the batch completed" - -- \
    sh -c "'$GUILD' runs -r c -n 4 -s | sed 's/^\[[0-9]\]  //' | sort" <<'EOF'
./hello   completed  msg=a
./hello   completed  msg=b
./hello   completed  msg=c
./hello+  completed
EOF
bid=$(guild runs -n 4 | sed -n 's/^\[[0-9]:\([0-9a-f]*\)\]  \.\/hello+ .*/\1/p')
bjob=$(job_of "$bid")
expect_output "batch: one array job of three tasks" - -- \
    sh -c "squeue -h -t all -r -j '$bjob' -o '%F %K %T' | sort" <<EOF
$bjob 0 COMPLETED
$bjob 1 COMPLETED
$bjob 2 COMPLETED
EOF
ok "batch: --parallel is the array's throttle" \
    grep -qx "#SBATCH --array=0-2%2" \
    "$GUILD_HOME/runs/$(run_id "$bid")/.guild/slurm.sh"
trial=$(guild runs -n 4 | sed -n 's/^\[[0-9]:\([0-9a-f]*\)\].*msg=c$/\1/p')
ok "batch: the last trial is task 2" \
    test "$(job_of "$trial")" = "${bjob}_2"

# --- a pipeline: one job

njobs=$(squeue -h -t all -o %i | wc -l)
slurm_out guild run -y -r c both > "$TEST_TMP/pipe.out" 2>&1
ok "pipeline: exit 0" test $? -eq 0
expect_output "pipeline: one job runs both steps" - -- \
    grep -v '^INFO' "$TEST_TMP/pipe.out" <<'EOF'
Run <id> submitted to c as Slurm job <job>
hello one
done
hello two
done
Run <id> stopped with a status of 'completed'
EOF
ok "pipeline: one job more" \
    test "$(squeue -h -t all -o %i | wc -l)" -eq $((njobs + 1))
expect_output "pipeline: the steps ran" - -- guild runs -r c -n 3 -s <<'EOF'
[0]  ./hello  completed  msg=two
[1]  ./hello  completed  msg=one
[2]  ./both   completed
EOF

# --- --no-wait, then watch -r

expect_output "--no-wait returns once submitted" - -- \
    slurm_out guild run -y -r c hello msg=later --no-wait <<'EOF'
Run <id> submitted to c as Slurm job <job>
To watch it, use 'guild watch <id> -r c'
EOF
id=$(newest)
expect_output "watch -r follows it to its end" - -- \
    guild watch "$id" -r c <<'EOF'
hello later
done
Run <id> stopped with a status of 'completed'
EOF

# --- errors

expect_output "an unknown remote" - 1 -- guild run -y -r nope hello <<'EOF'
guild: remote nope is not defined (see guild remotes)
EOF
expect_output "--no-wait without a remote" - 1 -- \
    guild run -y hello --no-wait <<'EOF'
guild: --no-wait is for runs on a remote (--remote)
EOF
expect_output "--remote with --stage" - 1 -- \
    guild run -y -r c --stage hello <<'EOF'
guild: --remote cannot be used with --stage
EOF
expect_output "sbatch refuses: its reason, in one line" - 1 -- \
    guild run -y -r bad hello <<'EOF'
guild: remote bad: sbatch: sbatch: error: invalid partition specified: nope
EOF
expect_output "the refused run is left staged, not pending" - -- \
    guild runs -r c -n 1 -s <<'EOF'
[0]  ./hello  staged  msg=world
EOF

done_testing
