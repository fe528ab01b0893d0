# tests/tui/lib-tui.sh: drive guild view in a real terminal (tmux), for
# the view tests. Source it after tests/lib.sh:
#
#	. "$top_srcdir/tests/lib.sh"
#	. "$top_srcdir/tests/tui/lib-tui.sh"
#	tui_start 80 24
#	tui_keys j Enter
#	tui_expect "the run's details" "status: completed"
#	tui_keys q q
#	tui_expect_exit "q quits" 0
#
# Every test script has its own tmux server (a private socket), killed
# on exit. Waits poll the screen with a deadline, never fixed sleeps, so
# the tests hold on a loaded machine.

command -v tmux > /dev/null 2>&1 || skip_all "tmux is not installed"

# A server per start (a fresh socket), so a restart never races the
# previous server's exit; all are killed on exit.
_tui_n=0
TUI_SOCK=guild-tui-$$-0
TUI_SOCKS=
# Generous: a wait costs nothing once its condition holds, and a loaded
# machine can take many seconds to draw a screen.
TUI_TIMEOUT=${TUI_TIMEOUT:-120}
_tui_cleanup()
{
	for _s in $TUI_SOCKS; do
		tmux -L "$_s" kill-server > /dev/null 2>&1
		rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$_s"
	done
	rm -rf "$TEST_TMP"
}
trap _tui_cleanup EXIT

# A UTF-8 locale when there is one, so wide characters and box drawing
# are tested as users see them.
TUI_LOCALE=C.UTF-8
if command -v locale > /dev/null 2>&1 &&
    ! locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$'; then
	TUI_LOCALE=C
fi

_tui()
{
	tmux -L "$TUI_SOCK" -f /dev/null "$@"
}

