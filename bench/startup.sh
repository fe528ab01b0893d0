#!/bin/sh
# bench/startup.sh: what a guild command costs before it does anything,
# against a bare C program's start on the same machine.
#
#	sh bench/startup.sh [GUILD] [N] [ITERATIONS]
#
# GUILD defaults to build/guild, N (runs in the home) to 10000,
# ITERATIONS to 300. A bare C program (main returns 0, linked with the C
# library only) is compiled here; then it and each command are run
# ITERATIONS times (hyperfine -N when installed, else a loop of date
# +%s%N) and the median per call is printed with the ratio and the
# difference against the bare program:
#
#	guild --version		nothing but start and exit
#	guild ops		a one-model guild.yml in the current directory
#	guild runs		the 20 newest of N runs, the index warm
#
# The runs are made as bench/runs.sh makes them (two real runs cloned by
# bench/clone-runs.c). The target: every command within 1 ms of the bare
# program. On a busy machine the figures wander: run it twice.
#
# Beside the figures it prints the shared libraries guild loads at start
# (ldd), and GUILD_BASELINE=OTHER_GUILD adds another build's figures for
# the same commands.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
guild=${1:-$here/../build/guild}
n=${2:-10000}
iter=${3:-300}
guild=$(cd "$(dirname "$guild")" && pwd)/$(basename "$guild")
baseline=${GUILD_BASELINE:-}
if [ -n "$baseline" ]; then
	baseline=$(cd "$(dirname "$baseline")" && pwd)/$(basename "$baseline")
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guild-bench-startup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

printf 'int main(void) { return 0; }\n' > "$tmp/bare.c"
${CC:-cc} -O2 -o "$tmp/bare" "$tmp/bare.c"
cc -O2 -o "$tmp/clone-runs" "$here/clone-runs.c"
have_hyperfine=false
command -v hyperfine > /dev/null 2>&1 && have_hyperfine=true

now_ns()
{
	date +%s%N
}

# measure ARGV...: median milliseconds per call, output discarded, and
# the mean CPU time (user + system) per call, or "-" without hyperfine: on
# a busy machine the CPU time wanders less than the wall time.
measure()
{
	if $have_hyperfine; then
		hyperfine -N --style none --warmup 10 --runs "$iter" \
		    --export-json "$tmp/hf.json" -- "$*" > /dev/null 2>&1
		awk -F'[:,]' '/"(median|user|system)":/ && !seen[$1]++ {
		    gsub(/[ "]/, "", $1); v[$1] = $2 * 1000 }
		    END { printf "%.2f %.2f\n", v["median"],
			v["user"] + v["system"] }' "$tmp/hf.json"
		return
	fi
	: > "$tmp/times"
	_i=0
	"$@" > /dev/null 2>&1 || true
	while [ $_i -lt "$iter" ]; do
		_t0=$(now_ns)
		"$@" > /dev/null 2>&1 || true
		_t1=$(now_ns)
		echo $((_t1 - _t0)) >> "$tmp/times"
		_i=$((_i + 1))
	done
	sort -n "$tmp/times" | awk '{ v[NR] = $1 } END {
	    printf "%.2f -\n", v[int((NR + 1) / 2)] / 1e6 }'
}

# report NAME "MS CPU": the figures, and the wall time's ratio to the bare
# program's and difference in milliseconds.
report()
{
	echo "$2" | awk -v name="$1" -v bare="$bare_ms" '{
	    printf "  %-28s %7.2f ms  ratio %5.2f  %+6.2f ms  (cpu %s ms)\n",
		name, $1, (bare > 0 ? $1 / bare : 0), $1 - bare, $2 }'
}

home=$tmp/home
proj=$tmp/proj
mkdir -p "$home" "$proj"
export GUILD_HOME="$home"
cat > "$proj/guild.yml" <<'EOF'
model: fashion
description: Basic fashion MNIST image classifier
operations:
  train:
    description: Train classifier from scratch
    exec: "sh -c 'echo loss: 0.5; echo acc: 0.7'"
    flags:
      lr: 0.01
      epochs: 5
  evaluate:
    description: Evaluate a trained classifier
    exec: "sh -c 'echo loss: 0.3; echo acc: 0.8'"
    flags:
      lr: 0.01
EOF
cd "$proj"
"$guild" run -y train > /dev/null
"$guild" run -y evaluate > /dev/null
train_run=$(grep -l ' train$' "$home"/runs/*/.guild/opref | head -n 1)
eval_run=$(grep -l ' evaluate$' "$home"/runs/*/.guild/opref | head -n 1)
train_run=${train_run%/.guild/opref}
eval_run=${eval_run%/.guild/opref}
mkdir "$tmp/templates"
mv "$train_run" "$eval_run" "$tmp/templates/"
rm -rf "$home/cache"
"$tmp/clone-runs" "$home/runs" "$n" "$(($(date +%s) * 1000000))" \
    "$tmp/templates/$(basename "$train_run")" \
    "$tmp/templates/$(basename "$eval_run")"
"$guild" runs > /dev/null 2>&1	# builds the index: warm from here on

echo "libraries loaded at start ($guild):"
ldd "$guild" | awk '{ print "  " $1 }' | tr '\n' ' '
echo
echo "median of $iter calls; ratio and difference against the bare program:"
bare=$(measure "$tmp/bare")
bare_ms=${bare%% *}
report "bare C program" "$bare"
for g in "$guild" $baseline; do
	[ "$g" = "$guild" ] || echo "baseline $g:"
	report "guild --version" "$(measure "$g" --version)"
	report "guild ops" "$(measure "$g" ops)"
	report "guild runs ($n runs)" "$(measure "$g" runs)"
done
