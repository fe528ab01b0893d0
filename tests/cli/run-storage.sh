#!/bin/sh
# run-storage.sh: a Guild home on storage that fails: a full disk during a
# run, no inodes left while a run is created, a read-only home. Each
# lives on a small tmpfs (needs mount(2): root; skipped otherwise).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

mnt=$TEST_TMP/mnt
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=512k tmpfs "$mnt" 2>/dev/null; then
	skip_all "cannot mount a tmpfs here (needs root)"
fi
trap 'umount "$mnt" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT

proj=$(make_project storage <<'EOF'
big:
  exec: sh -c 'head -c 2000000 /dev/zero | tr "\0" x | fold -w 100; echo done'
quick:
  exec: sh -c 'echo quick'
EOF
)
cd "$proj" || exit 1

# short: the run ids in a message, shortened to <short>.
short()
{
	sed 's/run [0-9a-f]\{8\}:/run <short>:/'
}

# A full disk during a run: guild run says so and fails.
GUILD_HOME=$mnt/home
export GUILD_HOME
guild run -y big > /dev/null 2> "$TEST_TMP/err"
rc=$?
ok "full disk: guild run exits non-zero" test "$rc" -eq 1 ||
    diag "exit status $rc" "$(cat "$TEST_TMP/err")"
expect_output "full disk: the last word says what happened" - -- sh -c "tail -n 1 '$TEST_TMP/err' | sed 's/run [0-9a-f]\{8\}:/run <short>:/'" <<'EOF'
guild: run <short>: output not fully written: No space left on device
EOF
expect_output "full disk: the run is an error" - -- sh -c '"$GUILD" runs info | grep "^status:"' <<'EOF'
status: error
EOF
umount "$mnt"

# No inodes left while a run is created, at every point of it: no half
# run is left behind, and guild runs still works.
mount -t tmpfs -o size=4m,nr_inodes=100 tmpfs "$mnt"
bad=
k=1
while [ $k -le 32 ]; do
	rm -rf "$mnt/home" "$mnt/fill"
	mkdir "$mnt/fill"
	i=0
	while printf "" 2>/dev/null > "$mnt/fill/$i"; do
		i=$((i + 1))
	done
	# k inodes for guild.
	j=0
	while [ $j -lt $k ]; do
		rm -f "$mnt/fill/$j"
		j=$((j + 1))
	done
	guild run -y quick > "$TEST_TMP/out" 2>&1
	run_rc=$?
	if ! guild runs > "$TEST_TMP/runs" 2>&1; then
		bad="$bad k=$k:runs-failed"
	elif grep -q pending "$TEST_TMP/runs"; then
		bad="$bad k=$k:pending"
	elif [ $run_rc -ne 0 ] && ! grep -q '^guild: ' "$TEST_TMP/out"; then
		bad="$bad k=$k:silent-failure"
	fi
	k=$((k + 1))
done
ok "no inodes: no pending run is left, guild runs works" test -z "$bad" ||
    diag "$bad" "$(cat "$TEST_TMP/out" "$TEST_TMP/runs")"
rm -rf "$mnt/home" "$mnt/fill"
umount "$mnt"

# A read-only home, as Guild AI leaves it (no cache/, no trash/): every
# read works.
mount -t tmpfs -o size=4m tmpfs "$mnt"
RUNS_PROJECT=$proj
mkwalkthrough
mount -o remount,ro "$mnt"
expect_exact "read-only home: guild runs" - -- guild runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_exact "read-only home: runs info --output" - -- sh -c '"$GUILD" runs info --output 1 | tail -n 2' <<'EOF'
output:
  guild: No module named train
EOF
expect_exact "read-only home: select, cat, deleted runs" - -- sh -c '"$GUILD" select 1 && "$GUILD" cat --output 1 && "$GUILD" runs --deleted' <<'EOF'
1451e20cd18611e88f52d017c2ab916f
guild: No module named train
EOF
expect_exact "read-only home: compare" - -- guild compare -t <<'EOF'
run       operation        started              time     status     label
19c67a72  ./fashion:train  2018-10-16 15:57:32  0:00:00  completed
1451e20c  ./fashion:train  2018-10-16 15:57:23  0:00:00  error
EOF
expect_output "read-only home: a write fails, saying why" - 1 -- guild runs rm -y 0 <<'EOF'
guild: $TEST_TMP/mnt/home/trash: Read-only file system
Deleted 0 run(s)
EOF
umount "$mnt"

done_testing
