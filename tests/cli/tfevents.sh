#!/bin/sh
# tfevents.sh: TensorBoard event files anywhere in a run directory are
# the run's scalars, as Guild AI 0.9 reads them (issue 13), and
# guild.summary writes them (issue 12).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

command -v python3 > /dev/null 2>&1 || skip_all "no python3"

fixtures=$top_srcdir/tests/fixtures/tfevents
mkdir -p "$TEST_TMP/bin"
# tfw FILE [-a] [-f FORM] [-t WALLTIME] TAG=VALUE@STEP...: write (-a: append
# to) an event file. FORM: simple (simple_value, as TF1 and PyTorch write
# it), content (a TF2 scalar summary: plugin "scalars", DT_FLOAT of shape []
# in tensor_content, as tf.summary.scalar writes it), float_val,
# double_val, double_content. Each event's wall time is WALLTIME (default
# 1700000000) plus its step.
cat > "$TEST_TMP/bin/tfw" <<'EOF'
#!/usr/bin/env python3
import struct, sys

def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c ^= b
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    return c ^ 0xFFFFFFFF

def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF

def varint(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])

def field(num, wire, payload):
    key = varint((num << 3) | wire)
    if wire == 2:
        return key + varint(len(payload)) + payload
    return key + payload

def record(ev):
    head = struct.pack("<Q", len(ev))
    return (head + struct.pack("<I", masked(head)) + ev +
            struct.pack("<I", masked(ev)))

def value(tag, v, form):
    out = field(1, 2, tag.encode())
    meta = field(9, 2, field(1, 2, field(1, 2, b"scalars")))
    if form == "simple":
        return out + field(2, 5, struct.pack("<f", v))
    if form == "content":
        t = field(1, 0, varint(1)) + field(2, 2, b"") + \
            field(4, 2, struct.pack("<f", v))
    elif form == "double_content":
        t = field(1, 0, varint(2)) + field(2, 2, b"") + \
            field(4, 2, struct.pack("<d", v))
    elif form == "float_val":
        t = field(1, 0, varint(1)) + field(2, 2, b"") + \
            field(5, 2, struct.pack("<f", v))
    elif form == "double_val":
        t = field(1, 0, varint(2)) + field(2, 2, b"") + \
            field(6, 2, struct.pack("<d", v))
    return out + meta + field(8, 2, t)

args = sys.argv[1:]
path = args.pop(0)
mode, form, base = "wb", "simple", 1700000000.0
while args and args[0].startswith("-"):
    opt = args.pop(0)
    if opt == "-a":
        mode = "ab"
    elif opt == "-f":
        form = args.pop(0)
    elif opt == "-t":
        base = float(args.pop(0))
with open(path, mode) as f:
    if mode == "wb":
        f.write(record(field(1, 1, struct.pack("<d", base)) +
                       field(3, 2, b"brain.Event:2")))
    for spec in args:
        tag, rest = spec.split("=", 1)
        v, step = rest.split("@")
        ev = (field(1, 1, struct.pack("<d", base + int(step))) +
              field(2, 0, varint(int(step))) +
              field(5, 2, field(1, 2, value(tag, float(v), form))))
        f.write(record(ev))
EOF
chmod +x "$TEST_TMP/bin/tfw"
PATH=$TEST_TMP/bin:$PATH
export PATH

RUNS_PROJECT=$TEST_TMP/proj
mkdir -p "$RUNS_PROJECT"
cd "$RUNS_PROJECT" || exit 1
R1=aaaa0000000000000000000000000001
mkrun $R1 train 1700000000 0
d1=$GUILD_HOME/runs/$R1
mkdir -p "$d1/logs/train"
# Keras's TensorBoard callback: logs/train, TF2 tensor summaries.
tfw "$d1/logs/train/events.out.tfevents.1700000000.host.1.0.v2" -f content \
    epoch_loss=1@0 epoch_loss=0.5@1 epoch_loss=0.25@2 epoch_loss=0.333333@3
