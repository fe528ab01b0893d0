#!/bin/sh
# files.sh: a run's files: guild ls, cat, open and select.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
model: fashion
operations:
  train:
    main: train
  predict:
    main: predict
EOF
)
RUNS_PROJECT=$proj
cd "$proj" || exit 1

expect_exact "ls without runs" - 1 -- guild ls <<'EOF'
guild: no matching runs
Try 'guild runs list' to list available runs.
EOF

# The upstream train run: weights, a log, the source code snapshot, a
# manifest (source code and a dependency), hidden files.
mkrun $WT_OK train 1539705452 0
up=$GUILD_HOME/runs/$WT_OK
mkdir -p "$up/.guild/sourcecode/pkg" "$up/logs"
for f in weights-0001-13.233.hdf5 weights-0010-12.996.hdf5 weights-0002-13.080.hdf5 \
    data.csv .hidden logs/train.log; do
	echo "$f" > "$up/$f"
done
# Empty: an event file of no records (guild reads event files as scalars).
: > "$up/events.out.tfevents.1539779455.local"
echo 'print("train")' > "$up/.guild/sourcecode/train.py"
echo 'x = 1' > "$up/.guild/sourcecode/pkg/util.py"
echo 'model: fashion' > "$up/.guild/sourcecode/guild.yml"
cat > "$up/.guild/manifest" <<'EOF'
s .guild/sourcecode/guild.yml 0000000000000000000000000000000000000000 guild.yml
s .guild/sourcecode/pkg/util.py 0000000000000000000000000000000000000000 pkg/util.py
s .guild/sourcecode/train.py 0000000000000000000000000000000000000000 train.py
d data.csv 0000000000000000000000000000000000000000 file:data.csv
EOF
setoutput $WT_OK 'Epoch 1/5\n\033[1mloss\033[0m: 13.2\rloss: 13.0\n\033]0;title\007done\n'

expect_exact "walkthrough: guild ls" - -- guild ls <<'EOF'
~/.guild/runs/19c67a72d18611e88f52d017c2ab916f:
  data.csv
  events.out.tfevents.1539779455.local
  logs/
  logs/train.log
  weights-0001-13.233.hdf5
  weights-0002-13.080.hdf5
  weights-0010-12.996.hdf5
EOF
expect_exact "ls -f: full paths" - -- guild ls -f -p logs <<'EOF'
~/.guild/runs/19c67a72d18611e88f52d017c2ab916f/logs/
~/.guild/runs/19c67a72d18611e88f52d017c2ab916f/logs/train.log
EOF
expect_exact "ls -n: no format" - -- guild ls -n -p logs <<'EOF'
logs/
logs/train.log
EOF
expect_exact "ls -p PATTERN" - -- guild ls -p 'weights-000*' <<'EOF'
~/.guild/runs/19c67a72d18611e88f52d017c2ab916f:
  weights-0001-13.233.hdf5
  weights-0002-13.080.hdf5
EOF
expect_exact "ls -p PATH: a file" - -- guild ls -p logs/train.log <<'EOF'
~/.guild/runs/19c67a72d18611e88f52d017c2ab916f:
  logs/train.log
EOF
expect_exact "ls -p: absolute paths are refused" - 1 -- guild ls -p /etc <<'EOF'
guild: PATH must be relative
Try 'guild ls --help' for more information.
EOF
expect_exact "ls -s: the source code snapshot" - -- guild ls -s <<'EOF'
~/.guild/runs/19c67a72d18611e88f52d017c2ab916f/.guild/sourcecode:
  guild.yml
  pkg/
  pkg/util.py
  train.py
EOF
expect_exact "ls -g: generated files" - -- guild ls -g <<'EOF'
~/.guild/runs/19c67a72d18611e88f52d017c2ab916f:
  events.out.tfevents.1539779455.local
  logs/
  logs/train.log
  weights-0001-13.233.hdf5
  weights-0002-13.080.hdf5
  weights-0010-12.996.hdf5
