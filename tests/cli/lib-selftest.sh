#!/bin/sh
# lib-selftest.sh: the test helpers of tests/lib.sh catch what they should.
# It needs no guild binary: the commands under test are printf and sh.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

# Run a snippet in a subshell, so its TAP lines are captured, not counted.
captured()
{
	(
		_tap_n=0
		_tap_failed=0
		eval "$1"
	) > "$TEST_TMP/captured" 2>&1
}

contains()
{
	grep -q -e "$1" "$TEST_TMP/captured"
}

expect_output "matching output passes" - -- printf 'a\nb\n' <<'OUT'
a
b
OUT

captured 'expect_output "wrong" - -- printf "a\nc\n" <<OUT
a
b
OUT'
ok "wrong output is reported as not ok" contains '^not ok 1 - wrong$'
ok "the diff is shown as diagnostics" contains '^# +c$'

captured 'expect_output "status" - -- sh -c "echo oops; exit 3" <<OUT
oops
OUT'
ok "an unexpected exit status is not ok" contains '^not ok 1 - status$'
ok "the exit status is reported" contains '^# exit status 3, expected 0'

expect_output "an expected exit status passes" - 3 -- sh -c 'echo oops >&2; exit 3' <<'OUT'
oops
OUT

printf 'x\n' > "$TEST_TMP/expected-file"
expect_output "expected output from a file" "$TEST_TMP/expected-file" -- echo x

captured 'expect_output "no separator" - echo x </dev/null'
ok "a call without -- is not ok" contains '^not ok 1 - no separator$'

captured 'fail "one" "why it failed"; pass "two"; done_testing'
ok "done_testing exits 1 after a failure" test $? -eq 1
ok "done_testing prints the plan last" test "$(tail -n 1 "$TEST_TMP/captured")" = "1..2"
ok "fail prints its diagnostics" contains '^# why it failed$'

captured 'pass "one"; done_testing'
ok "done_testing exits 0 when all passed" test $? -eq 0

printf '%s\n' \
    "[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error" \
    "id: 1451e20cd18611e88f52d017c2ab916f" \
    "run_dir: $GUILD_HOME/runs/1451e20cd18611e88f52d017c2ab916f" \
    "pid: 4242" \
    "dir: $TEST_TMP/proj" > "$TEST_TMP/unnormalized"
EXPECT_STDIN=$TEST_TMP/unnormalized \
expect_output "normalize hides ids, times, pids and paths" - -- normalize <<'OUT'
[1:<id>]  ./fashion:train  <time>  error
id: <id>
run_dir: ~/.guild/runs/<id>
pid: <pid>
dir: $TEST_TMP/proj
OUT

proj=$(make_project sample <<'YML'
model: fashion
YML
)
ok "make_project writes guild.yml" grep -q '^model: fashion$' "$proj/guild.yml"
ok "the project is in the test directory" test "$proj" = "$TEST_TMP/sample"
ok "HOME is private to the test" test "$HOME" = "$TEST_TMP/home" -a -d "$HOME"
ok "GUILD_HOME is under HOME" test "$GUILD_HOME" = "$HOME/.guild"

leftover=$(sh -c '. "$1/tests/lib.sh"; echo "$TEST_TMP"' sh "$top_srcdir")
ok "the test directory is removed on exit" test -n "$leftover" -a ! -e "$leftover"

done_testing