tfw "$d1/events.out.tfevents.1700000000.host.1.1" \
    top_metric=0@0 top_metric=2@1 top_metric=4@2 top_metric=6@3

expect_exact "runs info: root and subdirectory keys, as Guild 0.9" - -- \
    sh -c '"$GUILD" runs info | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  top_metric: 6.000000 (step 3)
  logs/train#epoch_loss: 0.333333 (step 3)
EOF

# float32 0.333333 is 0.33333298..., which compare truncates as Guild's
# does (truncate_floats=6).
expect_exact "compare: a column per tag, step of the first" - -- \
    guild compare --table -r <<'EOF'
run       step  epoch_loss  top_metric
aaaa0000  3     0.333332    6.0
EOF

expect_exact "runs info -s: first, min and max from the events" - -- \
    sh -c '"$GUILD" runs info -s | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  top_metric:
    avg: 3.000000 (step 4)
    first: 0.000000 (step 0)
    last: 6.000000 (step 3)
    max: 6.000000 (step 3)
    min: 0.000000 (step 0)
    total: 12.000000 (step 4)
  logs/train#epoch_loss:
    avg: 0.520833 (step 4)
    first: 1.000000 (step 0)
    last: 0.333333 (step 3)
    max: 1.000000 (step 0)
    min: 0.250000 (step 2)
    total: 2.083333 (step 4)
EOF

# Each tensor form TensorBoard may meet, and what is not a scalar.
R2=aaaa0000000000000000000000000002
mkrun $R2 train 1700000100 0
d2=$GUILD_HOME/runs/$R2
mkdir -p "$d2/a" "$d2/b" "$d2/c" "$d2/d"
tfw "$d2/a/events.out.tfevents.1" -f float_val x=1.5@1
tfw "$d2/b/events.out.tfevents.1" -f double_val x=2.5@2
tfw "$d2/c/events.out.tfevents.1" -f double_content x=0.1@3
tfw "$d2/d/events.out.tfevents.1.attrs" -f content x=9@9
tfw "$d2/d/events.out.tfevents.1.profile-empty" x=9@9
expect_exact "float_val, double_val, double tensor_content; no attrs" - -- \
    sh -c '"$GUILD" runs info '$R2' | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  a#x: 1.500000 (step 1)
  b#x: 2.500000 (step 2)
  c#x: 0.100000 (step 3)
EOF

# Guild AI 0.9's own summary writer (through TensorBoard's RecordWriter).
R3=aaaa0000000000000000000000000003
mkrun $R3 train 1700000200 0
cp "$fixtures/events.out.tfevents.1662041974.calusa.97126.2" \
    "$GUILD_HOME/runs/$R3/.guild/"
expect_exact "a Guild AI 0.9 run: .guild's event file, plain keys" - -- \
    sh -c '"$GUILD" runs info '$R3' | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  loss: 0.478751 (step 0)
EOF

# Links: a dependency's directory is not the run's; a run linked in (a
# step) is followed, as Guild 0.9 does.
R4=aaaa0000000000000000000000000004
mkrun $R4 train 1700000300 0
ln -s "$d1/logs" "$GUILD_HOME/runs/$R4/deplogs"
ln -s "$d2" "$GUILD_HOME/runs/$R4/step"
expect_exact "links: a run's followed, a dependency's not" - -- \
    sh -c '"$GUILD" runs info '$R4' | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  step/a#x: 1.500000 (step 1)
  step/b#x: 2.500000 (step 2)
  step/c#x: 0.100000 (step 3)
EOF

