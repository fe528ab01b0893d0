#!/bin/sh
# check-size.sh: no source file of src/ or ui/ over 2,000 lines and no
# function over 150 (issue 11's limits, so that they do not creep back).
# A function is what the house style makes of one: its name at the start
# of a line followed by "(", up to the next "}" at the start of a line.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

MAX_FILE=2000
MAX_FUNC=150

big=$(for f in "$top_srcdir"/src/*.[ch] "$top_srcdir"/ui/*.[ch]; do
	n=$(wc -l < "$f")
	[ "$n" -gt $MAX_FILE ] && echo "${f#"$top_srcdir"/}: $n lines"
done)
if [ -z "$big" ]; then
	pass "no source file over $MAX_FILE lines"
else
	fail "no source file over $MAX_FILE lines" "$big"
fi

# long_functions FILE...: "FILE: NAME is N lines" for each one too long.
long_functions()
{
	for _lf in "$@"; do
		awk -v f="${_lf#"$top_srcdir"/}" -v max=$MAX_FUNC '
		/^[A-Za-z_][A-Za-z0-9_]*\(/ {
			name = $0; sub(/\(.*/, "", name); start = NR }
		/^}/ { if (start && NR - start + 1 > max)
			printf "%s: %s is %d lines\n", f, name, NR - start + 1
		    start = 0 }' "$_lf"
	done
}

long=$(long_functions "$top_srcdir"/src/*.c "$top_srcdir"/ui/*.c)
if [ -z "$long" ]; then
	pass "no function over $MAX_FUNC lines"
else
	fail "no function over $MAX_FUNC lines" "$long"
fi

# The check itself: a file with a long function is caught.
mkdir -p "$TEST_TMP/src"
{
	echo 'static int'
	echo 'toolong(void)'
	echo '{'
	i=0
	while [ $i -lt $MAX_FUNC ]; do echo '	x++;'; i=$((i + 1)); done
	echo '}'
} > "$TEST_TMP/src/t.c"
got=$(long_functions "$TEST_TMP/src/t.c")
ok "a function of $((MAX_FUNC + 3)) lines is caught" \
    test "$got" = "$TEST_TMP/src/t.c: toolong is $((MAX_FUNC + 3)) lines"

done_testing
