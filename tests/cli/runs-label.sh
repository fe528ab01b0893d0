#!/bin/sh
# runs-label.sh: guild label, tag, mark and comment (and their runs
# forms): what they write to the run, in Guild's format, the questions,
# and their errors.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
model: fashion
operations:
  train:
    main: train
EOF
)
RUNS_PROJECT=$proj
cd "$proj" || exit 1
mkwalkthrough
setattr $WT_OK flags 'lr: 0.01
epochs: 5'
attr()
{
	cat "$GUILD_HOME/runs/$1/.guild/attrs/$2"
}

# label
expect_exact "label needs an action" - 1 -- guild label <<'EOF'
guild: specify one of --set, --prepend, --append, --remove or --clear
Try 'guild label --help' for more information.
EOF
expect_exact "one action only" - 1 -- guild label -s a -a b <<'EOF'
guild: --set and --append cannot both be used
EOF
printf '\n' > "$TEST_TMP/enter"
EXPECT_STDIN=$TEST_TMP/enter expect_exact "label --set: newest run, question" - -- guild label --set 'lr=${lr} best' <<'EOF'
You are about to label the following runs with 'lr=${lr} best':
  [19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
Continue? (Y/n) Labeled 1 run(s)
EOF
ok "the flag is in the label" test "$(attr $WT_OK label)" = "lr=0.01 best"
expect_exact "the label is listed" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  lr=0.01 best
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "--prepend" - -- guild label -y -p 'epochs=${epochs}' 0 <<'EOF'
Labeled 1 run(s)
EOF
ok "prepended" test "$(attr $WT_OK label)" = "epochs=5 lr=0.01 best"
expect_exact "--append" - -- guild label -y --append final <<'EOF'
Labeled 1 run(s)
EOF
ok "appended" test "$(attr $WT_OK label)" = "epochs=5 lr=0.01 best final"
expect_exact "--remove twice (-rm)" - -- guild label -y -rm best --remove epochs=5 <<'EOF'
Labeled 1 run(s)
EOF
ok "removed" test "$(attr $WT_OK label)" = "lr=0.01 final"
expect_exact "--remove a part of a word removes nothing" - -- guild label -y -rm fin <<'EOF'
Labeled 1 run(s)
EOF
ok "unchanged" test "$(attr $WT_OK label)" = "lr=0.01 final"
expect_exact "runs label 1, two runs by range" - -- guild runs label -y -s x 0:1 <<'EOF'
Labeled 2 run(s)
EOF
ok "both labeled" test "$(attr $WT_ERR label)" = x -a "$(attr $WT_OK label)" = x
expect_exact "label --clear" - -- guild label -y -c 1 <<'EOF'
Cleared label for 1 run(s)
EOF
ok "the attr is gone" test ! -e "$GUILD_HOME/runs/$WT_ERR/.guild/attrs/label"
expect_exact "label with a filter that selects nothing" - -- guild label -y -s z -Sr <<'EOF'
No runs to modify.
EOF
ok "labels are written as Guild writes them" test "$(attr $WT_OK label)" = x

# tag
expect_exact "tag needs an action" - 1 -- guild tag <<'EOF'
guild: specify one of --add, --delete, --clear or --list-all
Try 'guild tag --help' for more information.
EOF
EXPECT_STDIN=$TEST_TMP/enter expect_exact "tag --add, question" - -- guild tag -a v1 -a best <<'EOF'
You are about to modify tags for the following runs
(their labels stay as they are: --sync-labels updates them too):
  [19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  x
Continue? (Y/n) Modified tags for 1 run(s)
EOF
expect_exact "tags are a sorted YAML list" - -- attr $WT_OK tags <<'EOF'
- best
- v1
EOF
expect_exact "tag --delete, -s syncs the label" - -- guild runs tag -y -d v1 -a v2 -s <<'EOF'
Modified tags for 1 run(s)
EOF
expect_exact "tags after" - -- attr $WT_OK tags <<'EOF'
- best
- v2
EOF
ok "the label has the added tag" test "$(attr $WT_OK label)" = "v2 x"
expect_exact "-Ft selects tagged runs" - -- guild runs -Ft best <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  v2 x
EOF
guild tag -y -a old 1 > /dev/null 2>&1
expect_exact "tag --list-all" - -- guild tag --list-all <<'EOF'
best
old
v2
EOF
expect_exact "tag --clear --sync-labels" - -- guild tag -y -c -s 0 <<'EOF'
Modified tags for 1 run(s)
EOF
ok "no tags left: the attr is gone" \
    test ! -e "$GUILD_HOME/runs/$WT_OK/.guild/attrs/tags"
ok "nor in the label" test "$(attr $WT_OK label)" = "x"
expect_exact "--list-all and --add" - 1 -- guild tag --list-all -a x <<'EOF'
guild: --list-all cannot be used with --add, --delete or --clear
EOF

# mark
EXPECT_STDIN=$TEST_TMP/enter expect_exact "mark, question" - -- guild mark 1 <<'EOF'
You are about to mark the following runs:
  [1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
Continue? (Y/n) Marked 1 run(s)
EOF
expect_exact "marked: true" - -- attr $WT_ERR marked <<'EOF'
true
EOF
expect_exact "listed [marked]" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train           2018-10-16 15:57:32  completed  x
[1:1451e20c]  ./fashion:train [marked]  2018-10-16 15:57:23  error
EOF
expect_exact "runs mark -y: the newest" - -- guild runs mark -y <<'EOF'
Marked 1 run(s)
EOF
expect_exact "-M" - -- guild runs -M <<'EOF'
[0:19c67a72]  ./fashion:train [marked]  2018-10-16 15:57:32  completed  x
[1:1451e20c]  ./fashion:train [marked]  2018-10-16 15:57:23  error
EOF
expect_exact "mark --clear: every marked run" - -- guild mark --clear -y <<'EOF'
Unmarked 2 run(s)
EOF
ok "the attr is gone" test ! -e "$GUILD_HOME/runs/$WT_OK/.guild/attrs/marked"
expect_exact "mark --clear with nothing marked" - -- guild mark -c -y <<'EOF'
No runs to unmark.
EOF

# comment
expect_exact "comment -l: none yet" - -- guild comment -l <<'EOF'
[19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  x
  <no comments>
EOF
EXPECT_STDIN=$TEST_TMP/enter expect_exact "comment -a, question" - -- guild comment -a 'First try.' -u alice@gpu1 <<'EOF'
You are about to add a comment to the following runs:
  [19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  x
Continue? (Y/n) Added comment to 1 run(s)
EOF
USER=bob expect_exact "comment -a -y as the current user" - -- guild runs comment -y -a 'Second.' <<'EOF'
Added comment to 1 run(s)
EOF
host=$(hostname 2>/dev/null || uname -n)
expect_output "comment -l numbers them" - -- guild comment -l <<EOF
[19c67a72]  ./fashion:train  <time>  completed  x
  [1] alice@gpu1 <time>
    First try.
  [2] bob@$host <time>
    Second.
EOF
ok "comments attr has body, host, time, user" \
    sh -c "grep -q '^- body: First try.\$' '$GUILD_HOME/runs/$WT_OK/.guild/attrs/comments' &&
    grep -q '^  host: gpu1\$' '$GUILD_HOME/runs/$WT_OK/.guild/attrs/comments' &&
    grep -q '^  time: [0-9]\{16\}\$' '$GUILD_HOME/runs/$WT_OK/.guild/attrs/comments' &&
    grep -q '^  user: alice\$' '$GUILD_HOME/runs/$WT_OK/.guild/attrs/comments'"
expect_output "-Fc selects by comment" - -- guild runs -Fc first <<'EOF'
[0:<id>]  ./fashion:train  <time>  completed  x
EOF
expect_exact "comment -d 1" - -- guild comment -y -d 1 <<'EOF'
Deleted comment for 1 run(s)
EOF
expect_output "one left" - -- guild comment -l <<EOF
[19c67a72]  ./fashion:train  <time>  completed  x
  [1] bob@$host <time>
    Second.
EOF
expect_exact "comment -d 0 is an error" - 1 -- guild comment -y -d 0 <<'EOF'
guild: invalid value for --delete: comments are numbered from 1
EOF
expect_exact "comment -c asks, default no" - -- guild comment -c <<'EOF'
WARNING: You are about to delete ALL comments from the following runs:
  [19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed  x
Continue? (y/N) 
EOF
expect_exact "comment -c -y" - -- guild comment -c -y <<'EOF'
Deleted all comments for 1 run(s)
EOF
ok "the attr is gone" test ! -e "$GUILD_HOME/runs/$WT_OK/.guild/attrs/comments"
expect_exact "comment without -a needs a terminal" - 1 -- guild comment <<'EOF'
guild: specify a comment with --add TEXT (without it the comment is written in an editor, which needs a terminal)
EOF
expect_exact "comment: two actions" - 1 -- guild comment -l -c <<'EOF'
guild: use only one of --list, --add/--edit, --delete and --clear
EOF

# The editor: $EDITOR gets a file; '#' lines are left out.
cat > "$TEST_TMP/editor" <<'EOF'
#!/bin/sh
{ echo 'Edited comment.'; echo '# ignored'; cat "$1"; } > "$1.new" && mv "$1.new" "$1"
EOF
chmod +x "$TEST_TMP/editor"
USER=carol EDITOR=$TEST_TMP/editor expect_exact "comment -e: the editor" - -- guild comment -e 1 <<'EOF'
Added comment to 1 run(s)
EOF
expect_output "the edited comment" - -- guild comment -l 1 <<EOF
[1451e20c]  ./fashion:train  <time>  error
  [1] carol@$host <time>
    Edited comment.
EOF
cat > "$TEST_TMP/empty-editor" <<'EOF'
#!/bin/sh
: > "$1"
EOF
chmod +x "$TEST_TMP/empty-editor"
EDITOR=$TEST_TMP/empty-editor expect_exact "an empty comment aborts" - 1 -- guild comment -e <<'EOF'
Aborting due to an empty comment.
EOF

done_testing