# Damage: what comes before it, and a warning.
R5=aaaa0000000000000000000000000005
mkrun $R5 train 1700000400 0
d5=$GUILD_HOME/runs/$R5
tfw "$d5/events.out.tfevents.1" loss=3@1 loss=2@2 loss=1@3
size=$(wc -c < "$d5/events.out.tfevents.1")
# Flip a byte of the last record's value.
python3 - "$d5/events.out.tfevents.1" $((size - 6)) <<'EOF'
import sys
p, at = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read())
b[at] ^= 0xff
open(p, "wb").write(bytes(b))
EOF
expect_exact "a bad checksum: the scalars before it and a warning" - -- \
    sh -c '"$GUILD" runs info '$R5' | sed -n "/^scalars:/,\$p"' <<EOF
guild: warning: ~/.guild/runs/$R5/events.out.tfevents.1: bad record checksum at offset 124
scalars:
  loss: 2.000000 (step 2)
EOF

R6=aaaa0000000000000000000000000006
mkrun $R6 train 1700000500 0
d6=$GUILD_HOME/runs/$R6
tfw "$d6/events.out.tfevents.1" loss=3@1 loss=2@2 loss=1@3
python3 - "$d6/events.out.tfevents.1" <<'EOF'
import sys
p = sys.argv[1]
b = open(p, "rb").read()
open(p, "wb").write(b[:-5])
EOF
expect_exact "a finished run's record cut short: a warning" - -- \
    sh -c '"$GUILD" runs info '$R6' | sed -n "/^scalars:/,\$p"' <<EOF
guild: warning: ~/.guild/runs/$R6/events.out.tfevents.1: event file cut short at offset 124
scalars:
  loss: 2.000000 (step 2)
EOF
echo 1 > "$d6/.guild/LOCK"
expect_exact "a running run's: a record still being written, quietly" - -- \
    sh -c '"$GUILD" runs info '$R6' | sed -n "/^scalars:/,\$p"' <<EOF
scalars:
  loss: 2.000000 (step 2)
EOF
rm "$d6/.guild/LOCK"

# Not an event file at all.
R7=aaaa0000000000000000000000000007
mkrun $R7 train 1700000600 0
printf 'this is not a TFRecord file, just text in the wrong place\n' \
    > "$GUILD_HOME/runs/$R7/events.out.tfevents.junk"
expect_exact "garbage named like an event file: a warning" - -- \
    sh -c '"$GUILD" runs info '$R7' > /dev/null' <<EOF
guild: warning: ~/.guild/runs/$R7/events.out.tfevents.junk: bad record length checksum at offset 0
EOF
ok "and no scalars" sh -c '! "$GUILD" runs info '$R7' 2>/dev/null | grep -q "^  "' 

# A growing file is read on from where the index stopped: damage before
# that offset is never read again, what comes after is.
expect_exact "compare, through the index" - -- \
    guild compare --table -r $R1 <<'EOF'
run       step  epoch_loss  top_metric
aaaa0000  3     0.333332    6.0
EOF
ev1=$d1/events.out.tfevents.1700000000.host.1.1
python3 - "$ev1" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[40] ^= 0xff
open(p, "wb").write(bytes(b))
EOF
tfw "$ev1" -a top_metric=7@4
expect_exact "a grown file: the new records only" - -- \
    guild compare --table -r $R1 <<'EOF'
run       step  epoch_loss  top_metric
aaaa0000  3     0.333332    7.0
EOF
rm -rf "$GUILD_HOME/cache"
expect_exact "without the index: read from the start, damage and all" - -- \
    guild compare --table -r $R1 <<EOF
guild: warning: ~/.guild/runs/$R1/events.out.tfevents.1700000000.host.1.1: bad record length checksum at offset 40
run       step  epoch_loss
aaaa0000  3     0.333332
EOF
tfw "$ev1" top_metric=0@0 top_metric=2@1 top_metric=4@2 top_metric=6@3
expect_exact "a file rewritten is read again" - -- \
    guild compare --table -r $R1 <<'EOF'
run       step  epoch_loss  top_metric
aaaa0000  3     0.333332    6.0
EOF

