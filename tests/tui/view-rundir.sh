#!/bin/sh
# view-rundir.sh: guild view on a bad run (a FIFO label, output and
# scalars, a link to /dev/zero, a 200 MB flags attr, a FIFO among its
# files, a link out of the home) neither hangs, floods nor leaks: the runs list, the details, the output
# and the files show, and q quits.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

proj=$(tui_project)
cd "$proj" || exit 1
guild run -y train > /dev/null 2>&1
guild run -y train epochs=3 > /dev/null 2>&1
bad=$GUILD_HOME/runs/$(guild select)
for f in attrs/label output scalars.tsv; do
	rm -f "$bad/.guild/$f"
	mkfifo "$bad/.guild/$f"
done
rm -f "$bad/.guild/attrs/tags"
ln -s /dev/zero "$bad/.guild/attrs/tags"
rm -f "$bad/.guild/attrs/flags"
truncate -s 200M "$bad/.guild/attrs/flags"
mkfifo "$bad/pipe"
# A link out of the Guild home, planted beside them.
echo "not for the view" > "$TEST_TMP/secret"
ln -s "$TEST_TMP/secret" "$bad/pipd"

tui_start 100 30
tui_expect "the runs list, the bad run as error" "error"
tui_expect "the good run too" "completed"
tui_keys Enter
tui_expect "the bad run's details" "Run <id>"
tui_keys q
tui_keys Tab
tui_expect "the output pane" "Output"
tui_keys Tab
tui_keys f
tui_expect "its files" "pipe"
tui_keys G Enter
tui_expect "a FIFO is not opened" "not a regular file"
tui_keys Up Enter
tui_expect "a link out of the home is not opened" "a link out of the Guild home"
tui_keys q q q
tui_expect_exit "q quits" 0

done_testing
