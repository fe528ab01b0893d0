#!/bin/sh
# view-output.sh: the output pane: following a live run, progress bars
# as one line, colours, escape sequences that never reach the terminal,
# pausing and resuming, searching, wrapping.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

proj=$(make_project proj <<'YML'
noisy:
  description: Colours, escapes and a progress bar.
  exec: sh .guild/sourcecode/noisy.sh
YML
)
cd "$proj" || exit 1
cat > noisy.sh <<'SH'
printf '\033]2;PWNED\007\033[2J\033[H\033[?1049l'
printf '\033[31mred line\033[0m\n'
printf 'a very long line %s end\n' "$(printf 'x%.0s' $(seq 1 150))"
# The progress bar counts up to the number in $TEST_STEP, rewriting its
# line for each step, so every value the test waits for is on the screen
# until the test asks for more; it ends when told to, or when the test's
# directory is gone.
i=0
printf '\rprogress %d' "$i"
while [ ! -e "$TEST_STOP" ] && [ -d "${TEST_STOP%/*}" ]; do
	want=$(cat "$TEST_STEP" 2>/dev/null)
	while [ "$i" -lt "${want:-0}" ]; do
		i=$((i + 1))
		printf '\rprogress %d' "$i"
	done
	sleep 0.1
done
printf '\nmark done\n'
for n in $(seq 1 60); do echo "line $n"; done
SH
export TEST_STOP="$TEST_TMP/stop" TEST_STEP="$TEST_TMP/step"

# step N: the progress bar goes on to N.
step()
{
	echo "$1" > "$TEST_STEP.tmp" && mv "$TEST_STEP.tmp" "$TEST_STEP"
}

tui_start 80 24
guild run -y -b noisy > /dev/null 2>&1
tui_expect "the run shows" "running"
tui_expect "its output is followed" "red line"
tui_expect "a progress bar starts" "progress 0"
step 1
tui_expect "a progress bar is one line, updated" "progress 1"
tui_expect_not "its old value is gone" "progress 0"
step 5
tui_expect "and moves on" "progress 5"
ok "no escape from the run reached the terminal (title)" sh -c \
    "! tmux -L '$TUI_SOCK' display -p -t t '#{pane_title}' | grep -q PWNED"
tui_expect "the screen is still the view's" "Operations"
tui_expect_raw "the colour is ours: red" "31mred line"

# Scrolling back pauses following, F resumes.
tui_keys Tab
tui_expect "the output pane" "following"
tui_keys k
tui_expect "up pauses" "paused (F follows)"
tui_keys F
tui_expect "F follows again" "following"

# The run ends: the status changes and the last lines come.
touch "$TEST_STOP"
tui_expect "the end of the run" "line 60"
tui_expect "completed without a key" "completed"

# Search the output.
tui_keys /
tui_type "mark d"
tui_keys Enter
tui_expect "search moves to the match" "mark done"
tui_expect "and pauses" "/mark d/"
tui_keys g
tui_expect "g goes to the top" "red line"
tui_keys n
tui_expect "n finds it again" "mark done"
tui_expect_not "and scrolls to it" "red line"

# Long lines: scroll right, or wrap.
tui_keys g
tui_expect "the top" "red line"
tui_expect_not "a long line is cut" "x end"
tui_keys w
tui_expect "wrap shows it all" "x end"
tui_keys w
tui_expect_not "w again: cut again" "x end"
tui_keys l l l l l l l l l l l l l l l l l l
tui_expect "or scroll right" "x end"

# Zoom the output.
tui_keys z
tui_expect_not "zoomed" "Operations"
tui_keys q
tui_expect_exit "q quits" 0

done_testing
