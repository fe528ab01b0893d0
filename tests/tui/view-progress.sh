#!/bin/sh
# view-progress.sh: nothing a key starts blocks guild view. A cold index
# is read between keys: the first screen shows the runs read so far with
# "Reading runs N/M", keys are answered meanwhile, and what was read is
# kept when the view quits (the next start goes on from there). Esc
# stops reading (the screen says how many runs it shows; R goes on, and
# any other guild finishes the index). The first pattern filter reads
# every run between keys too ("Filtering runs"): typed keys are echoed
# meanwhile and Esc cancels it; over a cold index it goes on over the
# runs read as they come, never starting again.
#
# GUILD_TEST_SLOW_US (a test hook, guild-view(1)) makes reading each run
# take that long, so the work can be watched on any machine; the waits
# are for what the screen shows, never for a time.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

N=400
proj=$(tui_project)
cd "$proj" || exit 1
RUNS_PROJECT=$proj
# Run directories only: no index has seen them. Half train, half eval.
i=1
while [ "$i" -le "$N" ]; do
	op=train
	[ $((i % 2)) = 0 ] && op=eval
	mkrun "$(printf '%08x1111222233334444555566667777' "$i")" "$op" \
	    $((1600000000 + i)) 0 || exit 1
	i=$((i + 1))
done

# screen_has_all TEXT...: one screen shows every TEXT (fixed strings).
screen_has_all()
{
	tui_screen > "$TEST_TMP/screen"
	for _t in "$@"; do
		grep -qF -- "$_t" "$TEST_TMP/screen" || return 1
	done
}

# expect_all NAME TEXT...: waits until one screen shows every TEXT.
expect_all()
{
	_name=$1
	shift
	if wait_for "$TUI_TIMEOUT" screen_has_all "$@"; then
		pass "$_name"
	else
		_tui_fail_screen "$_name" "not all on one screen: $*"
	fi
}

# raw_has TEXT: the screen as is (ids not normalised) shows TEXT.
raw_has()
{
	_tui capture-pane -p -t t | grep -qF -- "$1"
}

# The figures of the progress line: "Reading runs 3,400/10,000" -> 3400 10000.
progress_of()
{
	tui_screen | sed -n "s/.*$1 \([0-9,]*\)\/\([0-9,]*\).*/\1 \2/p" |
	    tr -d , | head -n 1
}

# A cold index, slowly: the first screen comes before the index is read.
tui_start 120 30 GUILD_TEST_SLOW_US=50000
expect_all "a cold index: the screen says it is reading runs" \
    "Reading runs " "/$N (the list fills in; Esc stops, q quits)"
expect_all "and shows the runs read so far meanwhile" \
    "Reading runs " "[0:"
set -- $(progress_of "Reading runs")
first_done=${1:-0}
tui_keys q
tui_expect_exit "q is answered while the index is read" 0

# What was read is kept: the next start reads only the rest.
tui_start 120 30 GUILD_TEST_SLOW_US=50000
tui_wait_for "Reading runs " || true
set -- $(progress_of "Reading runs")
if [ -n "${2:-}" ] && [ "$2" -lt "$N" ] && [ "$2" -gt 0 ]; then
	pass "the next start reads the runs not read yet ($2 of $N)"
else
	_tui_fail_screen "the next start reads the runs not read yet" \
	    "progress '$*', first start had read $first_done of $N"
fi
tui_keys q
tui_expect_exit "and q quits it too" 0

# At full speed the index is complete and every run is listed.
tui_start 120 30
tui_expect "the rest is read: every run is listed" "Runs  $N"
tui_expect_not "and the progress line goes" "Reading runs"
tui_keys q
tui_expect_exit "q quits" 0

# The first pattern filter reads every run's digest, between keys.
tui_start 120 30 GUILD_TEST_SLOW_US=50000
tui_expect "the index is warm: every run at once" "Runs  $N"
tui_keys /
tui_type tr
tui_expect "the first filter is read between keys" "filtering "
tui_type ain
expect_all "keys typed meanwhile are echoed" "/train" "filtering "
tui_keys Enter
expect_all "the status line says how far the filter is" \
    "Filtering runs " "/$N (Esc cancels)" "/train/"
expect_all "and the matches read so far are shown" \
    "Filtering runs " "./fashion:train"
tui_keys Escape
tui_expect "Esc cancels the filter" "Filter cleared"
tui_expect_not "every run is shown again" " of $N"
tui_expect_not "and nothing is read any more" "Filtering runs"
tui_keys j
# Ids are normalised on the screen: the second newest run's, as is.
if wait_for "$TUI_TIMEOUT" raw_has "Output  $(printf '%08x' $((N - 1)))"; then
	pass "the view is usable: keys move the cursor"
else
	_tui_fail_screen "the view is usable: keys move the cursor" \
	    "the output pane is not the second run's"
