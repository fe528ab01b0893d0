#!/bin/sh
# diff.sh: guild diff: the default runs and items, each option, the diff
# command (option, user config, default), exit statuses and errors.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
model: fashion
operations:
  train:
    main: train
EOF
)
RUNS_PROJECT=$proj
cd "$proj" || exit 1
runs=$GUILD_HOME/runs
# Our own temporary directory, to see what guild diff leaves there.
TMPDIR=$TEST_TMP/tmp
export TMPDIR
mkdir -p "$TMPDIR"

expect_exact "no runs" - 1 -- guild diff <<'EOF'
guild: could not find a run matching '1'
Try 'guild runs list' for a list.
EOF

mkwalkthrough
setattr $WT_ERR flags '{epochs: 2, lr: 0.1}'
setattr $WT_OK flags '{epochs: 5, lr: 0.1}'
setattr $WT_OK host 'gpu1'
setattr $WT_ERR host 'gpu1'
setattr $WT_OK env '{PATH: /bin, HOME: /home/a}'
setattr $WT_ERR env '{PATH: /usr/bin, HOME: /home/a}'
# The completed run's output has a progress bar and colours: the diff
# shows it cooked, without escape sequences.
setoutput $WT_OK 'Epoch 1\r\033[32mEpoch 2\033[0m\nloss: 0.3\n'
mkdir -p "$runs/$WT_OK/.guild/sourcecode" "$runs/$WT_ERR/.guild/sourcecode"
printf 'print(1)\n' > "$runs/$WT_ERR/.guild/sourcecode/train.py"
printf 'print(2)\n' > "$runs/$WT_OK/.guild/sourcecode/train.py"
printf 'w1\n' > "$runs/$WT_OK/weights.h5"

# Only the interesting lines: diff's headers carry file times.
difflines()
{
	"$@" 2>&1 | grep -v -e '^---' -e '^+++'
	return 0
}

expect_exact "flags only: the two files" - -- difflines guild diff -f <<'EOF'
@@ -1,2 +1,2 @@
-epochs: 2
+epochs: 5
 lr: 0.1
EOF
expect_exact "default: flags, attrs, output, source code and files" - -- difflines guild diff <<'EOF'
diff -ru 1451e20c/attrs/exit_status 19c67a72/attrs/exit_status
@@ -1 +1 @@
-1
+0
diff -ru 1451e20c/attrs/flags 19c67a72/attrs/flags
@@ -1 +1 @@
-{epochs: 2, lr: 0.1}
+{epochs: 5, lr: 0.1}
Only in 19c67a72/files: weights.h5
diff -ru 1451e20c/flags 19c67a72/flags
@@ -1,2 +1,2 @@
-epochs: 2
+epochs: 5
 lr: 0.1
diff -ru 1451e20c/output 19c67a72/output
@@ -1 +1,2 @@
-guild: No module named train
+Epoch 2
+loss: 0.3
diff -ru 1451e20c/sourcecode/train.py 19c67a72/sourcecode/train.py
@@ -1 +1 @@
-print(1)
+print(2)
EOF
expect_exact "runs given: the order is theirs" - -- difflines guild diff -f 0 1 <<'EOF'
@@ -1,2 +1,2 @@
-epochs: 5
+epochs: 2
 lr: 0.1
EOF
expect_exact "-O: the cooked output" - -- difflines guild diff -O <<'EOF'
@@ -1 +1,2 @@
-guild: No module named train
+Epoch 2
+loss: 0.3
EOF
expect_exact "-s: the source code" - -- difflines guild diff -s <<'EOF'
diff -ru 1451e20c/sourcecode/train.py 19c67a72/sourcecode/train.py
@@ -1 +1 @@
-print(1)
+print(2)
EOF
expect_exact "-e: the environment" - -- difflines guild diff -e <<'EOF'
@@ -1 +1 @@
-{PATH: /usr/bin, HOME: /home/a}
+{PATH: /bin, HOME: /home/a}
EOF
expect_exact "-p: a path in the runs" - -- difflines guild diff -p weights.h5 <<'EOF'
Only in 19c67a72: weights.h5
EOF
expect_exact "-a: every attribute" - -- sh -c '"$GUILD" diff -a | grep "^diff"' <<'EOF'
diff -ru 1451e20c/attrs/env 19c67a72/attrs/env
diff -ru 1451e20c/attrs/exit_status 19c67a72/attrs/exit_status
diff -ru 1451e20c/attrs/flags 19c67a72/attrs/flags
diff -ru 1451e20c/attrs/id 19c67a72/attrs/id
diff -ru 1451e20c/attrs/initialized 19c67a72/attrs/initialized
diff -ru 1451e20c/attrs/started 19c67a72/attrs/started
diff -ru 1451e20c/attrs/stopped 19c67a72/attrs/stopped
EOF
expect_exact "two options: the trees" - -- difflines guild diff -f -s <<'EOF'
diff -ru 1451e20c/flags 19c67a72/flags
@@ -1,2 +1,2 @@
-epochs: 2
+epochs: 5
 lr: 0.1
diff -ru 1451e20c/sourcecode/train.py 19c67a72/sourcecode/train.py
@@ -1 +1 @@
-print(1)
+print(2)
EOF

