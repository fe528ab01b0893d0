#!/bin/sh
# completion.sh: guild completion: the helper modes the bash script calls,
# the script itself driven in bash, --install, and make install.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

command -v bash > /dev/null 2>&1 || skip_all "bash is not installed"

proj=$(make_project fashion <<'EOF'
model: fashion
description: Basic fashion MNIST image classifier.
operations:
  train:
    description: Train classifier from scratch.
    main: train
    default: yes
    flags:
      learning-rate: 0.01
      epochs: 5
      optimizer:
        default: adam
        choices: [adam, sgd]
      augment:
        type: boolean
        default: no
  evaluate:
    main: evaluate
  _hidden:
    main: hidden
EOF
)
multi=$(make_project multi <<'EOF'
- model: cnn
  operations:
    train:
      main: cnn
    prepare:
      main: prepare
- model: mlp
  operations:
    train:
      main: mlp
- model: _private
  operations:
    secret:
      main: secret
EOF
)
RUNS_PROJECT=$proj
cd "$proj" || exit 1

# The walkthrough's runs, a newer one, and one in the trash.
mkwalkthrough
mkrun 7ab0f4c2d18611e88f52d017c2ab916f train 1539705500 0
mkrun 5d1c9e00d18611e88f52d017c2ab916f evaluate 1539705400 0
mkdir -p "$GUILD_HOME/trash/runs"
mv "$GUILD_HOME/runs/5d1c9e00d18611e88f52d017c2ab916f" "$GUILD_HOME/trash/runs/"

# --- the script ---

guild completion > "$TEST_TMP/guild.bash"
if cmp -s "$TEST_TMP/guild.bash" "$top_srcdir/src/completion.bash"; then
	pass "guild completion prints src/completion.bash"
else
	fail "guild completion prints src/completion.bash"
fi
ok "the script is valid bash" bash -n "$TEST_TMP/guild.bash"
expect_output "-s bash prints the same script" - -- sh -c \
    '"$GUILD" completion -s bash | cmp - "$1" && echo same' sh "$TEST_TMP/guild.bash" <<'EOF'
same
EOF
expect_output "other shells are refused" - 1 -- guild completion --shell zsh <<'EOF'
guild: unsupported shell 'zsh' (only bash is)
EOF
expect_output "one mode at a time" - 1 -- guild completion --ops --commands <<'EOF'
guild: only one of --install and the helper modes may be given
EOF
expect_output "--deleted goes with --runs" - 1 -- guild completion --deleted <<'EOF'
guild: --deleted goes with --runs
EOF
expect_output "helper modes are not in --help" - -- sh -c \
    '"$GUILD" completion --help | grep -e --commands -e --runs -e --flags; echo $?' <<'EOF'
1
EOF

# --- helper modes ---

# Every command and alias that guild --help lists, then each group's
# subcommands as "GROUP SUB" (from guild GROUP --help).
commands_from_help()
{
	guild --help | awk '$0 == "Commands:" { on = 1; next }
		on && /^$/ { exit }
		on { sub(/^  /, ""); sub(/  .*/, ""); print }' |
	    tr ',' '\n' | sed 's/^ *//'
	for group in runs api remote packages; do
		guild $group --help | awk '$0 == "Commands:" { on = 1; next }
			on { sub(/^  /, ""); sub(/  .*/, ""); print }' |
		    tr ',' '\n' | sed "s/^ */$group /"
	done
}
commands_from_help > "$TEST_TMP/commands"
expect_output "--commands: every command, alias and subcommand" \
    "$TEST_TMP/commands" -- guild completion --commands

expect_output "--options: global options, with what their values are" - -- \
    guild completion --options <<'EOF'
-C dir
-H dir
--version
-h
--help
--debug
EOF

