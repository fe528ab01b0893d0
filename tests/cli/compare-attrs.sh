#!/bin/sh
# compare-attrs.sh: the attrs a run logged (text summaries in event files
# named *.attrs: output-attrs, guild.summary) and the ones its operation
# declares (opdef_attrs) are columns of compare, between the flags and the
# scalars, as Guild AI 0.9's compare shows them; .NAME columns and
# select --min/--max .NAME find them. And run --test-output-attrs shows
# what the output-attrs patterns find, as Guild 0.9 does (issue 13).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

command -v python3 > /dev/null 2>&1 || skip_all "no python3"

tfw()
{
	python3 "$top_srcdir/tests/tfw.py" "$@"
}

RUNS_PROJECT=$TEST_TMP/proj
mkdir -p "$RUNS_PROJECT"
cd "$RUNS_PROJECT" || exit 1
R1=aaaa0000000000000000000000000001
R2=aaaa0000000000000000000000000002
R3=aaaa0000000000000000000000000003
mkrun $R1 train 1700000000 0
mkrun $R2 train 1700000100 0
mkrun $R3 train 1700000200 0
setattr $R1 flags 'lr: 0.1'
setattr $R2 flags 'lr: 0.2'
setattr $R3 flags 'lr: 0.3'
d1=$GUILD_HOME/runs/$R1
d2=$GUILD_HOME/runs/$R2
d3=$GUILD_HOME/runs/$R3
# R1: output-attrs in .guild (plain keys), guild.summary in a subdirectory
# (keys prefixed), a core attr name (never a column of its own).
mkdir -p "$d1/train"
tfw "$d1/.guild/events.out.tfevents.1700000000.host.1.1.attrs" -f text \
    model=cnn best=0.9 status=bogus
tfw "$d1/train/events.out.tfevents.1700000000.host.1.2.attrs" -f text \
    arch=resnet
tfw "$d1/events.out.tfevents.1700000000.host.1.3" loss=0.5@2
tfw "$d2/.guild/events.out.tfevents.1700000100.host.1.1.attrs" -f text \
    model=mlp best=0.95
tfw "$d2/events.out.tfevents.1700000100.host.1.3" loss=0.25@4
# R3: what its operation declares, and a logged attr over one of them.
setattr $R3 opdef_attrs 'arch: declared
model: declared'
tfw "$d3/.guild/events.out.tfevents.1700000200.host.1.1.attrs" -f text \
    model=logged best=0.8

# Headings gathered run by run, newest first, as Guild's table does.
expect_exact "logged and declared attrs: columns between flags and scalars" - -- \
    guild compare --table -r <<'EOF'
run       lr   arch      best  model   step  loss  train#arch
aaaa0000  0.3  declared  0.8   logged
aaaa0000  0.2            0.95  mlp     4     0.25
aaaa0000  0.1            0.9   cnn     2     0.5   resnet
EOF
expect_exact ".NAME and attr:NAME columns: logged, declared" - -- \
    guild compare --table -cc '.model,attr:arch,.train#arch' <<'EOF'
run       model   arch      train#arch
aaaa0000  logged  declared
aaaa0000  mlp
aaaa0000  cnn               resnet
EOF
expect_exact "a logged attr named like a core one: the core value wins" - -- \
    guild compare --table -cc '.status' $R1 <<'EOF'
run       status
aaaa0000  completed
EOF
expect_exact "--min on a logged attr" - -- \
    guild compare --table -cc .best --min best <<'EOF'
run       best
aaaa0000  0.8
aaaa0000  0.9
aaaa0000  0.95
EOF
expect_exact "api compare: the logged attrs with the other columns" - -- \
    sh -c '"$GUILD" api compare | python3 -c "import json, sys; print(json.load(sys.stdin)[0])"' <<'EOF'
['id', 'operation', 'started', 'time', 'status', 'label', 'lr', 'arch', 'best', 'model', 'step', 'loss', 'train#arch']
EOF
expect_exact "select --min .NAME: a logged attr, as a number" - -- \
    guild select --min .best <<EOF
$R3
EOF
expect_exact "select --max attr:NAME" - -- guild select --max attr:best <<EOF
$R2
EOF
expect_exact "select --max flag:NAME" - -- guild select --max flag:lr <<EOF
$R3
EOF
# Guild 0.9's select --attr reads the attr files (format_run, then
# run[NAME]), not the logged attrs.
expect_exact "select --attr: attr files only, as Guild 0.9" - 1 -- \
    guild select --attr best $R1 <<'EOF'
guild: no such run attribute 'best'
EOF
expect_exact "compare -p: no op columns, no attrs" - -- \
    guild compare --table -r -p $R1 <<'EOF'
run
aaaa0000
EOF

