# tests/lib.sh: helpers for the command tests, sourced by tests/cli/*.sh.
#
#	. "$top_srcdir/tests/lib.sh"
#
#	proj=$(make_project fashion <<'EOF'
#	model: fashion
#	description: Basic fashion MNIST image classifier.
#	EOF
#	)
#	expect_output "models lists the model" - -- guild -C "$proj" models <<'EOF'
#	./fashion  Basic fashion MNIST image classifier.
#	EOF
#	done_testing
#
# Every test script gets its own temporary directory $TEST_TMP, removed on
# exit, with a fresh HOME ($TEST_TMP/home) and GUILD_HOME ($HOME/.guild).
# Output is TAP: "ok N - name" / "not ok N - name", diagnostics as "# ..."
# lines, and the plan "1..N" printed last by done_testing.
#
# The harness sets GUILD (the guild binary), top_srcdir and top_builddir.

: "${GUILD:=guild}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"

TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/guild-test.XXXXXX") || {
	echo "Bail out! mktemp failed"
	exit 1
}
trap 'rm -rf "$TEST_TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

HOME=$TEST_TMP/home
GUILD_HOME=$HOME/.guild
mkdir -p "$HOME"
# Fixed settings so that output does not depend on who runs the tests.
TZ=UTC
COLUMNS=80
PAGER=cat
export HOME GUILD_HOME TZ COLUMNS PAGER
unset GUILD_PYTHON_EXE VISUAL EDITOR

_tap_n=0
_tap_failed=0

# guild ARG...: run the guild under test.
guild()
{
	"$GUILD" "$@"
}

diag()
{
	printf '%s\n' "$@" | sed 's/^/# /'
}

pass()
{
	_tap_n=$((_tap_n + 1))
	printf 'ok %d - %s\n' "$_tap_n" "$1"
}

# fail NAME [DIAGNOSTIC...]
fail()
{
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	printf 'not ok %d - %s\n' "$_tap_n" "$1"
	shift
	[ $# -eq 0 ] || diag "$@"
}

# ok NAME COMMAND...: passes when COMMAND exits 0.
ok()
{
	_ok_name=$1
	shift
	if "$@"; then
		pass "$_ok_name"
	else
		fail "$_ok_name" "failed: $*"
		return 1
	fi
}

# skip NAME REASON
skip()
{
	_tap_n=$((_tap_n + 1))
	printf 'ok %d - %s # SKIP %s\n' "$_tap_n" "$1" "$2"
}

# skip_all REASON: skip the whole script (before any test).
skip_all()
{
	printf '1..0 # SKIP %s\n' "$1"
	exit 0
}

# Print the plan; exit 1 if anything failed, as the unit tests do.
done_testing()
{
	printf '1..%d\n' "$_tap_n"
	[ "$_tap_failed" -eq 0 ] || exit 1
	exit 0
}

# wait_for SECONDS COMMAND...: run COMMAND (standard error dropped) until
# it succeeds, every 0.1 s, for at most SECONDS; exit status 0 when it did.
# With tests/tui/lib-tui.sh's waits, the only place a test sleeps: a test
# waits for a condition, never for a time, and its deadline is generous
# (120 s), since the wait ends as soon as the condition holds and a loaded
# machine can be very slow.
wait_for()
{
	_wf_end=$(( $(date +%s) + $1 ))
	shift
	until "$@" 2>/dev/null; do
		[ "$(date +%s)" -lt "$_wf_end" ] || return 1
		sleep 0.1
	done
}

# Escape a string for use as a literal in a sed regular expression.
_sed_literal()
{
	printf '%s\n' "$1" | sed 's/[][\.*^$/]/\\&/g'
}

# normalize: filter that replaces what changes from run to run: $HOME
# becomes ~ (so GUILD_HOME reads ~/.guild, as in Guild's own output), other
# paths under the test directory $TEST_TMP, run ids <id>, dates <time> and
# pids <pid>.
normalize()
{
	sed -e "s/$(_sed_literal "$HOME")/~/g" \
	    -e "s/$(_sed_literal "$TEST_TMP")/\$TEST_TMP/g" \
	    -e 's/[0-9a-f]\{32\}/<id>/g' \
	    -e 's/\[\([0-9][0-9]*\):[0-9a-f]\{8\}\]/[\1:<id>]/g' \
	    -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]/<time>/g' \
	    -e 's/^\([ ]*pid:\) [0-9][0-9]*$/\1 <pid>/'
}

# make_project NAME: create the project directory $TEST_TMP/NAME with
# guild.yml read from standard input, and print its path.
make_project()
{
	mkdir -p "$TEST_TMP/$1" &&
	cat > "$TEST_TMP/$1/guild.yml" &&
	printf '%s\n' "$TEST_TMP/$1"
}

# expect_output NAME EXPECTED [STATUS] -- COMMAND...
#
# Run COMMAND with standard input from $EXPECT_STDIN (default /dev/null)
# and compare its standard output and standard error, together and
# normalised, with EXPECTED: a file, or "-" to read standard input (a
# heredoc). The exit status must be STATUS (default 0). On a mismatch the
# test fails with a diff as diagnostics.
expect_output()
{
	_eo_name=$1
	_eo_expected=$2
	shift 2
	_eo_status=0
	if [ "$1" != "--" ]; then
		_eo_status=$1
		shift
	fi
	if [ "$1" != "--" ]; then
		fail "$_eo_name" "expect_output: usage: NAME EXPECTED [STATUS] -- COMMAND..."
		return 1
	fi
	shift
	if [ "$_eo_expected" = "-" ]; then
		cat > "$TEST_TMP/expected"
		_eo_expected=$TEST_TMP/expected
	fi
	"$@" < "${EXPECT_STDIN:-/dev/null}" > "$TEST_TMP/raw" 2>&1
	_eo_got=$?
	normalize < "$TEST_TMP/raw" > "$TEST_TMP/actual"
	if [ "$_eo_got" -ne "$_eo_status" ]; then
		fail "$_eo_name" "exit status $_eo_got, expected $_eo_status: $*" \
		    "output:"
		sed 's/^/#   /' "$TEST_TMP/actual"
		return 1
	fi
	if ! diff -u "$_eo_expected" "$TEST_TMP/actual" > "$TEST_TMP/diff"; then
		fail "$_eo_name" "output differs (- expected, + actual): $*"
		sed 's/^/# /' "$TEST_TMP/diff"
		return 1
	fi
	pass "$_eo_name"
}