# The diff command.
expect_exact "-c: another command, arguments at the end" - -- guild diff -f -c 'echo cmp' <<'EOF'
cmp 1451e20c/flags 19c67a72/flags
EOF
expect_exact "-c is split as the shell would, without a shell" - -- guild diff -f -c "printf '%s|%s;\\n'" <<'EOF'
1451e20c/flags|19c67a72/flags;
EOF
mkdir -p "$GUILD_HOME"
printf 'diff:\n  command: echo from-config\n' > "$GUILD_HOME/config.yml"
expect_exact "the user config's diff command" - -- guild diff -f <<'EOF'
from-config 1451e20c/flags 19c67a72/flags
EOF
printf 'diff:\n  command: echo from-env\n' > "$TEST_TMP/cfg.yml"
expect_exact "GUILD_CONFIG names the config" - -- env GUILD_CONFIG="$TEST_TMP/cfg.yml" "$GUILD" diff -f <<'EOF'
from-env 1451e20c/flags 19c67a72/flags
EOF
expect_exact "-c wins over the config" - -- guild diff -f -c 'echo opt' <<'EOF'
opt 1451e20c/flags 19c67a72/flags
EOF
rm "$GUILD_HOME/config.yml"
ok "the trees are removed" test -z "$(ls -A "$TMPDIR")"
"$GUILD" diff -f -c "sh -c 'pwd > $TEST_TMP/pwd' sh" > /dev/null 2>&1
ok "trees are made in TMPDIR" grep -q "^$TMPDIR/guild-diff-" "$TEST_TMP/pwd"
ok "and removed" test -z "$(ls -A "$TMPDIR")"
ok "the runs are untouched" test -f "$runs/$WT_OK/weights.h5" -a -f "$runs/$WT_OK/.guild/sourcecode/train.py"

# Exit statuses: differences are not an error, trouble is.
expect_exact "identical: exit 0" - -- guild diff -p weights.h5 0 0 <<'EOF'
EOF
expect_exact "diff exits 1 for differences: guild exits 0" - -- guild diff -f -c false <<'EOF'
EOF
expect_exact "diff trouble (2 and over) is an error" - 1 -- guild diff -f -c 'sh -c "exit 2" sh' <<'EOF'
guild: 'sh -c "exit 2" sh' exited with status 2
EOF
expect_exact "a missing program" - 1 -- guild diff -f -c no-such-diff-program <<'EOF'
guild: cannot run 'no-such-diff-program': No such file or directory
EOF

# Errors.
expect_exact "one run" - 1 -- guild diff 0 <<'EOF'
guild: diff requires two runs
Try specifying a second run or 'guild diff --help' for more information.
EOF
expect_exact "three runs" - 1 -- guild diff 0 1 0 <<'EOF'
guild: cannot compare more than two runs
Try specifying just two runs or 'guild diff --help' for more information.
EOF
expect_exact "a spec for several runs" - 1 -- guild diff : 0 <<'EOF'
guild: ':' matches 2 runs: diff compares one run with another
EOF
expect_exact "a path leaving the run" - 1 -- guild diff -p ../x <<'EOF'
guild: invalid path '../x': must stay in the run directory
EOF
expect_exact "an absolute path" - 1 -- guild diff -p /etc <<'EOF'
guild: invalid path '/etc': must be relative to the run directory
EOF
expect_exact "an unclosed quote in the command" - 1 -- guild diff -c "diff 'x" <<'EOF'
guild: invalid diff command 'diff 'x': no closing quotation
EOF
expect_exact "filters apply, a run with itself" - -- guild diff -f -c echo -C 0 0 <<'EOF'
19c67a72/flags 19c67a72.2/flags
EOF

# --working, --dir, --deps: a run against a directory, as Guild does.
wproj=$(make_project work-project <<'EOF'
op:
  exec: sh .guild/sourcecode/op.sh
  requires:
    - file: data.txt
EOF
)
printf 'echo hi > out.txt\n' > "$wproj/op.sh"
printf 'data\n' > "$wproj/data.txt"
(cd "$wproj" && "$GUILD" run -y op > /dev/null 2>&1)
wrun=$(ls -t "$GUILD_HOME/runs" | head -n 1)
wshort=$(printf %.8s "$wrun")
printf 'echo changed\n' > "$wproj/op.sh"
expect_exact "--working: the run's source code against its project" - -- guild diff -c 'diff -r' --working "$wshort" <<EOF
diff -r $wshort/op.sh work-project/op.sh
1c1
< echo hi > out.txt
---
> echo changed
EOF
mkdir -p "$TEST_TMP/other"
printf 'hi\n' > "$TEST_TMP/other/out.txt"
expect_exact "--dir PATH -p PATH: the same file, no difference" - -- guild diff -c 'diff -r' --dir "$TEST_TMP/other" -p out.txt "$wshort" <<'EOF'
EOF
printf 'bye\n' > "$TEST_TMP/other/out.txt"
expect_exact "--dir PATH -p PATH" - -- guild diff -c 'diff' -d "$TEST_TMP/other" -p out.txt "$wshort" <<EOF
1c1
< hi
---
> bye
EOF
expect_exact "--dir: the whole run directory" - -- sh -c '"$GUILD" diff -c "diff -rq" -d "$1" "$2" | sort' sh "$TEST_TMP/other" "$wshort" <<EOF
Files $wshort/out.txt and other/out.txt differ
Only in $wshort/: .guild
Only in $wshort/: data.txt
EOF
expect_exact "--deps: the runs' resolved dependencies" - -- guild diff -c echo --deps "$wshort" "$wshort" <<EOF
$wshort/deps $wshort.2/deps
EOF
expect_exact "--working and --dir" - 1 -- guild diff -w -d x <<'EOF'
guild: --working and --dir cannot both be specified
Try 'guild diff --help' for more information.
EOF
expect_exact "--working and a second run" - 1 -- guild diff -w 0 1 <<'EOF'
guild: cannot specify second RUN and --working
EOF
expect_exact "--dir that is not one" - 1 -- guild diff -d "$TEST_TMP/nothere" "$wshort" <<'EOF'
guild: $TEST_TMP/nothere is not a directory
EOF

done_testing
