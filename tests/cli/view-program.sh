#!/bin/sh
# view-program.sh: the view is a program of its own, guild-view, which
# guild becomes for guild view (and guild compare on a terminal), so that
# no other command loads curses (src/cmd-view.c, ui/main.c): what guild
# hands over, where it looks for the program, and the errors when it is
# not there. The view itself is tested by tests/tui/.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tmux-lib.sh"
: "${top_builddir:=$top_srcdir}"
export GUILD
unset GUILD_EXE

# A copy of guild with a stand-in guild-view beside it, which shows what
# it was given.
bin=$TEST_TMP/bin
dir=$TEST_TMP/dir
mkdir -p "$bin" "$dir"
cp "$GUILD" "$bin/guild"
cat > "$bin/guild-view" <<'EOF'
#!/bin/sh
echo "cwd: $(pwd -P)"
for a in "$@"; do
	echo "arg: $a"
done
EOF
chmod +x "$bin/guild-view"

# guild GUILD [-H HOME] COMMAND...: -C is done already, the directory is
# inherited; GUILD is the guild to run for the view's actions.
expect_output "guild view becomes the guild-view beside guild" - -- \
    "$bin/guild" -C "$dir" -H home view --compare 1 abc <<'EOF'
cwd: $TEST_TMP/dir
arg: $TEST_TMP/bin/guild
arg: -H
arg: home
arg: view
arg: --compare
arg: 1
arg: abc
EOF
expect_output "without -H, none is handed over" - -- \
    "$bin/guild" -C "$dir" view <<'EOF'
cwd: $TEST_TMP/dir
arg: $TEST_TMP/bin/guild
arg: view
EOF

expect_output "\$GUILD_EXE, relative, is handed over absolute" - -- \
    env GUILD_EXE=bin/guild "$bin/guild" -C "$TEST_TMP" view <<'EOF'
cwd: $TEST_TMP
arg: $TEST_TMP/bin/guild
arg: view
EOF

# Help is guild's own: it needs no view program.
chmod -x "$bin/guild-view"
"$bin/guild" view --help > "$TEST_TMP/help" 2>&1
ok "guild view --help without the view program" \
    grep -q '^Usage: guild view \[OPTIONS\] \[RUN\.\.\.\]$' "$TEST_TMP/help"
"$bin/guild" --help > "$TEST_TMP/help" 2>&1
ok "guild --help lists view" grep -q '^  view ' "$TEST_TMP/help"

# Not beside guild (or not executable there): the installed one, else a
# clear error naming both places.
"$bin/guild" view > "$TEST_TMP/out" 2>&1
status=$?
case $(cat "$TEST_TMP/out") in
"guild: the view program is not installed: neither $bin/guild-view nor "*"/guild-view can be run")
	ok "no view program: a clear error, status 1" test "$status" -eq 1
	;;
"guild: view needs a terminal")
	skip "no view program: a clear error, status 1" \
	    "a guild-view is installed in this build's pkglibexecdir"
	;;
*)
	fail "no view program: a clear error, status 1" "status $status:" \
	    "$(cat "$TEST_TMP/out")"
	;;
esac

# guild-view is guild's: run by hand, it says so.
expect_output "guild-view run by hand" - 1 -- \
    "$top_builddir/guild-view" view <<'EOF'
guild: guild-view is started by guild view
EOF

# guild compare: its table off a terminal, the view's compare on one.
chmod +x "$bin/guild-view"
"$bin/guild" compare > "$TEST_TMP/out" 2>&1
status=$?
ok "guild compare off a terminal stays in guild (no runs: no rows)" \
    test "$status" -eq 0 -a ! -s "$TEST_TMP/out"
term_start "guild compare on a terminal" 200 30
term_keys "'$bin/guild' compare -Fo train; echo EXIT=\$?" Enter
wait_for 120 term_has '^EXIT='
ok "guild compare on a terminal becomes guild-view" \
    term_has "^arg: compare\$" || term_dump
ok "with its arguments" term_has "^arg: -Fo\$" || term_dump
term_stop

done_testing
