#!/bin/sh
# rundir-faults.sh: a run directory is untrusted input. A FIFO, a link to
# a device or a huge file where guild expects an attr, a LOCK, the output
# or the scalars never hangs nor floods a command: the run lists as bad
# (status error, a warning naming the file), the others still list, and
# the bad run can be shown, deleted and purged. cat -p never follows a
# link out of the run.
#
# Every command that met such a file used to block: each runs under
# "timeout 20" here, and a timeout (status 124) fails the test.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
model: fashion
operations:
  train:
    main: train
  plant:
    exec: sh -c 'rm -f .guild/attrs/label && mkfifo .guild/attrs/label && echo planted'
EOF
)
RUNS_PROJECT=$proj
cd "$proj" || exit 1
runs=$GUILD_HOME/runs
T="timeout 20 $GUILD"

# A FIFO planted by an operation in its own attrs.
expect_output "an operation plants a FIFO label" - -- $T run -y plant <<'EOF'
planted
EOF
bad=$(ls "$runs")
ok "the FIFO is there" test -p "$runs/$bad/.guild/attrs/label"
mkwalkthrough
expect_output "runs lists every run, the bad one as error" - -- $T runs <<'EOF'
[0:<id>]  ./fashion:plant  <time>  error
[1:<id>]  ./fashion:train  <time>  completed
[2:<id>]  ./fashion:train  <time>  error
guild: warning: ~/.guild/runs/<id>/.guild/attrs/label: not a regular file
EOF
expect_output "runs info of the bad run" - -- sh -c "$T runs info 0 2>&1 | grep -E '^(status|label)|warning'" <<'EOF'
status: error
label:
guild: warning: ~/.guild/runs/<id>/.guild/attrs/label: not a regular file
EOF
ok "runs --json lists the three runs" sh -c "$T runs --json 2>/dev/null | grep -o '\"id\"' | wc -l | grep -qx 3"

# Other files of the run as FIFOs: the output, its index, scalars, LOCK.
for f in output output.index scalars.tsv LOCK; do
	rm -f "$runs/$bad/.guild/$f"
	mkfifo "$runs/$bad/.guild/$f"
done
expect_output "cat -O of a FIFO output" - 1 -- $T cat -O 0 <<'EOF'
guild: ~/.guild/runs/<id>/.guild/output: not a regular file
EOF
expect_output "cat --raw of a FIFO output" - 1 -- $T cat --raw 0 <<'EOF'
guild: .guild/output: not a regular file
EOF
ok "runs info --output does not hang" sh -c "$T runs info --output 0 >/dev/null 2>&1; [ \$? -ne 124 ]"
ok "runs info with a FIFO scalars.tsv does not hang" sh -c "$T runs info 0 >/dev/null 2>&1"
ok "a FIFO LOCK: nothing is running" sh -c "[ \$($T runs -Sr 2>/dev/null | wc -l) -eq 0 ]"
mkfifo "$runs/$bad/pipe"
expect_output "cat -p of a FIFO" - 1 -- $T cat -p pipe 0 <<'EOF'
guild: pipe: not a regular file
EOF
ok "ls lists it" sh -c "$T ls 0 2>/dev/null | grep -qx '  pipe'"

# A link to /dev/zero and a 200 MB flags attr (sparse): refused at once.
mkrun 5e5e5e5e000000000000000000000001 train 1539707000 0
mkrun 6f6f6f6f000000000000000000000002 train 1539708000 0
zero=$runs/5e5e5e5e000000000000000000000001
huge=$runs/6f6f6f6f000000000000000000000002
ln -s /dev/zero "$zero/.guild/attrs/tags"
truncate -s 200M "$huge/.guild/attrs/flags"
expect_output "runs: a /dev/zero attr and a 200 MB attr" - -- $T runs <<'EOF'
[0:<id>]  ./fashion:plant  <time>  error
[1:<id>]  ./fashion:train  <time>  error
[2:<id>]  ./fashion:train  <time>  error
[3:<id>]  ./fashion:train  <time>  completed
[4:<id>]  ./fashion:train  <time>  error
guild: warning: ~/.guild/runs/<id>/.guild/attrs/label: not a regular file
guild: warning: ~/.guild/runs/<id>/.guild/attrs/flags: larger than 1048576 bytes
guild: warning: ~/.guild/runs/<id>/.guild/attrs/tags: not a regular file
EOF
ok "a flag filter reads every run's flags" sh -c "$T runs -F 'lr = 0.1' >/dev/null 2>&1"
ok "--json reads every attr" sh -c "$T runs --json 2>/dev/null | grep -o '\"id\"' | wc -l | grep -qx 5"
expect_output "runs info of the 200 MB one" - -- sh -c "$T runs info 6f6f 2>&1 | grep -E '^status|warning'" <<'EOF'
status: error
guild: warning: ~/.guild/runs/<id>/.guild/attrs/flags: larger than 1048576 bytes
EOF