# A finished run is searched again when a directory of its last search
# changed: an event file added by hand to an old run's subdirectory, or
# in a new subdirectory, is found without deleting the index. The
# directories are made old first, so that their stamps are trusted.
R8=aaaa0000000000000000000000000008
mkrun $R8 train 1700000700 0
d8=$GUILD_HOME/runs/$R8
mkdir -p "$d8/logs/train"
tfw "$d8/logs/train/events.out.tfevents.1700000000.host.1.0" \
    epoch_loss=1@0 epoch_loss=0.5@1
touch -d @1600000000 "$d8" "$d8/logs" "$d8/logs/train"
expect_exact "an old run's event file, through the index" - -- \
    guild compare --table -r $R8 <<'EOF'
run       step  epoch_loss
aaaa0000  1     0.5
EOF
tfw "$d8/logs/train/events.out.tfevents.1700000100.host.2.0" \
    epoch_acc=0.75@2
expect_exact "a file added to its subdirectory is found" - -- \
    guild compare --table -r $R8 <<'EOF'
run       step  epoch_acc  epoch_loss
aaaa0000  2     0.75       0.5
EOF
touch -d @1600000000 "$d8/logs/train"
mkdir "$d8/logs/validation"
tfw "$d8/logs/validation/events.out.tfevents.1700000200.host.3.0" \
    epoch_loss=0.25@2
expect_exact "and one in a new subdirectory" - -- \
    sh -c '"$GUILD" runs info '$R8' | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  logs/train#epoch_acc: 0.750000 (step 2)
  logs/train#epoch_loss: 0.500000 (step 1)
  logs/validation#epoch_loss: 0.250000 (step 2)
EOF

# When Guild AI restarts one of guild's runs, its newer event file wins
# over the run's scalars.tsv, with or without the index.
proj2=$(make_project restart <<'EOT'
train:
  exec: "sh -c 'echo loss: 0.5'"
EOT
)
cd "$proj2" || exit 1
guild run -y train > /dev/null 2>&1
rid=$(cd "$GUILD_HOME/runs" && ls -t | head -n 1)
rd=$GUILD_HOME/runs/$rid
expect_exact "guild's run: loss from its log" - -- \
    sh -c '"$GUILD" runs info '$rid' | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  loss: 0.500000 (step 0)
EOF
quiet guild compare --table -r $rid
# What Guild AI 0.9 leaves: new attrs and its summary writer's file.
now=$(date +%s)
printf "%s000001\n" $now > "$rd/.guild/attrs/started"
printf "%s000002\n" $now > "$rd/.guild/attrs/stopped"
tfw "$rd/.guild/events.out.tfevents.$((now + 10)).host.99.0" \
    -t $((now + 10)) loss=0.25@0
expect_exact "restarted by Guild AI: its newer event file wins" - -- \
    sh -c '"$GUILD" runs info '$rid' | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  loss: 0.250000 (step 0)
EOF
expect_exact "in compare, through the index" - -- \
    guild compare --table -r $rid <<EOF
run       step  loss
${rid%????????????????????????}  0     0.25
EOF
rm -rf "$GUILD_HOME/cache"
expect_exact "and with the index deleted" - -- \
    guild compare --table -r $rid <<EOF
run       step  loss
${rid%????????????????????????}  0     0.25
EOF

# guild.summary: a script writing its own scalars (Guild AI's module).
proj3=$(make_project summary <<'EOT'
train:
  main: train
EOT
)
cat > "$proj3/train.py" <<'EOT'
from guild.summary import SummaryWriter

with SummaryWriter("logs/eval") as w:
    for i in range(3):
        w.add_scalar("acc", 0.5 + i / 10.0, step=i)
    w.add_text("note", "not a scalar")
w = SummaryWriter(".")
w.add_scalar("val", 2.5)
w.close()
EOT
cd "$proj3" || exit 1
guild run -y train > /dev/null 2>&1
expect_exact "guild.summary's SummaryWriter: read back" - -- \
    sh -c '"$GUILD" runs info | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  val: 2.500000 (step 0)
  logs/eval#acc: 0.700000 (step 2)
