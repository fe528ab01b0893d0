#!/bin/sh
# export.sh: guild export and guild import: directories and archives (tar,
# tar.gz, zip), --move, selection, the question, skipped runs, and hostile
# archives refused whole.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
model: fashion
operations:
  train:
    main: train
  churn:
    exec: sh .guild/sourcecode/churn.sh
EOF
)
# Files that come and go while the run is exported.
cat > "$proj/churn.sh" <<'EOF'
# Until the test says stop, or its directory is gone (the test is over;
# ten minutes at most): export must meet it running.
i=0
while [ $i -lt 12000 ] && [ ! -e "$CHURN_STOP" ] && [ -d "${CHURN_STOP%/*}" ]; do
	echo $i > f$i
	rm -f f$((i - 1))
	i=$((i + 1))
	sleep 0.05
done
EOF
RUNS_PROJECT=$proj
cd "$proj" || exit 1
runs=$GUILD_HOME/runs
out=$TEST_TMP/out
mkdir -p "$out"

# A listing of a tree: paths, types, link targets and modes.
tree()
{
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while read -r p; do
		if [ -L "$p" ]; then
			printf '%s -> %s\n' "$p" "$(readlink "$p")"
		elif [ -d "$p" ]; then
			printf '%s/\n' "$p"
		else
			printf '%s %s\n' "$p" "$(stat -c %a "$p")"
		fi
	done)
}

# Wipe the Guild home's runs (and index), keeping the project.
reset_home()
{
	rm -rf "$GUILD_HOME"
}

expect_exact "nothing to export" - -- guild export -y "$out/none" <<'EOF'
No runs to export.
EOF
expect_exact "LOCATION is required" - 1 -- guild export <<'EOF'
guild: missing argument 'LOCATION'
Try 'guild export --help' for more information.
EOF

mkwalkthrough
printf 'w1\n' > "$runs/$WT_OK/weights.h5"
chmod 755 "$runs/$WT_OK/weights.h5"
ln -s weights.h5 "$runs/$WT_OK/latest.h5"
ln -s /etc/hostname "$runs/$WT_OK/outside"
tree "$runs/$WT_OK" > "$TEST_TMP/tree-ok"
tree "$runs/$WT_ERR" > "$TEST_TMP/tree-err"

