#!/bin/sh
# tensorboard.sh: guild tensorboard: the message when TensorBoard is not
# installed, and the log directory it gets (checked by a fake tensorboard
# on PATH): a subdirectory per run, an event file of the logged scalars,
# links to the runs' own event files, refreshes, and the cleanup.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
model: fashion
operations:
  train:
    main: train
  fit:
    exec: sh .guild/sourcecode/fit.sh
  slow:
    exec: sh .guild/sourcecode/slow.sh
EOF
)
printf 'printf "loss: 0.5\\nacc: 0.25\\nloss: 0.125\\n"\n' > "$proj/fit.sh"
# slow logs a loss, waits for $SLOW_GO (two minutes at most), logs another.
cat > "$proj/slow.sh" <<'EOF'
echo "loss: 1"
i=0
while [ ! -e "$SLOW_GO" ] && [ $i -lt 1200 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "loss: 2"
EOF
RUNS_PROJECT=$proj
cd "$proj" || exit 1
runs=$GUILD_HOME/runs

expect_exact "not installed" - 1 -- env PATH=/nonexistent "$GUILD" tensorboard <<'EOF'
guild: tensorboard is not installed
Install it with 'pip install tensorboard' (Debian and Ubuntu have no package for it), then run this command again.
EOF

if ! command -v python3 > /dev/null 2>&1; then
	skip_all "python3 is needed to read event files"
fi

# A fake TensorBoard: prints its arguments and the log directory, with
# the scalars of each event file decoded (key by key), and the first time
# stamp in file names as TS. With TOUCH, it first creates that file; with
# WAIT_FOR, it waits for a path matching it to appear in the log directory;
# with WAIT_SCALAR, for an event file to hold that scalar (key=value); two
# minutes at most.
mkdir -p "$TEST_TMP/bin"
cat > "$TEST_TMP/bin/tensorboard" <<'EOF'
#!/bin/sh
logdir=
for a in "$@"; do
	[ "$prev" = --logdir ] && logdir=$a
	prev=$a
done
printf 'args:'
printf ' %s' "$@" | sed "s|$logdir|LOGDIR|"
printf '\n'
echo "$logdir" > "$TEST_TMP/logdir"
[ -z "$TOUCH" ] || touch "$TOUCH"
scalars()
{
	find "$logdir" -name '*events.out.tfevents*.guild' | while read -r f; do
		python3 "$TEST_TMP/bin/readevents" "$f" 2>/dev/null
	done
}
n=1200
while [ $n -gt 0 ]; do
	if [ -n "$WAIT_FOR" ] && ! (cd "$logdir" && find . | grep -q -- "$WAIT_FOR"); then
		:
	elif [ -n "$WAIT_SCALAR" ] && ! scalars | grep -q -- "$WAIT_SCALAR"; then
		:
	else
		break
	fi
	sleep 0.1
	n=$((n - 1))
done
cd "$logdir" || exit 1
find . -mindepth 1 | LC_ALL=C sort | while read -r p; do
	if [ -L "$p" ]; then
		printf '%s -> %s\n' "$p" "$(readlink "$p" | sed "s|$GUILD_HOME|GUILD_HOME|")"
	elif [ -d "$p" ]; then
		printf '%s/\n' "$p"
	else
		printf '%s\n' "$p"
		case $p in
		*events.out.tfevents*.guild) python3 "$TEST_TMP/bin/readevents" "$p";;
		esac
	fi
done | sed 's/tfevents\.[0-9]\{10\}\./tfevents.TS./'
exit ${EXIT:-0}
EOF
chmod +x "$TEST_TMP/bin/tensorboard"
# An independent reader of TFRecord event files (CRCs checked).
cat > "$TEST_TMP/bin/readevents" <<'EOF'
import struct, sys

def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return crc ^ 0xffffffff

def masked(crc):
    return (((crc >> 15) | (crc << 17)) + 0xa282ead8) & 0xffffffff

def varint(b, i):
    v = s = 0
    while True:
        c = b[i]; i += 1
        v |= (c & 0x7f) << s; s += 7
        if not c & 0x80:
            return v, i

def fields(b):
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        f, w = key >> 3, key & 7
        if w == 0:
            v, i = varint(b, i)
        elif w == 1:
            v = b[i:i + 8]; i += 8
        elif w == 5:
            v = b[i:i + 4]; i += 4
        elif w == 2:
            n, i = varint(b, i)
            v = b[i:i + n]; i += n
        yield f, w, v

