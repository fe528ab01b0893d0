#!/bin/sh
# check-layering.sh: the core library (src/), the unit tests and guild
# itself never touch curses. Only ui/ and its program, guild-view, may, so
# that the core stays usable and testable without a terminal and no
# command but the view pays for loading curses. Each library is wrapped by one file, what a library exports
# is used outside the file that defines it, and only src/proc.c starts
# processes.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
: "${top_builddir:=.}"
: "${NM:=nm}"

# Symbols any curses program would need; one of them in the core means a
# curses call slipped in.
CURSES_SYMBOLS='initscr|newterm|endwin|set_term|delscreen|wgetch|getch|wrefresh|refresh|doupdate|wnoutrefresh|newwin|delwin|subwin|derwin|newpad|prefresh|waddstr|waddnstr|waddch|mvwaddstr|mvwaddnstr|mvwprintw|wprintw|wattron|wattroff|wattrset|wattr_on|wattr_off|wcolor_set|wbkgd|werase|wclear|wclrtoeol|wmove|wresize|mvwin|keypad|nodelay|cbreak|nocbreak|noecho|echo|raw|noraw|halfdelay|curs_set|set_escdelay|start_color|has_colors|init_pair|init_color|use_default_colors|resizeterm|resize_term|stdscr|curscr|LINES|COLS|COLOR_PAIRS|setupterm|tigetstr|tputs|new_panel|update_panels'

