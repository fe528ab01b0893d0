#!/bin/sh
# view-runlist.sh: the runs list for decisions: a metric column (the
# operation's objective, or a scalar's last, min or max) that the list
# sorts by; every cut marked with an ellipsis (~ without UTF-8); the
# label before the date at 80 columns; side panes narrowed, moved and
# hidden so that 80x24 stays useful.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

proj=$(tui_project)
cd "$proj" || exit 1
# train's objective: its loss, the lower the better.
sed -i 's/^    description: Train classifier from scratch\.$/&\n    objective: loss/' \
    guild.yml
# loss: 0.8 (epochs=1), 0.6 (epochs=3), 0.7 (epochs=2, the newest).
guild run -y train epochs=1 > /dev/null 2>&1
guild run -y train epochs=3 > /dev/null 2>&1
guild run -y train epochs=2 > /dev/null 2>&1
guild label -y --set short 0 > /dev/null
guild label -y --set medium 1 > /dev/null
guild label -y --set long 2 > /dev/null

tui_start 80 24
tui_expect "the runs" "Runs  3"
tui_keys M
tui_expect "M asks for the metric" "Metric column ([min|max] SCALAR, empty: the objective, none):"
tui_keys Enter
tui_expect "empty: the operation's objective" "Metric column: loss (s sorts by it)"
tui_expect_screen "a metric column, after the status" <<'OUT'
 guild view  $TEST_TMP/proj                       3 runs  ~/.guild
 Models       1 │ Runs  3  metric: loss
 fashion        │  [0:<id>]  ./fashion:train  completed          0.7  short
 Operations     │  [1:<id>]  ./fashion:train  completed          0.6  medium
 train  Train … │  [2:<id>]  ./fashion:train  completed          0.8  long
 slow  Runs un… │
                │
                │
                │
                │
                │ Output  <id> fashion:train  completed  acc 0.82  loss 0.7…
                │ Epoch 1/2
                │ [progress 100%]
                │ loss: 0.8 (step 1)
                │ acc: 0.81
                │ Epoch 2/2
                │ [progress 100%]
                │ loss: 0.7 (step 2)
                │ acc: 0.82
                │
                │
                │
                │
Metric column: loss (s sorts by it)
OUT
tui_keys s
tui_expect "s sorts, the best first (the objective is minimized)" \
    "Sorted by loss, best first"
tui_expect "the title says so" "Runs  3  metric: loss (best first)"
tui_expect_screen "the lowest loss on top, numbered as guild runs numbers it" <<'OUT'
 guild view  $TEST_TMP/proj                       3 runs  ~/.guild
 Models       1 │ Runs  3  metric: loss (best first)
 fashion        │  [1:<id>]  ./fashion:train  completed          0.6  medium
 Operations     │  [0:<id>]  ./fashion:train  completed          0.7  short
 train  Train … │  [2:<id>]  ./fashion:train  completed          0.8  long
 slow  Runs un… │
                │
                │
                │
                │
                │ Output  <id> fashion:train  completed  acc 0.83  loss 0.6…
                │ Epoch 1/3
                │ [progress 100%]
                │ loss: 0.8 (step 1)
                │ acc: 0.81
                │ Epoch 2/3
                │ [progress 100%]
                │ loss: 0.7 (step 2)
                │ acc: 0.82
                │ Epoch 3/3
                │ [progress 100%]
                │ loss: 0.6 (step 3)
                │ acc: 0.83
Sorted by loss, best first
OUT
tui_keys s
tui_expect "s again: the worst first" "Sorted by loss, worst first"
tui_expect "the highest loss on top" "[2:<id>]  ./fashion:train  completed          0.8  long
 Operations     │  [0:<id>]"
tui_keys s
tui_expect "and again: newest first" "Newest first"
tui_expect "in the list's own order" "[0:<id>]  ./fashion:train  completed          0.7  short"

# Any scalar, its min or max; a leading - says the higher the better.
tui_keys M
tui_type "max -acc"
tui_keys Enter
tui_expect "a chosen scalar" "Runs  3  metric: max acc"
tui_keys s
tui_expect "the highest acc first" "Runs  3  metric: max acc (best first)"
tui_expect "0.83 on top" "[1:<id>]  ./fashion:train  completed         0.83  medium"
tui_keys M
tui_type "min loss acc"
tui_keys Enter
tui_expect "a bad metric, with the syntax" "Bad metric 'min loss acc': [min|max|last] [-]SCALAR, or none"
tui_expect "the metric stays" "Runs  3  metric: max acc (best first)"
tui_keys M
tui_type none
tui_keys Enter
tui_expect "none: no metric column" "No metric column"
tui_expect "and the list's order again" "Runs  3
 fashion        │  [0:<id>]"
tui_keys s
tui_expect "no sort without a metric" "No metric column to sort by (M chooses one)"

# The side panes: narrower, moved to the right, hidden, back.
tui_keys -
tui_expect "- narrows them" "Side panes 12 columns wide"
tui_expect "room for the labels" " Models   1 │ Runs  3"
tui_keys '|'
tui_expect "| moves them to the right" "Side panes on the right"
tui_expect "the runs at the left, dates and labels" \
    "  [0:<id>]  ./fashion:train  <date>  completed   short    │ fashion"
tui_keys '|'
tui_expect "| again hides them" "Side panes hidden (+ or | shows them)"
tui_expect_not "no models pane" "Models"
tui_expect "the runs take the width: dates again" "[0:<id>]  ./fashion:train  <date>  completed   short"
tui_keys Tab Tab
tui_expect "Tab goes between runs and output only" "Enter info  Space select"
tui_keys +
tui_expect "+ shows them again" "Side panes 8 columns wide"
tui_expect "on the left, narrow" " Models │ Runs  3"
tui_keys + + +
tui_expect "+ widens them" "Side panes 20 columns wide"
tui_keys q
tui_expect_exit "quit" 0

# Every cut is marked: ~ when the terminal is not UTF-8.
guild label -y --set "a label far too long for eighty columns" 0 > /dev/null
tui_start 80 24 LANG=C LC_ALL=C
tui_expect "the runs" "Runs  3"
tui_expect "a label cut ends with ~" "completed   a label far too l~"
tui_keys q
tui_expect_exit "quit" 0

# A directory that becomes a run after the view saw it (a pull's rsync
# makes the directory, then fills it): the runs directory's time does not
# change, the index's count does.
NEWID=7a7a7a7ad18611e88f52d017c2ab916f
one=$(ls "$GUILD_HOME/runs" | head -n 1)
mkdir -p "$TEST_TMP/stage"
cp -R "$GUILD_HOME/runs/$one/.guild" "$TEST_TMP/stage/.guild"
printf '%s\n' "$NEWID" > "$TEST_TMP/stage/.guild/attrs/id"
tui_start 80 24
tui_expect "the runs, before" "Runs  3"
mkdir "$GUILD_HOME/runs/$NEWID"
pending_seen()
{
	python3 - "$GUILD_HOME/cache/runs.db" "$NEWID" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
n = db.execute("SELECT count(*) FROM pending WHERE name = ?",
               (sys.argv[2],)).fetchone()[0]
sys.exit(0 if n == 1 else 1)
PY
}
if python3 -c 'import sqlite3' 2> /dev/null; then
	ok "the view saw the directory, not a run yet" wait_for 60 pending_seen
	mv "$TEST_TMP/stage/.guild" "$GUILD_HOME/runs/$NEWID/.guild"
	tui_expect "it became a run: the list counts it" "Runs  4"
else
	skip "python3's sqlite3 module is missing" 2
fi
tui_keys q
tui_expect_exit "quit" 0

done_testing