EOF
expect_exact "ls -d: dependencies" - -- guild ls -d <<'EOF'
~/.guild/runs/19c67a72d18611e88f52d017c2ab916f:
  data.csv
EOF
expect_exact "ls -a: everything" - -- sh -c '"$GUILD" ls -a | head -n 8' <<'EOF'
~/.guild/runs/19c67a72d18611e88f52d017c2ab916f:
  .guild/
  .guild/attrs/
  .guild/attrs/cmd
  .guild/attrs/exit_status
  .guild/attrs/id
  .guild/attrs/initialized
  .guild/attrs/started
EOF
ok "ls -a shows hidden files" sh -c '"$GUILD" ls -a | grep -qx "  .hidden"'
ok "ls -a shows the output" sh -c '"$GUILD" ls -a | grep -qx "  .guild/output"'

# Guild 0.9 runs keep source code in the run directory: the manifest says
# which files are source code.
mkrun 2e5a3b1c000000000000000000000001 train 1539700000 0
g9=$GUILD_HOME/runs/2e5a3b1c000000000000000000000001
echo 'print(1)' > "$g9/train.py"
echo out > "$g9/out.txt"
printf 's train.py 0000000000000000000000000000000000000000 train.py\n' > "$g9/.guild/manifest"
expect_exact "ls -s of a Guild 0.9 run" - -- guild ls -s 2e5a <<'EOF'
~/.guild/runs/2e5a3b1c000000000000000000000001:
  train.py
EOF
expect_exact "ls -g of a Guild 0.9 run" - -- guild ls -g 2e5a <<'EOF'
~/.guild/runs/2e5a3b1c000000000000000000000001:
  out.txt
EOF

# The walkthrough's predict run: model/ links to the upstream run's files.
mkrun 3f6b4c2d000000000000000000000002 predict 1539706000 0
pr=$GUILD_HOME/runs/3f6b4c2d000000000000000000000002
for f in 00618.png 03100.png 07868-error.png; do echo png > "$pr/$f"; done
ln -s "$up" "$pr/model"
ln -s .. "$up/logs/loop"
expect_exact "walkthrough: ls follows model/ into the upstream run" - -- guild ls <<'EOF'
~/.guild/runs/3f6b4c2d000000000000000000000002:
  00618.png
  03100.png
  07868-error.png
  model/
  model/data.csv
  model/events.out.tfevents.1539779455.local
  model/logs/
  model/logs/loop/
  model/logs/train.log
  model/weights-0001-13.233.hdf5
  model/weights-0002-13.080.hdf5
  model/weights-0010-12.996.hdf5
EOF
expect_exact "--no-follow-links" - -- guild ls --no-follow-links <<'EOF'
~/.guild/runs/3f6b4c2d000000000000000000000002:
  00618.png
  03100.png
  07868-error.png
  model/
EOF
rm "$up/logs/loop"

# cat
expect_exact "cat -p" - -- guild cat -p logs/train.log 1 <<'EOF'
logs/train.log
EOF
expect_exact "cat -s -p: source code" - -- guild cat -s -p pkg/util.py 1 <<'EOF'
x = 1
EOF
expect_exact "cat -p through a link" - -- guild cat -p model/data.csv <<'EOF'
data.csv
EOF
expect_exact "cat -O: the output as a terminal shows it" - -- guild cat -O 1 <<'EOF'
Epoch 1/5
loss: 13.0
done
EOF
ok "cat --raw: the bytes" sh -c '"$GUILD" cat --raw 1 | od -c | grep -q "033   ]   0   ;"'
expect_exact "cat: PATH or --output" - 1 -- guild cat <<'EOF'
guild: specify a file with --path PATH or the output with --output
Try 'guild cat --help' for more information.
EOF
expect_exact "cat: not both" - 1 -- guild cat -O -p x <<'EOF'
guild: specify a file with --path PATH or the output with --output
Try 'guild cat --help' for more information.
EOF
expect_exact "cat: no way out of the run" - 1 -- guild cat -p ../$WT_OK/data.csv <<'EOF'
guild: PATH may not leave the run directory: '../19c67a72d18611e88f52d017c2ab916f/data.csv'
EOF
expect_exact "cat: absolute paths" - 1 -- guild cat -p /etc/passwd <<'EOF'
guild: PATH must be relative to the run directory: '/etc/passwd'
EOF
expect_exact "cat: a missing file" - 1 -- guild cat -p nothing <<'EOF'
guild: nothing does not exist in run 3f6b4c2d
EOF
expect_exact "cat: a directory" - 1 -- guild cat -p model <<'EOF'
guild: model is a directory
EOF

