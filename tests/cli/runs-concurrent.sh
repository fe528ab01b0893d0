#!/bin/sh
# runs-concurrent.sh: twenty "guild run" processes writing runs while
# others list them: no "database is locked", no lost run, no corrupt
# index (what the shared index holds afterwards is what a rebuild gives).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
export GUILD

N=20
LISTERS=4

proj=$(make_project concurrent <<'EOF'
train:
  exec: "sh -c 'echo loss: 0.5; sleep 1; echo loss: 0.25'"
  flags:
    n: 0
EOF
)
cd "$proj" || exit 1
out=$TEST_TMP/out
mkdir -p "$out"

# Listers: loop until the writers are done, keeping every error.
: > "$TEST_TMP/writing"
i=0
while [ $i -lt $LISTERS ]; do
	(
		while [ -e "$TEST_TMP/writing" ]; do
			"$GUILD" runs -a > /dev/null 2>> "$out/list-$i.err" ||
			    echo "exit $?" >> "$out/list-$i.err"
			echo x >> "$out/count-$i"
			"$GUILD" runs -Sc > /dev/null 2>> "$out/list-$i.err" ||
			    echo "exit $?" >> "$out/list-$i.err"
		done
	) &
	eval "lister_$i=\$!"
	i=$((i + 1))
done

# Writers, all at once.
i=0
pids=
while [ $i -lt $N ]; do
	"$GUILD" run -y train n=$i > "$out/run-$i.out" 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
failed=0
for p in $pids; do
	wait "$p" || failed=$((failed + 1))
done
rm -f "$TEST_TMP/writing"
i=0
while [ $i -lt $LISTERS ]; do
	eval "wait \$lister_$i"
	i=$((i + 1))
done

ok "$N concurrent runs all succeeded" test "$failed" -eq 0
if grep -il "locked\|busy\|malformed\|error" "$out"/*.err > /dev/null 2>&1; then
	fail "listers saw no error" "$(cat "$out"/*.err | sort | uniq -c)"
else
	pass "listers saw no error"
fi
ok "listers exited 0" sh -c "! grep -q '^exit' '$out'/list-*.err"
diag "$(cat "$out"/count-* | wc -l) listings while the runs were written"

"$GUILD" runs -a > "$TEST_TMP/final" 2>&1
ok "no run lost: $N runs listed" test "$(grep -c completed "$TEST_TMP/final")" -eq "$N"
ok "every n is there once" test "$(sed -n 's/.*n=\([0-9]*\).*/\1/p' \
    "$TEST_TMP/final" | sort -n | uniq | wc -l)" -eq "$N"

# The index they shared holds what a rebuild from the directories gives.
"$GUILD" runs -a -v > "$TEST_TMP/shared" 2>&1
rm -rf "$GUILD_HOME/cache"
"$GUILD" runs -a -v > "$TEST_TMP/rebuilt" 2>&1
if cmp -s "$TEST_TMP/shared" "$TEST_TMP/rebuilt"; then
	pass "the shared index is not corrupt"
else
	fail "the shared index is not corrupt" \
	    "$(diff "$TEST_TMP/shared" "$TEST_TMP/rebuilt")"
fi

# Listing while the index is being rebuilt by someone else.
rm -rf "$GUILD_HOME/cache"
i=0
pids=
while [ $i -lt 8 ]; do
	"$GUILD" runs -a > "$out/rebuild-$i.out" 2> "$out/rebuild-$i.err" &
	pids="$pids $!"
	i=$((i + 1))
done
failed=0
for p in $pids; do
	wait "$p" || failed=$((failed + 1))
done
ok "8 processes rebuilding at once: no failure" test "$failed" -eq 0
ok "8 processes rebuilding at once: no error" \
    sh -c "! test -s '$out/rebuild-0.err' && cat '$out'/rebuild-*.err | \
    (! grep -q .)"
same=0
i=0
while [ $i -lt 8 ]; do
	cmp -s "$out/rebuild-$i.out" "$TEST_TMP/final" && same=$((same + 1))
	i=$((i + 1))
done
ok "8 processes rebuilding at once: the same $N runs" test "$same" -eq 8

done_testing
