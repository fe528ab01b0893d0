#!/bin/sh
# view-open.sh: a run's files open outside the view: e in $EDITOR, O in
# the desktop's opener (xdg-open, only with DISPLAY or WAYLAND_DISPLAY)
# else in $PAGER for text; ! opens a shell in the run directory from the
# file viewer too. Each program gets the terminal (curses left and
# restored) and the view comes back.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

proj=$(tui_project)
cd "$proj" || exit 1
guild run -y train > /dev/null 2>&1
run=$GUILD_HOME/runs/$(guild select)
echo "some notes" > "$run/notes.txt"
printf 'bin\000ary' > "$run/weights.bin"

# Stand-ins that say what they were given and where, then wait for
# Enter on the terminal (so that the test knows when the view has it
# back: keys typed while a program has it are not the view's).
mkdir -p "$TEST_TMP/bin"
for prog in editor pager xdg-open shell; do
	cat > "$TEST_TMP/bin/$prog" <<SH
#!/bin/sh
echo "$prog \$PWD\${*:+ \$*}" >> "$TEST_TMP/log"
echo "$prog is done"
read answer || :
SH
	chmod +x "$TEST_TMP/bin/$prog"
done

# logged NAME LINE: the stand-ins' log gets LINE (waiting for it).
logged()
{
	if wait_for "$TUI_TIMEOUT" grep -qxF -- "$2" "$TEST_TMP/log"; then
		pass "$1"
	else
		fail "$1" "not logged: $2" "log: $(cat "$TEST_TMP/log" 2>/dev/null)"
		return 1
	fi
}

tui_start 120 30 "PATH=$TEST_TMP/bin:$PATH" "EDITOR=editor" "VISUAL=" \
    "PAGER='pager -R'" "SHELL=$TEST_TMP/bin/shell" DISPLAY= WAYLAND_DISPLAY=
tui_expect "the runs" "completed"
tui_keys f
tui_expect "the files" "notes.txt"
tui_keys g
tui_expect "the first file" "notes.txt"
tui_keys e
logged "e: \$EDITOR, in the run directory" "editor $run $run/notes.txt"
tui_expect "the editor has the terminal" "editor is done"
tui_keys Enter
tui_expect "the view comes back" "Files  "
tui_keys O
logged "O without a desktop: \$PAGER, with its options" \
    "pager $run -R $run/notes.txt"
tui_expect "the pager has the terminal" "pager is done"
tui_keys Enter
tui_expect "the view comes back" "Files  "
tui_keys j O
tui_expect "a binary file without a desktop: why not" \
    "Not text, and no desktop to open it (no DISPLAY)"
tui_keys k Enter
tui_expect "the file viewer" "some notes"
tui_keys '!'
logged "! from the file viewer: a shell in the run directory" "shell $run"
tui_expect "the shell has the terminal" "shell is done"
tui_keys Enter
tui_expect "back in the file viewer" "some notes"
tui_keys e
logged "e from the file viewer" "editor $run $run/notes.txt"
tui_expect "the editor has the terminal" "editor is done"
tui_keys Enter
tui_expect "back in the file viewer" "some notes"
tui_keys q q q
tui_expect_exit "q quits" 0

: > "$TEST_TMP/log"
tui_start 120 30 "PATH=$TEST_TMP/bin:$PATH" DISPLAY=:99
tui_expect "the runs" "completed"
tui_keys f
tui_expect "the files" "weights.bin"
tui_keys G O
tui_expect "O with a desktop says it opens the file" "Opening"
logged "with xdg-open" "xdg-open $proj $run/weights.bin"
tui_keys q q
tui_expect_exit "q quits" 0

done_testing