# long_options CMD...: the long options guild CMD --help shows.
long_options()
{
	guild "$@" --help | awk '$0 == "Options:" { on = 1; next }
		on && /^$/ { exit }
		on { print }' | grep -o -e '--[a-z][-a-z0-9]*' | sort -u
}
for cmd in ls run "runs info" "runs rm" compare; do
	# shellcheck disable=SC2086
	long_options $cmd > "$TEST_TMP/expected-long"
	# shellcheck disable=SC2086
	expect_output "--options $cmd: the options of --help" \
	    "$TEST_TMP/expected-long" -- sh -c \
	    '"$GUILD" completion --options "$@" | sed "s/ .*//" | grep -e "^--" | sort -u' \
	    sh $cmd
done
expect_output "--options: values are runs, files or other values" - -- sh -c \
    '"$GUILD" completion --options run | grep -e --restart -e --start -e "^--label";
     "$GUILD" completion --options compare | grep -e "^--csv";
     "$GUILD" completion --options tensorboard | grep -e "^-h "' <<'EOF'
--label value
--start run
--restart run
--csv file
-h value
EOF
expect_output "--options: a group takes its default subcommand's options" - -- \
    sh -c '"$GUILD" completion --options runs | grep -e "^--limit"' <<'EOF'
--limit value
EOF
expect_output "--options: aliases" - -- sh -c \
    '"$GUILD" completion --options runs rm | grep -e "^-y"' <<'EOF'
-y
EOF
expect_output "--options: unknown command" - 1 -- \
    guild completion --options runs nosuch <<'EOF'
guild: no such command 'runs nosuch'
EOF

expect_output "--args: what each argument is" - -- sh -c '
	for c in run export diff ls "runs rm" "runs restore" "runs purge" \
	    models completion; do
		printf "%s:" "$c"
		"$GUILD" completion --args $c | tr "\n" " "
		echo
	done' <<'EOF'
run:op flag... 
export:file run... 
diff:run run 
ls:run 
runs rm:run... 
runs restore:deleted-run... 
runs purge:deleted-run... 
models:value... 
completion:
EOF

expect_output "--ops: the project's public operations" - -- \
    guild completion --ops <<'EOF'
evaluate
fashion:evaluate
fashion:train
train
EOF
expect_output "--ops: bare names only when unambiguous" - -- \
    guild -C "$multi" completion --ops <<'EOF'
cnn:prepare
cnn:train
mlp:train
prepare
EOF
expect_output "--ops: nothing outside a project" - -- \
    guild -C "$TEST_TMP" completion --ops < /dev/null

expect_output "--flags: names, choices, booleans" - -- \
    guild completion --flags train <<'EOF'
learning-rate=
epochs=
optimizer=
optimizer=adam
optimizer=sgd
augment=
augment=yes
augment=no
EOF
expect_output "--flags: the default operation" - -- sh -c \
    '"$GUILD" completion --flags "" | head -1' <<'EOF'
learning-rate=
EOF
expect_output "--flags: nothing for an unknown operation" - -- \
    guild completion --flags nosuch < /dev/null

expect_exact "--runs: short ids, newest first" - -- \
    guild completion --runs <<'EOF'
7ab0f4c2
19c67a72
1451e20c
EOF
expect_exact "--runs: an id prefix" - -- guild completion --runs 1 <<'EOF'
19c67a72
1451e20c
EOF
expect_exact "--runs --deleted: the trash" - -- \
    guild completion --runs --deleted <<'EOF'
5d1c9e00
EOF
empty=$TEST_TMP/empty-home
expect_exact "--runs: nothing in an empty home" - -- \
    guild -H "$empty" completion --runs < /dev/null
if [ -e "$empty" ]; then
	fail "--runs creates nothing in an empty home"
else
	pass "--runs creates nothing in an empty home"
fi

# --- the script in bash ---

# Completion calls "guild" as the user typed it.
mkdir -p "$TEST_TMP/bin"
ln -s "$GUILD" "$TEST_TMP/bin/guild"
PATH=$TEST_TMP/bin:$PATH
export PATH

