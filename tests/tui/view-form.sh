#!/bin/sh
# view-form.sh: the run form says what will happen, as guild run's
# preview does: the upstream run each dependency will use (and another
# picked in the form), a batch's trials and search; a new run that a
# filter hides is offered to be shown.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

proj=$(make_project deps <<'YML'
prepare:
  exec: sh -c 'echo data > data.txt'
  flags:
    n: 1
train:
  exec: sh -c 'cat data.txt'
  requires:
    - operation: prepare
      name: dataset
  flags:
    lr:
      default: 0.1
      type: float
report:
  exec: sh -c 'true'
  requires:
    - operation: never
      name: source
never:
  exec: sh -c 'true'
YML
)
cd "$proj" || exit 1
guild run -y prepare n=1 > /dev/null 2>&1
guild run -y prepare n=2 > /dev/null 2>&1
old=$(guild select 1)
new=$(guild select 0)
guild mark -y "$old" > /dev/null 2>&1
ok "two prepare runs, the older marked" test -n "$old" -a -n "$new" -a \
    "$old" != "$new"
old8=$(printf %.8s "$old")
new8=$(printf %.8s "$new")

# raw_wait NAME TEXT: TEXT on the screen as it is (ids not normalised).
raw_on_screen()
{
	_tui capture-pane -p -t t | grep -qF -- "$1"
}

raw_wait()
{
	if ! wait_for "$TUI_TIMEOUT" raw_on_screen "$2"; then
		_tui_fail_screen "$1" "not on the screen: $2"
		return 1
	fi
	pass "$1"
}

tui_start 100 30
tui_keys Tab Tab Tab
tui_expect "the operations" "Enter run"
# In guild.yml's order: prepare, train, report, never.
tui_keys j Enter
tui_expect "the form of train" "Run train"
tui_expect "the dependency is a field" "dataset"
raw_wait "empty: the marked run, as guild run chooses" \
    "<> empty: $old8"
tui_expect "the older of the two runs to pick from" "n=1 (2/2)"
tui_keys Enter
tui_expect "the preview" "You are about to run train"
raw_wait "the upstream run, resolved (not null)" "dataset: $old"
raw_wait "described" "the run of prepare $old8"
tui_expect_not "no null dependency" "dataset: null"

# Pick the other run: Right steps through the runs, newest first.
tui_keys Escape Down Right
raw_wait "Right picks the newest run" "dataset $new8"
raw_wait "described in the hint" "<> $new8"
tui_keys Right
raw_wait "then the next" "dataset $old8"
tui_keys Right
tui_expect "then empty again" "<> empty:"
tui_keys Left
raw_wait "Left goes back" "dataset $old8"
tui_keys Left
tui_keys Enter
raw_wait "the preview has the picked run" "dataset: $new"

# A batch: list values and flag functions.
tui_keys Escape Up C-u
tui_type "[0.1,0.2,0.3]"
tui_keys Enter
tui_expect "a grid says its trials" \
    "You are about to run train as a batch (3 trials)"
tui_expect "with the values given" "lr: [0.1, 0.2, 0.3]"
tui_keys Escape C-u
tui_type "uniform[0.01:0.1]"
tui_keys Enter
tui_expect "a random search says its limit" \
    "You are about to run train with random search (max 20 trials)"
tui_keys Escape C-u
tui_type "[0.1,fast]"
tui_keys Enter
tui_expect "a trial that cannot run is refused before" \
    "invalid value for type 'float'"

# Start with the picked upstream run: the run uses it.
tui_keys C-u
tui_type 0.5
tui_keys Enter
raw_wait "preview again" "dataset: $new"
tui_keys Enter
tui_expect "started" "Started train as"
tui_expect "it completes" "completed   dataset="
ok "the run used the picked upstream run" sh -c \
    "'$GUILD' runs info 0 | grep -q 'dataset: $new'"

# No upstream run at all: the hint says so, the preview says why.
tui_keys Tab Tab Tab
tui_keys k k
tui_expect "the operations again" "Enter run"
tui_keys g j j Enter
tui_expect "the form of report" "Run report"
tui_expect "no run to use" "no run of never to use yet"
tui_keys Enter
tui_expect "the preview refuses, with guild run's reason" \
    "dependency was not met"
tui_keys Escape
tui_expect_not "the form is gone" "Run report"

# A new run hidden by the filter: offered to clear it.
tui_keys Tab
tui_expect "the runs pane" "Runs"
tui_keys /
tui_type "n=2"
tui_keys Enter
tui_expect "filtered" "/n=2/"
tui_keys Tab Tab Tab g Enter
tui_expect "the form of prepare" "Run prepare"
tui_keys Enter Enter
tui_expect "the filter says so and offers to clear" \
    "hidden by the filter: clear the filter? (Y/n)"
tui_keys Enter
tui_expect "cleared" "Filter cleared: <id> is selected"
tui_expect_not "no filter left" "/n=2/"
tui_expect "the new run is selected and followed" "Output  <id> prepare"
tui_keys q
tui_expect_exit "q quits" 0

done_testing
