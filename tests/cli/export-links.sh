#!/bin/sh
# export-links.sh: dependency links in exports and imports: links into runs
# exported together travel (ours relative, Guild's absolute), --copy-resources
# copies what runs link to, directory exports name dangling links, and
# import takes what "tar czf x.tgz -C dir ." makes.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
model: fashion
operations:
  train:
    main: train
  predict:
    main: predict
EOF
)
RUNS_PROJECT=$proj
cd "$proj" || exit 1
runs=$GUILD_HOME/runs
out=$TEST_TMP/out
mkdir -p "$out"
TRAIN=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
PRED=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
GPRED=cccccccccccccccccccccccccccccccc

# A train run with a model, a predict run linking to it as guild does
# (relative), and one linking to it as Guild AI does (absolute).
setup()
{
	rm -rf "$GUILD_HOME"
	mkrun $TRAIN train 1539705400 0
	mkrun $PRED predict 1539705500 0
	mkrun $GPRED predict 1539705600 0
	mkdir -p "$runs/$TRAIN/model"
	printf 'weights\n' > "$runs/$TRAIN/model/w.h5"
	ln -s ../$TRAIN/model "$runs/$PRED/model"
	mkdir -p "$runs/$GPRED/model"
	ln -s "$runs/$TRAIN/model/w.h5" "$runs/$GPRED/model/w.h5"
	printf 'data\n' > "$TEST_TMP/data.csv"
	ln -s "$TEST_TMP/data.csv" "$runs/$GPRED/data.csv"
}

setup
expect_exact "an archive carries links between runs exported together" - -- guild export -y "$out/all.tgz" <<'EOF'
guild: warning: leaving out cccccccccccccccccccccccccccccccc/data.csv: it links to '$TEST_TMP/data.csv', outside the run
Exported 3 run(s) to $TEST_TMP/out/all.tgz
EOF
rm -rf "$GUILD_HOME"
expect_exact "and an import takes them" - -- guild import -y "$out/all.tgz" <<'EOF'
Imported 3 run(s) from $TEST_TMP/out/all.tgz
EOF
ok "the predict run still has its model" test "$(cat "$runs/$PRED/model/w.h5")" = weights
ok "linked, not copied" test "$(readlink "$runs/$PRED/model")" = "../$TRAIN/model"
ok "Guild's absolute link is made relative" test "$(readlink "$runs/$GPRED/model/w.h5")" = "../../$TRAIN/model/w.h5"
ok "and resolves" test "$(cat "$runs/$GPRED/model/w.h5")" = weights

setup
expect_exact "without the train run, the link cannot travel" - -- guild export -y "$out/pred.tar" $PRED <<'EOF'
guild: warning: leaving out bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/model: it links to '../aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/model', outside the run
Exported 1 run(s) to $TEST_TMP/out/pred.tar
EOF
printf 'y\nn\n' > "$TEST_TMP/yn"
EXPECT_STDIN=$TEST_TMP/yn
expect_exact "--copy-resources asks, after Guild's warning; n exports nothing" - -- sh -c '"$GUILD" export -r "$1" "$2"; echo "|$?"' sh "$out/x.zip" $PRED <<'EOF'
You are about to copy the following runs to '$TEST_TMP/out/x.zip':
  [bbbbbbbb]  ./fashion:predict  2018-10-16 15:58:20  completed
Continue? (Y/n) WARNING: You specified --copy-resources, which will copy resources used by each run.
Really copy resources exported runs? (y/N) |0
EOF
ok "n: no archive" test ! -e "$out/x.zip"
printf 'y\ny\n' > "$TEST_TMP/yy"
EXPECT_STDIN=$TEST_TMP/yy
expect_exact "--copy-resources: the linked files go in" - -- guild export -r "$out/pred.zip" $PRED $GPRED <<'EOF'
You are about to copy the following runs to '$TEST_TMP/out/pred.zip':
  [bbbbbbbb]  ./fashion:predict  2018-10-16 15:58:20  completed
  [cccccccc]  ./fashion:predict  2018-10-16 16:00:00  completed
Continue? (Y/n) WARNING: You specified --copy-resources, which will copy resources used by each run.
Really copy resources exported runs? (y/N) Exported 2 run(s) to $TEST_TMP/out/pred.zip
EOF
unset EXPECT_STDIN
rm -rf "$GUILD_HOME"
guild import -y "$out/pred.zip" > /dev/null 2>&1
ok "--copy-resources: an imported predict run has its model files" test -f "$runs/$PRED/model/w.h5" -a ! -L "$runs/$PRED/model" -a "$(cat "$runs/$PRED/model/w.h5" 2>/dev/null)" = weights
ok "--copy-resources: and Guild's links too" test -f "$runs/$GPRED/model/w.h5" -a ! -L "$runs/$GPRED/model/w.h5" -a -f "$runs/$GPRED/data.csv"

