#!/bin/sh
# deps.sh: requires: and resources: the walkthrough's predict, upstream
# runs chosen and linked, file: and url: sources, dependencies not met.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
export GUILD

proj=$(make_project sample-project <<'EOF'
model: fashion
description: Basic fashion MNIST image classifier.
operations:
  train:
    description: Train classifier from scratch.
    main: train
  predict:
    description: Use trained model to make predictions.
    main: predict
    requires: trained-model
resources:
  trained-model:
    path: model
    sources:
      - operation: train
EOF
)
cd "$proj" || exit 1
runs=$GUILD_HOME/runs

cat > train.py <<'EOF'
for i in range(1, 4):
    open("weights-%04d-0.%d.hdf5" % (i, 5 - i), "w").write("w%d" % i)
# An event file of no records: guild reads event files as scalars.
open("events.out.tfevents.1539810834.dakota", "w").write("")
print("trained")
EOF
cat > predict.py <<'EOF'
import os
for name in sorted(os.listdir("model")):
    print("model/%s: %s" % (name,
        open(os.path.join("model", name)).read() or "(empty)"))
for n in ["00618.png", "03100.png", "07868-error.png"]:
    open(n, "w").write("png")
EOF

# The newest run, by start time as guild orders runs (a directory's mtime
# moves whenever something is added to it).
newest()
{
	"$GUILD" select 2>/dev/null
}

have_ls=no
"$GUILD" ls --help > /dev/null 2>&1 && have_ls=yes

# No train run yet: nothing is created.
expect_output "no upstream run: the message names what is missing" - 1 -- guild run -y predict <<'EOF'
guild: run failed because a dependency was not met: could not resolve 'operation:train' in trained-model resource: no suitable run for train
EOF
ok "no upstream run: no run was created" test ! -d "$runs" -o -z "$(ls "$runs" 2>/dev/null)"

guild run -y train > /dev/null 2>&1
train1=$(newest)
guild run -y train > /dev/null 2>&1
train2=$(newest)

# The preview names the run it will use.
EXPECT_STDIN=$TEST_TMP/no
printf 'n\n' > "$EXPECT_STDIN"
expect_output "the preview names the upstream run" - -- sh -c '"$GUILD" run predict; echo' <<'EOF'
You are about to run fashion:predict
  trained-model: <id>
Continue? (Y/n) 
EOF
unset EXPECT_STDIN
ok "the preview's run is the newest train run" sh -c \
    "printf 'n\n' | \"\$GUILD\" run predict 2>&1 | grep -q 'trained-model: $train2'"

EXPECT_STDIN=$TEST_TMP/enter
printf '\n' > "$EXPECT_STDIN"
expect_output "walkthrough: predict" - -- guild run predict <<'EOF'
You are about to run fashion:predict
  trained-model: <id>
Continue? (Y/n) Resolving trained-model
Using run <id> for operation:train
model/events.out.tfevents.1539810834.dakota: (empty)
model/weights-0001-0.4.hdf5: w1
model/weights-0002-0.3.hdf5: w2
model/weights-0003-0.2.hdf5: w3
EOF
unset EXPECT_STDIN
predict=$(newest)
if [ "$have_ls" = yes ]; then
	expect_output "walkthrough: guild ls" - -- guild ls <<'EOF'
~/.guild/runs/<id>:
  00618.png
  03100.png
  07868-error.png
  model/
  model/events.out.tfevents.1539810834.dakota
  model/weights-0001-0.4.hdf5
  model/weights-0002-0.3.hdf5
  model/weights-0003-0.2.hdf5
EOF
else
	skip "walkthrough: guild ls" "guild ls is not built yet"
