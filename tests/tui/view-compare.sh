#!/bin/sh
# view-compare.sh: compare for decisions: every run (not the newest
# 2,000), live (a run that finishes updates its row), R keeping hidden
# columns and their order, a scalar's last, min or max value, the row
# position (12/340), and the best row in view after a sort.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(tui_project)
cd "$proj" || exit 1
# An operation that ends when the test says so.
cat >> guild.yml <<'YML'
  gate:
    description: Waits for a file.
    exec: sh .guild/sourcecode/gate.sh ${file}
    flags:
      file: ''
YML
cat > gate.sh <<'SH'
echo "loss: 0.9"
while [ ! -e "$1" ] && [ -d "$PWD" ]; do
	sleep 0.1
done
echo "loss: 0.5"
SH
# loss: 0.8 0.7 0.6 (epochs=3), 0.8 (epochs=1).
guild run -y train epochs=1 > /dev/null 2>&1
guild run -y train epochs=3 > /dev/null 2>&1

tui_start 120 30
tui_expect "the runs" "Runs  2"
tui_keys c
tui_expect "compare" "Compare  2 runs"
tui_expect "the row position" "1/2"
tui_keys j
tui_expect "follows the cursor" "2/2"

# A scalar's last, min or max, column by column, as guild compare names
# them ("min loss").
tui_keys '$'
tui_keys a
tui_expect "a: the min" "Showing the min value of loss"
tui_expect "the header says so" "min loss"
tui_keys a
tui_expect "a again: the max" "Showing the max value of loss"
tui_expect "of each run" "max loss"
tui_keys a
tui_expect "and the last again" "Showing the last value of loss"
tui_keys 0 a
tui_expect "a on a column that is not a scalar" \
    "Not a scalar column: last, min and max are for scalars"

# R keeps hidden columns, their order and what they show.
tui_keys '$' '<' a
tui_expect "loss moved before acc" "min loss  acc"
tui_keys 0 l x
tui_expect "a hidden column" "1 hidden"
tui_keys R
tui_expect "R reloads" "Reloaded 2 runs"
tui_expect "the column stays hidden" "1 hidden"
tui_expect "the order and the min stay" "min loss  acc"

# A run that finishes updates its row, without a key.
guild run -y --background gate file="$TEST_TMP/gate" > /dev/null 2>&1
_gate_running()
{
	guild runs 2>/dev/null | grep -q 'gate .*running'
}
wait_for "$TUI_TIMEOUT" _gate_running || diag "the gate run did not start"
tui_keys R
tui_expect "three runs" "Compare  3 runs"
tui_expect "running" "running"
touch "$TEST_TMP/gate"
tui_expect_not "it finishes: its row changes by itself" "running"
tui_expect "its last loss" "0.5"
tui_keys q q
tui_expect_exit "quit" 0

# More than 2,000 runs: all of them; a sort shows the best row.
RUNS_PROJECT=$proj
i=0
while [ $i -lt 2001 ]; do
	mkrun "$(printf '%032x' $((i + 4096)))" train $((1600000000 + i)) 0
	i=$((i + 1))
done
# The oldest run has the best loss.
best=$(printf '%032x' 4096)
printf '# guild scalars 1\n1\tloss\t0.01\t1000\n' \
    > "$GUILD_HOME/runs/$best/.guild/scalars.tsv"
tui_start 120 30
tui_expect "the runs" "2004 runs"
tui_keys c
tui_expect "every run compared" "Compare  2004 runs"
tui_keys G
tui_expect "the last row" "2004/2004"
tui_keys '$' s
tui_expect "sorted" "sorted by loss asc"
tui_expect "the cursor on the best row" "1/2004"
tui_expect "the best row in view" "0.01"
tui_keys q q
tui_expect_exit "quit" 0

done_testing