data = open(sys.argv[1], "rb").read()
i = 0
while i < len(data):
    head = data[i:i + 8]
    n, = struct.unpack("<Q", head)
    assert struct.unpack("<I", data[i + 8:i + 12])[0] == masked(crc32c(head))
    payload = data[i + 12:i + 12 + n]
    assert struct.unpack("<I", data[i + 12 + n:i + 16 + n])[0] == masked(crc32c(payload))
    i += 16 + n
    step, out = 0, []
    for f, w, v in fields(payload):
        if f == 2:
            step = v
        elif f == 3:
            out.append("file_version=%s" % v.decode())
        elif f == 5:
            for f2, w2, val in fields(v):
                tag, x = None, None
                for f3, w3, v3 in fields(val):
                    if f3 == 1:
                        tag = v3.decode()
                    elif f3 == 2:
                        x, = struct.unpack("<f", v3)
                out.append("%s=%g step=%d" % (tag, x, step))
    print("  " + " ".join(out))
EOF
PATH=$TEST_TMP/bin:$PATH
export PATH TEST_TMP

mkwalkthrough
mkdir -p "$runs/$WT_OK/logs/train"
# Empty: a file of no records (guild reads the runs' event files too).
: > "$runs/$WT_OK/logs/train/events.out.tfevents.1539705452.host"
: > "$runs/$WT_OK/.guild/events.out.tfevents.1539705453.host"
mkdir -p "$runs/$WT_OK/.guild/sourcecode"
printf 'z' > "$runs/$WT_OK/.guild/sourcecode/events.out.tfevents.1.src"
ln -s /tmp "$runs/$WT_OK/linked"

expect_exact "a log directory with a subdirectory per run" - -- guild tensorboard <<'EOF'
args: --logdir LOGDIR
./1451e20c fashion:train 2018-10-16 15:57:23/
./19c67a72 fashion:train 2018-10-16 15:57:32/
./19c67a72 fashion:train 2018-10-16 15:57:32/.guild/
./19c67a72 fashion:train 2018-10-16 15:57:32/.guild/events.out.tfevents.TS.host -> GUILD_HOME/runs/19c67a72d18611e88f52d017c2ab916f/.guild/events.out.tfevents.1539705453.host
./19c67a72 fashion:train 2018-10-16 15:57:32/logs/
./19c67a72 fashion:train 2018-10-16 15:57:32/logs/train/
./19c67a72 fashion:train 2018-10-16 15:57:32/logs/train/events.out.tfevents.TS.host -> GUILD_HOME/runs/19c67a72d18611e88f52d017c2ab916f/logs/train/events.out.tfevents.1539705452.host
EOF
ok "the log directory is removed" test ! -e "$(cat "$TEST_TMP/logdir")"
expect_exact "host, port and selection" - -- guild tensorboard -h 0.0.0.0 -p 8080 -n 1 <<'EOF'
args: --logdir LOGDIR --host 0.0.0.0 --port 8080
./1451e20c fashion:train 2018-10-16 15:57:23/
EOF
expect_exact "filters" - -- guild tensorboard -E <<'EOF'
args: --logdir LOGDIR
./1451e20c fashion:train 2018-10-16 15:57:23/
EOF
expect_exact "a bad port" - 1 -- guild tensorboard -p 99999 <<'EOF'
guild: invalid value for --port: '99999' is not a port number
EOF
expect_exact "a bad refresh interval" - 1 -- guild tensorboard --refresh-interval 0 <<'EOF'
guild: invalid value for --refresh-interval: '0' is not a positive integer
EOF
expect_exact "TensorBoard failing is an error" - 1 -- env EXIT=3 "$GUILD" tensorboard 1 <<'EOF'
args: --logdir LOGDIR
./1451e20c fashion:train 2018-10-16 15:57:23/
EOF
guild tensorboard --keep-logdir 1 > "$TEST_TMP/keep" 2>&1
logdir=$(cat "$TEST_TMP/logdir")
ok "--keep-logdir says where" grep -q "^Log directory: $logdir\$" "$TEST_TMP/keep"
ok "--keep-logdir keeps it" test -d "$logdir/1451e20c fashion:train 2018-10-16 15:57:23"
rm -rf "$logdir"