fi
tui_keys /
tui_type eval
tui_expect "a filter typed again goes on reading" "filtering "
tui_keys Escape
tui_expect_not "Esc in the prompt cancels it too" "filtering "
tui_expect_not "and puts back the runs" " of $N"
tui_keys q
tui_expect_exit "q quits" 0

# At full speed the filter's result is complete.
tui_start 120 30
tui_expect "warm index" "Runs  $N"
tui_keys /
tui_type eval
tui_keys Enter
tui_expect "the filter's complete result" "Runs  $((N / 2)) of $N  /eval/"
tui_expect_not "with no progress left" "Filtering runs"
tui_keys q
tui_expect_exit "q quits" 0

# Esc stops reading a cold index; R goes on with it.
rm -rf "$GUILD_HOME/cache"
tui_start 120 30 GUILD_TEST_SLOW_US=20000
expect_all "a cold index again" "Reading runs " "Esc stops"
tui_keys Escape
tui_expect "Esc stops reading the runs" "Stopped reading runs: "
expect_all "the status line says how many runs are shown, and how to go on" \
    "Reading runs stopped at " " runs shown (R reads the rest)"
tui_expect_not "and nothing is read any more" "(the list fills in"
# The runs shown are those the status line counts.
set -- $(tui_screen | sed -n 's/.*Reading runs stopped at [0-9,]*\/[0-9,]*: \([0-9,]*\) runs shown.*/\1/p' | tr -d ,)
shown=${1:-0}
if [ "$shown" -gt 0 ] && [ "$shown" -lt "$N" ] &&
    tui_screen | grep -Eq "Runs  $shown( |\$)"; then
	pass "what was read is listed ($shown of $N)"
else
	_tui_fail_screen "what was read is listed" "shown '$shown'"
fi
tui_keys j
tui_expect_not "keys work: the message goes" "Stopped reading runs: "
expect_all "the status line still says so" "Reading runs stopped at "
tui_keys R
tui_expect "R goes on reading" "(the list fills in"
tui_expect "and reads every run" "Runs  $N"
tui_expect_not "the progress line goes" "Reading runs"
tui_keys q
tui_expect_exit "q quits" 0

# Stopped, the index is not half-written: the next guild finishes it.
rm -rf "$GUILD_HOME/cache"
tui_start 120 30 GUILD_TEST_SLOW_US=20000
expect_all "a cold index once more" "Reading runs " "Esc stops"
tui_keys Escape
tui_expect "stopped" "Reading runs stopped at "
tui_keys q
tui_expect_exit "q quits" 0
n=$(guild runs -a 2>/dev/null | grep -c '^\[')
ok "guild runs then lists every run ($n of $N)" test "$n" = "$N"

# A filter over a cold index goes on over the runs as they are read:
# its count never goes back, and matches show as they are found.
rm -rf "$GUILD_HOME/cache"
tui_start 120 30 GUILD_TEST_SLOW_US=20000
expect_all "a cold index for a filter" "Reading runs " "Esc stops"
tui_keys /
tui_type eval
tui_keys Enter
: > "$TEST_TMP/counts"
# filter_seen: records the filter's count now; true once it is over.
filter_seen()
{
	tui_screen > "$TEST_TMP/fscreen"
	sed -n -e 's/.*Reading runs [0-9,]*\/[0-9,]*, filtering \([0-9,]*\)\/.*/R \1/p' \
	    -e 's/.*Filtering runs \([0-9,]*\)\/.*/F \1/p' "$TEST_TMP/fscreen" |
	    tr -d , >> "$TEST_TMP/counts"
	grep -q "Runs  [1-9][0-9]* of [0-9]*  /eval/" "$TEST_TMP/fscreen" &&
	    grep -q "Reading runs [0-9,]*/[0-9,]*, filtering" \
	    "$TEST_TMP/fscreen" && touch "$TEST_TMP/matches-while-reading"
	grep -qF "Runs  $((N / 2)) of $N  /eval/" "$TEST_TMP/fscreen" &&
	    ! grep -qE "Reading runs|Filtering runs" "$TEST_TMP/fscreen"
}
if wait_for "$TUI_TIMEOUT" filter_seen; then
	pass "the filter ends with every match ($((N / 2)) of $N)"
else
	_tui_fail_screen "the filter ends with every match" "$(tail -n 3 "$TEST_TMP/counts")"
fi
ok "the filter went on while the runs were read" \
    grep -q '^R [1-9]' "$TEST_TMP/counts"
ok "matches were shown while the runs were read" \
    test -e "$TEST_TMP/matches-while-reading"
if awk '{ if ($2 + 0 < last) { print "went back: " last " -> " $2; bad = 1 }
    last = $2 + 0 } END { exit bad }' "$TEST_TMP/counts"; then
	pass "its count never went back ($(wc -l < "$TEST_TMP/counts") samples)"
else
	fail "its count never went back"
fi
tui_keys q
tui_expect_exit "q quits" 0

done_testing
