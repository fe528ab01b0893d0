#!/bin/sh
# view-keys.sh: the habits of tig, lazygit and k9s in guild view: y and
# Y copy the run's id and directory through OSC 52 (into tmux's buffer,
# with set-clipboard on).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

proj=$(tui_project)
cd "$proj" || exit 1
guild run -y train epochs=1 > /dev/null 2>&1
guild run -y train > /dev/null 2>&1
newest=$(guild select)
oldest=$(guild select 1)

# tui_buffer_is NAME TEXT: tmux's newest paste buffer becomes TEXT.
tui_buffer_is()
{
	_deadline=$(( $(date +%s) + TUI_TIMEOUT ))
	until [ "$(_tui show-buffer 2>/dev/null)" = "$2" ]; do
		if [ "$(date +%s)" -ge "$_deadline" ]; then
			fail "$1" "buffer: '$(_tui show-buffer 2>&1)'," \
			    "expected '$2'"
			return 1
		fi
		sleep 0.1
	done
	pass "$1"
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
tui_keys q q
tui_expect_exit "q quits" 0

done_testing
