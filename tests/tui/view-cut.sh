#!/bin/sh
# view-cut.sh: lines never lose meaning when cut: every text cut to a
# width ends with an ellipsis (~ without UTF-8), in every pane, at 80x24
# and on a wide terminal: the title bar, models, output lines and pane
# titles, run details, files, compare cells and headers, plot legends,
# the run form, messages and help. And an action's target is never a
# run hidden by the filter without saying so: the runs title says "2
# selected, 1 hidden".

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

# long PREFIX N: PREFIX and " and on" until at least N characters.
long()
{
	_s=$1
	while [ ${#_s} -lt "$2" ]; do
		_s="$_s and on"
	done
	printf '%s\n' "$_s"
}

# expect_line NAME REGEX: a line of the screen matches REGEX (grep -E),
# waiting for it.
_screen_matches()
{
	tui_screen | grep -qE -- "$1"
}

expect_line()
{
	if ! wait_for "$TUI_TIMEOUT" _screen_matches "$2"; then
		fail "$1" "no line matches: $2" "screen:"
		tui_screen | sed 's/^/#   |/'
		return 1
	fi
	pass "$1"
}

# Longer than 220 columns, each of them; names within NAME_MAX.
dir=$(long "a-project-directory-whose-name-is-longer-than-the-title-bar" 200 |
    tr ' ' '-')
model=a-model-whose-name-is-longer-than-any-side-pane-is-wide
note1=$(long "first note" 230)
note2=$(long "second note" 230)
label=$(long "a label that says what the run tried" 250)
line=$(long "an output line that goes" 250)
key=a_scalar_key_longer_than_a_compare_column_or_the_key_column_of_details_and_the_output_title_of_a_wide_terminal_too
file=$(long "a-file-whose-name-is-longer-than-the-files-pane" 230 | tr ' ' '-')
desc=$(long "What this run tries, in as many words as it takes" 250)

proj=$(make_project "$dir" <<YML
- model: $model
  operations:
    train:
      description: Writes long things.
      exec: sh .guild/sourcecode/train.sh "\${note}"
      flags:
        note:
          default: short
          description: $desc
        batch_size_for_each_device: 32
YML
)
cd "$proj" || exit 1
cat > train.sh <<SH
echo "$line"
echo "$key: 0.5"
echo "loss: 0.4"
touch "$file"
SH
guild run -y train note="$note1" > /dev/null 2>&1
guild run -y train note="$note2" > /dev/null 2>&1
guild label -y --set "$label" 0 > /dev/null

# The checks for every size: each text cut ends with the ellipsis.
cut_checks()
{
	_at=$1
	tui_expect "$_at: the runs" "Runs  2"
	expect_line "$_at: the title bar's directory" \
	    '^ guild view  \$TEST_TMP/a-project-directory-whose[-a-z]*… 2 runs  ~/\.guild$'
	expect_line "$_at: the model's name" "^ a-model-whose[-a-z]*… +│"
	expect_line "$_at: the output pane's title" \
	    "│ Output  <id> a-model-whose-name.*…$"
	expect_line "$_at: an output line" "│ an output line that goes[ adno]*…$"

	tui_keys Enter
	tui_expect "$_at: the run's details" "Run <id>"
	expect_line "$_at: details: the label" \
	    "^ label: a label that says what the run tried[ adno]*…$"
	expect_line "$_at: details: the command" \
	    '^ command: sh \.guild/sourcecode/train\.sh "second note[ adno]*…$'
	tui_keys G
	expect_line "$_at: details: a scalar's key, its columns kept" \
	    "^   a_scalar_key[_a-z]*…  0\.5         0\.5         0\.5         0 *"
	expect_line "$_at: details: a file's name, cut to its column" \
	    "^   a-file-whose-name-is-longer[-a-z]*… [0-9.]+ ?[A-Za-z]*$"
	tui_keys q

	tui_keys f
	tui_expect "$_at: the files" "Files  ~/.guild/runs/<id>"
	expect_line "$_at: files: the name" \
	    "^ 0 B          a-file-whose-name-is-longer[-a-z]*…$"
	tui_keys q

	tui_keys c
	tui_expect "$_at: compare" "Compare  2 runs"
	tui_keys '$'
	expect_line "$_at: compare: a header cut to its column" \
	    "  a_scalar_key_longer_t[a-z]*…  loss$"
	expect_line "$_at: compare: a cell cut to its column" \
	    "^[0-9a-f]{8}  .*'?second note[ adno]*…  "
	tui_keys q

	tui_keys A p
	tui_expect "$_at: a plot" "Plot  loss"
	expect_line "$_at: plot: a legend's name, its values kept" \
	    "^ ● note='?(first|second) note[ adno]*…  last 0\.4 \(step 0\)  min 0\.4  max 0\.4$"
	tui_keys q Escape

	tui_keys r
	tui_expect "$_at: the run form" "Run a-model-whose"
	expect_line "$_at: form: a flag's name" "│ batch_size_for_each… 32 "
	expect_line "$_at: form: a flag's description" \
	    "  What this run tries,[ ,a-z]*… │"
	tui_keys Escape
	tui_expect_not "$_at: the form closes" "Run a-model-whose"

	tui_keys M
	tui_type "$(long 'min loss' 250)"
	tui_keys Enter
	expect_line "$_at: a message" \
	    "^Bad metric 'min loss[ adno]*…$"

	# Help's lines are cut at 80 columns only.
	if [ "$_at" = 80x24 ]; then
		tui_keys '?'
		tui_expect "$_at: help" "Files read"
		expect_line "$_at: help: a line cut" \
		    "^   <Esc> +close +Close .*…$"
		tui_keys q
	fi
	tui_expect "$_at: back to the runs" "Runs  2"
}

tui_start 80 24
cut_checks 80x24

# The runs title: selected runs the filter hides are said, by the
# pattern and by the expression; the question says so too.
tui_keys A
tui_expect "selected" "2 selected"
tui_keys /
tui_type "tried"
tui_keys Enter
tui_expect "a pattern hides a selected run: the title says so" \
    "2 selected, 1 hidden"
tui_keys Space
tui_expect "the one shown unselected: still 1 hidden" "1 selected, 1 hidden"
tui_keys Space
tui_expect "selected again" "2 selected, 1 hidden"
tui_keys / Enter
tui_expect "the pattern cleared" "Runs  2"
tui_keys :
tui_type "note contains first"
tui_keys Enter
tui_expect "an expression hides one too" "Runs  1  :note contains first"
tui_expect "the title says so" "2 selected, 1 hidden"
tui_keys d
tui_expect "and the question" "Delete 2 runs (1 hidden by the filter)?"
tui_keys n
tui_keys q
tui_expect_exit "q quits" 0

tui_start 220 50
cut_checks 220x50
tui_keys A /
tui_type "tried"
tui_keys Enter
tui_expect "220x50: the title says what the filter hides" \
    "2 selected, 1 hidden"
tui_keys q
tui_expect_exit "q quits" 0

# ~ marks a cut when the terminal is not UTF-8.
tui_start 80 24 LANG=C LC_ALL=C
tui_expect "the runs" "Runs  2"
tui_keys Enter
expect_line "details: a cut label ends with ~" \
    "^ label: a label that says what the run tried[ adno]*~$"
tui_keys q q
tui_expect_exit "q quits" 0

done_testing
