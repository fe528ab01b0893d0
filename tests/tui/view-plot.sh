#!/bin/sh
# view-plot.sh: plots for decisions: a log scale, smoothing as
# TensorBoard smooths (a debiased exponential moving average, its weight
# from [ and ] or view.conf), legends by the flags that differ between
# the runs, and a message when more runs were selected than plotted.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(tui_project)
cd "$proj" || exit 1
# loss 0.8 0.7 0.6 (epochs=3), and 0.8 (epochs=1).
guild run -y train epochs=1 > /dev/null 2>&1
guild run -y train epochs=3 lr=0.01 > /dev/null 2>&1

tui_start 100 30
tui_expect "the runs" "completed"
tui_keys Space Space p
tui_expect "a plot of loss" "Plot  loss  (2/2"
tui_expect "legends name the flags that differ, not ids" \
    "epochs=3 lr=0.01  last 0.6 (step 3)  min 0.6  max 0.8"
tui_expect "for each run" "epochs=1 lr=0.1  last 0.8 (step 1)"
tui_expect "the middle of a linear axis" "0.7 │"
tui_expect_not "no smoothing by default" "smoothed"

# A log scale: the axis's middle is the geometric mean, sqrt(0.6 * 0.8).
tui_keys a
tui_expect "a on a log scale" "Log scale"
tui_expect "said in the title" "log  braille"
tui_expect "the middle of a log axis" "0.69282 │"
tui_keys a
tui_expect "a again: linear" "Linear scale"
tui_expect "the linear middle again" "0.7 │"

# Smoothing, TensorBoard's: with weight 0.3 the values 0.8 0.7 0.6 give
# 0.8, 0.7231, 0.6345 (each EMA divided by 1 - 0.3^n).
tui_keys ']'
tui_expect "] smooths" "Smoothing 0.3"
tui_expect "the title says how much" "smoothing 0.3"
tui_expect "debiased as TensorBoard does" "last 0.6 (step 3)  smoothed 0.6345"
tui_expect "a single value is itself" "last 0.8 (step 1)  smoothed 0.8"
tui_keys ']' ']'
tui_expect "more" "Smoothing 0.8"
tui_keys '[' '[' '['
tui_expect "[ down to none" "No smoothing"
tui_expect_not "no smoothed values" "smoothed"
tui_keys q Escape
tui_keys q
tui_expect_exit "quit" 0

# The weight from view.conf; a bad one is refused with the reason.
printf 'set plot-smoothing 0.6\n' > "$GUILD_HOME/view.conf"
tui_start 100 30
tui_keys Space Space p
tui_expect "view.conf's smoothing" "smoothing 0.6"
tui_keys q Escape q
tui_expect_exit "quit" 0
printf 'set plot-smoothing 1\n' > "$GUILD_HOME/view.conf"
tui_start 100 30
tui_expect "a weight of 1 is refused" \
    "view.conf:1: bad value '1' (from 0, none, to below 1)"
tui_keys q
rm -f "$GUILD_HOME/view.conf"

# More runs selected than a plot holds: said when the plot opens.
RUNS_PROJECT=$proj
i=10
while [ $i -lt 23 ]; do
	mkrun "aaaaaaaa0000000000000000000000$i" train "15397054$i" 0
	i=$((i + 1))
done
tui_start 100 30
tui_expect "the runs" "15 runs"
tui_keys A p
tui_expect "a message when runs were left out" \
    "Plotting 12 of the 15 runs selected (at most 12)"
tui_keys q q
tui_expect_exit "quit" 0

done_testing