# drive.bash SCRIPT LINE: complete LINE, the cursor at its end, as bash
# does: COMP_WORDS split at blanks and at the word-break characters the
# script has to cope with (":" "=" "@" are in COMP_WORDBREAKS), an empty
# last word after a blank. Prints COMPREPLY.
cat > "$TEST_TMP/drive.bash" <<'EOF'
source "$1" || exit 1
COMP_LINE=$2
COMP_POINT=${#COMP_LINE}
COMP_WORDS=()
for tok in $COMP_LINE; do
	while [[ $tok =~ ^([^=:@]*)([=:@]+)(.*)$ ]]; do
		[[ -n ${BASH_REMATCH[1]} ]] && COMP_WORDS+=("${BASH_REMATCH[1]}")
		COMP_WORDS+=("${BASH_REMATCH[2]}")
		tok=${BASH_REMATCH[3]}
	done
	[[ -n $tok ]] && COMP_WORDS+=("$tok")
done
[[ $COMP_LINE == *[[:space:]] ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
complete -p guild > /dev/null || exit 1
_guild
status=$?
((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}"
exit $status
EOF

# complete LINE: the candidates for LINE, sorted as bash shows them.
complete_line()
{
	bash --norc --noprofile "$TEST_TMP/drive.bash" "$TEST_TMP/guild.bash" \
	    "$1" | LC_ALL=C sort
}

# complete_unsorted LINE: in the script's order (runs: newest first).
complete_unsorted()
{
	bash --norc --noprofile "$TEST_TMP/drive.bash" "$TEST_TMP/guild.bash" "$1"
}

expect_output "guild r" - -- complete_line "guild r" <<'EOF'
remote
remotes
run
runs
EOF
commands_from_help | sed -n 's/^runs //p' | LC_ALL=C sort > "$TEST_TMP/subs"
expect_output "guild runs " "$TEST_TMP/subs" -- complete_line "guild runs "
expect_output "guild runs l" - -- complete_line "guild runs l" <<'EOF'
label
list
ls
EOF
expect_output "guild run " - -- complete_line "guild run " <<'EOF'
evaluate
fashion:evaluate
fashion:train
train
EOF
expect_output "guild run fashion:t (after the colon)" - -- \
    complete_line "guild run fashion:t" <<'EOF'
train
EOF
expect_output "guild run train l" - -- complete_line "guild run train l" <<'EOF'
learning-rate=
EOF
expect_output "guild run train (flags not given yet)" - -- \
    complete_line "guild run train epochs=3 " <<'EOF'
augment=
learning-rate=
optimizer=
EOF
expect_output "guild run train optimizer= (choices)" - -- \
    complete_line "guild run train optimizer=" <<'EOF'
adam
sgd
EOF
expect_output "guild run fashion:train augment=y" - -- \
    complete_line "guild run fashion:train augment=y" <<'EOF'
yes
EOF
expect_output "guild run epochs=1 (the default operation's flags)" - -- \
    complete_line "guild run epochs=1 o" <<'EOF'
optimizer=
EOF
expect_output "guild run -y --label x train (options skipped)" - -- \
    complete_line "guild run -y --label x train e" <<'EOF'
epochs=
EOF
: > "$proj/trials.csv"
expect_output "guild run train @ (a batch file)" - -- \
    complete_line "guild run train @tri" <<'EOF'
trials.csv
EOF
expect_exact "guild runs info (run ids, newest first)" - -- \
    complete_unsorted "guild runs info " <<'EOF'
7ab0f4c2
19c67a72
1451e20c
EOF
expect_exact "guild runs rm 1 (more run ids)" - -- \
    complete_unsorted "guild runs rm 7ab0f4c2 1" <<'EOF'
19c67a72
1451e20c
EOF
expect_exact "guild runs restore (deleted runs)" - -- \
    complete_unsorted "guild runs restore " <<'EOF'
5d1c9e00
EOF
for line in "guild ls " "guild cat " "guild compare " "guild diff 1 " \
    "guild export dir " "guild label " "guild stop " "guild watch " \
    "guild run --restart " "guild run train --start "; do
	expect_exact "$line(run ids)" - -- complete_line "$line" <<'EOF'
1451e20c
19c67a72
7ab0f4c2
EOF
done
expect_exact "guild diff 1 2 (no third run)" - -- \
    complete_line "guild diff 1 2 " < /dev/null
long_options ls > "$TEST_TMP/expected-long"
expect_output "guild ls --" "$TEST_TMP/expected-long" -- \
    complete_line "guild ls --"
expect_output "guild runs info --fi" - -- complete_line "guild runs info --fi" <<'EOF'
--filter
EOF
expect_output "guild -" - -- complete_line "guild -" <<'EOF'
--debug
--help
--version
-C
-H
-h
EOF
mkdir -p "$TEST_TMP/work/sub" "$TEST_TMP/work/subway"
: > "$TEST_TMP/work/subfile"
expect_output "guild compare --csv PATH (files)" - -- \
    complete_line "guild compare --csv $TEST_TMP/work/sub" <<'EOF'
$TEST_TMP/work/sub
$TEST_TMP/work/subfile
$TEST_TMP/work/subway
EOF
expect_output "guild -C DIR (directories)" - -- \
    complete_line "guild -C $TEST_TMP/work/sub" <<'EOF'
$TEST_TMP/work/sub
$TEST_TMP/work/subway
EOF
cd "$TEST_TMP" || exit 1
expect_output "guild -C DIR run (the project in DIR)" - -- \
    complete_line "guild -C $multi run " <<'EOF'
cnn:prepare
cnn:train
mlp:train
prepare
EOF
expect_output "guild -C DIR run OP (its flags)" - -- \
    complete_line "guild -C fashion run train a" <<'EOF'
augment=
EOF
expect_output "guild -C ~/.. run (a tilde)" - -- \
    complete_line "guild -C ~/../fashion run ev" <<'EOF'
evaluate
EOF
expect_output "guild run outside a project" - -- \
    complete_line "guild run " < /dev/null
cd "$proj" || exit 1
expect_exact "guild -H HOME runs info (runs of HOME)" - -- \
    complete_line "guild -H $empty runs info " < /dev/null
expect_output "guild nosuch (nothing)" - -- \
    complete_line "guild nosuch " < /dev/null

# --- installing ---

expect_output "--install: the user's bash-completion directory" - -- \
    guild completion --install <<'EOF'
Installed bash completion in ~/.local/share/bash-completion/completions/guild
It is loaded by bash-completion in new shells.
EOF
ok "--install writes the script" \
    cmp -s "$HOME/.local/share/bash-completion/completions/guild" "$TEST_TMP/guild.bash"
XDG_DATA_HOME=$TEST_TMP/xdg expect_output "--install: XDG_DATA_HOME" - -- \
    guild completion -i <<'EOF'
Installed bash completion in $TEST_TMP/xdg/bash-completion/completions/guild
It is loaded by bash-completion in new shells.
EOF

# make install puts the script where bash-completion looks, and uninstall
# removes it (make distcheck checks the rest).
if [ -n "${top_builddir:-}" ] && [ -f "$top_builddir/Makefile" ] &&
    command -v "${MAKE:-make}" > /dev/null 2>&1; then
	dest=$TEST_TMP/dest
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" -s \
	    -C "$top_builddir" install-bashcompletionDATA DESTDIR="$dest" \
	    > "$TEST_TMP/make.log" 2>&1
	installed=$(find "$dest" -path '*/share/bash-completion/completions/guild')
	if [ -n "$installed" ] && cmp -s "$installed" "$TEST_TMP/guild.bash"; then
		pass "make install: share/bash-completion/completions/guild"
	else
		fail "make install: share/bash-completion/completions/guild" \
		    "$(cat "$TEST_TMP/make.log")"
	fi
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" -s \
	    -C "$top_builddir" uninstall-bashcompletionDATA DESTDIR="$dest" \
	    > "$TEST_TMP/make.log" 2>&1
	if [ -n "$installed" ] && [ ! -e "$installed" ]; then
		pass "make uninstall removes it"
	else
		fail "make uninstall removes it" "$(cat "$TEST_TMP/make.log")"
	fi
else
	skip "make install: share/bash-completion/completions/guild" "no build tree"
	skip "make uninstall removes it" "no build tree"
fi

done_testing
