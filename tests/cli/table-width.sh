#!/bin/sh
# table-width.sh: on a terminal, guild runs and guild compare --table
# fit its width (COLUMNS when set, else the terminal's), cut at the
# edge so that the last column (label, flags) goes first, as Guild AI
# does; what is piped or written to a file is never cut.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"
. "$top_srcdir/tests/tmux-lib.sh"

proj=$(make_project sample-project <<'EOF2'
model: fashion
operations:
  train:
    main: train
EOF2
)
RUNS_PROJECT=$proj
cd "$proj" || exit 1
mkwalkthrough
label="a label long enough to pass the edge of any terminal in this test"
guild label -y --set "$label" 0 > /dev/null 2>&1

# line TEXT: the last line on the screen with TEXT (wrapped lines
# joined, a prompt before it left out).
line()
{
	_term capture-pane -p -J -t t | grep -F -- "$1" | tail -n 1 |
	    sed 's/^\$ //'
}

term_start "tables fit the terminal" 70 24
term_keys "cd '$proj' && COLUMNS=50 \"\$GUILD\" runs; echo EXIT=\$?" Enter
wait_for 120 term_has '^EXIT=0'
l=$(line "[0:19c67a72]")
ok "COLUMNS=50: the line is cut at 50 columns (${#l})" [ "${#l}" -eq 50 ]
ok "the label and status go first, the date stays" \
    sh -c "printf '%s' '$l' | grep -q '^\[0:19c67a72\]  ./fashion:train  20[0-9-]* [0-9:]*\$'"

term_keys clear Enter "env -u COLUMNS \"\$GUILD\" runs; echo EXIT2=\$?" Enter
wait_for 120 term_has '^EXIT2=0'
l=$(line "[0:19c67a72]")
ok "without COLUMNS: the terminal's 70 columns (${#l})" [ "${#l}" -eq 70 ]
ok "the label cut at the edge" \
    sh -c "printf '%s' '$l' | grep -q 'completed  a label\$'"

term_keys clear Enter "COLUMNS=50 \"\$GUILD\" runs | cat; echo EXIT3=\$?" Enter
wait_for 120 term_has '^EXIT3=0'
l=$(line "[0:19c67a72]")
ok "piped: never cut" sh -c "printf '%s' '$l' | grep -qF '$label'"

term_keys clear Enter "COLUMNS=30 \"\$GUILD\" compare --table; echo EXIT4=\$?" Enter
wait_for 120 term_has '^EXIT4=0'
l=$(line "19c67a72")
ok "compare --table fits COLUMNS too (${#l})" [ "${#l}" -le 30 ]
term_stop

COLUMNS=20 guild runs > "$TEST_TMP/out"
ok "written to a file: never cut" grep -qF "$label" "$TEST_TMP/out"

done_testing