# Angle brackets only: src/term.h is ours, <term.h> is terminfo's.
hits=$(grep -rlE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(ncursesw/)?(n?curses|panel|term)\.h>' \
    "$top_srcdir/src" 2>/dev/null)
if [ -z "$hits" ]; then
	pass "no file under src/ includes a curses header"
else
	fail "no file under src/ includes a curses header" $hits
fi

# Each library is wrapped by exactly one module (one file, or the files of
# one module, named in byte order): its types never leave it.
only_in()
{
	_oi_header=$1
	_oi_file=$2
	_oi_hits=$(grep -rlE "^[[:space:]]*#[[:space:]]*include[[:space:]]*<$_oi_header>" \
	    "$top_srcdir/src" "$top_srcdir/ui" 2>/dev/null |
	    sed "s|^$top_srcdir/||" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
	if [ "$_oi_hits" = "$_oi_file" ]; then
		pass "only $_oi_file includes <$_oi_header>"
	else
		fail "only $_oi_file includes <$_oi_header>" $_oi_hits
	fi
}
only_in yaml.h src/yamlnode.c
only_in sqlite3.h "src/runindex-attrs.c src/runindex-filter.c src/runindex-scalars.c src/runindex-snap.c src/runindex-sync.c src/runindex.c"
only_in pcre2.h src/regex.c
only_in archive.h src/runarchive.c
only_in chafa.h ui/image.c
only_in stb_image.h ui/image.c
only_in webp/decode.h ui/image.c

# Every child process starts through src/proc.c (one set of child-side
# hygiene, one exit-code convention): no other file forks or execs. In the
# sources (comment lines aside) and in the objects, whatever their names.
SPAWN_CALLS='fork|vfork|forkpty|posix_spawnp?|execl|execlp|execle|execv|execvp|execvpe|execve|fexecve|execveat|system|popen|daemon'
hits=$(grep -nE "(^|[^[:alnum:]_.>])($SPAWN_CALLS)[[:space:]]*\(" \
    "$top_srcdir"/src/*.[ch] "$top_srcdir"/ui/*.[ch] 2>/dev/null |
    grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)' |
    grep -v "^$top_srcdir/src/proc\.c:")
if [ -z "$hits" ]; then
	pass "no file but src/proc.c starts a process"
else
	fail "no file but src/proc.c starts a process" "$hits"
fi
objs=$(ls "$top_builddir"/src/*.o "$top_builddir"/ui/*.o 2>/dev/null)
if [ -z "$objs" ]; then
	skip "no object but proc's calls fork or exec" "nothing built"
elif ! undefined=$($NM -A -u $objs 2>&1); then
	fail "no object but proc's calls fork or exec" "$NM -u failed:" \
	    "$undefined"
else
	bad=$(printf '%s\n' "$undefined" |
	    grep -E "[[:space:]]U[[:space:]]+($SPAWN_CALLS)(@.*)?\$" |
	    grep -vE '(^|/)([^/]*-)?proc\.o:')
	if [ -z "$bad" ]; then
		pass "no object but proc's calls fork or exec"
	else
		fail "no object but proc's calls fork or exec" "$bad"
	fi
fi

lib=$top_builddir/src/libguild.a
if [ ! -f "$lib" ]; then
	fail "src/libguild.a has no curses symbols" "$lib not built"
elif ! undefined=$($NM -u "$lib" 2>&1); then
	fail "src/libguild.a has no curses symbols" "$NM -u failed:" "$undefined"
else
	bad=$(printf '%s\n' "$undefined" |
	    grep -E "^[[:space:]]*U[[:space:]]+($CURSES_SYMBOLS)\$" | sort -u)
	if [ -z "$bad" ]; then
		pass "src/libguild.a has no curses symbols"
	else
		fail "src/libguild.a has no curses symbols" "$bad"
	fi
fi

# Every symbol a library exports is used by another object or a test: one
# used only in its own file is static (and one used nowhere is dead). The
# users are the libraries' other members, the two mains and every test
# object.
libs="src/libguild.a src/libguildcli.a ui/libguildui.a"
missing=
for l in $libs; do
	[ -f "$top_builddir/$l" ] || missing="$missing $l"
done
users=$(find "$top_builddir/src" "$top_builddir/ui" "$top_builddir/tests" \
    -name '*.o' -o -name '*.a' 2>/dev/null)
if [ -n "$missing" ]; then
	skip "every exported symbol is used outside its own file" \
	    "not built:$missing"
elif ! printf '%s\n' "$users" | grep -q '/tests/unit/'; then
	skip "every exported symbol is used outside its own file" \
	    "the unit tests are not built (make check builds them)"
elif ! syms=$(cd "$top_builddir" && $NM -A -P -g $libs $users 2>&1); then
	fail "every exported symbol is used outside its own file" \
	    "$NM -A -P -g failed:" "$syms"
else
	# "lib.a[member.o]: name type ...": what is undefined anywhere is
	# used; what a library defines (names the compiler made, "__...",
	# aside) must be among them.
	unused=$(printf '%s\n' "$syms" | awk -v libs="$libs" '
	BEGIN {
		n = split(libs, l, " ")
		for (i = 1; i <= n; i++)
			lib[l[i]] = 1
	}
	{
		file = $1
		sub(/[[(].*/, "", file)
		sub(/:$/, "", file)
		if ($3 == "U")
			used[$2] = 1
		else if ((file in lib) && $3 ~ /^[BCDGRSTVW]$/ && $2 !~ /^__/)
			def[$2] = $1
	}
	END {
		for (s in def)
			if (!(s in used))
				printf "%s %s\n", def[s], s
	}' | sort)
	if [ -z "$unused" ]; then
		pass "every exported symbol is used outside its own file"
	else
		fail "every exported symbol is used outside its own file" \
		    "make these static (or remove them):" "$unused"
	fi
fi

# The unit tests link the core alone: if the core needed curses they would
# fail to link, and if the build linked curses into them anyway this says so.
if command -v objdump > /dev/null 2>&1; then
	needed()
	{
		objdump -p "$1" | sed -n 's/^[[:space:]]*NEEDED[[:space:]]*//p'
	}
elif command -v readelf > /dev/null 2>&1; then
	needed()
	{
		readelf -d "$1" | sed -n 's/.*Shared library: \[\(.*\)\].*/\1/p'
	}
else
	needed()
	{
		return 1
	}
fi
CURSES_LIBS='(n?curses|panel|tinfo|form|menu)'
# The picture libraries (and glib, chafa's) are guild-view's alone.
IMAGE_LIBS='(chafa|glib|stb|webp)'

# guild itself: every command but the view starts without loading curses
# (the view is guild-view's), so it must not need a curses library. A
# static guild (configure's GUILD_STATIC_BINARY) needs no shared object at
# all, and then its own symbols say what was linked in.
prog=$top_builddir/guild
static=$(grep -c '^#define GUILD_STATIC_BINARY 1' "$top_builddir/config.h" \
    2>/dev/null)
if [ ! -x "$prog" ]; then
	fail "guild links without curses" "$prog not built"
elif ! libs=$(needed "$prog"); then
	skip "guild links without curses" "neither objdump nor readelf"
elif [ "${static:-0}" -gt 0 ]; then
	interp=$(objdump -p "$prog" 2>/dev/null | grep -E '^[[:space:]]*INTERP')
	if [ -z "$libs" ] && [ -z "$interp" ]; then
		pass "guild is a static executable"
	else
		fail "guild is a static executable" "needs: $libs" "$interp"
	fi
	if ! defined=$($NM --defined-only "$prog" 2>&1); then
		fail "guild links without curses" "$NM failed:" "$defined"
	else
		bad=$(printf '%s\n' "$defined" |
		    grep -E "[[:space:]]($CURSES_SYMBOLS)\$" | sort -u)
		if [ -z "$bad" ]; then
			pass "guild links without curses"
		else
			fail "guild links without curses" "$bad"
		fi
		bad=$(printf '%s\n' "$defined" |
		    grep -E "[[:space:]](chafa_|g_main_|stbi_|WebP)" | sed 5q)
		if [ -z "$bad" ]; then
			pass "guild links without the picture libraries"
		else
			fail "guild links without the picture libraries" "$bad"
		fi
	fi
elif [ -z "$libs" ]; then
	fail "guild links without curses" "no NEEDED entry found in $prog"
else
	bad=$(printf '%s\n' "$libs" | grep -E "$CURSES_LIBS")
	if [ -z "$bad" ]; then
		pass "guild links without curses"
	else
		fail "guild links without curses" "$bad"
	fi
	bad=$(printf '%s\n' "$libs" | grep -E "$IMAGE_LIBS")
	if [ -z "$bad" ]; then
		pass "guild links without the picture libraries"
	else
		fail "guild links without the picture libraries" "$bad"
	fi
fi

found=0
for prog in "$top_builddir"/tests/unit/test-*; do
	case $prog in
	*.c|*.o|*.log|*.trs|*.h)
		continue
		;;
	esac
	[ -f "$prog" ] && [ -x "$prog" ] || continue
	found=1
	name="${prog#"$top_builddir"/}"
	if ! libs=$(needed "$prog"); then
		skip "$name links without curses" "neither objdump nor readelf"
		continue
	fi
	bad=$(printf '%s\n' "$libs" | grep -E "$CURSES_LIBS")
	if [ -z "$bad" ]; then
		pass "$name links without curses"
	else
		fail "$name links without curses" "$bad"
	fi
done
[ "$found" -eq 1 ] || skip "unit tests link without curses" "no unit test built"

done_testing
