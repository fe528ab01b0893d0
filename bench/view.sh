#!/bin/sh
# bench/view.sh: guild view at scale, against the issue's targets.
#
#	sh bench/view.sh [GUILD] [N] [MB_PER_S]
#
# GUILD defaults to build/guild, N to 100000, MB_PER_S to 50. The view
# needs a terminal: each measurement runs in a private tmux server
# (120x40), so tmux must be installed.
#
#  1. N runs in a temporary Guild home (bench/clone-runs.c, as
#     bench/runs.sh makes them), the index built by a first "guild runs".
#  2. first screen: wall time of "guild view --exit-after-draw" (exec,
#     terminal set-up, the first page of runs, the first draw), median
#     of 5; target 150 ms.
#  3. cold start: the index deleted, "guild view --bench-load" reads
#     every run again: the time to the first drawn frame (the view shows
#     the runs of a first step of reading, the rest fill in between
#     keys) and to every run read, separately; one sample.
#  4. keys: "guild view --bench-keys 300" applies a pattern filter (which
#     reads every run once: the slowest thing a key does, and only the
#     first time; the time to its first drawn frame and to its complete
#     result), then presses 300 keys in the runs (down, page down,
#     End to the oldest run, Home), timing each with its redraw; target
#     20 ms. Its peak memory (getrusage, and /usr/bin/time when there):
#     target 100 MB. The view reads runs a page at a time and keeps at
#     most 64 pages, so this does not grow with N; a part of it is the
#     run index's database, mapped by SQLite (RssFile).
#  5. following: a run writing MB_PER_S MB/s of timestamped lines for
#     10 s while "guild view --bench-follow 10" follows it: the lag of
#     the newest line on screen behind the run (sampled every 100 ms),
#     the memory, and the rate the run really wrote at.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
guild=${1:-$here/../build/guild}
n=${2:-100000}
rate=${3:-50}
guild=$(cd "$(dirname "$guild")" && pwd)/$(basename "$guild")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guild-bench-view.XXXXXX")
sock=guild-bench-view-$$
cleanup()
{
	tmux -L "$sock" kill-server > /dev/null 2>&1 || true
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

command -v tmux > /dev/null 2>&1 || { echo "bench/view.sh needs tmux"; exit 1; }

now_ns()
{
	date +%s%N
}

# in_terminal COMMAND: run a shell command line in a 120x40 terminal and
# wait for it to end.
in_terminal()
{
	rm -f "$tmp/done"
	tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 \
	    "cd '$PWD' && export GUILD_HOME='$GUILD_HOME' TERM=xterm-256color; $1; touch '$tmp/done'"
	while [ ! -e "$tmp/done" ]; do
		sleep 0.05
	done
	tmux -L "$sock" kill-server > /dev/null 2>&1 || true
}

# report NAME FIGURE UNIT TARGET (0: no target)
report()
{
	if [ "$4" != 0 ]; then
		printf '  %-40s %9s %-3s target %5s %-3s ratio %s\n' "$1" "$2" \
		    "$3" "$4" "$3" "$(awk -v a="$2" -v b="$4" \
		    'BEGIN { printf "%.2f", a / b }')"
	else
		printf '  %-40s %9s %s\n' "$1" "$2" "$3"
	fi
}

# field PATTERN N: the Nth number of the line of $tmp/err matching PATTERN.
field()
{
	grep "$1" "$tmp/err" | head -n 1 | tr -c '0-9.\n' ' ' |
	    awk -v n="$2" '{ print $n }'
}

# 1. The runs.
home=$tmp/home
proj=$tmp/proj
mkdir -p "$home" "$proj"
export GUILD_HOME="$home"
cc -O2 -o "$tmp/clone-runs" "$here/clone-runs.c"
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
  spew:
    exec: python3 .guild/sourcecode/spew.py ${mb} ${seconds}
    flags:
      mb: 50
      seconds: 10
EOF
cat > "$proj/spew.py" <<'EOF'
# Write MB MB/s of lines for SECONDS seconds; each line starts with the
# time it was written, so a reader can tell how far behind it is.
import sys, time
mb, secs = float(sys.argv[1]), float(sys.argv[2])
rate = mb * 1024 * 1024
pad = "x" * 100
out = sys.stdout.buffer
start = time.time()
written = 0
while True:
    now = time.time()
    if now - start >= secs:
        break
    chunk = ("%.3f %s\n" % (now, pad)).encode() * 256
    out.write(chunk)
    out.flush()
    written += len(chunk)
    ahead = written / rate - (time.time() - start)
    if ahead > 0:
        time.sleep(ahead)
print("spew: %.1f MB in %.1f s" % (written / 1048576.0, time.time() - start))
EOF
cd "$proj"
"$guild" run -y train > /dev/null
"$guild" run -y eval > /dev/null
train_run=$(grep -l ' train$' "$home"/runs/*/.guild/opref | head -n 1)
eval_run=$(grep -l ' eval$' "$home"/runs/*/.guild/opref | head -n 1)
mkdir "$tmp/templates"
mv "${train_run%/.guild/opref}" "${eval_run%/.guild/opref}" "$tmp/templates/"
t0=$(now_ns)
"$tmp/clone-runs" "$home/runs" "$n" "$(($(date +%s) * 1000000))" \
    "$tmp"/templates/*
"$guild" runs > /dev/null 2>&1
t1=$(now_ns)
echo "guild view with $n runs (made and indexed in $(((t1 - t0) / 1000000)) ms):"

# 2. The first screen.
: > "$tmp/times"
for i in 1 2 3 4 5; do
	in_terminal "t0=\$(date +%s%N); '$guild' view --exit-after-draw 2> '$tmp/err'; t1=\$(date +%s%N); echo \$(((t1 - t0) / 1000)) >> '$tmp/times'"
done
first=$(sort -n "$tmp/times" | awk '{ v[NR] = $1 } END {
    printf "%.1f", v[int((NR + 1) / 2)] / 1000 }')
report "first screen (wall, median of 5)" "$first" ms 150
report "  of which inside the view" "$(field 'first screen' 1)" ms 0

# 3. Cold start: no index.
rm -f "$home/cache/runs.db" "$home/cache/runs.db-wal" "$home/cache/runs.db-shm"
in_terminal "t0=\$(date +%s%N); '$guild' view --bench-load 2> '$tmp/err'; t1=\$(date +%s%N); echo \$(((t1 - t0) / 1000)) > '$tmp/times'"
report "cold start: first frame (inside the view)" "$(field 'first screen' 1)" ms 150
report "cold start: every run read" "$(field 'every run read' 1)" ms 0
report "  (wall, to the view's exit)" "$(awk '{ printf "%.1f", $1 / 1000 }' \
    "$tmp/times")" ms 0

# 4. Keys and memory with every run read.
if [ -x /usr/bin/time ]; then
	in_terminal "/usr/bin/time -f 'time-rss %M' '$guild' view --bench-keys 300 2> '$tmp/err'"
else
	in_terminal "'$guild' view --bench-keys 300 2> '$tmp/err'"
fi
report "first pattern filter: first frame" "$(field 'first filter' 1)" ms 20
report "first pattern filter: complete" "$(field 'first filter' 2)" ms 0
report "key to redraw, average of 300" "$(field 'key to redraw' 1)" ms 20
report "key to redraw, slowest" "$(field 'key to redraw' 2)" ms 20
report "peak memory" "$(field 'max resident' 1)" MB 100
report "  of which heap (RssAnon)" "$(awk '/RssAnon/ { printf "%.1f", $2 / 1024 }' \
    "$tmp/err")" MB 0
report "  of which mapped files (RssFile)" "$(awk '/RssFile/ { printf "%.1f", $2 / 1024 }' \
    "$tmp/err")" MB 0
if grep -q time-rss "$tmp/err"; then
	report "  (/usr/bin/time)" "$(awk '/time-rss/ { printf "%.1f", $2 / 1024 }' \
	    "$tmp/err")" MB 0
fi

# 5. Following a run that writes fast, in a small home of its own.
export GUILD_HOME="$tmp/home-follow"
mkdir -p "$GUILD_HOME"
"$guild" run -y -b spew mb="$rate" seconds=12 > /dev/null
in_terminal "'$guild' view --bench-follow 10 2> '$tmp/err'"
spew=$(ls "$GUILD_HOME/runs")
while [ ! -e "$GUILD_HOME/runs/$spew/.guild/attrs/exit_status" ]; do
	sleep 0.2
done
bytes=$(stat -c %s "$GUILD_HOME/runs/$spew/.guild/output")
echo "following a run writing $rate MB/s (it wrote $(awk -v b="$bytes" \
    'BEGIN { printf "%.0f MB in 12 s", b / 1048576 }')):"
report "lag of the screen behind the run, average" "$(field 'follow lag' 1)" ms 0
report "lag, worst sample" "$(field 'follow lag' 2)" ms 0
report "redraws in 10 s" "$(field 'follow lag' 4)" "" 0
report "peak memory while following" "$(field 'max resident' 1)" MB 100
