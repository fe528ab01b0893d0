#!/bin/sh
# view-compare.sh: compare for decisions: every run (not the newest
# 2,000), live (a run that finishes updates its row; a run started
# meanwhile joins in its sorted place, the cursor staying on its run),
# R keeping hidden columns and their order, a scalar's last, min or max
# value, the row position (12/340), and the best row in view after a
# sort.

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

# Runs started while compare is open join it, in their sorted place;
# the cursor stays on its run (not its row number).
tui_start 120 30
tui_keys c
tui_expect "compare again" "Compare  3 runs"
tui_keys '$' s
tui_expect "sorted by the last column" "sorted by loss asc"
tui_keys G
tui_expect "the cursor on the worst loss" "3/3"
# losses: the loss column of the rows, top to bottom.
losses()
{
	tui_screen | awk '/completed|running/ { printf "%s ", $NF }'
}
_losses_are()
{
	[ "$(losses)" = "$1" ]
}
ok "the rows by loss" _losses_are "0.5 0.6 0.8 "
guild run -y --background train epochs=2 > /dev/null 2>&1
tui_expect "a run started meanwhile joins compare" "Compare  4 runs"
if wait_for "$TUI_TIMEOUT" _losses_are "0.5 0.6 0.7 0.8 "; then
	pass "in its sorted place"
else
	_tui_fail_screen "in its sorted place" "losses: $(losses)"
fi
tui_expect "the cursor stays on its run, a row lower" "4/4"
tui_expect "the sort stays" "sorted by loss asc"

# A run that finishes updates its row after another run joined.
guild run -y --background gate file="$TEST_TMP/gate2" > /dev/null 2>&1
tui_expect "the gate run joins" "Compare  5 runs"
tui_expect "running" "running"
guild run -y --background train epochs=1 > /dev/null 2>&1
tui_expect "another run joins" "Compare  6 runs"
touch "$TEST_TMP/gate2"
tui_expect_not "the gate run finishes: its row changes by itself" \
    "running"
_gates_done()
{
	[ "$(tui_screen | grep -c 'completed  file=')" = 2 ]
}
if wait_for "$TUI_TIMEOUT" _gates_done; then
	pass "both gate runs completed"
else
	_tui_fail_screen "both gate runs completed" "not two"
fi
if wait_for "$TUI_TIMEOUT" _losses_are "0.5 0.5 0.6 0.7 0.8 0.8 "; then
	pass "every row in its sorted place"
else
	_tui_fail_screen "every row in its sorted place" "losses: $(losses)"
fi
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
tui_expect "the runs" "2007 runs"
tui_keys c
tui_expect "every run compared" "Compare  2007 runs"
tui_keys G
tui_expect "the last row" "2007/2007"
tui_keys '$' s
tui_expect "sorted" "sorted by loss asc"
tui_expect "the cursor on the best row" "1/2007"
tui_expect "the best row in view" "0.01"
tui_keys q q
tui_expect_exit "quit" 0

done_testing
