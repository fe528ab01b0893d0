#!/bin/sh
# view-keys.sh: the habits of tig, lazygit and k9s in guild view: y and
# Y copy the run's id and directory through OSC 52 (into tmux's buffer,
# with set-clipboard on). Prompts start empty, the previous value one
# Up away; Esc clears either filter; a tag cannot start with + or -;
# C-d and C-u move half a page, g and Home to the first row.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

proj=$(tui_project)
cd "$proj" || exit 1
guild run -y train epochs=1 > /dev/null 2>&1
guild run -y train > /dev/null 2>&1
newest=$(guild select)
oldest=$(guild select 1)

# tui_buffer_is NAME TEXT: tmux's newest paste buffer becomes TEXT.
_buffer_eq()
{
	[ "$(_tui show-buffer 2>/dev/null)" = "$1" ]
}
tui_buffer_is()
{
	if wait_for "$TUI_TIMEOUT" _buffer_eq "$2"; then
		pass "$1"
	else
		fail "$1" "buffer: '$(_tui show-buffer 2>&1)', expected '$2'"
		return 1
	fi
}

tui_start 120 30
_tui set-option -g set-clipboard on
tui_expect "the runs" "completed"
tui_keys y
tui_buffer_is "y copies the run's id through OSC 52" "$newest"
tui_expect "and says so" "Copied <id> to the clipboard"
tui_keys j Y
tui_buffer_is "Y copies the run's directory" "$GUILD_HOME/runs/$oldest"
tui_expect "and says so" \
    "Copied $(printf '%s/runs/%s' "$GUILD_HOME" "$oldest" | normalize) to the clipboard"
tui_keys Enter y
tui_buffer_is "y in the run details: that run" "$oldest"
tui_keys q

# Prompts: typing replaces what was there ("grid" + "good" made
# "gridgood"); Up brings it back.
guild label -y --set grid 0 > /dev/null
guild label -y --set good 1 > /dev/null
tui_keys R
tui_expect "the labels" "completed   grid"
tui_keys /
tui_type grid
tui_keys Enter
tui_expect "a pattern filter" "Runs  1 of 2  /grid/"
tui_keys /
tui_expect "the prompt starts empty" "Filter runs: /"
tui_type good
tui_expect "typing replaces the pattern" "Runs  1 of 2  /good/"
tui_keys Up
tui_expect "Up brings the previous one back" "Filter runs: /grid"
tui_keys Enter Escape
tui_expect "Esc clears a / filter" "Filter cleared"
tui_keys :
tui_type "epochs >= 2"
tui_keys Enter
tui_expect "an expression filter" "Runs  1  :epochs >= 2"
tui_keys Escape
tui_expect "Esc clears a : filter too" "Expression filter cleared"
tui_expect "every run again" "Runs  2"
tui_keys t
tui_type "keep -x"
tui_keys Enter
tui_expect "a tag starting with - is refused, with the reason" \
    "A tag cannot start with + or - (-x): +TAG adds TAG, -TAG removes it"
tui_keys t
tui_type "++x"
tui_keys Enter
tui_expect "a tag starting with + too" "A tag cannot start with + or - (+x)"
ok "no tag was written" sh -c "! '$GUILD' runs info 0 | grep -q '^tags:.*x'"
tui_keys q
tui_expect_exit "q quits" 0

# C-d and C-u: half a page, in lists and texts; g and Home: the first row.
i=0
while [ $i -lt 30 ]; do
	guild run -y train epochs=1 > /dev/null 2>&1
	i=$((i + 1))
done
tui_start 120 24
tui_expect "32 runs" "Runs  32"
tui_keys C-d
tui_expect "C-d: half a page down" "[9:"
tui_keys C-d C-u
tui_expect "C-u: half a page back up" "[9:"
tui_keys G
tui_expect "G: the last" "[31:"
tui_keys g
tui_expect "g: the first" "[0:"
tui_keys c
tui_expect "compare" "Compare"
tui_keys '$' G g Enter
tui_expect "compare: g goes to the first row" "Run "
if _tui capture-pane -p -t t | grep -q "Run $(guild select | cut -c1-8)"; then
	pass "the newest run's, the first row"
else
	_tui_fail_screen "the newest run's, the first row" "not Run $(guild select)"
fi
tui_keys q q q
tui_expect_exit "q quits" 0

done_testing
