#!/bin/sh
# check-man.sh: the man pages are lint-free, every command that
# "guild --help" lists is documented, and so is every long option that
# "guild COMMAND --help" shows.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

man=$top_srcdir/man

# 1. mandoc -Tlint: no warnings at all.
for page in "$man"/*.[1-9]; do
	[ -f "$page" ] || continue
	name=man/${page##*/}
	if ! command -v mandoc > /dev/null 2>&1; then
		skip "$name is lint-free" "mandoc not installed"
		continue
	fi
	if out=$(mandoc -Tlint -W warning "$page" 2>&1); then
		pass "$name is lint-free"
	else
		fail "$name is lint-free" "$out"
	fi
done

# page_text PAGE: the page as a reader sees it, for option look-ups. The
# source is used too, with mdoc's "Fl -all" read as "--all", so the check
# works without mandoc.
page_text()
{
	sed -e 's/Fl -/--/g' -e 's/\\-/-/g' "$1"
	if command -v mandoc > /dev/null 2>&1; then
		mandoc -Tascii "$1" 2>/dev/null | sed 's/.\x08//g'
	fi
}

# section TITLE: print the lines of the "TITLE:" section of --help output
# (read on standard input), up to the next blank line.
section()
{
	awk -v title="$1:" '
		$0 == title { on = 1; next }
		on && /^[[:space:]]*$/ { exit }
		on { print }'
}

# The first column of a help table: "  name, alias  summary" -> "name, alias".
first_column()
{
	sed -e 's/^[[:space:]]*//' -e 's/  .*//'
}

# Long options in the names column of an Options: section.
long_options()
{
	section Options | first_column | tr ', ' '\n\n' |
	    grep -E '^--[A-Za-z0-9][-A-Za-z0-9]*' | sed 's/[=[].*//' | sort -u
}

# check_options "CMD [SUB]" PAGE: every long option of guild CMD --help
# appears in PAGE.
check_options()
{
	if ! help=$(guild $1 --help 2>&1); then
		fail "guild $1 --help works" "$help"
		return
	fi
	missing=
	for opt in $(printf '%s\n' "$help" | long_options); do
		# Every command takes --help; guild.1 says so once.
		[ -n "$1" ] && [ "$opt" = "--help" ] && continue
		if ! page_text "$2" | grep -Eq -e "(^|[^-A-Za-z0-9])$opt([^-A-Za-z0-9]|\$)"; then
			missing="$missing $opt"
		fi
	done
	what="options of guild${1:+ $1}"
	if [ -z "$missing" ]; then
		pass "$what are in man/${2##*/}"
	else
		fail "$what are in man/${2##*/}" "missing:$missing"
	fi
}

# The most specific page for a command: guild-CMD-SUB.1, guild-CMD.1 or guild.1.
# The page whose NAME section names guild-NAME (a page may document
# several commands: guild-export.1 names guild-import too).
page_naming()
{
	for p in "$man"/guild-*.1; do
		if sed -n '/^\.Sh NAME/,/^\.Sh /p' "$p" |
		    grep -Eq "^\.Nm guild-$1( ,)?\$"; then
			printf '%s\n' "$p"
			return
		fi
	done
}

page_for()
{
	for p in "$man/guild-$1-$2.1" "$man/guild-$1.1" "$(page_naming "$1")" \
	    "$man/guild.1"; do
		if [ -n "$p" ] && [ -f "$p" ]; then
			printf '%s\n' "$p"
			return
		fi
	done
}

if ! top_help=$(guild --help 2>&1); then
	fail "guild --help works" "$top_help"
	done_testing
fi

# 2. Global options.
check_options "" "$man/guild.1"

# 3. Every command (and alias) is documented, with its options.
commands=$(printf '%s\n' "$top_help" | section Commands | first_column)
if [ -z "$commands" ]; then
	fail "guild --help lists commands" "$top_help"
fi
printf '%s\n' "$commands" > "$TEST_TMP/commands"
while IFS= read -r row; do
	cmd=${row%%,*}
	for name in $(printf '%s\n' "$row" | tr ',' ' '); do
		if [ -f "$man/guild-$name.1" ] || [ -n "$(page_naming "$name")" ] ||
		    grep -Eq "(^|[[:space:].])Cm $name([[:space:]]|\$)" "$man/guild.1"; then
			pass "command $name is documented"
		else
			fail "command $name is documented" \
			    "neither man/guild-$name.1 nor a '.Cm $name' in man/guild.1"
		fi
	done
	check_options "$cmd" "$(page_for "$cmd")"
	sub_help=$(guild "$cmd" --help 2>/dev/null)
	for sub in $(printf '%s\n' "$sub_help" | section Commands | first_column | sed 's/,.*//'); do
		check_options "$cmd $sub" "$(page_for "$cmd" "$sub")"
	done
done < "$TEST_TMP/commands"

# 4. guild.1 documents no command that does not exist: each ".It Cm NAME"
# or ".It Xo" + ".Cm NAME" of its COMMANDS section is a command or alias.
documented=$(awk '
	/^\.Sh / { on = ($0 == ".Sh COMMANDS"); next }
	!on { next }
	/^\.It Cm / { print $3; next }
	/^\.It Xo/ { xo = 1; next }
	xo && /^\.Cm / { print $2 }
	{ xo = 0 }' "$man/guild.1")
for name in $documented; do
	if printf '%s\n' "$commands" | tr ',' '\n' | sed 's/^ *//' | grep -qx -e "$name"; then
		pass "man/guild.1 command $name exists"
	else
		fail "man/guild.1 command $name exists" "guild --help does not list it"
	fi
done

done_testing
