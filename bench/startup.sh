#!/bin/sh
# bench/startup.sh: what a guild command costs before it does anything,
# against a bare C program's start on the same machine.
#
#	sh bench/startup.sh [GUILD] [N] [ITERATIONS]
#
# GUILD defaults to build/guild, N (runs in the home) to 10000,
# ITERATIONS to 300. A bare C program (main returns 0, linked with the C
# library only) is compiled here; then bench/interleave.c runs it and each
# command in turn, call by call, ITERATIONS rounds (after 10 rounds of
# warm-up), so that a swing in the machine's load hits them all alike:
#
#	guild --version		nothing but start and exit
#	guild ops		a one-model guild.yml in the current directory
#	guild runs		the 20 newest of N runs, the index warm (the
#				listing kept in cache/runs-list; a baseline
#				without it reads the index)
#
# Beside them, for reference (not targets): the bare program linked
# statically, as guild is (bare-static); and bench/sqlite-floor.c,
# which opens the run index as guild does (sqlite-open) and reads the
# 20 newest runs' ids from it (sqlite-20-rows), linked with SQLite as
# guild is: the least a "guild runs" that reads the index can cost.
#
# For each it prints the median wall and CPU (user + system) time per call
# and minor page faults, the wall time's ratio to the bare program's, and
# the median over the rounds of the difference against the bare program's
# call in the same round, wall and CPU, in milliseconds. On a busy machine
# the CPU time wanders less than the wall time; the target is every
# command within 1 ms of the bare program.
#
# The runs are made as bench/runs.sh makes them (two real runs cloned by
# bench/clone-runs.c). Beside the figures it prints the shared libraries
# guild loads at start (ldd) and what the dynamic loader did for
# --version (LD_DEBUG=statistics: relocations and time). With
# GUILD_BASELINE="OTHER_GUILD..." other builds' commands join the same
# rounds (an older commit, say), so all are compared under the same load.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
guild=${1:-$here/../build/guild}
n=${2:-10000}
iter=${3:-300}
guild=$(cd "$(dirname "$guild")" && pwd)/$(basename "$guild")
baselines=
for b in ${GUILD_BASELINE:-}; do
	baselines="$baselines $(cd "$(dirname "$b")" && pwd)/$(basename "$b")"
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guild-bench-startup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

printf 'int main(void) { return 0; }\n' > "$tmp/bare.c"
${CC:-cc} -O2 -o "$tmp/bare" "$tmp/bare.c"
refs=
if ${CC:-cc} -O2 -static -no-pie -o "$tmp/bare-static" "$tmp/bare.c" \
    2> /dev/null; then
	refs="-- bare-static $tmp/bare-static"
fi
# SQLite's static archive warns of dlopen() in a static program: the
# floor never loads an extension.
if ${CC:-cc} -O2 -static -no-pie -o "$tmp/sqlite-floor" \
    "$here/sqlite-floor.c" $(pkg-config --static --libs sqlite3) \
    2> /dev/null ||
    ${CC:-cc} -O2 -o "$tmp/sqlite-floor" "$here/sqlite-floor.c" \
    $(pkg-config --libs sqlite3); then
	refs="$refs -- sqlite-open $tmp/sqlite-floor $tmp/home/cache/runs.db open"
	refs="$refs -- sqlite-20-rows $tmp/sqlite-floor $tmp/home/cache/runs.db"
fi
cc -O2 -o "$tmp/clone-runs" "$here/clone-runs.c"
cc -O2 -o "$tmp/interleave" "$here/interleave.c"
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
# A plain listing is kept beside the index (cache/runs-list) by a
# listing that found nothing to change, once the index's files are older
# than the two seconds stamps take to be trusted (runs read while their
# files were that young are read again first): the warm state. The test
# hook GUILD_TEST_INDEX_TRACE says when a listing came from it.
tries=0
while [ $tries -lt 8 ]; do
	sleep 2
	GUILD_TEST_INDEX_TRACE=$tmp/trace "$guild" runs > /dev/null 2>&1
	[ "$(tail -n 1 "$tmp/trace" 2>/dev/null)" = snapshot ] && break
	tries=$((tries + 1))
done

echo "libraries loaded at start ($guild):"
ldd "$guild" | awk '{ print "  " $1 }' | tr '\n' ' '
echo
echo "dynamic loader, guild --version (LD_DEBUG=statistics):"
LD_DEBUG=statistics "$guild" --version 2>&1 > /dev/null |
    sed -n 's/^[[:space:]]*[0-9]*:[[:space:]]*/  /p' |
    grep -E 'total startup time|relocation processing|number of relocations|relocation dependencies|objects loaded' || true

# Each baseline gets a home of its own on the same runs, so that an index
# of another format is not rebuilt at every call.
# shellcheck disable=SC2086 # $refs is words on purpose
set -- bare "$tmp/bare" $refs -- "guild --version" "$guild" --version \
    -- "guild ops" "$guild" ops \
    -- "guild runs ($n runs)" "$guild" -H "$home" runs
i=0
for b in $baselines; do
	i=$((i + 1))
	mkdir "$tmp/home-$i"
	ln -s "$home/runs" "$tmp/home-$i/runs"
	"$b" -H "$tmp/home-$i" runs > /dev/null 2>&1
	echo "baseline $i: $b"
	set -- "$@" -- "baseline $i --version" "$b" --version \
	    -- "baseline $i ops" "$b" ops \
	    -- "baseline $i runs" "$b" -H "$tmp/home-$i" runs
done
echo "median of $iter interleaved calls: wall and CPU time, page faults, the"
echo "ratios to the bare program's, and the median difference against the"
echo "bare program's call in the same round:"
printf '  %-28s %8s %8s %6s %6s %6s %8s %8s\n' "" wall cpu faults \
    "wall" "cpu" "+wall" "+cpu"
"$tmp/interleave" "$iter" 10 "$@" | awk -F '\t' '
NR == 1 { bare = $2; barecpu = $3 }
{
	printf "  %-28s %5.2f ms %5.2f ms %6d %5.2fx %5.2fx %+5.2f ms %+5.2f ms\n",
	    $1, $2, $3, $4, (bare > 0 ? $2 / bare : 0),
	    (barecpu > 0 ? $3 / barecpu : 0), $5, $6
}'