fi
expect_output "links are relative, into the upstream run" - -- readlink "$runs/$predict/model/weights-0001-0.4.hdf5" <<'EOF'
../../<id>/weights-0001-0.4.hdf5
EOF
ok "the link is to the newest train run" test "$(readlink "$runs/$predict/model/weights-0001-0.4.hdf5")" = "../../$train2/weights-0001-0.4.hdf5"
ok "the upstream source snapshot is not linked" test ! -e "$runs/$predict/model/.guild"
expect_output "the deps attr" - -- cat "$runs/$predict/.guild/attrs/deps" <<'EOF'
trained-model:
  operation:train:
    config: <id>
    paths:
    - ../<id>/events.out.tfevents.1539810834.dakota
    - ../<id>/weights-0001-0.4.hdf5
    - ../<id>/weights-0002-0.3.hdf5
    - ../<id>/weights-0003-0.2.hdf5
    uri: operation:train
EOF
if "$GUILD" runs info --help 2>/dev/null | grep -q -- --deps; then
	expect_output "guild runs info --deps" - -- sh -c '"$GUILD" runs info --deps | sed -n "/^dependencies:/,\$p"' <<'EOF'
dependencies:
  trained-model:
    operation:train:
      config: <id>
      paths:
      - ../<id>/events.out.tfevents.1539810834.dakota
      - ../<id>/weights-0001-0.4.hdf5
      - ../<id>/weights-0002-0.3.hdf5
      - ../<id>/weights-0003-0.2.hdf5
      uri: operation:train
EOF
else
	skip "guild runs info --deps" "guild runs info has no --deps yet"
fi
expect_output "the flags attr has the run id" - -- cat "$runs/$predict/.guild/attrs/flags" <<'EOF'
trained-model: <id>
EOF
expect_output "manifest d lines" - -- sh -c "grep '^d ' '$runs/$predict/.guild/manifest'" <<'EOF'
d model/events.out.tfevents.1539810834.dakota - operation:train <id>/events.out.tfevents.1539810834.dakota
d model/weights-0001-0.4.hdf5 - operation:train <id>/weights-0001-0.4.hdf5
d model/weights-0002-0.3.hdf5 - operation:train <id>/weights-0002-0.3.hdf5
d model/weights-0003-0.2.hdf5 - operation:train <id>/weights-0003-0.2.hdf5
EOF
if [ "$have_ls" = yes ]; then
	expect_output "guild ls -d lists the dependencies" - -- guild ls -n -d <<'EOF'
model/events.out.tfevents.1539810834.dakota
model/weights-0001-0.4.hdf5
model/weights-0002-0.3.hdf5
model/weights-0003-0.2.hdf5
EOF
fi

# A downstream of a downstream: predict's own deps are not generated files.
cat > guild.yml <<'EOF'
model: fashion
description: Basic fashion MNIST image classifier.
operations:
  train:
    description: Train classifier from scratch.
    main: train
  predict:
    description: Use trained model to make predictions.
    main: predict
    requires: trained-model
  report:
    exec: sh -c 'ls -R . | grep -v "^$"'
    requires:
      - operation: predict
  tolerant:
    exec: echo went on
    requires: trained-model
resources:
  trained-model:
    path: model
    sources:
      - operation: train
EOF
expect_output "an upstream run's own dependencies are not passed on" - -- guild run -y report <<'EOF'
Resolving operation:predict
Using run <id> for operation:predict
.:
00618.png
03100.png
07868-error.png
EOF

# The flag chooses the run, by id prefix.
short1=$(printf '%.8s' "$train1")
guild run -y predict trained-model="$short1" > "$TEST_TMP/out" 2>&1
ok "a run chosen by the resource flag" grep -q "^Using run $train1 for operation:train" "$TEST_TMP/out" ||
    sed 's/^/# /' "$TEST_TMP/out"
expect_output "a flag naming no run" - 1 -- guild run -y predict trained-model=ffffffff <<'EOF'
guild: run failed because a dependency was not met: could not resolve 'operation:train' in trained-model resource: no suitable run for train matching 'ffffffff'
EOF
# An id that reads as a number (1 in ~500 short ids) stays an id.
expect_output "a flag value like 6397e049 is an id, not 6.397e+52" - 1 -- \
    guild run -y predict trained-model=6397e049 <<'EOF'
guild: run failed because a dependency was not met: could not resolve 'operation:train' in trained-model resource: no suitable run for train matching '6397e049'
EOF

