#!/bin/sh
# view-run.sh: running operations from guild view: the form (defaults,
# types and choices, refused values, the preview), the new run selected
# and followed live, runs that outlive the view, runs started elsewhere,
# stopping.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

proj=$(tui_project)
cd "$proj" || exit 1

tui_start 80 24
tui_expect "no runs yet: says how to start one" "No runs yet"
# To the operations pane, then the form of train.
tui_keys Tab Tab Tab
tui_expect "the operations pane" "Enter run"
tui_keys Enter
tui_expect "the form" "Run fashion:train"
tui_expect "defaults filled in" "epochs    2"
tui_expect "types shown" "int Number of epochs"
tui_expect "choices shown" "<> adam|sgd|rmsprop"

# A bad value is refused with the reason.
tui_keys Down C-u
tui_type fast
tui_keys Enter
tui_expect "a float flag refuses text" "invalid value for type 'float'"
tui_expect "the form says so" "Some values are not valid"
tui_keys C-u
tui_type 0.05
# Choices: Right steps through them.
tui_keys Down Right
tui_expect "Right picks the next choice" "optimizer sgd"
tui_keys Down
tui_type "first try"
tui_keys Down
tui_type "a b"
tui_keys Enter
tui_expect "the preview" "You are about to run fashion:train"
tui_expect "with the flags" "lr: 0.05"
tui_expect "and the choice" "optimizer: sgd"
tui_keys Escape
tui_expect "Esc goes back to the form" "Enter check and preview"
tui_keys Enter Enter
tui_expect "the run starts" "Started fashion:train as"
tui_expect "it is selected and followed" "Output  <id> fashion:train"
tui_expect "its output shows" "Epoch 2/2"
tui_expect "its scalars on the output pane" "acc 0.82  loss 0.7"
tui_expect "it ends without a key press, with its label" "completed   first"
ok "the run has the flags of the form" sh -c \
    "'$GUILD' runs info | grep -q 'lr: 0.05'"
ok "its label" sh -c "'$GUILD' runs info | grep -q '^label: first try'"
ok "and its tags" sh -c "'$GUILD' runs info | grep -A2 '^tags:' | grep -q '  - b'"

# Run again from a run: the form has that run's flags.
tui_keys r
tui_expect "run again: the run's flags" "lr        0.05"
tui_keys Escape
tui_expect_not "Esc cancels the form" "Run fashion:train"

# A run started elsewhere shows within a second or two.
guild run -y -b train epochs=1 > /dev/null 2>&1
tui_expect "a run started from another terminal shows" "Runs  2"
# On top; the date may give way to the labels at 80 columns.
new_on_top()
{
	tui_screen | grep -Eq \
	    '\[0:<id>\]  \./fashion:train  (<date>  )?completed   epochs=1'
}
ok "on top" wait_for "$TUI_TIMEOUT" new_on_top
tui_keys q
tui_expect_exit "q quits" 0

# A run keeps going after the view is closed.
tui_start 80 24
tui_keys Tab Tab Tab j Enter
tui_expect "the form of slow" "Run fashion:slow"
tui_keys Enter Enter
tui_expect "slow runs" "running"
tui_expect "and is followed" "tick 3"
tui_keys q
tui_expect_exit "the view quits" 0
ok "the run is still running" sh -c "'$GUILD' runs | grep -q 'running'"
# Its output goes on: more ticks come than there were when the view quit.
ticks=$(guild cat -O 2>/dev/null | grep -c '^tick')
ok "and its output goes on" wait_for 120 sh -c \
    "[ \$('$GUILD' cat -O | grep -c '^tick') -gt $ticks ]"

# Stopping it from the view.
tui_start 80 24
tui_expect "the running run" "running"
tui_keys S
tui_expect "stop asks first" "Stop run <id>? (Y/n)"
tui_keys y
tui_expect "and stops it" "terminated"
tui_keys S
tui_expect "a stopped run cannot be stopped" "is not running"
tui_keys q
tui_expect_exit "q quits" 0

done_testing