# Scalars logged by guild become an event file.
rm -rf "$runs"/*
guild run -y fit > /dev/null 2>&1
id=$(ls "$runs")
short=$(printf '%.8s' "$id")
expect_output "scalars as an event file" - -- sh -c '"$GUILD" tensorboard | sed "s/$1/SHORT/"' sh "$short" <<'EOF'
args: --logdir LOGDIR
./SHORT fashion:fit <time>/
./SHORT fashion:fit <time>/events.out.tfevents.TS.guild
  file_version=brain.Event:2
  acc=0.25 step=0
  loss=0.5 step=0
  loss=0.125 step=1
EOF

# Runs that appear while TensorBoard runs are added at the next refresh.
new=ab000000000000000000000000000000
rm -f "$TEST_TMP/logdir"
WAIT_FOR=ab000000 "$GUILD" tensorboard --refresh-interval 1 > "$TEST_TMP/refresh" 2>&1 &
pid=$!
# TensorBoard runs (it has its log directory): now the run appears.
wait_for 120 test -s "$TEST_TMP/logdir"
RUNS_PROJECT=$proj
mkrun $new train 1539705460 0
wait $pid
ok "a new run appears at the next refresh" grep -q '^./ab000000 fashion:train 2018-10-16 15:57:40/$' "$TEST_TMP/refresh"

# Scalars of a running run are appended as they come.
rm -rf "$runs"/*
SLOW_GO=$TEST_TMP/slow-go
export SLOW_GO
guild run -y slow < /dev/null > /dev/null 2>&1 &
runpid=$!
wait_for 120 sh -c 'grep -q loss "$1"/*/.guild/scalars.tsv 2>/dev/null' sh "$runs"
# TensorBoard starts with the first loss, lets the run log the second, and
# waits for it to be appended.
TOUCH=$SLOW_GO WAIT_SCALAR=loss=2 "$GUILD" tensorboard --refresh-interval 1 > "$TEST_TMP/live" 2>&1
wait $runpid
expect_output "a running run's new scalars are appended" - -- sh -c 'sed -n "/tfevents/,\$p" "$1" | sed "s/^\.\/[0-9a-f]\{8\} /SHORT /"' sh "$TEST_TMP/live" <<'EOF'
SHORT fashion:slow <time>/events.out.tfevents.TS.guild
  file_version=brain.Event:2
  loss=1 step=0
  loss=2 step=1
EOF

# Signals: TERM to guild reaches TensorBoard, and the directory goes.
cat > "$TEST_TMP/bin/tensorboard" <<'EOF'
#!/bin/sh
for a in "$@"; do
	[ "$prev" = --logdir ] && echo "$a" > "$TEST_TMP/logdir"
	prev=$a
done
trap 'echo got TERM; exit 0' TERM
while :; do sleep 0.1; done
EOF
rm -f "$TEST_TMP/logdir"
"$GUILD" tensorboard > "$TEST_TMP/term" 2>&1 &
pid=$!
wait_for 120 test -s "$TEST_TMP/logdir"
kill -TERM $pid
wait $pid
rc=$?
ok "TERM is passed on to TensorBoard" grep -q 'got TERM' "$TEST_TMP/term"
ok "guild exits 0 after it" test "$rc" -eq 0
ok "and removes the log directory" test ! -e "$(cat "$TEST_TMP/logdir")"

# --export-scalars: Guild's CSV (run,path,tag,value,step, \r\n as
# Python's csv writes it) of every scalar, from every event file, under its
# directory in the run (.guild for guild's output scalars).
rm -rf "$GUILD_HOME"
guild run -y fit > /dev/null 2>&1
fit=$(ls "$runs")
cat > "$TEST_TMP/bin/tensorboard" <<'EOF'
#!/bin/sh
for a in "$@"; do
	[ "$prev" = --logdir ] && logdir=$a
	prev=$a
done
cp "$(find "$logdir" -name '*tfevents*.guild' | head -n 1)" "$TEST_TMP/ev"
EOF
ok "an event file written" sh -c '"$GUILD" tensorboard > /dev/null 2>&1 && test -s "$TEST_TMP/ev"'
EV=0123456789abcdef0123456789abcdef
mkrun $EV train 1539705452 0
mkdir -p "$runs/$EV/logs/train"
cp "$TEST_TMP/ev" "$runs/$EV/logs/train/events.out.tfevents.1539705452.host"
cp "$TEST_TMP/ev" "$runs/$EV/events.out.tfevents.1539705452.host"
expect_exact "--export-scalars -" - -- sh -c '"$GUILD" tensorboard --export-scalars - | tr "\r" "|"' <<EOF
run,path,tag,value,step|
$fit,.guild,loss,0.5,0|
$fit,.guild,acc,0.25,0|
$fit,.guild,loss,0.125,1|
$EV,.,acc,0.25,0|
$EV,.,loss,0.5,0|
$EV,.,loss,0.125,1|
$EV,logs/train,acc,0.25,0|
$EV,logs/train,loss,0.5,0|
$EV,logs/train,loss,0.125,1|
EOF
expect_exact "--export-scalars FILE, for the runs selected" - -- guild tensorboard --export-scalars "$TEST_TMP/csv/s.csv" 1 <<'EOF'
EOF
ok "the file holds the run's scalars" sh -c 'tr -d "\r" < "$1" | cut -d, -f1 | sort -u | tr "\n" " " | grep -qx "$2 run "' sh "$TEST_TMP/csv/s.csv" "$EV"
printf 'junk' >> "$runs/$EV/events.out.tfevents.1539705452.host"
expect_exact "--export-scalars: a damaged event file: its scalars before the damage" - -- sh -c '"$GUILD" tensorboard --export-scalars - 1 | tr -d "\r"' <<EOF
run,path,tag,value,step
$EV,.,acc,0.25,0
$EV,.,loss,0.5,0
$EV,.,loss,0.125,1
$EV,logs/train,acc,0.25,0
$EV,logs/train,loss,0.5,0
$EV,logs/train,loss,0.125,1
EOF

done_testing
