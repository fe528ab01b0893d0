#!/bin/sh
# api.sh: guild api runs|ops|compare: Guild 0.9's JSON (keys, their order,
# value types), laid out as Python's json.dumps (compact, or -f: indent 2
# and sorted keys; non-ASCII escaped), API version 1, filters, deleted and
# batch runs, and errors.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

command -v python3 > /dev/null 2>&1 || { echo "1..0 # SKIP python3 not installed"; exit 0; }

proj=$(make_project sample-project <<'EOF'
model: fashion
description: Fashion.
operations:
  train:
    description: |-
      Train it.

      More.
    main: train
  fit:
    exec: sh .guild/sourcecode/fit.sh
    flags:
      lr:
        default: 0.1
        description: Learning rate
      epochs:
        default: 3
        type: int
        choices:
          - value: 1
            description: One
          - 3
      msg: Hello Guild!
      opt: null
EOF
)
cat > "$proj/fit.sh" <<'EOF'
printf 'loss: 0.9\nloss: 0.5\nacc: 0.25\n'
echo out > out.txt
EOF
RUNS_PROJECT=$proj
cd "$proj" || exit 1
runs=$GUILD_HOME/runs

# py FILE EXPR: evaluate EXPR with d the JSON in FILE; true when it is.
py()
{
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
r = eval('(' + sys.argv[2] + '\n)')
if r is not True:
    print('# got:', r)
    sys.exit(1)
" "$1" "$2"
}
# same_as_python FILE ARGS: FILE is what json.dumps(ARGS) writes of itself.
same_as_python()
{
	python3 -c "
import json, sys
text = open(sys.argv[1], encoding='ascii').read()
d = json.loads(text)
want = json.dumps(d, $2) + '\n'
if text != want:
    print('# differs from Python:', repr(text[:300]), repr(want[:300]))
    sys.exit(1)
" "$1"
}

expect_output "api runs: no runs" - -- guild api runs <<'EOF'
[]
EOF
expect_output "api compare: no runs" - -- guild api compare -f <<'EOF'
[]
EOF
expect_output "api: a subcommand is needed" - 1 -- guild api nope <<'EOF'
guild: no such command 'api nope'
Try 'guild api --help' for a list of commands.
EOF

OLD=1451e20cd18611e88f52d017c2ab916f
DONE=19c67a72d18611e88f52d017c2ab916f
mkrun $OLD train 1539705443 - "$(printf "'caf\\303\\251 \\342\\234\\223 \\360\\237\\216\\211 <b> \"q\" \\\\\\\\ end'")"
mkrun $DONE train 1539705452 0 'a=1 b=x'
setattr $DONE flags "{a: 1, b: x}"
setattr $DONE tags "[red, green]"
setattr $DONE foo "{bar: 2}"
setattr $DONE _private 1
setattr $DONE marked true
setattr $DONE env "{FLAG_A: '1'}"
setattr $DONE deps "{prepare: ['$runs/$OLD/data.csv', '/elsewhere/x']}"
echo hi > "$runs/$DONE/a.txt"
echo data > "$runs/$OLD/data.csv"
ln -s "$runs/$OLD/data.csv" "$runs/$DONE/data.csv"
printf 's %s 0123 %s\n' a.py a.py > "$runs/$DONE/.guild/manifest"

guild api runs > "$TEST_TMP/runs.json" 2> "$TEST_TMP/err"
ok "api runs: JSON that python3 -m json.tool reads" quiet python3 -m json.tool "$TEST_TMP/runs.json"
ok "api runs: nothing on standard error" test ! -s "$TEST_TMP/err"
ok "api runs: laid out as json.dumps() (non-ASCII escaped)" same_as_python "$TEST_TMP/runs.json" ""
ok "api runs: a run's keys in Guild's order" py "$TEST_TMP/runs.json" \
    "list(d[0]) == ['id', 'shortId', 'dir', 'operation', 'started', 'stopped', 'label', 'tags', 'comments', 'status', 'exitStatus', 'command', 'otherAttrs', 'flags', 'env', 'deps', 'files', 'sourcecode', 'projectDir', 'opRef', 'marked', 'scalars'] or list(d[0])"
