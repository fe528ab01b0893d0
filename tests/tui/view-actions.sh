#!/bin/sh
# view-actions.sh: managing runs from guild view: label, tag, mark,
# select several, delete, the trash (restore, purge), filters, details,
# files, diff, shell, compare and plot.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

proj=$(tui_project)
cd "$proj" || exit 1
guild run -y train epochs=1 > /dev/null 2>&1
guild run -y train epochs=2 lr=0.01 > /dev/null 2>&1
guild run -y train epochs=3 optimizer=sgd > /dev/null 2>&1
run0=$(guild select 0)

tui_start 100 30

# Label (the prompt starts empty, the current label one Up away) and tags.
tui_keys L
tui_expect "label asks" "Label of <id>:"
tui_keys Up
tui_expect "Up: the current label" "Label of <id>: epochs=3"
tui_keys C-u
tui_type "best ★ run"
tui_keys Enter
tui_expect "the label shows, wide characters and all" "completed   best ★ run"
ok "the label is written" sh -c "'$GUILD' runs info | grep -q '^label: best ★ run'"
tui_keys t
tui_type "keep x"
tui_keys Enter
tui_expect "tags show" "#keep #x"
tui_keys t Up
tui_expect "the tag prompt has the tags one Up away" "keep x"
tui_keys C-u
tui_type "+y -keep"
tui_keys Enter
tui_expect "+ and - edit the tags" "#x #y"
tui_keys m
tui_expect "mark" "[marked]"
tui_keys m
tui_expect_not "mark again unmarks" "[marked]"

# Details of the run.
tui_keys Enter
tui_expect "Enter shows the details" "Run <id>"
tui_expect "with its flags" "optimizer: sgd"
tui_expect "its scalars with a sparkline" "loss    0.6"
tui_keys q

# i shows the details too; o shows the runs of the selected operation.
tui_keys i
tui_expect "i shows the details" "sourcecode_digest"
tui_keys q o
tui_expect "o: the runs of the operation" "op: fashion:train"
tui_keys o
tui_expect "o again: every run" "Showing the runs of every operation"

# Filters: a pattern over operation, label and tags; an expression.
tui_keys /
tui_type "best"
tui_expect "the pattern filters as it is typed" "Runs  1 of 3  /best/"
tui_keys Enter Escape
tui_expect "Esc clears it" "Filter cleared"
tui_keys :
tui_type "epochs >= 2"
tui_keys Enter
tui_expect "an expression filters as guild runs -F" "Runs  2  :epochs >= 2"
tui_keys : C-u
tui_type "epochs >>"
tui_keys Enter
tui_expect "a bad expression is an error" \
    "syntax error in filter at column 9: unexpected '>'"
tui_expect "and the filter stays" "Runs  2  :epochs >= 2"
tui_keys : C-u Enter
tui_expect "an empty expression clears it" "Runs  3"

# Several runs: select, then act on all of them.
tui_keys Space Space
tui_expect "Space selects" "2 selected"
tui_keys L C-u
tui_type pair
tui_keys Enter
tui_expect "a label for both" "Labeled 2 runs"
tui_keys A
tui_expect "select-all" "Selected 3 runs"
tui_keys A
tui_expect "again clears" "Selection cleared"

# Compare. Its time column reads 0:00:00 as guild compare's does: room
# for the flag columns after it.
tui_resize 110 30
tui_keys c
tui_expect "compare" "Compare  3 runs"
tui_expect "flags are columns" "=epochs"
tui_keys l l l l l l S
tui_expect "sort by a column" "sorted by =epochs desc"
tui_keys '>'
tui_expect "move a column right" "=lr   =epochs"
tui_keys '<'
tui_expect "and back" "=epochs  =lr"
tui_keys u
tui_expect "skip unchanged columns" "unchanged skipped"
tui_keys x
tui_expect "hide a column" "hidden"
tui_keys X
tui_expect "show them again" "Showing every column"
tui_keys q
tui_resize 100 30