# tui_start [COLS ROWS [ENV=VAL...] [-- ARGS...]]: start guild view in
# the current directory in a new terminal of COLS x ROWS (80x24). The
# command is "guild view ARGS", or "guild $TUI_CMD ARGS" when set.
tui_start()
{
	_cols=${1:-80}
	_rows=${2:-24}
	[ $# -ge 2 ] && shift 2
	_env=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_env="$_env $1"
		shift
	done
	[ "$1" = "--" ] && shift
	rm -f "$TEST_TMP/tui-exit" "$TEST_TMP/tui-stty-before" \
	    "$TEST_TMP/tui-stty-after"
	_tui kill-server > /dev/null 2>&1
	_tui_n=$((_tui_n + 1))
	TUI_SOCK=guild-tui-$$-$_tui_n
	TUI_SOCKS="$TUI_SOCKS $TUI_SOCK"
	# The pane stays after guild exits (cat holds it until the server is
	# killed), so its last screen can be read.
	_tui new-session -d -x "$_cols" -y "$_rows" -s t \
	    "cd '$PWD' && stty -g > '$TEST_TMP/tui-stty-before'; env TERM=xterm-256color LANG=$TUI_LOCALE LC_ALL=$TUI_LOCALE HOME='$HOME' GUILD_HOME='$GUILD_HOME' TZ=UTC $_env '$GUILD' ${TUI_CMD:-view} $* 2> '$TEST_TMP/tui-stderr'; echo \$? > '$TEST_TMP/tui-exit.tmp'; stty -g > '$TEST_TMP/tui-stty-after'; mv '$TEST_TMP/tui-exit.tmp' '$TEST_TMP/tui-exit'; exec cat > /dev/null"
	_tui set-option -t t status off > /dev/null
	tui_wait_for "guild view" || tui_wait_for "Terminal too small" ||
	    diag "guild ${TUI_CMD:-view} did not start"
}

# tui_keys KEY...: keys as tmux send-keys names them (j, Enter, C-c, ...).
tui_keys()
{
	for _k in "$@"; do
		_tui send-keys -t t "$_k"
	done
}

# tui_type TEXT: literal text.
tui_type()
{
	_tui send-keys -t t -l "$1"
}

# tui_screen: the screen now, normalised like command output, with the
# view's short dates (11-26 15:49) made stable too.
tui_screen()
{
	_tui capture-pane -p -t t 2>/dev/null | normalize |
	    sed -e 's/[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]/<date>/g' \
		-e 's/\([^0-9a-z]\)[0-9a-f]\{8\}\([^0-9a-z]\)/\1<id>\2/g' \
		-e 's/\([^0-9a-z]\)[0-9a-f]\{8\}$/\1<id>/' \
		-e 's/[ ]*$//'
}

# tui_screen_raw: with colours and attributes (SGR sequences).
tui_screen_raw()
{
	_tui capture-pane -p -e -t t 2>/dev/null
}

# tui_wait_for TEXT: wait until TEXT (fixed string) is on the screen.
tui_wait_for()
{
	_deadline=$(( $(date +%s) + TUI_TIMEOUT ))
	while :; do
		if tui_screen | grep -qF -- "$1"; then
			return 0
		fi
		[ "$(date +%s)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
}

# tui_wait_gone TEXT: wait until TEXT is no longer on the screen.
tui_wait_gone()
{
	_deadline=$(( $(date +%s) + TUI_TIMEOUT ))
	while :; do
		if ! tui_screen | grep -qF -- "$1"; then
			return 0
		fi
		[ "$(date +%s)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
}

_tui_fail_screen()
{
	fail "$1" "$2" "screen:"
	tui_screen | sed 's/^/#   |/'
}

# tui_expect NAME TEXT: the screen shows TEXT (waiting for it).
tui_expect()
{
	if tui_wait_for "$2"; then
		pass "$1"
	else
		_tui_fail_screen "$1" "not on the screen: $2"
	fi
}

# tui_expect_not NAME TEXT: TEXT is not (or no longer) on the screen.
tui_expect_not()
{
	if tui_wait_gone "$2"; then
		pass "$1"
	else
		_tui_fail_screen "$1" "still on the screen: $2"
	fi
}

# tui_expect_raw NAME TEXT: the screen with its colours and attributes
# (tui_screen_raw) shows TEXT (fixed string), waiting for it.
tui_expect_raw()
{
	_deadline=$(( $(date +%s) + TUI_TIMEOUT ))
	while ! tui_screen_raw | grep -qF -- "$2"; do
		if [ "$(date +%s)" -ge "$_deadline" ]; then
			_tui_fail_screen "$1" "not on the screen: $2"
			return 1
		fi
		sleep 0.1
	done
	pass "$1"
}

# tui_expect_screen NAME: the whole screen equals standard input
# (trailing blanks ignored), waiting until it does.
tui_expect_screen()
{
	cat > "$TEST_TMP/tui-want"
	_deadline=$(( $(date +%s) + TUI_TIMEOUT ))
	while :; do
		tui_screen | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' \
		    > "$TEST_TMP/tui-got"
		sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$TEST_TMP/tui-want" \
		    > "$TEST_TMP/tui-want2"
		if cmp -s "$TEST_TMP/tui-want2" "$TEST_TMP/tui-got"; then
			pass "$1"
			return 0
		fi
		if [ "$(date +%s)" -ge "$_deadline" ]; then
			diff -u "$TEST_TMP/tui-want2" "$TEST_TMP/tui-got" \
			    > "$TEST_TMP/tui-diff"
			fail "$1" "screen differs (- expected, + actual):"
			sed 's/^/# /' "$TEST_TMP/tui-diff"
			return 1
		fi
		sleep 0.2
	done
}

# tui_exited: wait for guild view to end; prints its exit status.
tui_exited()
{
	_deadline=$(( $(date +%s) + TUI_TIMEOUT ))
	while [ ! -s "$TEST_TMP/tui-exit" ]; do
		[ "$(date +%s)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
	cat "$TEST_TMP/tui-exit"
}

# tui_expect_exit NAME STATUS: guild view ended with STATUS.
tui_expect_exit()
{
	_st=$(tui_exited)
	if [ "$_st" = "$2" ]; then
		pass "$1"
	else
		fail "$1" "exit status '${_st:-still running}', expected $2" \
		    "stderr: $(cat "$TEST_TMP/tui-stderr" 2>/dev/null)"
	fi
}

# tui_expect_tty_restored NAME: after guild exited, the terminal has the
# settings it had before (echo, canonical mode, ...).
tui_expect_tty_restored()
{
	if cmp -s "$TEST_TMP/tui-stty-before" "$TEST_TMP/tui-stty-after"; then
		pass "$1"
	else
		fail "$1" "before: $(cat "$TEST_TMP/tui-stty-before")" \
		    "after:  $(cat "$TEST_TMP/tui-stty-after" 2>/dev/null)"
	fi
}

# tui_resize COLS ROWS
tui_resize()
{
	_tui resize-window -t t -x "$1" -y "$2"
}

# tui_click X Y: a left click at column X, row Y (from 0), sent as the
# SGR mouse report (xterm's 1006 mode, what xterm-256color asks for).
tui_click()
{
	_tui send-keys -t t -l "$(printf '\033[<0;%d;%dM' $(($1 + 1)) $(($2 + 1)))"
	_tui send-keys -t t -l "$(printf '\033[<0;%d;%dm' $(($1 + 1)) $(($2 + 1)))"
}

# tui_wheel X Y up|down: a mouse wheel step.
tui_wheel()
{
	_w=64
	[ "$3" = down ] && _w=65
	_tui send-keys -t t -l "$(printf '\033[<%d;%d;%dM' $_w $(($1 + 1)) $(($2 + 1)))"
}

# A project whose operations are shell scripts: train prints progress
# bars, colours and scalars; slow ticks until it has done TICKS, or until
# its run directory is gone (the test is over).
tui_project()
{
	_p=$(make_project "${1:-proj}" <<'YML'
model: fashion
description: Basic fashion MNIST image classifier.
operations:
  train:
    description: Train classifier from scratch.
    exec: sh .guild/sourcecode/train.sh ${epochs} ${lr}
    flags:
      epochs:
        default: 2
        type: int
        description: Number of epochs
      lr:
        default: 0.1
        type: float
        description: Learning rate
      optimizer:
        default: adam
        choices: [adam, sgd, rmsprop]
  slow:
    description: Runs until told to stop.
    exec: sh .guild/sourcecode/slow.sh ${ticks}
    flags:
      ticks: 3000
YML
)
	cat > "$_p/train.sh" <<'SH'
i=1
while [ "$i" -le "$1" ]; do
	printf '\033[32mEpoch %d/%d\033[0m\n' "$i" "$1"
	for p in 0 50 100; do
		printf '\r[progress %3d%%]' "$p"
	done
	printf '\n'
	echo "loss: 0.$((9 - i)) (step $i)"
	echo "acc: 0.$((80 + i))"
	i=$((i + 1))
done
SH
	cat > "$_p/slow.sh" <<'SH'
i=0
while [ "$i" -lt "$1" ] && [ -d "$PWD" ]; do
	echo "tick $i"
	echo "loss: 0.$((500 - i))"
	i=$((i + 1))
	sleep 0.2
done
SH
	printf '%s\n' "$_p"
}