ok "api runs: newest first" py "$TEST_TMP/runs.json" "[r['id'] for r in d] == ['$DONE', '$OLD']"
ok "api runs: core values and their types" py "$TEST_TMP/runs.json" "
d[0]['shortId'] == '19c67a72' and d[0]['dir'] == '$runs/$DONE' and
d[0]['operation'] == 'fashion:train' and d[0]['started'] == 1539705452000000 and
d[0]['stopped'] == 1539705452500000 and d[0]['label'] == 'a=1 b=x' and
d[0]['tags'] == ['red', 'green'] and d[0]['comments'] == [] and
d[0]['status'] == 'completed' and d[0]['exitStatus'] == 0 and
d[0]['command'] == '/usr/bin/python -um guild.op_main train' and
d[0]['flags'] == {'a': 1, 'b': 'x'} and d[0]['env'] == {'FLAG_A': '1'} and
d[0]['marked'] is True and d[0]['scalars'] == [] and
d[0]['projectDir'] == '$proj' or d[0]"
ok "api runs: a run without exit status" py "$TEST_TMP/runs.json" \
    "d[1]['exitStatus'] == '' and d[1]['status'] == 'error' and d[1]['marked'] is False and d[1]['tags'] == []"
ok "api runs: a hostile label, as it is" py "$TEST_TMP/runs.json" \
    "d[1]['label'] == 'caf\u00e9 \u2713 \U0001f389 <b> \"q\" \\\\\\\\ end' or d[1]['label']"
ok "api runs: otherAttrs (not core, not private)" py "$TEST_TMP/runs.json" \
    "d[0]['otherAttrs'] == {'foo': {'bar': 2}, 'marked': True, 'tags': ['red', 'green']} or d[0]['otherAttrs']"
ok "api runs: opRef" py "$TEST_TMP/runs.json" \
    "d[0]['opRef'] == {'pkgType': 'guildfile', 'pkgName': '$proj/guild.yml', 'pkgVersion': '2673b06329378ca2fc355cb5c0f38cef', 'modelName': 'fashion', 'opName': 'train'} or d[0]['opRef']"
ok "api runs: deps into other runs" py "$TEST_TMP/runs.json" \
    "d[0]['deps'] == [{'run': '1451e20c', 'operation': 'fashion:train', 'paths': ['data.csv']}] or d[0]['deps']"
ok "api runs: files, a link into another run names it" py "$TEST_TMP/runs.json" "
[(f['path'], f['size'], f['operation'], f['run'], type(f['mtime']).__name__) for f in d[0]['files']] ==
[('a.txt', 3, None, None, 'int'), ('data.csv', 5, 'fashion:train', '1451e20c', 'int')] or d[0]['files']"
ok "api runs: the source code of a Guild 0.9 run (at the root)" py "$TEST_TMP/runs.json" \
    "d[0]['sourcecode'] == {'root': '.', 'files': ['a.py']} and d[1]['sourcecode'] == {'root': '.', 'files': []} or d[0]['sourcecode']"

guild api runs -f > "$TEST_TMP/runs-f.json"
ok "api runs -f: indent 2, sorted keys, as json.dumps()" same_as_python "$TEST_TMP/runs-f.json" "indent=2, sort_keys=True"
ok "api runs -f: the same data" python3 -c "
import json, sys
assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))" "$TEST_TMP/runs.json" "$TEST_TMP/runs-f.json"
ok "api runs -f: an empty list is []" grep -qx '    "comments": \[\],' "$TEST_TMP/runs-f.json"

# A real run: scalars, source code in .guild/sourcecode.
guild run -y fit msg='Yo yo' > /dev/null 2>&1
guild api runs 0 > "$TEST_TMP/fit.json"
ok "api runs RUN: one run" py "$TEST_TMP/fit.json" "len(d) == 1 and d[0]['operation'] == 'fashion:fit'"
ok "api runs: scalars as Guild's index rows (camelCase)" py "$TEST_TMP/fit.json" "
[list(s) for s in d[0]['scalars']][0] == ['run', 'prefix', 'tag', 'firstVal', 'firstStep', 'lastVal', 'lastStep', 'minVal', 'minStep', 'maxVal', 'maxStep', 'avgVal', 'total', 'count'] and
[(s['prefix'], s['tag'], s['firstVal'], s['lastVal'], s['lastStep'], s['minVal'], s['maxVal'], s['avgVal'], s['total'], s['count']) for s in d[0]['scalars']] ==
[('.guild', 'acc', 0.25, 0.25, 1, 0.25, 0.25, 0.25, 0.25, 1), ('.guild', 'loss', 0.9, 0.5, 1, 0.5, 0.9, 0.7, 1.4, 2)] and
d[0]['scalars'][0]['run'] == d[0]['id'] or d[0]['scalars']"
ok "api runs: our source code snapshot" py "$TEST_TMP/fit.json" \
    "d[0]['sourcecode'] == {'root': '.guild/sourcecode', 'files': ['.guild/sourcecode/fit.sh', '.guild/sourcecode/guild.yml']} or d[0]['sourcecode']"
