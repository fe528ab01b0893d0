#!/bin/sh
# bench/runs.sh: listing and selecting runs at scale, against the issue's
# targets.
#
#	sh bench/runs.sh [GUILD] [N...]
#
# GUILD defaults to build/guild, N to "10000 100000". For each N, a
# temporary Guild home gets N genuine run directories: two real runs of a
# small project ("guild run"), cloned by bench/clone-runs.c with new ids,
# timestamps, flags, labels, exit statuses and scalars. Then each command
# is timed (hyperfine when installed, else a loop of date +%s%N; the
# median of several runs) and printed with its target and the ratio
# figure/target (below 1 is within the target):
#
#	first listing after the index was deleted (a full rebuild)
#	guild runs			20 newest of N
#	guild runs -a > /dev/null	all N
#	guild runs info			the newest run's info
#	guild ls			the newest run's files
#	guild runs -o eval		filtered by operation
#	guild runs -F 'loss < 0.05'	a filter expression over scalars (the
#					first one loads every run's scalars)
#
# 100,000 runs take about 1 GB of disk (files shared by every run are hard
# links) and a few minutes to create; the home is removed at the end.
#
# GUILD_BENCH_EVENTS=1 gives every run TensorBoard event files (one in
# logs/train/, one at its root) besides its own scalars.
#
# GUILD_BASELINE=OTHER_GUILD measures another build (an older commit, say)
# on the same runs, with its own index (its home's runs directory is a link
# to the same runs), and adds its figure and the ratio new/baseline to each
# line: "ratio" above 1 is slower than the baseline.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
guild=${1:-$here/../build/guild}
[ $# -gt 0 ] && shift
sizes=${*:-10000 100000}
guild=$(cd "$(dirname "$guild")" && pwd)/$(basename "$guild")
baseline=${GUILD_BASELINE:-}
if [ -n "$baseline" ]; then
	baseline=$(cd "$(dirname "$baseline")" && pwd)/$(basename "$baseline")
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guild-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

cc -O2 -o "$tmp/clone-runs" "$here/clone-runs.c"
have_hyperfine=false
command -v hyperfine > /dev/null 2>&1 && have_hyperfine=true

now_ns()
{
	date +%s%N
}

# measure RUNS PREPARE COMMAND: median milliseconds of COMMAND (a shell
# command line, output discarded), PREPARE run before each (or "").
measure()
{
	_runs=$1
	_prep=$2
	_cmd=$3
	if $have_hyperfine; then
		if [ -n "$_prep" ]; then
			hyperfine -N --style none --runs "$_runs" \
			    --prepare "$_prep" --export-csv "$tmp/hf.csv" \
			    -- "$_cmd" > /dev/null 2>&1 ||
			hyperfine --style none --runs "$_runs" \
			    --prepare "$_prep" --export-csv "$tmp/hf.csv" \
			    -- "$_cmd" > /dev/null
		else
			hyperfine -N --style none --warmup 2 --runs "$_runs" \
			    --export-csv "$tmp/hf.csv" -- "$_cmd" \
			    > /dev/null 2>&1 ||
			hyperfine --style none --warmup 2 --runs "$_runs" \
			    --export-csv "$tmp/hf.csv" -- "$_cmd" > /dev/null
		fi
		awk -F, 'NR == 2 { printf "%.1f\n", $4 * 1000 }' "$tmp/hf.csv"
		return
	fi
	: > "$tmp/times"
	_i=0
	[ -n "$_prep" ] || sh -c "$_cmd" > /dev/null 2>&1
	while [ $_i -lt "$_runs" ]; do
		[ -z "$_prep" ] || sh -c "$_prep"
		_t0=$(now_ns)
		sh -c "$_cmd" > /dev/null 2>&1
		_t1=$(now_ns)
		echo $(((_t1 - _t0) / 1000)) >> "$tmp/times"
		_i=$((_i + 1))
	done
	sort -n "$tmp/times" | awk '{ v[NR] = $1 } END {
	    printf "%.1f\n", v[int((NR + 1) / 2)] / 1000 }'
}

# once COMMAND: milliseconds of one run, without warming up.
once()
{
	_t0=$(now_ns)
	sh -c "$1" > /dev/null 2>&1
	_t1=$(now_ns)
	awk -v d=$((_t1 - _t0)) 'BEGIN { printf "%.1f\n", d / 1e6 }'
}

