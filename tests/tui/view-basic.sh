#!/bin/sh
# view-basic.sh: guild view's first screen, panes, zoom, help, quitting,
# configuration, resizing and terminals without colour.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

proj=$(tui_project)
cd "$proj" || exit 1
guild run -y train > /dev/null 2>&1
guild run -y train epochs=3 lr=0.01 > /dev/null 2>&1

# The man page documents every action, keymap, colour role and setting
# of the built-in configuration.
man=$top_srcdir/man/guild-view.1
missing=
for word in $(guild view --print-config | awk '
	$1 == "bind" { print $2; print $NF }
	$1 == "color" { print $2 }
	$1 == "set" { print $2 }' | sort -u); do
	grep -q -- "$word" "$man" || missing="$missing $word"
done
if [ -z "$missing" ]; then
	pass "guild-view(1) documents the defaults"
else
	fail "guild-view(1) documents the defaults" "missing:$missing"
fi

# Outside a terminal: a clear error, not a broken screen.
expect_output "view needs a terminal" - 1 -- guild view <<'OUT'
guild: view needs a terminal
OUT

tui_start 80 24
tui_expect_screen "the first screen at 80x24" <<'OUT'
 guild view  $TEST_TMP/proj                       2 runs  ~/.guild
 Models       1 │ Runs  2
 fashion        │  [0:<id>]  ./fashion:train  completed   epochs=3 lr=0.01 …
 Operations     │  [1:<id>]  ./fashion:train  completed   epochs=2 lr=0.1 o…
 train  Train … │
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
Enter info  Space select  r run again  S stop  d delete  L label         ? help
OUT

# Moving down shows the other run's output.
tui_keys j
tui_expect "the output follows the selected run" "acc 0.82  loss 0.7"
tui_expect_not "only its output" "Epoch 3/3"

# Tab moves between panes; the status line follows the focus.
tui_keys Tab
tui_expect "Tab focuses the output pane" "F follow  / search"
tui_keys Tab
tui_expect "then the models" "Enter operations"
tui_keys BTab BTab
tui_expect "Shift-Tab goes back" "Enter info  Space select"

# Zoom: the pane alone, and back.
tui_keys z
tui_expect_not "zoom hides the other panes" "Operations"
tui_expect "the zoomed pane has room for labels" "completed   epochs=2 lr=0.1 optim"
tui_keys z
tui_expect "zoom again restores the panes" "Operations"

# Home/End/PgUp/PgDn, redraw and refresh.
# (Home and End as xterm sends them, whatever tmux would.)
tui_type "$(printf '\033OF')"
tui_expect "End: the oldest run" "acc 0.82  loss 0.7"
tui_type "$(printf '\033OH')"
tui_expect "Home: the newest" "acc 0.83  loss 0.6"
tui_keys PgDn
tui_expect "PgDn" "acc 0.82  loss 0.7"
tui_keys PgUp C-l
tui_expect "PgUp and C-l (redraw)" "acc 0.83  loss 0.6"
tui_keys R
tui_expect "R reloads" "Reloaded"

# Suspend (C-z) and continue.
tui_keys C-z
_pid=$(pgrep -P "$(_tui display -p -t t '#{pane_pid}')" -x guild | head -n 1)
wait_for "$TUI_TIMEOUT" sh -c "ps -o stat= -p '$_pid' | grep -q '^T'"
ok "C-z stops guild view" test "$(ps -o stat= -p "$_pid" | cut -c1)" = T
kill -CONT "$_pid"
tui_expect "continued, the screen comes back" "Operations"

# Help is generated from the bindings.
tui_keys '?'
tui_expect "? shows the help" "Keys of guild view"
tui_keys /
# The action's name, not the trash's "deleted runs" among the files read.
tui_type 'delete  '
tui_keys Enter
tui_expect "with the bindings" "d <Del>                delete"
tui_keys q
tui_expect_not "q closes the help" "Keys of guild view"

# Resizing, down to too small and back.
tui_resize 30 8
tui_expect "too small" "Terminal too small (30x8)"
tui_resize 120 30
tui_expect "back to normal after growing" "Operations"
tui_expect "wider: full dates" "<time>  completed   epochs=3 lr=0.01"

# q quits with status 0 and leaves the terminal as it was.
tui_keys q
tui_expect_exit "q quits" 0
tui_expect_tty_restored "the terminal is as it was after q"

# Ctrl-C quits cleanly too.
tui_start 80 24
tui_keys C-c
tui_expect_exit "Ctrl-C quits cleanly" 0
tui_expect_tty_restored "the terminal is as it was"

# The configuration: bindings and colours, errors named with file:line.
cat > "$GUILD_HOME/view.conf" <<'CONF'
# my keys
bind generic x delete
bind runs K label
color running magenta default bold
bind generic <Nope> quit
colour cursor purple default
CONF
tui_start 80 24
tui_expect "a bad line is named, the view still starts" \
    "view.conf:5: unknown key '<Nope>'"
tui_keys '?'
tui_expect "help shows pane keymaps first" "K                      label"
tui_keys /
tui_type 'delete  '
tui_keys Enter
tui_expect "help shows the user's bindings" "d <Del> x              delete"
tui_keys q
tui_expect "hints show them too" "K label"
tui_keys Q
tui_expect_exit "Q quits" 0
ok "configuration errors are repeated on stderr" \
    grep -q "view.conf:6: unknown colour 'purple'" "$TEST_TMP/tui-stderr"
rm "$GUILD_HOME/view.conf"

# Colours, and none with NO_COLOR.
tui_start 80 24
tui_wait_for "Operations"
ok "colours by default" sh -c "tmux -L '$TUI_SOCK' capture-pane -p -e -t t |
    grep -q '\[3[0-7]m'"
tui_keys q
tui_exited > /dev/null
tui_start 80 24 NO_COLOR=1
tui_wait_for "Operations"
ok "NO_COLOR: attributes only" sh -c "! tmux -L '$TUI_SOCK' capture-pane \
    -p -e -t t | grep -q '\[3[0-7]m'"
ok "NO_COLOR: the cursor still shows (reverse)" sh -c "tmux -L '$TUI_SOCK' \
    capture-pane -p -e -t t | grep -q '\[[0-9;]*7m'"
tui_keys q
tui_exited > /dev/null

# A broken guild.yml: the error in the models pane, the runs still there.
cp guild.yml guild.yml.good
printf 'model: fashion\noperations:\n  train: [\n' > guild.yml
tui_start 80 24
tui_expect "the guild.yml error shows" "guild.yml:4"
tui_expect "the runs still show" "Runs  2"
tui_keys Tab Tab Tab r
tui_expect "running needs a good guild.yml" "guild.yml has errors"
tui_keys q
tui_exited > /dev/null
mv guild.yml.good guild.yml

# No guild.yml: runs only.
mkdir "$TEST_TMP/empty"
cd "$TEST_TMP/empty" || exit 1
tui_start 80 24
tui_expect "no project: says so" "no guild.yml"
tui_keys Tab Tab Tab r
tui_expect "and running says why" "there is no guild.yml in this directory"
tui_keys q
tui_exited > /dev/null
cd "$proj" || exit 1

# Private models and operations (named _...) are not in the panes, as
# guild models and guild ops leave them out; tests neither.
mkdir "$TEST_TMP/private"
cat > "$TEST_TMP/private/guild.yml" <<'YML'
- model: pub
  operations:
    visible-op: {exec: "true"}
    _hidden_op: {exec: "true"}
- model: _hidden_model
  operations:
    other: {exec: "true"}
- test: quick
  steps: [visible-op]
YML
cd "$TEST_TMP/private" || exit 1
tui_start 80 24
tui_expect "the public operation is listed" "visible-op"
tui_expect_not "a private operation is not" "_hidden_op"
tui_expect_not "nor a private model" "_hidden_model"
tui_expect "the models pane counts the listed one" "Models       1"
tui_expect_not "tests are not a model" " test "
tui_keys q
tui_exited > /dev/null
cd "$proj" || exit 1

# A terminal without colours (and fewer capabilities).
tui_start 80 24 TERM=vt100
tui_expect "vt100: the view works" "Operations"
ok "vt100: no colours" sh -c "! tmux -L '$TUI_SOCK' capture-pane -p -e \
    -t t | grep -q '\[3[0-7]m'"
tui_keys q
tui_expect_exit "vt100: q quits" 0

# Mouse: a click focuses a pane and selects a row.
tui_start 80 24
tui_wait_for "Operations"
tui_click 20 3
tui_expect "a click selects a run" "acc 0.82  loss 0.7"
tui_click 3 4
tui_expect "a click focuses the operations" "Enter run"
tui_keys q
tui_exited > /dev/null

done_testing
