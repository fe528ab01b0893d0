#!/bin/sh
# bench/output.sh: output throughput of `guild run` against the same
# program run in a bare pseudo-terminal (bench/barepty.c), and guild's
# peak memory, for text with scalars, binary bytes and one huge line.
#
#	sh bench/output.sh [GUILD] [MEGABYTES]
#
# GUILD defaults to build/guild, MEGABYTES (per input) to 200. Prints one
# line per input: sizes, seconds, MB/s, the ratio guild/bare and guild's
# maximum resident set size.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
guild=${1:-$here/../build/guild}
mb=${2:-200}
guild=$(cd "$(dirname "$guild")" && pwd)/$(basename "$guild")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guild-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cc -O2 -o "$tmp/barepty" "$here/barepty.c" -lutil

python3 - "$tmp" "$mb" <<'PY'
import os, random, sys
d, mb = sys.argv[1], int(sys.argv[2])
size = mb * 1024 * 1024
random.seed(1)
with open(os.path.join(d, "text"), "w") as f:
    n, step = 0, 0
    while n < size:
        if step % 10 == 0:
            s = "loss: %.6f (step %d)\naccuracy: %.4f\n" % (random.random(), step, random.random())
        else:
            s = "epoch %d batch %d: processing images and other text of a typical length\n" % (step // 100, step)
        f.write(s)
        n += len(s)
        step += 1
with open(os.path.join(d, "binary"), "wb") as f:
    block = os.urandom(1024 * 1024)
    for _ in range(mb):
        f.write(block)
with open(os.path.join(d, "oneline"), "wb") as f:
    f.write(b"x" * size + b"\n")
PY

mkdir -p "$tmp/project" "$tmp/home"
cat > "$tmp/project/guild.yml" <<'YML'
cat:
  exec: cat ${file}
  flags:
    file: ''
YML

now()
{
	date +%s.%N
}

printf '%-8s %8s %9s %9s %10s %10s %7s %10s\n' input MB bare_s guild_s bare_MB/s guild_MB/s ratio guild_RSS
for input in text binary oneline; do
	f=$tmp/$input
	size=$(wc -c < "$f")
	cat "$f" > /dev/null	# warm the page cache
	t0=$(now)
	"$tmp/barepty" cat "$f" 2> /dev/null
	t1=$(now)
	GUILD_HOME=$tmp/home /usr/bin/time -f '%M' -o "$tmp/rss" \
	    "$guild" -C "$tmp/project" run -y -q cat file="$f"
	t2=$(now)
	rss=$(cat "$tmp/rss")
	got=$(wc -c < "$(ls -td "$tmp"/home/runs/*/ | head -n 1).guild/output")
	if [ "$got" -ne "$size" ]; then
		echo "bench: $input: guild kept $got bytes of $size" >&2
		exit 1
	fi
	awk -v i="$input" -v s="$size" -v a="$t0" -v b="$t1" -v c="$t2" -v r="$rss" 'BEGIN {
		bare = b - a; g = c - b; m = s / 1048576
		printf "%-8s %8.0f %9.3f %9.3f %10.1f %10.1f %7.2f %8.1fMB\n",
		    i, m, bare, g, m / bare, m / g, g / bare, r / 1024
	}'
	rm -rf "$tmp"/home/runs/*
done