# report NAME MS TARGET_MS [BASELINE_MS] (target 0: none)
report()
{
	if [ "$3" -gt 0 ]; then
		printf '  %-44s %9s ms  target %5s ms  ratio %s' "$1" "$2" \
		    "$3" "$(awk -v a="$2" -v b="$3" \
		    'BEGIN { printf "%.2f", a / b }')"
	else
		printf '  %-44s %9s ms' "$1" "$2"
	fi
	if [ $# -ge 4 ]; then
		printf '  baseline %9s ms  ratio %s' "$4" "$(awk -v a="$2" \
		    -v b="$4" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
	fi
	printf '\n'
}

# bench NAME RUNS TARGET ARGS: time "guild ARGS" (RUNS times; 1: once,
# cold) and report it, with the baseline's figure when there is one. In
# ARGS, @HOME@ is the Guild home of the build being measured.
bench()
{
	_b_name=$1
	_b_runs=$2
	_b_target=$3
	_b_args=$4
	_b_prep=
	case $_b_args in
	"@REBUILD@ "*)
		_b_args=${_b_args#@REBUILD@ }
		_b_prep="rm -rf @HOME@/cache"
		;;
	esac
	set -- "$(bench_one "$guild" "$home")"
	if [ -n "$baseline" ]; then
		report "$_b_name" "$1" "$_b_target" \
		    "$(bench_one "$baseline" "$bhome")"
	else
		report "$_b_name" "$1" "$_b_target"
	fi
}

# bench_one GUILD HOME: one figure of the current bench().
bench_one()
{
	_bo_cmd="$1 -H $2 $(echo "$_b_args" | sed "s|@HOME@|$2|g")"
	_bo_prep=$(echo "$_b_prep" | sed "s|@HOME@|$2|g")
	if [ "$_b_runs" -eq 1 ]; then
		once "$_bo_cmd"
	else
		measure "$_b_runs" "$_bo_prep" "$_bo_cmd"
	fi
}

for n in $sizes; do
	home=$tmp/home-$n
	proj=$tmp/proj-$n
	mkdir -p "$home" "$proj"
	export GUILD_HOME="$home"
	cat > "$proj/guild.yml" <<'EOF'
model: fashion
operations:
  train:
    exec: "sh -c 'echo loss: 0.5; echo acc: 0.7; echo loss: 0.25'"
    flags:
      lr: 0.01
      epochs: 5
  eval:
    exec: "sh -c 'echo loss: 0.3; echo acc: 0.8'"
    flags:
      lr: 0.01
      epochs: 1
EOF
	cd "$proj"
	"$guild" run -y train > /dev/null
	"$guild" run -y eval > /dev/null
	train_run=$(grep -l ' train$' "$home"/runs/*/.guild/opref | head -n 1)
	eval_run=$(grep -l ' eval$' "$home"/runs/*/.guild/opref | head -n 1)
	train_run=${train_run%/.guild/opref}
	eval_run=${eval_run%/.guild/opref}
	mkdir "$tmp/templates-$n"
	mv "$train_run" "$eval_run" "$tmp/templates-$n/"
	rm -rf "$home/cache"
	t0=$(now_ns)
	[ -n "${GUILD_BENCH_EVENTS:-}" ] && export CLONE_EVENTS=1
	"$tmp/clone-runs" "$home/runs" "$n" "$(($(date +%s) * 1000000))" \
	    "$tmp/templates-$n/$(basename "$train_run")" \
	    "$tmp/templates-$n/$(basename "$eval_run")"
	t1=$(now_ns)
	echo "$n runs (created in $(((t1 - t0) / 1000000)) ms):"

	bhome=$tmp/home-baseline-$n
	if [ -n "$baseline" ]; then
		mkdir -p "$bhome"
		ln -s "$home/runs" "$bhome/runs"
	fi
	big=false
	[ "$n" -ge 50000 ] && big=true
	t=20
	$big && t=50
	bench "first listing, index deleted (rebuild)" 3 0 "@REBUILD@ runs"
	bench "guild runs" 20 $t "runs"
	if $big; then
		bench "guild runs -a > /dev/null" 5 1000 "runs -a"
	else
		bench "guild runs -a > /dev/null" 5 0 "runs -a"
	fi
	t=0
	$big && t=50
	bench "guild runs info" 20 $t "runs info"
	bench "guild ls" 20 $t "ls"
	bench "guild runs -o eval (filtered)" 20 $t "runs -o eval"
	bench "guild runs -Fl 'lr=0.05' -Sc (filtered)" 20 $t \
	    "runs -Fl lr=0.05 -Sc"
	bench "guild runs -Ft best (filtered)" 20 $t "runs -Ft best"
	bench "first guild runs -F (loads every scalar)" 1 0 \
	    "runs -F 'loss < 0.05'"
	bench "guild runs -F 'loss < 0.05' (filtered)" 10 $t \
	    "runs -F 'loss < 0.05'"
	bench "guild runs info 5000 (far back)" 20 $t "runs info 5000"
	bench "first guild compare (index deleted)" 3 0 \
	    "@REBUILD@ compare --table"
	bench "guild compare > /dev/null" 5 0 "compare --table"
	cd "$tmp"
	rm -rf "$home" "$bhome" "$proj" "$tmp/templates-$n"
done