# Directories.
setup
expect_exact "a directory export makes links between exported runs relative" - -- guild export -y "$out/dir" <<'EOF'
Exported 3 run(s) to $TEST_TMP/out/dir
EOF
ok "ours resolve in the export" test "$(cat "$out/dir/$PRED/model/w.h5")" = weights
ok "Guild's resolve in the export" test "$(readlink "$out/dir/$GPRED/model/w.h5")" = "../../$TRAIN/model/w.h5"
ok "links out of the runs are kept" test "$(readlink "$out/dir/$GPRED/data.csv")" = "$TEST_TMP/data.csv"
expect_exact "a relative link to a run not exported" - -- guild export -y -m "$out/dir2" $PRED <<'EOF'
Exported 1 run(s) to $TEST_TMP/out/dir2
EOF
ok "becomes absolute, and still resolves" test "$(readlink "$out/dir2/$PRED/model")" = "$runs/$TRAIN/model" -a -f "$out/dir2/$PRED/model/w.h5"
rm -rf "$runs/$TRAIN"
expect_exact "dangling links are named" - -- guild export -y "$out/dir3" $GPRED <<EOF
guild: warning: \$TEST_TMP/out/dir3/$GPRED/model/w.h5 links to '~/.guild/runs/$TRAIN/model/w.h5', which does not exist
Exported 1 run(s) to \$TEST_TMP/out/dir3
EOF
expect_exact "--copy-resources: a link to nothing is left out, saying so" - -- guild export -y -r "$out/dir4" $GPRED <<EOF
guild: warning: leaving out $GPRED/model/w.h5: it links to '~/.guild/runs/$TRAIN/model/w.h5', which does not exist
Exported 1 run(s) to \$TEST_TMP/out/dir4
EOF
ok "--copy-resources into a directory copies the rest" test -f "$out/dir4/$GPRED/data.csv" -a ! -L "$out/dir4/$GPRED/data.csv"

# Links that loop are followed once, not forever.
setup
mkdir -p "$TEST_TMP/loop/sub"
ln -s .. "$TEST_TMP/loop/sub/up"
ln -s "$TEST_TMP/loop" "$runs/$TRAIN/loop"
expect_exact "--copy-resources: a link loop is cut" - -- guild export -y -r "$out/loop.tar" $TRAIN <<EOF
guild: warning: leaving out $TRAIN/loop/sub/up: its links loop
Exported 1 run(s) to \$TEST_TMP/out/loop.tar
EOF
expect_exact "--copy-resources: into a directory too" - -- guild export -y -r "$out/loopdir" $TRAIN <<EOF
guild: warning: leaving out $TRAIN/loop/sub/up: its links loop
Exported 1 run(s) to \$TEST_TMP/out/loopdir
EOF

# What tar makes of a directory export.
setup
guild export -y "$out/tardir" > /dev/null 2>&1
rm "$out/tardir/$GPRED/data.csv"
(cd "$out/tardir" && tar czf "$out/bytar.tgz" .)
rm -rf "$GUILD_HOME"
expect_exact "import takes 'tar czf x.tgz -C dir .'" - -- guild import -y "$out/bytar.tgz" <<'EOF'
Imported 3 run(s) from $TEST_TMP/out/bytar.tgz
EOF
ok "with its links" test "$(cat "$runs/$PRED/model/w.h5")" = weights
expect_exact "and lists them" - -- guild runs <<'EOF'
[0:cccccccc]  ./fashion:predict  2018-10-16 16:00:00  completed
[1:bbbbbbbb]  ./fashion:predict  2018-10-16 15:58:20  completed
[2:aaaaaaaa]  ./fashion:train    2018-10-16 15:56:40  completed
EOF
rm -rf "$GUILD_HOME"
expect_exact "importing one run of it names the link it leaves dangling" - -- guild import -y "$out/bytar.tgz" $PRED <<EOF
guild: warning: ~/.guild/runs/$PRED/model links to '../$TRAIN/model', which does not exist
Imported 1 run(s) from \$TEST_TMP/out/bytar.tgz
EOF

done_testing