ok "api runs: flags with their types" py "$TEST_TMP/fit.json" \
    "d[0]['flags'] == {'epochs': 3, 'lr': 0.1, 'msg': 'Yo yo', 'opt': None} or d[0]['flags']"
ok "api runs: files (.guild left out)" py "$TEST_TMP/fit.json" "[f['path'] for f in d[0]['files']] == ['out.txt']"

# Filters and selection as everywhere.
guild api runs -o fit > "$TEST_TMP/o.json"
ok "api runs -o: a filter" py "$TEST_TMP/o.json" "[r['operation'] for r in d] == ['fashion:fit']"
guild api runs -C > "$TEST_TMP/c.json"
ok "api runs -C: completed runs" py "$TEST_TMP/c.json" "len(d) == 2 and all(r['status'] == 'completed' for r in d)"

# API version 1.
guild api runs -v 1 $DONE > "$TEST_TMP/v1.json"
ok "api runs -v 1: JSON" quiet python3 -m json.tool "$TEST_TMP/v1.json"
ok "api runs -v 1: Guild's version 1 keys" py "$TEST_TMP/v1.json" \
    "list(d[0]) == ['id', 'shortId', 'dir', 'operation', 'started', 'stopped', 'time', 'label', 'tags', 'comments', 'status', 'exitStatus', 'command', 'otherAttrs', 'flags', 'env', 'deps', 'files', 'sourcecode', 'projectDir', 'opRef', 'marked', 'scalars'] or list(d[0])"
ok "api runs -v 1: formatted times and tags" py "$TEST_TMP/v1.json" \
    "(d[0]['started'], d[0]['stopped'], d[0]['time'], d[0]['tags']) == ('2018-10-16 15:57:32', '2018-10-16 15:57:32', '0:00:00', 'red, green') or d[0]"
ok "api runs -v 1: file types" py "$TEST_TMP/v1.json" "
[(f['type'], f['icon'], f['iconTooltip'], f['viewer']) for f in d[0]['files']] ==
[('Text file', 'file-document', 'Text file', 'text'), ('Link to operation output', 'file-send', 'Link', 'table')] or d[0]['files']"
guild api runs -v 1 0 > "$TEST_TMP/v1s.json"
ok "api runs -v 1: scalars in snake_case" py "$TEST_TMP/v1s.json" "'first_val' in d[0]['scalars'][0] and 'avg_val' in d[0]['scalars'][0]"
expect_output "api runs -v 3: an error" - 1 -- guild api runs -v 3 <<'EOF'
guild: invalid value for '-v' / '--api-version': '3' is not one of '1', '2'
EOF

# Batch runs and deleted runs.
BATCH=2222e20cd18611e88f52d017c2ab916f
mkrun $BATCH fit+ 1539705400 0
guild api runs > "$TEST_TMP/b.json"
ok "api runs: batch runs left out" py "$TEST_TMP/b.json" "'$BATCH' not in [r['id'] for r in d]"
guild api runs --include-batch > "$TEST_TMP/b.json"
ok "api runs --include-batch" py "$TEST_TMP/b.json" "'$BATCH' in [r['id'] for r in d]"
quiet guild runs rm -y $OLD
guild api runs -d > "$TEST_TMP/del.json"
ok "api runs -d: deleted runs" py "$TEST_TMP/del.json" "[r['id'] for r in d] == ['$OLD'] and d[0]['dir'].endswith('/trash/runs/$OLD')"
guild api runs > "$TEST_TMP/live.json"
ok "api runs: a deleted run is gone" py "$TEST_TMP/live.json" "'$OLD' not in [r['id'] for r in d]"