# A marked run is preferred to a newer one.
printf 'true\n' > "$runs/$train1/.guild/attrs/marked"
guild run -y predict > "$TEST_TMP/out" 2>&1
ok "a marked run wins" grep -q "^Using run $train1 for operation:train" "$TEST_TMP/out"
rm "$runs/$train1/.guild/attrs/marked"

# Error runs are not used.
printf '1\n' > "$runs/$train2/.guild/attrs/exit_status"
guild run -y predict > "$TEST_TMP/out" 2>&1
ok "a failed upstream run is skipped" grep -q "^Using run $train1 for operation:train" "$TEST_TMP/out"
printf '0\n' > "$runs/$train2/.guild/attrs/exit_status"

# Restarting keeps what was resolved.
predict=$(newest)
expect_output "restart: resolved dependencies are kept" - -- guild run -y --restart "$predict" <<'EOF'
Resolving trained-model
Skipping resolution of operation:train because it's already resolved
model/events.out.tfevents.1539810834.dakota: (empty)
model/weights-0001-0.4.hdf5: w1
model/weights-0002-0.3.hdf5: w2
model/weights-0003-0.2.hdf5: w3
EOF

# The upstream run is deleted between the preview and the start.
mkfifo "$TEST_TMP/fifo"
"$GUILD" run predict < "$TEST_TMP/fifo" > "$TEST_TMP/race" 2>&1 &
gpid=$!
exec 3> "$TEST_TMP/fifo"
wait_for 120 grep -q 'Continue?' "$TEST_TMP/race"
chosen=$(sed -n 's/^  trained-model: //p' "$TEST_TMP/race")
rm -rf "${runs:?}/$chosen"
printf '\n' >&3
exec 3>&-
wait "$gpid"
ok "deleted upstream: guild exits 1" test $? -eq 1
expect_output "deleted upstream: the message" - -- sed 1,2d "$TEST_TMP/race" <<'EOF'
Continue? (Y/n) Resolving trained-model
guild: run failed because a dependency was not met: could not resolve 'operation:train' in trained-model resource: run <id> was deleted
EOF
failed=$(newest)
expect_output "deleted upstream: the run ends as an error before it starts" - -- cat "$runs/$failed/.guild/attrs/exit_status" <<'EOF'
1
EOF
ok "deleted upstream: no PENDING is left" test ! -e "$runs/$failed/.guild/PENDING"
expect_output "deleted upstream: the message stays in the run's output" - -- cat "$runs/$failed/.guild/output" <<'EOF'
guild: run failed because a dependency was not met: could not resolve 'operation:train' in trained-model resource: run <id> was deleted
EOF