# The question; Enter confirms, n aborts.
EXPECT_STDIN=$TEST_TMP/no
printf 'n\n' > "$EXPECT_STDIN"
expect_exact "the question, n aborts" - -- sh -c '"$GUILD" export "$1"; echo "|$?"' sh "$out/dir" <<'EOF'
You are about to copy the following runs to '$TEST_TMP/out/dir':
  [19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
  [1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
Continue? (Y/n) |0
EOF
ok "nothing exported" test ! -e "$out/dir"
printf '\n' > "$EXPECT_STDIN"
expect_exact "walkthrough: export to a directory, Enter confirms" - -- guild export "$out/dir" <<'EOF'
You are about to copy the following runs to '$TEST_TMP/out/dir':
  [19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
  [1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
Continue? (Y/n) Exported 2 run(s) to $TEST_TMP/out/dir
EOF
unset EXPECT_STDIN
ok "runs are LOCATION/<id>" test -f "$out/dir/$WT_OK/.guild/opref" -a -f "$out/dir/$WT_ERR/.guild/opref"
ok "Guild's .guild-nocopy marker" test -f "$out/dir/.guild-nocopy"
tree "$out/dir/$WT_OK" > "$TEST_TMP/tree-copy"
ok "files, modes and links are kept (even links outside)" cmp -s "$TEST_TMP/tree-ok" "$TEST_TMP/tree-copy"
ok "no temporary directory is left" test -z "$(ls -A "$out/dir" | grep -v -e '^[0-9a-f]\{32\}$' -e '^.guild-nocopy$')"
ok "the originals stay" test -d "$runs/$WT_OK" -a -d "$runs/$WT_ERR"
expect_exact "runs already there are skipped" - -- guild export -y "$out/dir" 0 <<EOF
guild: warning: \$TEST_TMP/out/dir/$WT_OK exists, skipping
Exported 0 run(s) to \$TEST_TMP/out/dir
EOF
expect_exact "export is also guild runs export" - -- guild runs export -y "$out/dir2" 1 <<'EOF'
Exported 1 run(s) to $TEST_TMP/out/dir2
EOF
ok "the run selected" test -d "$out/dir2/$WT_ERR" -a ! -e "$out/dir2/$WT_OK"
expect_exact "filters apply" - -- guild export -y "$out/dir3" -C <<'EOF'
Exported 1 run(s) to $TEST_TMP/out/dir3
EOF
ok "the run filtered" test -d "$out/dir3/$WT_OK" -a ! -e "$out/dir3/$WT_ERR"
: > "$out/file"
expect_exact "a file is not a directory" - 1 -- guild export -y "$out/file" <<'EOF'
guild: $TEST_TMP/out/file is not a directory or an archive name (.tar, .tar.gz, .tgz, .zip)
EOF

# Archives.
for ext in tar tar.gz tgz zip; do
	expect_exact "export to .$ext: a link outside the run is left out" - -- guild export -y "$out/runs.$ext" <<EOF
guild: warning: leaving out $WT_OK/outside: it links to '/etc/hostname', outside the run
Exported 2 run(s) to \$TEST_TMP/out/runs.$ext
EOF
done
ok "tar.gz is gzip" sh -c "gzip -t '$out/runs.tar.gz'"
ok "zip is zip" sh -c "head -c 2 '$out/runs.zip' | grep -q PK"
expect_exact "an archive is not overwritten" - 1 -- guild export -y "$out/runs.tar" <<'EOF'
guild: $TEST_TMP/out/runs.tar exists
EOF
ok "no temporary archive is left" test -z "$(ls "$out" | grep tmp)"

for ext in tar tar.gz tgz zip; do
	reset_home
	expect_exact "import .$ext" - -- guild import -y "$out/runs.$ext" <<EOF
Imported 2 run(s) from \$TEST_TMP/out/runs.$ext
EOF
	tree "$runs/$WT_OK" | grep -v outside > "$TEST_TMP/want"
	tree "$runs/$WT_OK" > "$TEST_TMP/got"
	ok "import .$ext: files, modes and links" sh -c "grep -v outside '$TEST_TMP/tree-ok' | cmp -s - '$TEST_TMP/got'"
	tree "$runs/$WT_ERR" > "$TEST_TMP/got"
	ok "import .$ext: the other run" cmp -s "$TEST_TMP/tree-err" "$TEST_TMP/got"
	ok "import .$ext: no temporary directory left" test -z "$(ls -A "$runs" | grep -v '^[0-9a-f]\{32\}$')"
done
expect_exact "imported runs are listed" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "import the same runs again: skipped" - -- guild import -y "$out/runs.tar" <<EOF
guild: warning: run $WT_OK exists, skipping
guild: warning: run $WT_ERR exists, skipping
Imported 0 run(s) from \$TEST_TMP/out/runs.tar
EOF
guild runs rm -y 0 > /dev/null 2>&1
expect_exact "a run in the trash is skipped too" - -- guild import -y "$out/runs.tar" 0 <<EOF
guild: warning: run $WT_OK exists in the trash (see 'guild runs restore'), skipping
Imported 0 run(s) from \$TEST_TMP/out/runs.tar
EOF

reset_home
EXPECT_STDIN=$TEST_TMP/enter
printf '\n' > "$EXPECT_STDIN"
expect_exact "import asks, listing the archive's runs" - -- guild import "$out/runs.zip" <<'EOF'
You are about to import (copy) the following runs from '$TEST_TMP/out/runs.zip':
  [19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
  [1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
Continue? (Y/n) Imported 2 run(s) from $TEST_TMP/out/runs.zip
EOF
reset_home
printf 'n\n' > "$EXPECT_STDIN"
expect_exact "n imports nothing" - -- sh -c '"$GUILD" import "$1"; echo "|$?"' sh "$out/runs.zip" <<'EOF'
You are about to import (copy) the following runs from '$TEST_TMP/out/runs.zip':
  [19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
  [1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
Continue? (Y/n) |0
EOF
unset EXPECT_STDIN
ok "n: no run, no temporary directory" test -z "$(ls -A "$runs")"
expect_exact "import selects the archive's runs by index" - -- guild runs import -y "$out/runs.tgz" 1 <<'EOF'
Imported 1 run(s) from $TEST_TMP/out/runs.tgz
EOF
ok "the run selected" test -d "$runs/$WT_ERR" -a ! -e "$runs/$WT_OK"
reset_home
expect_exact "and by id prefix" - -- guild import -y "$out/runs.tgz" 19c6 <<'EOF'
Imported 1 run(s) from $TEST_TMP/out/runs.tgz
EOF
ok "the run selected" test -d "$runs/$WT_OK" -a ! -e "$runs/$WT_ERR"
reset_home
expect_exact "an unknown spec" - 1 -- guild import -y "$out/runs.tgz" ffff <<'EOF'
guild: could not find a run matching 'ffff'
Try 'guild runs list' for a list.
EOF
ok "nothing imported, no temporary directory" test -z "$(ls -A "$runs")"

# Directories.
reset_home
expect_exact "import a directory (copy)" - -- guild import -y "$out/dir" <<'EOF'
Imported 2 run(s) from $TEST_TMP/out/dir
EOF
tree "$runs/$WT_OK" > "$TEST_TMP/got"
ok "import a directory: links kept as they are" cmp -s "$TEST_TMP/tree-ok" "$TEST_TMP/got"
ok "the directory keeps its runs" test -d "$out/dir/$WT_OK"
reset_home
cp -a "$out/dir" "$out/dirmove"
expect_exact "import --move from a directory" - -- guild import -y -m "$out/dirmove" <<'EOF'
Imported 2 run(s) from $TEST_TMP/out/dirmove
EOF
ok "the runs moved" test -d "$runs/$WT_OK" -a ! -e "$out/dirmove/$WT_OK"
expect_exact "--move needs a directory" - 1 -- guild import -y -m "$out/runs.zip" <<'EOF'
guild: '--move' can only be used with a directory
EOF
expect_exact "a missing archive" - 1 -- guild import -y "$out/nothing.zip" <<'EOF'
guild: archive '$TEST_TMP/out/nothing.zip' does not exist
EOF
expect_exact "ARCHIVE is required" - 1 -- guild import <<'EOF'
guild: missing argument 'ARCHIVE'
Try 'guild import --help' for more information.
EOF

# export --move: the originals go once all are exported.
expect_exact "export --move to an archive" - -- guild export -y -m "$out/moved.tar.gz" <<EOF
guild: warning: leaving out $WT_OK/outside: it links to '/etc/hostname', outside the run
Exported 2 run(s) to \$TEST_TMP/out/moved.tar.gz
EOF
ok "the runs are gone" test -z "$(ls -A "$runs")"
expect_exact "and no longer listed" - -- guild runs <<'EOF'
EOF
guild import -y "$out/moved.tar.gz" > /dev/null 2>&1
expect_exact "export --move to a directory" - -- guild export -y -m "$out/moved" 0 <<'EOF'
Exported 1 run(s) to $TEST_TMP/out/moved
EOF
ok "that run is gone, the other stays" test ! -e "$runs/$WT_OK" -a -d "$runs/$WT_ERR"

# A running run can be copied, not moved.
reset_home
CHURN_STOP=$TEST_TMP/churn-stop
export CHURN_STOP
guild run -y churn < /dev/null > /dev/null 2>&1 &
runpid=$!
wait_for 120 sh -c 'ls "$1"/*/f3 > /dev/null 2>&1' sh "$runs"
ok "export a running run to an archive" sh -c '"$GUILD" export -y "$1" > /dev/null 2>&1' sh "$out/live.tar.gz"
ok "export a running run to a directory" sh -c '"$GUILD" export -y "$1" > /dev/null 2>&1' sh "$out/live"
live=$(ls "$runs")
expect_exact "a running run cannot be moved" - 1 -- guild export -y -m "$out/live2" <<EOF
guild: cannot move run $live: it is running
Stop it first with 'guild stop $(printf %.8s "$live")'.
EOF
touch "$CHURN_STOP"
wait $runpid
ok "the run is still there" test -d "$runs/$live"

# Hostile archives: refused whole, with a clear error, nothing imported.
reset_home
mkdir -p "$runs"
ID=0123456789abcdef0123456789abcdef
ID2=fedcba9876543210fedcba9876543210
if ! command -v python3 > /dev/null 2>&1; then
	skip "hostile archives" "python3 not installed"
	done_testing
fi
# hostile NAME KIND SPEC...: an archive made by python3; each SPEC is
# TYPE:NAME[:DATA] with TYPE f (file), d (dir), l (symlink to DATA),
# h (hard link to DATA), c (character device), p (FIFO); OPREF in DATA
# stands for an opref.
hostile()
{
	python3 - "$@" <<'PY'
import io, sys, tarfile, zipfile, stat
path, kind, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
def parts(s):
    t, rest = s.split(":", 1)
    name, _, data = rest.partition(":")
    return t, name, data.replace("OPREF", "guildfile:/p/guild.yml x fashion train")
if kind == "zip":
    with zipfile.ZipFile(path, "w") as z:
        for s in specs:
            t, name, data = parts(s)
            info = zipfile.ZipInfo(name)
            if t == "l":
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                z.writestr(info, data)
            elif t == "d":
                info.external_attr = (stat.S_IFDIR | 0o755) << 16
                z.writestr(info if name.endswith("/") else zipfile.ZipInfo(name + "/"), "")
            else:
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                z.writestr(info, data)
else:
    with tarfile.open(path, "w:gz" if kind == "tgz" else "w") as tf:
        for s in specs:
            t, name, data = parts(s)
            ti = tarfile.TarInfo(name)
            ti.mode = 0o755 if t == "d" else 0o644
            if t == "f":
                b = data.encode()
                ti.size = len(b)
                tf.addfile(ti, io.BytesIO(b))
                continue
            ti.type = {"d": tarfile.DIRTYPE, "l": tarfile.SYMTYPE,
                       "h": tarfile.LNKTYPE, "c": tarfile.CHRTYPE,
                       "p": tarfile.FIFOTYPE}[t]
            if t in "lh":
                ti.linkname = data
            tf.addfile(ti)
PY
}
good="f:$ID/.guild/opref:OPREF f:$ID/.guild/attrs/started:1539705452000000"
refused()
{
	_name=$1
	_want=$2
	shift 2
	rm -f "$TEST_TMP/h.tar"
	hostile "$TEST_TMP/h.tar" tar $good "$@"
	expect_exact "refused: $_name" - 1 -- guild import -y "$TEST_TMP/h.tar" <<EOF
guild: cannot import \$TEST_TMP/h.tar: \$TEST_TMP/h.tar: $_want
Nothing was imported.
EOF
	ok "refused: $_name: nothing imported, nothing left" test -z "$(ls -A "$runs")"
}
hostile "$TEST_TMP/good.tar" tar $good "l:$ID/link:.guild/opref" "h:$ID/hard:$ID/.guild/opref"
expect_exact "a hand-made archive in Guild's format" - -- guild import -y "$TEST_TMP/good.tar" <<'EOF'
Imported 1 run(s) from $TEST_TMP/good.tar
EOF
ok "with its links" test -L "$runs/$ID/link" -a -f "$runs/$ID/hard"
reset_home
mkdir -p "$runs"
refused "absolute path" "entry '/tmp/x': absolute path" "f:/tmp/x:x"
refused "dot-dot" "entry '$ID/../../x': '..' in the path" "f:$ID/../../x:x"
refused "absolute symlink" "symbolic link '$ID/l' -> '/etc/passwd' points outside its run" "l:$ID/l:/etc/passwd"
refused "symlink climbing out" "symbolic link '$ID/l' -> '../$ID2' points outside its run" "l:$ID/l:../$ID2"
refused "symlink chain" "symbolic link '$ID/t' -> 's/../../x' points outside its run" "l:$ID/s:." "l:$ID/t:s/../../x"
refused "hard link outside" "hard link '$ID/h' -> '/etc/passwd' points outside its run" "h:$ID/h:/etc/passwd"
refused "hard link to another run" "hard link '$ID/h' -> '$ID2/f' points outside its run" "f:$ID2/f:x" "f:$ID2/.guild/opref:x" "h:$ID/h:$ID2/f"
refused "device" "entry '$ID/null' is a character device" "c:$ID/null"
refused "FIFO" "entry '$ID/fifo' is a FIFO" "p:$ID/fifo"
refused "duplicate entry" "entry '$ID/.guild/opref' appears more than once" "f:./$ID/.guild/opref:again"
refused "top-level file" "top-level entry 'README' is not a directory" "f:README:hi"
rm -f "$TEST_TMP/h.tar"
hostile "$TEST_TMP/h.tar" tar $good "f:notarun/.guild/opref:x"
expect_exact "refused: a directory not named by a run id" - 1 -- guild import -y "$TEST_TMP/h.tar" <<'EOF'
guild: cannot import $TEST_TMP/h.tar: 'notarun' is not a run directory (run directories are named by 32-digit hex ids)
Nothing was imported.
EOF
ok "nothing imported" test -z "$(ls -A "$runs")"
rm -f "$TEST_TMP/h.tar"
hostile "$TEST_TMP/h.tar" tar $good "f:$ID2/weights:x"
expect_exact "refused: a directory without .guild/opref" - 1 -- guild import -y "$TEST_TMP/h.tar" <<EOF
guild: cannot import \$TEST_TMP/h.tar: '$ID2' is not a run directory (it has no .guild/opref)
Nothing was imported.
EOF
ok "nothing imported, even the good run" test -z "$(ls -A "$runs")"
hostile "$TEST_TMP/h.zip" zip $good "l:$ID/l:/etc/passwd"
expect_exact "refused: a zip with an absolute symlink" - 1 -- guild import -y "$TEST_TMP/h.zip" <<EOF
guild: cannot import \$TEST_TMP/h.zip: \$TEST_TMP/h.zip: symbolic link '$ID/l' -> '/etc/passwd' points outside its run
Nothing was imported.
EOF
hostile "$TEST_TMP/h2.zip" zip $good "f:../evil:x"
expect_exact "refused: a zip slip" - 1 -- guild import -y "$TEST_TMP/h2.zip" <<'EOF'
guild: cannot import $TEST_TMP/h2.zip: $TEST_TMP/h2.zip: entry '../evil': '..' in the path
Nothing was imported.
EOF
ok "nothing written outside" test ! -e "$GUILD_HOME/runs/../evil" -a ! -e "$GUILD_HOME/evil"
printf 'not an archive\n' > "$TEST_TMP/junk.tar"
expect_exact "refused: not an archive" - 1 -- guild import -y "$TEST_TMP/junk.tar" <<'EOF'
guild: cannot import $TEST_TMP/junk.tar: $TEST_TMP/junk.tar: Unrecognized archive format
Nothing was imported.
EOF
ok "nothing left behind" test -z "$(ls -A "$runs")"

done_testing