# The index keeps each finished run's attrs while its stamp and scalar
# sources stand (GUILD_INDEX_RACY_MS=0: no time is too recent to trust).
GUILD_INDEX_RACY_MS=0
export GUILD_INDEX_RACY_MS
quiet guild compare --table
mkdir -p "$d2/eval"
tfw "$d2/eval/events.out.tfevents.1700000100.host.1.4.attrs" -f text \
    split=test
expect_exact "a new attr log in a new directory: seen through the index" - -- \
    guild compare --table -cc .split $R2 <<'EOF'
run       split
aaaa0000
EOF
expect_exact "and as a default column" - -- guild compare --table -r $R2 <<'EOF'
run       lr   best  eval#split  model  step  loss
aaaa0000  0.2  0.95  test        mlp    4     0.25
EOF
# An attr log rewritten in place, its directory unchanged: the cached
# value, until the index is deleted (documented in runindex-attrs.c).
tfw "$d2/eval/events.out.tfevents.1700000100.host.1.4.attrs" -f text \
    split=other
expect_exact "an attr log rewritten in place: the cached value" - -- \
    guild compare --table -r $R2 <<'EOF'
run       lr   best  eval#split  model  step  loss
aaaa0000  0.2  0.95  test        mlp    4     0.25
EOF
rm -rf "$GUILD_HOME/cache"
expect_exact "and the new one once the index is deleted" - -- \
    guild compare --table -r $R2 <<'EOF'
run       lr   best  eval#split  model  step  loss
aaaa0000  0.2  0.95  other       mlp    4     0.25
EOF
unset GUILD_INDEX_RACY_MS

# --test-output-attrs: what Guild 0.9's summary.test_output prints (checked
# against it): each line, then per pattern (aliases expanded, as a Python
# repr) its groups and what it assigns.
proj=$(make_project testout <<'EOT'
train:
  exec: "true"
own:
  exec: "true"
  output-attrs:
    - model: 'model: (.*)'
    - '(?P<_key>\key)=(?P<_val>\value)'
    - 'x(?P<a>y)?(?P<b>z)'
none:
  exec: "true"
  output-attrs: no
EOT
)
cd "$proj" || exit 1
printf 'model: cnn\nloss: 0.5 (step 1)\n  spaced: x  \r\nit'"'"'s: "q"\nxz a=b c=d' \
    > "$TEST_TMP/out.txt"
expect_exact "--test-output-attrs: the default pattern, as Guild shows it" - -- \
    guild run train --test-output-attrs "$TEST_TMP/out.txt" <<'EOF'
model: cnn
  '^([_a-zA-Z]\\S*):\\s+(\\S+)$': [('model', 'cnn')] (model=cnn)
loss: 0.5 (step 1)
  '^([_a-zA-Z]\\S*):\\s+(\\S+)$': <no matches>
  spaced: x
  '^([_a-zA-Z]\\S*):\\s+(\\S+)$': <no matches>
it's: "q"
  '^([_a-zA-Z]\\S*):\\s+(\\S+)$': [("it's", '"q"')] (it's="q")
xz a=b c=d
  '^([_a-zA-Z]\\S*):\\s+(\\S+)$': <no matches>
EOF
EXPECT_STDIN=$TEST_TMP/in.txt
printf 'model: cnn\nxz a=b c=d\n' > "$EXPECT_STDIN"
export EXPECT_STDIN
expect_exact "--test-output-attrs -: the operation's patterns, from stdin" - -- \
    guild run own --test-output-attrs - <<'EOF'
model: cnn
  'model: (.*)': [('cnn',)] (model=cnn)
  '(?P<_key>[_a-zA-Z]\\S*)=(?P<_val>\\S+)': <no matches>
  'x(?P<a>y)?(?P<b>z)': <no matches>
xz a=b c=d
  'model: (.*)': <no matches>
  '(?P<_key>[_a-zA-Z]\\S*)=(?P<_val>\\S+)': [('a', 'b'), ('c', 'd')] (a=b, c=d)
  'x(?P<a>y)?(?P<b>z)': [(None, 'z')] (a=None, b=z)
EOF
unset EXPECT_STDIN
expect_exact "--test-output-attrs: output-attrs: no" - -- \
    guild run none --test-output-attrs "$TEST_TMP/out.txt" <<'EOF'
Output attrs disabled, nothing to test
EOF
expect_exact "--test-output-attrs: a missing file" - 1 -- \
    guild run train --test-output-attrs "$TEST_TMP/nosuch" <<'EOF'
guild: $TEST_TMP/nosuch does not exist
EOF
ok "--test-output-attrs: no run made" \
    sh -c '[ "$(ls "$GUILD_HOME/runs" | wc -l)" -eq 3 ]'

done_testing
