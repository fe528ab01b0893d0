#!/bin/sh
# merge.sh: guild merge: a run's source code, project-local dependencies
# and (--all) generated files copied into the project, with Guild's checks
# against replacing files: plain directories, git work trees (tracked and
# clean is fine, unstaged changes or untracked files are not), --replace,
# --no-replace, --target-dir, --preview, and the project check.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
op:
  exec: sh .guild/sourcecode/op.sh
  requires:
    - file: data.txt
EOF
)
printf 'echo result > out.txt\n' > "$proj/op.sh"
printf 'data\n' > "$proj/data.txt"
cd "$proj" || exit 1
guild run -y op > /dev/null 2>&1
run=$(ls "$GUILD_HOME/runs")
short=$(printf %.8s "$run")
# The run's files as they were; now the project changes.
printf 'echo changed > out.txt\n' > op.sh
printf 'new data\n' > data.txt

expect_exact "replacing files in a plain directory is refused" - 1 -- guild merge -y <<'EOF'
guild: files in the current directory would be replaced:
  data.txt
  op.sh
Use --replace to skip this check.
EOF
ok "nothing copied" grep -q changed op.sh
expect_output "--preview shows what would be copied and skipped" - -- guild merge -p --replace -a <<EOF
Merge will copy files from the following run to the current directory:
  [$short]  ./op  <time>  completed
Files:
  data.txt
  op.sh
  out.txt
Skipped:
  guild.yml  unchanged
EOF
ok "--preview copies nothing" grep -q changed op.sh
expect_output "--replace copies; without --all, generated files stay" - -- guild merge -y --replace <<'EOF'
Copying data.txt
Copying op.sh
EOF
ok "the run's source is back" grep -q result op.sh
ok "and its dependency" grep -qx data data.txt
ok "not what it generated" test ! -e out.txt
expect_output "nothing left to copy" - -- guild merge -y <<EOF
Nothing to copy for the following run:
  [$short]  ./op  <time>  completed
Try 'guild merge --preview' for a list of skipped files.
EOF
printf 'n\n' > "$TEST_TMP/n"
EXPECT_STDIN=$TEST_TMP/n
expect_output "the question; n copies nothing" - -- sh -c '"$GUILD" merge -a; echo "|$?"' <<EOF
You are about to copy files from the following run to the current directory:
  [$short]  ./op  <time>  completed
Files:
  out.txt
4 files will not be copied (use --preview to show the full list)
Continue? (y/N) |0
EOF
unset EXPECT_STDIN
ok "n: nothing copied" test ! -e out.txt
expect_output "--sourcecode: no dependencies, no generated files" - -- guild merge -p -s <<EOF
Merge will copy files from the following run to the current directory:
  [$short]  ./op  <time>  completed
Files:
  nothing to copy
Skipped:
  data.txt  unchanged
  data.txt  skipped dependency
  guild.yml  unchanged
  op.sh  unchanged
  out.txt  non-project file
EOF
expect_exact "--exclude" - -- guild merge -y -a -x 'out*' <<EOF
Nothing to copy for the following run:
  [$short]  ./op  $(guild runs 2>/dev/null | sed -n 's/^\[0:[0-9a-f]*\]  \.\/op  \(.*\)  completed$/\1/p')  completed
Try 'guild merge --preview' for a list of skipped files.
EOF
expect_exact "--replace and --no-replace" - 1 -- guild merge --replace --no-replace <<'EOF'
guild: --replace and --no-replace cannot both be specified
Try 'guild merge --help' for more information.
EOF

# Another directory: the project check, and --target-dir.
mkdir -p "$TEST_TMP/elsewhere"
cd "$TEST_TMP/elsewhere" || exit 1
expect_exact "a run from another project needs --target-dir" - 1 -- guild merge -y <<EOF
guild: run $run was created from a different project (\$TEST_TMP/sample-project) - cannot merge to the current directory by default
Use '--target-dir .' to override this check or try 'guild merge --help' for more information.
EOF
expect_output "--target-dir DIR" - -- guild merge -y -t "$TEST_TMP/target" -a <<'EOF'
Copying data.txt
Copying guild.yml
Copying op.sh
Copying out.txt
EOF
ok "the files are in DIR" test -f "$TEST_TMP/target/out.txt" -a -f "$TEST_TMP/target/guild.yml"

# A git work tree: tracked and clean files may be replaced.
if ! command -v git > /dev/null 2>&1; then
	skip "git work trees" "git not installed"
	done_testing
fi
cd "$proj" || exit 1
git init -q . && git add guild.yml op.sh data.txt &&
    git -c user.email=t@t -c user.name=t commit -qm init
printf 'echo changed > out.txt\n' > op.sh
expect_exact "unstaged changes are refused" - 1 -- guild merge -y <<'EOF'
guild: files in the current directory have unstaged changes:
  op.sh
Stage or stash these changes or use --replace to skip this check.
EOF
git add op.sh
expect_exact "staged, they may be replaced" - -- guild merge -y <<'EOF'
Copying op.sh
EOF
ok "replaced" grep -q result op.sh
printf 'x\n' > out.txt
expect_exact "an untracked file is never replaced silently" - 1 -- guild merge -y -a <<'EOF'
guild: files in the current directory would be replaced:
  out.txt
Use --replace to skip this check.
EOF
ok "it is kept" grep -qx x out.txt
git add out.txt && git -c user.email=t@t -c user.name=t commit -qm out
expect_exact "--no-replace refuses even a committed file" - 1 -- guild merge -y --no-replace -a <<'EOF'
guild: files in the current directory would be replaced:
  out.txt
Use --replace to skip this check.
EOF
expect_exact "committed and clean, it may be replaced" - -- guild merge -y -a <<'EOF'
Copying out.txt
EOF
ok "replaced" grep -qx result out.txt

done_testing