# api compare: compare's table, the full id first.
quiet guild runs rm -y 0
expect_exact "api compare -f" - -- guild api compare -f <<'EOF'
[
  [
    "id",
    "operation",
    "started",
    "time",
    "status",
    "label",
    "a",
    "b"
  ],
  [
    "19c67a72d18611e88f52d017c2ab916f",
    "fashion:train",
    "2018-10-16 15:57:32",
    "0:00:00",
    "completed",
    "a=1 b=x",
    1,
    "x"
  ]
]
EOF
guild api compare --include-batch > "$TEST_TMP/cmp.json"
ok "api compare --include-batch: the batch too, nulls for missing values" py "$TEST_TMP/cmp.json" \
    "d[0] == ['id', 'operation', 'started', 'time', 'status', 'label', 'a', 'b'] and d[2][0] == '$BATCH' and d[2][6:] == [None, None] or d"
guild api compare -o nothing > "$TEST_TMP/none.json"
ok "api compare: a filter that selects nothing" py "$TEST_TMP/none.json" "d == []"

# api ops.
(cd "$TEST_TMP" && guild api ops) > "$TEST_TMP/noproj.json"
ok "api ops: outside a project, none" py "$TEST_TMP/noproj.json" "d == []"
guild api ops > "$TEST_TMP/ops.json"
ok "api ops: laid out as json.dumps()" same_as_python "$TEST_TMP/ops.json" ""
md5=$(md5sum < guild.yml | cut -c1-32)
ok "api ops: every operation, Guild's keys" py "$TEST_TMP/ops.json" "
[list(o) for o in d] == [['opref', 'name', 'fullname', 'description', 'guildfile', 'flags']] * 2 and
[o['fullname'] for o in d] == ['fashion:train', 'fashion:fit'] and
d[0]['description'] == 'Train it.\n\nMore.' and
d[0]['opref'] == {'pkgType': 'guildfile', 'pkgName': '$proj/guild.yml', 'pkgVersion': '$md5', 'modelName': 'fashion', 'opName': 'train'} and
d[0]['guildfile'] == {'dir': '$proj', 'src': '$proj/guild.yml'} or d"
ok "api ops: flags" py "$TEST_TMP/ops.json" "
d[1]['flags'] == {
 'lr': {'default': 0.1, 'defaultAssign': 'lr=0.1', 'description': 'Learning rate', 'choices': [], 'type': None},
 'epochs': {'default': 3, 'defaultAssign': 'epochs=3', 'description': '', 'choices': [
   {'value': 1, 'alias': None, 'description': 'One'}, {'value': 3, 'alias': None, 'description': ''}], 'type': 'int'},
 'msg': {'default': 'Hello Guild!', 'defaultAssign': \"msg='Hello Guild!'\", 'description': '', 'choices': [], 'type': None},
 'opt': {'default': None, 'defaultAssign': 'opt=null', 'description': '', 'choices': [], 'type': None}} or d[1]['flags']"
guild api ops -f > "$TEST_TMP/ops-f.json"
ok "api ops -f: as json.dumps(indent=2, sort_keys=True)" same_as_python "$TEST_TMP/ops-f.json" "indent=2, sort_keys=True"

# api help-op: one operation as api ops shows it.
guild api help-op fit > "$TEST_TMP/help-op.json"
ok "api help-op: laid out as json.dumps()" same_as_python "$TEST_TMP/help-op.json" ""
ok "api help-op: the operation api ops shows" py "$TEST_TMP/help-op.json" "
d == json.load(open('$TEST_TMP/ops.json'))[1] or d"
guild api help-op fashion:train -f > "$TEST_TMP/help-op-f.json"
ok "api help-op MODEL:OP -f" py "$TEST_TMP/help-op-f.json" "
d['fullname'] == 'fashion:train' and d['opref']['opName'] == 'train' or d"
printf 'rate = 0.5\nprint(rate)\n' > tool.py
guild api help-op tool.py > "$TEST_TMP/help-op-script.json"
ok "api help-op: a script's flags" py "$TEST_TMP/help-op-script.json" "
d['name'] == 'tool.py' and d['flags']['rate']['default'] == 0.5 and
d['flags']['rate']['defaultAssign'] == 'rate=0.5' or d"
rm -f tool.py
expect_output "api help-op: an unknown operation" - 1 -- guild api help-op nosuch <<'EOF'
guild: cannot find operation 'nosuch'
Operations: fashion:fit, fashion:train
EOF
expect_output "api help-op: OPSPEC is needed" - 1 -- guild api help-op <<'EOF'
guild: missing argument 'OPSPEC'
Try 'guild api help-op --help' for more information.
EOF
expect_output "api help-op: one OPSPEC" - 1 -- guild api help-op fit train <<'EOF'
guild: unexpected extra argument 'train'
EOF

done_testing