# open: -c CMD, --shell, and a clear error without xdg-open.
mkdir -p "$TEST_TMP/bin"
cat > "$TEST_TMP/bin/show" <<'EOF'
#!/bin/sh
echo "show: $* (in $(pwd))"
EOF
chmod +x "$TEST_TMP/bin/show"
expect_exact "open -c CMD" - -- guild open -c "$TEST_TMP/bin/show --flag" <<'EOF'
show: --flag ~/.guild/runs/3f6b4c2d000000000000000000000002 (in $TEST_TMP/sample-project)
EOF
expect_exact "open -p PATH -c CMD" - -- guild open -p 00618.png -c "$TEST_TMP/bin/show" <<'EOF'
show: ~/.guild/runs/3f6b4c2d000000000000000000000002/00618.png (in $TEST_TMP/sample-project)
EOF
expect_exact "open -O -c CMD" - -- guild open -O -c "$TEST_TMP/bin/show" 1 <<'EOF'
show: ~/.guild/runs/19c67a72d18611e88f52d017c2ab916f/.guild/output (in $TEST_TMP/sample-project)
EOF
expect_exact "open -s -c CMD" - -- guild open -s -c "$TEST_TMP/bin/show" 1 <<'EOF'
show: ~/.guild/runs/19c67a72d18611e88f52d017c2ab916f/.guild/sourcecode (in $TEST_TMP/sample-project)
EOF
with_shell()
{
	SHELL=$TEST_TMP/bin/show "$GUILD" "$@"
}
expect_exact "open --shell: \$SHELL in the run directory" - -- with_shell open --shell <<'EOF'
show:  (in ~/.guild/runs/3f6b4c2d000000000000000000000002)
EOF
expect_exact "open --shell-cmd" - -- guild open --shell-cmd "$TEST_TMP/bin/show x" -p model <<'EOF'
show: x (in ~/.guild/runs/19c67a72d18611e88f52d017c2ab916f)
EOF
cat > "$TEST_TMP/bin/xdg-open" <<'EOF'
#!/bin/sh
echo "xdg-open $*"
EOF
chmod +x "$TEST_TMP/bin/xdg-open"
with_xdg_open()
{
	PATH=$TEST_TMP/bin:$PATH "$GUILD" "$@"
}
expect_exact "open: xdg-open" - -- with_xdg_open open <<'EOF'
xdg-open ~/.guild/runs/3f6b4c2d000000000000000000000002
EOF
rm "$TEST_TMP/bin/xdg-open"
mkdir -p "$TEST_TMP/nobin"
without_xdg_open()
{
	PATH=$TEST_TMP/nobin "$GUILD" "$@"
}
expect_exact "open without xdg-open" - 1 -- without_xdg_open open <<'EOF'
guild: xdg-open is not installed: use --cmd CMD to open the run with a program (guild open -c 'ls -l'), or --shell to start a shell in the run directory
EOF
expect_exact "open: a missing path" - 1 -- guild open -p nothing -c true <<'EOF'
guild: ~/.guild/runs/3f6b4c2d000000000000000000000002/nothing does not exist
EOF
expect_exact "open: --cmd and --shell" - 1 -- guild open -c true --shell <<'EOF'
guild: --cmd and --shell cannot both be used
EOF
ok "open returns the command's status" sh -c '! "$GUILD" open -c false'
expect_exact "open: a signal's end as a shell says it" - 143 -- guild open -c "sh -c 'kill -TERM \$\$' sh" <<'EOF'
EOF
expect_exact "open: a missing program exits 127" - 127 -- guild open -c no-such-program-xyz <<'EOF'
guild: cannot run 'no-such-program-xyz': No such file or directory
EOF