# Delete, restore and purge the bad runs; the others stay.
expect_output "runs rm of the bad runs" - -- $T runs rm -y 0 1 2 <<'EOF'
Deleted 3 run(s)
EOF
expect_exact "the others are listed" - -- $T runs <<'EOF'
[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
[1:1451e20c]  ./fashion:train  2018-10-16 15:57:23  error
EOF
expect_output "runs restore of one" - -- $T runs restore -y 5e5e <<'EOF'
Restored 1 run(s)
EOF
ok "restored whole" test -L "$zero/.guild/attrs/tags"
expect_output "runs purge of the bad runs in the trash" - -- $T runs purge -y <<'EOF'
Permanently deleted 2 run(s)
EOF
ok "purged from the disk" test ! -e "$GUILD_HOME/trash/runs/$bad"
ok "nothing left in the trash" sh -c "[ -z \"\$(ls -A '$GUILD_HOME/trash/runs')\" ]"
expect_output "runs rm -p of the restored bad run" - -- $T runs rm -p -y 5e5e <<'EOF'
Permanently deleted 1 run(s)
EOF
ok "gone" test ! -e "$zero"
ok "/dev/zero is still there" test -c /dev/zero

# cat -p through links: into another run of the home is fine (guild ls
# follows dependencies); out of the home is refused.
mkrun 7a7a7a7a000000000000000000000003 predict 1539709000 0
pr=$runs/7a7a7a7a000000000000000000000003
echo data > "$runs/$WT_OK/data.csv"
echo secret > "$TEST_TMP/secret"
ln -s "$runs/$WT_OK" "$pr/model"
ln -s "$TEST_TMP/secret" "$pr/leak"
ln -s "$TEST_TMP" "$pr/tmpdir"
ln -s ../../../../secret "$pr/rel-leak"
expect_exact "cat -p into an upstream run" - -- $T cat -p model/data.csv 7a7a <<'EOF'
data
EOF
expect_exact "cat -p of a link out of the home" - 1 -- $T cat -p leak 7a7a <<'EOF'
guild: PATH may not leave the run directory: 'leak'
EOF
expect_exact "cat -p through a linked directory out of the home" - 1 -- $T cat -p tmpdir/secret 7a7a <<'EOF'
guild: PATH may not leave the run directory: 'tmpdir/secret'
EOF
expect_exact "cat -p of a relative link out of the home" - 1 -- $T cat -p rel-leak 7a7a <<'EOF'
guild: PATH may not leave the run directory: 'rel-leak'
EOF
expect_exact "ls follows links into runs, not out of the home" - -- $T ls 7a7a <<'EOF'
~/.guild/runs/7a7a7a7a000000000000000000000003:
  leak
  model/
  model/data.csv
  rel-leak
  tmpdir/
EOF
# A purge that cannot remove a run whole (too deep a tree) leaves it
# listed in the trash, where a later purge can try again.
deep=7d7d7d7d000000000000000000000004
mkrun $deep train 1539709000 0
d=$runs/$deep/deep
i=0
while [ $i -lt 300 ]; do
	d=$d/a
	i=$((i + 1))
done
mkdir -p "$d"
expect_output "runs rm of a too deep run" - -- $T runs rm -y 7d7d <<'EOF'
Deleted 1 run(s)
EOF
$T runs purge -y 7d7d > "$TEST_TMP/purge.out" 2>&1
ok "runs purge of it fails" test $? -eq 1
ok "and says why" grep -q '^guild: .*: more than 256 levels deep$' "$TEST_TMP/purge.out"
expect_exact "the run is still listed in the trash" - -- $T runs -d <<'EOF'
[0:7d7d7d7d]  ./fashion:train  2018-10-16 16:56:40  completed
EOF
ok "no hidden purge directory is left" sh -c "[ -z \"\$(ls -A '$GUILD_HOME/trash/runs' | grep '^\\.purge')\" ]"

# A run whose directory is itself a link: its files may not lead beside
# it, out of the home.
lid=6c6c6c6c000000000000000000000005
mkrun $lid train 1539710000 0
mkdir -p "$TEST_TMP/elsewhere/secretdir"
echo key > "$TEST_TMP/elsewhere/secretdir/key"
mv "$runs/$lid" "$TEST_TMP/elsewhere/$lid"
ln -s "$TEST_TMP/elsewhere/$lid" "$runs/$lid"
ln -s ../secretdir "$TEST_TMP/elsewhere/$lid/link"
echo fine > "$TEST_TMP/elsewhere/$lid/ok.txt"
expect_exact "cat -p in a linked run directory, of its own file" - -- $T cat -p ok.txt 6c6c <<'EOF'
fine
EOF
expect_exact "cat -p in a linked run directory, not beside it" - 1 -- $T cat -p link/key 6c6c <<'EOF'
guild: PATH may not leave the run directory: 'link/key'
EOF

ln -s nowhere "$pr/dangling"
expect_exact "cat -p of a dangling link" - 1 -- $T cat -p dangling 7a7a <<'EOF'
guild: dangling does not exist in run 7a7a7a7a
EOF

done_testing
