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
set -eu

here=$(cd "$(dirname "$0")" && pwd)
guild=${1:-$here/../build/guild}
[ $# -gt 0 ] && shift
sizes=${*:-10000 100000}
guild=$(cd "$(dirname "$guild")" && pwd)/$(basename "$guild")
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

# report NAME MS TARGET_MS (0: no target, just the figure)
report()
{
	if [ "$3" -gt 0 ]; then
		printf '  %-44s %9s ms  target %5s ms  ratio %s\n' "$1" "$2" \
		    "$3" "$(awk -v a="$2" -v b="$3" \
		    'BEGIN { printf "%.2f", a / b }')"
	else
		printf '  %-44s %9s ms\n' "$1" "$2"
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
	"$tmp/clone-runs" "$home/runs" "$n" "$(($(date +%s) * 1000000))" \
	    "$tmp/templates-$n/$(basename "$train_run")" \
	    "$tmp/templates-$n/$(basename "$eval_run")"
	t1=$(now_ns)
	echo "$n runs (created in $(((t1 - t0) / 1000000)) ms):"

	big=false
	[ "$n" -ge 50000 ] && big=true
	report "first listing, index deleted (rebuild)" \
	    "$(measure 3 "rm -rf $home/cache" "$guild runs")" 0
	if $big; then
		target=50
	else
		target=20
	fi
	report "guild runs" "$(measure 20 "" "$guild runs")" $target
	if $big; then
		report "guild runs -a > /dev/null" \
		    "$(measure 5 "" "$guild runs -a")" 1000
	else
		report "guild runs -a > /dev/null" \
		    "$(measure 5 "" "$guild runs -a")" 0
	fi
	t=0
	$big && t=50
	report "guild runs info" "$(measure 20 "" "$guild runs info")" $t
	report "guild ls" "$(measure 20 "" "$guild ls")" $t
	report "guild runs -o eval (filtered)" \
	    "$(measure 20 "" "$guild runs -o eval")" $t
	report "guild runs -Fl 'lr=0.05' -Sc (filtered)" \
	    "$(measure 20 "" "$guild runs -Fl lr=0.05 -Sc")" $t
	report "first guild runs -F (loads every scalar)" \
	    "$(once "$guild runs -F 'loss < 0.05'")" 0
	report "guild runs -F 'loss < 0.05' (filtered)" \
	    "$(measure 10 "" "$guild runs -F 'loss < 0.05'")" $t
	report "guild runs info 5000 (far back)" \
	    "$(measure 20 "" "$guild runs info 5000")" $t
	cd "$tmp"
	rm -rf "$home" "$proj" "$tmp/templates-$n"
done
