#!/bin/sh
# tfevents.sh: TensorBoard event files anywhere in a run directory are
# the run's scalars, as Guild AI 0.9 reads them (issue 13), and
# guild.summary writes them (issue 12).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

command -v python3 > /dev/null 2>&1 || skip_all "no python3"

fixtures=$top_srcdir/tests/fixtures/tfevents
mkdir -p "$TEST_TMP/bin"
# tfw FILE [-a] [-f FORM] [-t WALLTIME] TAG=VALUE@STEP...: tests/tfw.py.
printf '#!/bin/sh\nexec python3 "%s/tests/tfw.py" "$@"\n' "$top_srcdir" \
    > "$TEST_TMP/bin/tfw"
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

mkdir -p "$GUILD_HOME/runs/$R3/logs/val"
cp "$fixtures/events.out.tfevents.1662041974.calusa.97126.2" \
    "$GUILD_HOME/runs/$R3/logs/val/"
expect_exact "the same simple_value file in a subdirectory: a prefixed key" - -- \
    sh -c '"$GUILD" runs info '$R3' | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  loss: 0.478751 (step 0)
  logs/val#loss: 0.478751 (step 0)
EOF

# An event file written by TensorFlow 2 itself (tf.summary.scalar: the
# tensor form, plugin "scalars"), at the root and in a subdirectory as
# Keras's callback places it.
tf2=events.out.tfevents.1585499054.Jaakkos-Mac-mini.local.11684.5.v2
R3B=aaaa0000000000000000000000000013
mkrun $R3B train 1700000250 0
mkdir -p "$GUILD_HOME/runs/$R3B/logs/train"
cp "$fixtures/$tf2" "$GUILD_HOME/runs/$R3B/"
cp "$fixtures/$tf2" "$GUILD_HOME/runs/$R3B/logs/train/"
expect_exact "a TensorFlow 2 event file, at the root and below" - -- \
    sh -c '"$GUILD" runs info -s '$R3B' | sed -n "/^scalars:/,\$p"' <<'EOF'
scalars:
  my_metric:
    avg: 24.750000 (step 100)
    first: 0.000000 (step 0)
    last: 49.500000 (step 99)
    max: 49.500000 (step 99)
    min: 0.000000 (step 0)
    total: 2475.000000 (step 100)
  logs/train#my_metric:
    avg: 24.750000 (step 100)
    first: 0.000000 (step 0)
    last: 49.500000 (step 99)
    max: 49.500000 (step 99)
    min: 0.000000 (step 0)
    total: 2475.000000 (step 100)
EOF
expect_exact "compare: the TensorFlow 2 run's column" - -- \
    guild compare --table -r $R3B <<'EOF'
run       step  my_metric
aaaa0000  99    49.5
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
$(printf '%s' "$want_warn")
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