# select
expect_exact "select: the newest run's id" - -- guild select <<'EOF'
3f6b4c2d000000000000000000000002
EOF
expect_exact "select -s 1" - -- guild select -s 1 <<'EOF'
19c67a72
EOF
expect_exact "select -p" - -- guild select -p 1 <<'EOF'
~/.guild/runs/19c67a72d18611e88f52d017c2ab916f
EOF
expect_exact "select --dir is -p" - -- guild select --dir 1 <<'EOF'
~/.guild/runs/19c67a72d18611e88f52d017c2ab916f
EOF
expect_exact "select several runs" - -- guild select 0 2 <<'EOF'
3f6b4c2d000000000000000000000002
2e5a3b1c000000000000000000000001
EOF
expect_exact "select -A -o train" - -- guild select -A -s -o train <<'EOF'
19c67a72
2e5a3b1c
EOF
setattr $WT_OK flags 'lr: 0.01
epochs: 5'
setattr 2e5a3b1c000000000000000000000001 flags 'lr: 0.1
epochs: 2'
expect_exact "select -a ATTR: a text" - -- guild select -a status 1 <<'EOF'
completed
EOF
expect_exact "select -a ATTR: YAML" - -- guild select -a flags 1 <<'EOF'
epochs: 5
lr: 0.01
EOF
select_attrs()
{
	for _sa in "$@"; do
		printf '%s=' "$_sa"
		guild select -a "$_sa" 1 || return 1
	done
}
expect_exact "select -a: every field of Guild's format_run" - -- select_attrs \
    id short_id index short_index num_index operation from status \
    status_with_remote started stopped duration marked label \
    sourcecode_digest vcs_commit run_dir command exit_status pid model \
    op_name pkg_name <<'EOF'
id=19c67a72d18611e88f52d017c2ab916f
short_id=19c67a72
index=[19c67a72]
short_index=[19c67a72]
num_index=[?]
operation=./fashion:train
from=$TEST_TMP/sample-project/guild.yml
status=completed
status_with_remote=completed
started=2018-10-16 15:57:32
stopped=2018-10-16 15:57:32
duration=0:00:00
marked=no
label=
sourcecode_digest=
vcs_commit=
run_dir=~/.guild/runs/19c67a72d18611e88f52d017c2ab916f
command=/usr/bin/python -um guild.op_main train
exit_status=0
pid=
model=fashion
op_name=train
pkg_name=$TEST_TMP/sample-project/guild.yml
EOF
setattr $WT_OK host "'yes'"
setattr $WT_OK random_seed 1234
expect_exact "select -a: other attrs as YAML, as Guild prints them" - -- select_attrs \
    cmd host random_seed <<'EOF'
cmd=- /usr/bin/python
- -um
- guild.op_main
- train
host='yes'
random_seed=1234
EOF
expect_exact "select -a: no such attr" - 1 -- guild select -a nothing <<'EOF'
guild: no such run attribute 'nothing'
EOF
expect_exact "select --min =FLAG" - -- guild select --min =lr -s <<'EOF'
19c67a72
EOF
expect_exact "select --max =FLAG" - -- guild select --max =epochs -s <<'EOF'
19c67a72
EOF
expect_exact "select --min: nobody has it" - 1 -- guild select --min loss <<'EOF'
guild: no selected run has a value for 'loss'
EOF
expect_exact "select -s and -a" - 1 -- guild select -s -a x <<'EOF'
guild: --short-id and --attr cannot both be used
EOF

done_testing