EOF

# Keras's progress lines, as Guild 0.9's Keras support reads them.
proj4=$(make_project keras <<'EOT'
train:
  main: train
own:
  main: train
  output-scalars:
    acc: 'acc: (\value)'
plain:
  main: plain
EOT
)
cd "$proj4" || exit 1
cat > train.py <<'EOT'
import os, tensorflow as tf
model = tf.keras.Sequential()
model.fit(x, y, epochs=2)
EOT
cat > plain.py <<'EOT'
import tensorflow as tf
print(tf.__version__)
EOT
cat > out.txt <<'EOT'
Epoch 2/10
60000/60000 [====] - 3s 50us/step - loss: 2.0538 - acc: 0.3225
Test accuracy: 0.91
EOT
expect_exact "a Keras script: Keras's patterns first" - -- \
    guild run train --test-output-scalars out.txt <<'EOF'
Epoch 2/10
60000/60000 [====] - 3s 50us/step - loss: 2.0538 - acc: 0.3225
  acc: 0.3225 (step 2)
  loss: 2.0538 (step 2)
Test accuracy: 0.91
  test_accuracy: 0.91 (step 2)
EOF
expect_exact "the operation's own output-scalars win" - -- \
    guild run own --test-output-scalars out.txt <<'EOF'
Epoch 2/10
60000/60000 [====] - 3s 50us/step - loss: 2.0538 - acc: 0.3225
  acc: 0.3225 (step 0)
Test accuracy: 0.91
EOF
expect_exact "tensorflow without fit or predict: the defaults" - -- \
    guild run plain --test-output-scalars out.txt <<'EOF'
Epoch 2/10
60000/60000 [====] - 3s 50us/step - loss: 2.0538 - acc: 0.3225
Test accuracy: 0.91
EOF

# Many runs read for the first time (a new index): their files are read
# on worker threads, and what each finds is the same as one at a time,
# warnings included, in the order of the runs, once each.
GUILD_HOME=$TEST_TMP/many
export GUILD_HOME
i=10
want_warn=
want_rows=
while [ $i -lt 50 ]; do
	id=bbbb00000000000000000000000000$i
	mkrun $id train $((1700001000 + i)) 0
	tfw "$GUILD_HOME/runs/$id/events.out.tfevents.1" loss=$i@1 loss=$i.5@2
	if [ $((i % 13)) -eq 0 ]; then
		# The last record's value damaged: the first one counts.
		python3 -c 'import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[-6] ^= 0xff
open(p, "wb").write(bytes(b))' "$GUILD_HOME/runs/$id/events.out.tfevents.1"
		want_warn="guild: warning: \$TEST_TMP/many/runs/$id/events.out.tfevents.1: bad record checksum at offset 82
$want_warn"
		want_rows="bbbb0000  1     $i.0
$want_rows"
	else
		want_rows="bbbb0000  2     $i.5
$want_rows"
	fi
	i=$((i + 1))
done
expect_exact "many runs, new index: compare as one at a time" - -- \
    guild compare --table -r <<EOF
${want_warn}run       step  loss
$(printf '%s' "$want_rows")
EOF

rm -rf "$GUILD_HOME/cache"
guild runs > /dev/null 2>&1
expect_exact "and a first filter on a scalar" - -- \
    sh -c '"$GUILD" runs -F "loss > 38.7" 2>&1 | sed "s/]  .*/]/"' <<EOF
$(printf '%s' "$want_warn" | sort)
[0:bbbb0000]
[1:bbbb0000]
[2:bbbb0000]
[3:bbbb0000]
[4:bbbb0000]
[5:bbbb0000]
[6:bbbb0000]
[7:bbbb0000]
[8:bbbb0000]
[9:bbbb0000]
[10:bbbb0000]
EOF

done_testing
