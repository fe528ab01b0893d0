# tests/tmux-lib.sh: a real terminal for the command tests (Ctrl-C, the
# terminal's modes, its size): a shell in a private tmux server, driven
# with send-keys and read with capture-pane. Source it after tests/lib.sh:
#
#	. "$top_srcdir/tests/tmux-lib.sh"
#	term_start "Ctrl-C in a terminal"
#	term_keys "cd '$proj' && \"\$GUILD\" run -y op; echo EXIT=\$?" Enter
#	wait_for 120 term_has '^started'
#	term_keys C-c
#	wait_for 120 term_has 'EXIT=[0-9]'
#	ok "Ctrl-C: exit 130" term_has 'EXIT=130' || term_dump
#	term_stop
#
# (guild view has its own driver, tests/tui/lib-tui.sh, which runs guild
# itself as the terminal's program.) The server is killed on exit.

# term_start NAME [COLS ROWS]: a shell with the prompt "$ " in a terminal
# of COLS x ROWS (80x24). Without tmux, skip NAME and end the script.
term_start()
{
	if ! command -v tmux > /dev/null 2>&1; then
		skip "$1" "tmux is not installed"
		done_testing
	fi
	_term_sock=$TEST_TMP/tmux.sock
	_term -f /dev/null new-session -d -s t -x "${2:-80}" -y "${3:-24}" \
	    "env PS1='$ ' sh"
	trap '_term kill-server 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
}

_term()
{
	tmux -S "$_term_sock" "$@"
}

# term_keys KEY...: keys as tmux send-keys names them (text, Enter, C-c).
term_keys()
{
	_term send-keys -t t "$@"
}

# term_has REGEX: whether a line on the screen matches REGEX (grep).
term_has()
{
	_term capture-pane -p -t t | grep -q "$1"
}

# term_dump: the screen as TAP diagnostics, after a failed check.
term_dump()
{
	_term capture-pane -p -t t | sed 's/^/# /'
}

# term_resize COLS ROWS: the terminal's new size.
term_resize()
{
	_term resize-window -t t -x "$1" -y "$2" 2>/dev/null ||
	    _term resize-pane -t t -x "$1" -y "$2"
}

term_stop()
{
	_term kill-server
}
