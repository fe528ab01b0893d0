#!/bin/sh
# view-honest.sh: guild view never lies: keys do nothing while the
# terminal is too small, actions say how many targets the filter hides,
# a second S says it kills, messages read as sentences, r on a batch
# asks to run its prototype, help lists the files read, paused output
# keeps its title live and a cut history says so.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

proj=$(make_project honest <<'YML'
train:
  exec: sh -c 'echo trained'
  flags:
    lr: 0.1
stubborn:
  exec: sh .guild/sourcecode/stubborn.sh
talk:
  exec: sh .guild/sourcecode/talk.sh
many:
  exec: sh .guild/sourcecode/many.sh
YML
)
cd "$proj" || exit 1
cat > stubborn.sh <<'SH'
trap "" TERM
i=0
while [ $i -lt 3000 ] && [ -d "$PWD" ]; do i=$((i + 1)); sleep 0.2; done
SH
cat > talk.sh <<'SH'
i=0
while [ $i -lt 3000 ] && [ -d "$PWD" ]; do
	echo "loss: 0.$((1000 + i))"
	i=$((i + 1))
	sleep 0.1
done
SH
cat > many.sh <<'SH'
i=0
while [ $i -lt 300 ]; do echo "line $i"; i=$((i + 1)); done
SH
guild run -y train lr=0.1 > /dev/null 2>&1
guild run -y train lr=0.2 > /dev/null 2>&1
guild run -y train lr=0.3 > /dev/null 2>&1

tui_start 100 30
tui_expect "three runs" "Runs  3"

# Terminal too small: no key acts, not even y to a question.
tui_keys d
tui_expect "a question" "Delete run"
tui_resize 30 8
tui_expect "too small" "Terminal too small"
tui_keys y d y Enter
tui_resize 100 30
tui_expect "the question is still open, unanswered" "Delete run"
ok "nothing was deleted" sh -c "[ \$('$GUILD' runs | wc -l) -eq 3 ]"
tui_keys n
tui_expect_not "n answers it" "Delete run"
tui_keys d
tui_resize 30 8
tui_expect "too small again" "Terminal too small"
tui_keys q
tui_resize 100 30
tui_expect_not "q there answers no" "Delete run"
tui_expect "and the view is still there" "Runs  3"

# Messages as sentences.
tui_keys m
tui_expect "marked, as a sentence" "Marked 1 run"
tui_expect_not "no run(s)" "run(s)"
tui_keys m

# Targets hidden by the filter are said.
tui_keys A
tui_expect "all selected" "3 selected"
tui_keys /
tui_type "lr=0.3"
tui_keys Enter
tui_expect "filtered" "Runs  1 of 3"
tui_expect "the title says so" "3 selected, 2 hidden"
tui_keys d
tui_expect "the question counts the hidden runs" \
    "Delete 3 runs (2 hidden by the filter)?"
tui_keys n
tui_keys L
tui_expect "the label prompt too" "Label of 3 runs (2 hidden by the filter)"
tui_keys Escape Escape Escape
tui_expect_not "selection cleared" "selected"

# Help lists the files read.
tui_keys '?'
tui_expect "help: files read" "Files read"
tui_expect "the keys file, not there" "view.conf (not there: the defaults)"
tui_expect "the project" 'project           $TEST_TMP/honest/guild.yml'
tui_keys q
tui_keys q
tui_expect_exit "q quits" 0

# A second S says it kills.
guild run -y -b stubborn > /dev/null 2>&1
tui_start 100 30
tui_expect "running" "1 running"
tui_keys S
tui_expect "stop asks" "Stop run"
tui_keys y
tui_expect "stopping, as a sentence" "Stopping 1 run (S again kills)"
tui_keys S
tui_expect "the second S says it kills" "Kill run"
tui_keys y
tui_expect "killed" "Killed 1 run"
tui_expect "it ends" "terminated"
tui_keys q
tui_expect_exit "q quits" 0

# r on a batch: its prototype.
guild run -y --keep-batch train 'lr=[0.5,0.6]' > /dev/null 2>&1
tui_start 100 30
tui_expect "the batch" "./train+"
n=$(guild runs | grep -n 'train+' | cut -d: -f1)
i=1
while [ "$i" -lt "$n" ]; do
	tui_keys j
	i=$((i + 1))
done
tui_keys r
tui_expect "r on a batch asks" "train+ is a batch: run its prototype train?"
tui_keys Enter
tui_expect "the form of the prototype" "Run train"
tui_keys Enter
tui_expect "with the batch's values" "You are about to run train as a batch (2 trials)"
tui_keys Escape Escape
tui_keys q
tui_expect_exit "q quits" 0

# Paused output: the title's scalars and byte count stay live.
guild run -y -b talk > /dev/null 2>&1
tui_start 100 30
tui_expect "following" "following"
tui_keys Tab k
tui_expect "paused" "paused (F follows)"
tui_expect "bytes written since" "paused (F follows) +"
before=$(tui_screen | grep -o 'loss 0\.[0-9]*' | head -n 1)
scalar_moved()
{
	after=$(tui_screen | grep -o 'loss 0\.[0-9]*' | head -n 1)
	[ "$after" != "$before" ]
}
wait_for "$TUI_TIMEOUT" scalar_moved
ok "the title's scalar moves while paused ($before, $after)" \
    test -n "$before" -a "$before" != "$after"
tui_keys q
tui_expect_exit "q quits" 0
guild stop -y > /dev/null 2>&1

# A history cut to output-lines says so at its top.
guild run -y many > /dev/null 2>&1
printf 'set output-lines 100\n' > "$TEST_TMP/view.conf"
tui_start 100 30 GUILD_VIEW_CONF="$TEST_TMP/view.conf"
tui_expect "the last line" "line 299"
tui_keys Tab g
tui_expect "the top says what was cut" \
    "... 200 earlier lines not shown (guild cat shows them all)"
tui_expect "then the first line kept" "line 200"
tui_keys q
tui_expect_exit "q quits" 0

done_testing
