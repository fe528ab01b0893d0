#!/bin/sh
# bench/remote.sh: what `guild run -r` costs on a Slurm remote, against
# the same job submitted with sbatch by hand and against a local run.
#
#	sh bench/remote.sh [GUILD] [ITERATIONS] [N]
#
# GUILD defaults to build/guild, ITERATIONS to 5, N to 1000. It starts a
# one-node Slurm cluster of its own (tests/slurm-lib.sh: root, slurm-wlm
# and munge), then times, from the command's start to the job's end:
#
#	sbatch by hand	sbatch --parsable --wrap of the same command, then
#			squeue every 50 ms until the job is COMPLETED
#	guild run -r	guild run -y -r c hello: staged, submitted, followed
#			until it ends (poll-interval 1)
#	guild run	guild run -y hello on this machine
#
# and `guild runs -r c` (the refresh: one squeue, a look at every run)
# against `guild runs` over N runs cloned from one Slurm run
# (bench/clone-runs.c). It prints the mean and the best of each, and the
# ratios. Most of a Slurm job's time is the scheduler's: on a busy
# machine the figures wander, so run it twice.
set -u

here=$(cd "$(dirname "$0")" && pwd)
guild=${1:-$here/../build/guild}
iter=${2:-5}
n=${3:-1000}
guild=$(cd "$(dirname "$guild")" && pwd)/$(basename "$guild")
top_srcdir=$(cd "$here/.." && pwd)
GUILD=$guild
export GUILD

. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/slurm-lib.sh"

slurm_start || { echo "bench/remote.sh: $SLURM_SKIP" >&2; exit 1; }

proj=$TEST_TMP/p
mkdir -p "$proj" "$GUILD_HOME"
cat > "$proj/guild.yml" <<'EOF'
hello:
  exec: sh -c 'echo hello'
EOF
cat > "$GUILD_HOME/config.yml" <<'EOF'
remotes:
  c:
    type: slurm
    poll-interval: 1
EOF
cd "$proj" || exit 1

now_ms()
{
	echo $(($(date +%s%N) / 1000000))
}

completed()
{
	[ "$(squeue -h -t all -j "$1" -o %T)" = COMPLETED ]
}

by_hand()
{
	_j=$(sbatch --parsable --chdir="$TEST_TMP" \
	    --output="$TEST_TMP/hand-%j.out" --wrap "sh -c 'echo hello'") ||
	    return 1
	until completed "$_j"; do
		sleep 0.05
	done
}

remote_run()
{
	"$GUILD" run -y -r c hello > /dev/null 2>&1
}

local_run()
{
	"$GUILD" run -y hello > /dev/null 2>&1
}

remote_list()
{
	"$GUILD" runs -r c > /dev/null 2>&1
}

local_list()
{
	"$GUILD" runs > /dev/null 2>&1
}

# measure NAME ITER FUNCTION: "NAME MEAN BEST" in milliseconds.
measure()
{
	_name=$1
	_k=$2
	shift 2
	_sum=0
	_best=
	_i=0
	while [ "$_i" -lt "$_k" ]; do
		_t0=$(now_ms)
		"$@" || { echo "bench/remote.sh: $_name failed" >&2; exit 1; }
		_dt=$(($(now_ms) - _t0))
		_sum=$((_sum + _dt))
		if [ -z "$_best" ] || [ "$_dt" -lt "$_best" ]; then
			_best=$_dt
		fi
		_i=$((_i + 1))
	done
	echo "$_name $((_sum / _k)) $_best"
}

# One of each first: the scheduler's and the caches' first time.
by_hand && remote_run && local_run

{
	measure hand "$iter" by_hand
	measure remote "$iter" remote_run
	measure local "$iter" local_run
} > "$TEST_TMP/times"

cc -O2 -o "$TEST_TMP/clone-runs" "$here/clone-runs.c" || exit 1
tmpl=$(ls -d "$GUILD_HOME"/runs/* | while read -r d; do
	[ -f "$d/.guild/attrs/slurm_job_id" ] && echo "$d" && break
done)
"$TEST_TMP/clone-runs" "$GUILD_HOME/runs" "$n" \
    "$(($(date +%s) * 1000000))" "$tmpl" > /dev/null || exit 1
local_list && remote_list
{
	measure "runs" 10 local_list
	measure "runs-r" 10 remote_list
} >> "$TEST_TMP/times"

awk -v n="$n" '
	{ mean[$1] = $2; best[$1] = $3 }
	function row(label, k) {
		printf "%-34s %8d ms %8d ms\n", label, mean[k], best[k]
	}
	function ratio(a, b) { return mean[b] > 0 ? mean[a] / mean[b] : 0 }
	END {
		printf "%-34s %11s %11s\n", "", "mean", "best"
		row("sbatch by hand (to COMPLETED)", "hand")
		row("guild run -r (submit + follow)", "remote")
		row("guild run (local)", "local")
		row("guild runs (" n " runs)", "runs")
		row("guild runs -r (" n " runs)", "runs-r")
		printf "\nguild run -r / sbatch by hand:  %.2fx (%+d ms)\n",
		    ratio("remote", "hand"), mean["remote"] - mean["hand"]
		printf "guild run -r / guild run:       %.2fx (%+d ms)\n",
		    ratio("remote", "local"), mean["remote"] - mean["local"]
		printf "guild runs -r / guild runs:     %.2fx (%+d ms)\n",
		    ratio("runs-r", "runs"), mean["runs-r"] - mean["runs"]
	}' "$TEST_TMP/times"