# Plot the scalars of the selected runs.
tui_keys g Space Space p
tui_expect "plot, loss first" "Plot  loss  (2/2"
tui_expect "of both runs" "min 0.7"
tui_keys l
tui_expect "the next scalar" "Plot  acc"
tui_keys s
tui_expect "another style" "blocks"
tui_keys q Escape

# Diff: this run and the one before it.
tui_keys g D
tui_expect "diff" "Diff  <id> -> <id>"
tui_expect "shows what differs" "+  epochs: 3"
tui_keys q

# Files, and a file shown cooked.
printf 'hello \033]0;pwned\007world\n' > "$GUILD_HOME/runs/$run0/notes.txt"
tui_keys f
tui_expect "files" "notes.txt"
tui_keys Enter
tui_expect "a file, its escapes dropped" "hello world"
tui_keys q q

# A shell in the run directory; the screen comes back.
cat > "$TEST_TMP/myshell" <<'SH'
#!/bin/sh
pwd > "$TEST_TMP_SHELL_OUT"
SH
chmod +x "$TEST_TMP/myshell"
tui_keys q
tui_exited > /dev/null
tui_start 100 30 SHELL="$TEST_TMP/myshell" TEST_TMP_SHELL_OUT="$TEST_TMP/shell-out"
tui_keys '!'
tui_expect "the screen is restored after the shell" "Operations"
ok "the shell ran in the run directory" sh -c \
    "grep -q '/runs/$run0\$' '$TEST_TMP/shell-out'"

# Delete (asks; Enter is yes as in guild runs rm), the trash, restore, purge.
tui_keys d
tui_expect "delete asks" "Delete run <id>? (Y/n)"
tui_keys n
tui_expect_not "n keeps it" "Delete run"
tui_expect "still 3" "Runs  3"
tui_keys d Enter
tui_expect "deleted" "Deleted 1 run"
tui_expect "2 left" "Runs  2"
tui_keys T
tui_expect "the trash" "Deleted runs  1"
tui_keys u y
tui_expect "restored" "Restored 1 run"
tui_keys q
tui_expect "back in the runs" "Runs  3"
tui_keys d y T
tui_expect "in the trash again" "Deleted runs  1"
tui_keys d
tui_expect "purge asks, no by default" "Permanently delete run <id>? This cannot be undone. (y/N)"
tui_keys Enter
tui_expect "Enter is no" "Deleted runs  1"
tui_keys d y
tui_expect "purged" "The trash is empty."
ok "gone from the disk" test ! -e "$GUILD_HOME/trash/runs/$run0"
tui_keys q q
tui_expect_exit "q quits" 0

# Wide characters line up: a label in CJK, the columns after it.
guild label --set '学习率 0.1' -y 0 > /dev/null 2>&1
tui_start 100 30
tui_expect "a wide label" "completed   学习率 0.1"
tui_keys z
tui_expect "zoomed, the label is whole" "学习率 0.1"
tui_keys q
tui_exited > /dev/null

# guild compare on a terminal opens the view on its compare table.
TUI_CMD=compare tui_start 100 30 -- 0:1
tui_expect "guild compare opens the compare view" "Compare  2 runs selected"
tui_keys q
tui_expect_exit "q leaves guild compare" 0
TUI_CMD=
expect_output "guild compare --table is still a table" - -- \
    sh -c "'$GUILD' compare --table 0 | head -n 1 | cut -c1-3" <<'OUT'
run
OUT

# From another directory the view names the run's project as guild runs
# info does, and gives its time as guild compare does (H:MM:SS).
mkdir -p "$TEST_TMP/elsewhere"
cd "$TEST_TMP/elsewhere" || exit 1
expect_output "guild runs info names the project" - -- \
    sh -c "'$GUILD' runs info 0 | grep '^operation:'" <<'OUT'
operation: fashion:train ($TEST_TMP/proj)
OUT
tui_start 120 30
tui_keys Enter
tui_expect "the view names it the same way" 'fashion:train ($TEST_TMP/proj)'
tui_expect "and gives its time as H:MM:SS" "0:00:0"
tui_keys q q
tui_expect_exit "q quits" 0
cd "$proj" || exit 1

done_testing
