#!/bin/sh
# check-tests.sh: the tests hold on a busy machine and every check can
# fail. A test script never sleeps a fixed time to let something happen:
# it waits for a condition with a deadline, through wait_for (tests/lib.sh)
# or the waits of tests/tui/lib-tui.sh, the only functions allowed to call
# "sleep N". And no unit test asserts a constant (ok(1, ...)).
#
# Allowed elsewhere: sleep in here-documents (the operations and fixture
# scripts the tests write: an operation that runs a while, a loop that
# polls for a file the test creates), and "sleep N &" (a live process to
# point at).

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

# The helpers allowed to sleep, as FILE:FUNCTION.
ALLOWED="tests/lib.sh:wait_for
tests/tui/lib-tui.sh:tui_wait_for
tests/tui/lib-tui.sh:tui_wait_gone
tests/tui/lib-tui.sh:tui_expect_raw
tests/tui/lib-tui.sh:tui_expect_screen
tests/tui/lib-tui.sh:tui_exited"

# fixed_sleeps FILE NAME: print "NAME:LINE: TEXT" for each sleep with a
# literal duration outside here-documents and allowed functions.
fixed_sleeps()
{
	awk -v name="$2" -v allowed="$ALLOWED" '
	BEGIN {
		n = split(allowed, a, "\n")
		for (i = 1; i <= n; i++)
			ok[a[i]] = 1
	}
	# The body of a here-document, up to its delimiter.
	heredoc != "" {
		line = $0
		if (strip)
			sub(/^\t+/, "", line)
		if (line == heredoc)
			heredoc = ""
		next
	}
	# A function definition starts at column 0 and ends at "}" there.
	/^[A-Za-z_][A-Za-z_0-9]*\(\)/ {
		fn = $0
		sub(/\(\).*/, "", fn)
	}
	/^}/ {
		fn = ""
	}
	{
		code = $0
		sub(/^[ \t]*#.*/, "", code)
		if (code ~ /(^|[^A-Za-z_0-9.-])sleep[ \t]+["'"'"']?[0-9$]/ &&
		    code !~ /sleep[ \t]+[0-9.]+[ \t]*&[ \t]*$/ &&
		    $0 !~ /# check-tests: allow/ &&
		    !((name ":" fn) in ok))
			printf "%s:%d: %s\n", name, NR, $0
	}
	# A here-document starts here (only the last one of a line matters
	# in these scripts).
	match($0, /<<-?[ \t]*["'"'"'\\]?[A-Za-z_][A-Za-z_0-9]*/) {
		heredoc = substr($0, RSTART, RLENGTH)
		strip = heredoc ~ /^<<-/
		sub(/^<<-?[ \t]*["'"'"'\\]?/, "", heredoc)
	}
	' "$1"
}

found=
for f in "$top_srcdir"/tests/*.sh "$top_srcdir"/tests/cli/*.sh \
    "$top_srcdir"/tests/tui/*.sh "$top_srcdir"/tests/remote/*.sh; do
	# This file names fixed sleeps in its own test of the check.
	[ -f "$f" ] && [ "${f##*/}" != check-tests.sh ] || continue
	found="$found$(fixed_sleeps "$f" "${f#"$top_srcdir"/}")
"
done
found=$(printf '%s' "$found" | sed '/^$/d')
if [ -z "$found" ]; then
	pass "no test script sleeps a fixed time outside the wait helpers"
else
	fail "no test script sleeps a fixed time outside the wait helpers" \
	    "wait for a condition with wait_for (tests/lib.sh) instead:" \
	    "$found"
fi

# The checker itself: it sees a fixed sleep, and lets the allowed ones be.
cat > "$TEST_TMP/bad.sh" <<'EOF'
cat > x <<'YML'
exec: sh -c 'sleep 30'
YML
sleep 60 &
wait_for()
{
	sleep 0.1
}
guild run -b x; sleep 1
sleep "0.$n"
sleep "0.5" # check-tests: allow
EOF
ok "the check finds a fixed sleep (and only those)" \
    test "$(fixed_sleeps "$TEST_TMP/bad.sh" tests/lib.sh)" = \
    "tests/lib.sh:9: guild run -b x; sleep 1
tests/lib.sh:10: sleep \"0.\$n\""

# Unit tests: a check that cannot fail checks nothing.
consts=$(grep -nE '\<ok[ \t]*\([ \t]*(1|true)[ \t]*,' \
    "$top_srcdir"/tests/unit/*.c | sed "s|^$top_srcdir/||")
if [ -z "$consts" ]; then
	pass "no unit test asserts a constant (ok(1, ...))"
else
	fail "no unit test asserts a constant (ok(1, ...))" "$consts"
fi

done_testing