# --force-deps goes on.
rm -rf "${runs:?}"/*
expect_output "without --force-deps, nothing runs" - 1 -- guild run -y tolerant <<'EOF'
guild: run failed because a dependency was not met: could not resolve 'operation:train' in trained-model resource: no suitable run for train
EOF
expect_output "--force-deps runs without the dependency" - -- guild run -y --force-deps tolerant <<'EOF'
Resolving trained-model
guild: warning: could not resolve 'operation:train' in trained-model resource: no suitable run for train (continuing)
went on
EOF

# Files and URLs.
mkdir -p data/sub dl
echo a > data/a.csv
echo b > data/b.txt
echo c > data/sub/c.csv
echo remote > dl/remote.bin
sha=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' dl/remote.bin)
cat > guild.yml <<EOF
prepare:
  exec: sh -c 'find . -path ./.guild -prune -o -print | sort; cat data/a.csv renamed.txt remote.bin'
  requires:
    - file: data
      select: '.*\\.csv'
      path: data
    - file: data/b.txt
      rename: b\\.txt renamed.txt
    - url: file://$proj/dl/remote.bin
      sha256: $sha
    - file: missing.txt
      optional: yes
linked:
  exec: sh -c 'test -L b.txt && cat b.txt'
  requires:
    - file: data/b.txt
      target-type: link
badsha:
  exec: 'true'
  requires:
    - url: file://$proj/dl/remote.bin
      sha256: 0000000000000000000000000000000000000000000000000000000000000000
missing:
  exec: 'true'
  requires:
    - file: nothing-here
escape:
  exec: 'true'
  requires:
    - file: data/b.txt
      path: ../../outside
web:
  exec: 'true'
  requires:
    - url: https://example.org/data/model.bin
hello-file:
  exec: sh -c 'cat ./*'
  flags:
    file:
      default: data/b.txt
  requires:
    - file: \${file}
      name: file
badref:
  exec: 'true'
  requires:
    - file: data/\${nosuch}
EOF
expect_output "file: and url: sources" - -- guild run -y prepare <<'EOF'
Resolving file:data
Resolving file:data/b.txt
Resolving file://$TEST_TMP/sample-project/dl/remote.bin
Resolving file:missing.txt
guild: warning: could not resolve 'file:missing.txt' in file:missing.txt resource: $TEST_TMP/sample-project/missing.txt does not exist (continuing)
.
./data
./data/a.csv
./data/c.csv
./remote.bin
./renamed.txt
a
b
remote
EOF
id=$(newest)
ok "file: copies by default" test ! -L "$runs/$id/data/a.csv"
ok "url: links into the download cache" sh -c "readlink '$runs/$id/remote.bin' | grep -q '^\.\./\.\./cache/resources/[0-9a-f]\{64\}/remote.bin$'"
expect_output "target-type: link" - -- guild run -y linked <<'EOF'
Resolving file:data/b.txt
b
EOF
expect_output "a bad sha256" - 1 -- guild run -y badsha <<EOF
Resolving file://\$TEST_TMP/sample-project/dl/remote.bin
guild: run failed because a dependency was not met: could not resolve 'file://\$TEST_TMP/sample-project/dl/remote.bin' in file://\$TEST_TMP/sample-project/dl/remote.bin resource: bad sha256 for 'file://\$TEST_TMP/sample-project/dl/remote.bin' (expected <id><id> but got <id><id>)
EOF
expect_output "a missing file" - 1 -- guild run -y missing <<'EOF'
Resolving file:nothing-here
guild: run failed because a dependency was not met: could not resolve 'file:nothing-here' in file:nothing-here resource: $TEST_TMP/sample-project/nothing-here does not exist
EOF
expect_output "a path leaving the run directory" - 1 -- guild run -y escape <<'EOF'
Resolving file:data/b.txt
guild: run failed because a dependency was not met: could not resolve 'file:data/b.txt' in file:data/b.txt resource: invalid path '../../outside' (path must not leave the run directory)
EOF
ok "nothing was written outside" test ! -e "$GUILD_HOME/outside"
guild run -y web > "$TEST_TMP/out" 2>&1
ok "url: no network, guild exits 1" test $? -eq 1
normalize < "$TEST_TMP/out" > "$TEST_TMP/out.n"
ok "url: no network, the message names the cache" grep -q "cannot download 'https://example.org/data/model.bin': guild does not use the network; put the file at ~/.guild/cache/resources/<id><id>/model.bin$" "$TEST_TMP/out.n"
cache=$(sed -n 's|.*put the file at \(.*\)$|\1|p' "$TEST_TMP/out")
mkdir -p "$(dirname "$cache")"
echo cached > "$cache"
expect_output "url: a file in the download cache is used" - -- guild run -y web <<'EOF'
Resolving https://example.org/data/model.bin
EOF

# Guild's hello example: a file source named by a flag.
expect_output "file: \${flag} is the flag's value" - -- guild run -y hello-file <<'EOF'
Resolving file
b
EOF
expect_output "and the value the run was given" - -- guild run -y hello-file file=data/a.csv <<'EOF'
Resolving file
a
EOF
expect_output "a reference to no flag" - 1 -- guild run -y badref <<'EOF'
Resolving file:data/${nosuch}
guild: run failed because a dependency was not met: could not resolve 'file:data/${nosuch}' in file:data/${nosuch} resource: cannot resolve 'data/${nosuch}': undefined reference 'nosuch'
EOF

done_testing
