#!/bin/sh
# run-options.sh: guild run options Guild AI 0.9 users type: --gpus,
# --no-gpus, -c/--comment and --stop-after.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

proj=$(make_project runopts <<'EOT'
env:
  exec: sh -c 'echo "cuda=[${CUDA_VISIBLE_DEVICES-unset}]"'
  flags:
    x: 1
sleep:
  exec: sleep 60
EOT
)
cd "$proj" || exit 1
unset CUDA_VISIBLE_DEVICES

expect_output "no GPU option: the environment is left alone" - -- \
    guild run -y env <<'EOT'
cuda=[unset]
EOT
expect_output "--gpus DEVICES: CUDA_VISIBLE_DEVICES" - -- \
    guild run -y env --gpus 0,1 <<'EOT'
cuda=[0,1]
EOT
expect_output "--no-gpus: CUDA_VISIBLE_DEVICES empty" - -- \
    guild run -y env --no-gpus <<'EOT'
cuda=[]
EOT
expect_output "--gpus: the run's env attr records it" - -- \
    sh -c '"$GUILD" select --attr env | grep "^CUDA_VISIBLE_DEVICES:"' <<'EOT'
CUDA_VISIBLE_DEVICES: ''
EOT
expect_output "--gpus and --no-gpus: Guild's error" - 1 -- \
    guild run -y env --gpus 1 --no-gpus <<'EOT'
guild: --no-gpus and --gpus cannot both be used
Try 'guild run --help' for more information.
EOT
expect_output "--print-env shows it" - -- \
    sh -c '"$GUILD" run env --gpus 3 --print-env | grep "^CUDA_VISIBLE_DEVICES="' <<'EOT'
CUDA_VISIBLE_DEVICES=3
EOT
expect_output "--gpus applies to every trial of a batch" - -- \
    sh -c '"$GUILD" run -y env "x=[1,2]" --gpus 5 2>/dev/null | grep cuda' <<'EOT'
cuda=[5]
cuda=[5]
EOT

# -c/--comment: the run's first comment, as guild comment writes it.
guild run -y env -c "first try" > /dev/null
comments_shown()
{
	guild runs info -c | sed -n '/^comments:/,$p' |
	    sed 's/^\(  \[1\] \)[^ ]*@[^ ]* /\1<user>@<host> /'
}
expect_output "-c COMMENT: the run's comments" - -- comments_shown <<'EOT'
comments:
  [1] <user>@<host> <time>
    first try
EOT
guild run -y --restart "$(guild select)" -c "second try" > /dev/null
expect_output "-c with --restart adds a comment, as Guild does" - -- \
    sh -c '"$GUILD" runs info -c | sed -n "/^comments:/,\$p" | grep -v "@"' <<'EOT'
comments:
    first try
    second try
EOT
comment_keys()
{
	guild select --attr comments | sed 's/^[- ]*//' | cut -d: -f1 | sort -u
}
expect_output "the comment has Guild's fields" - -- comment_keys <<'EOT'
body
host
time
user
EOT

# --stop-after N: stopped (terminated) after N minutes, with Guild's note.
stop_early()
{
	guild run -y sleep --stop-after 0.01 > "$TEST_TMP/out" 2>&1
	_rc=$?
	sed 's/(pid [0-9]*) - [0-9.]* minute/(pid <pid>) - <n> minute/' \
	    "$TEST_TMP/out"
	return $_rc
}
expect_output "--stop-after: the run is stopped early" - 143 -- \
    stop_early <<'EOT'
Stopping process early (pid <pid>) - <n> minute(s) elapsed
EOT
expect_output "and recorded terminated" - -- \
    sh -c '"$GUILD" runs -n 1 | sed "s/  .*  /  /"' <<'EOT'
[0:<id>]  terminated
EOT
guild run -y -b sleep --stop-after 0.01 > /dev/null
id=$(guild select)
term() { [ "$(cat "$GUILD_HOME/runs/$id/.guild/attrs/exit_status" 2>/dev/null)" = "-15" ]; }
if wait_for 120 term; then
	pass "--stop-after in the background: terminated (exit status -15)"
else
	fail "--stop-after in the background: terminated (exit status -15)"
fi
stop_now()
{
	guild run -y sleep --stop-after "$1" > "$TEST_TMP/out" 2>&1
	_rc=$?
	sed 's/(pid [0-9]*) - [0-9.]* minute/(pid <pid>) - <n> minute/' \
	    "$TEST_TMP/out"
	return $_rc
}
expect_output "--stop-after 0: stopped at once, as Guild does" - 143 -- \
    stop_now 0 <<'EOT'
Stopping process early (pid <pid>) - <n> minute(s) elapsed
EOT
batch_stop()
{
	guild run -y sleep 'x=[1,2]' -f --stop-after 0.01 > "$TEST_TMP/out" 2>&1
	_rc=$?
	grep -c "^Stopping process early (pid [0-9]*) - " "$TEST_TMP/out"
	return $_rc
}
nruns=$(ls "$GUILD_HOME/runs" | wc -l)
expect_output "--stop-after with a batch: the batch as a whole, as Guild" \
    - 143 -- batch_stop <<'EOT'
1
EOT
ok "one trial started, then the batch stopped" \
    test "$(ls "$GUILD_HOME/runs" | wc -l)" -eq $((nruns + 2))
expect_output "the batch run is terminated" - -- \
    sh -c '"$GUILD" runs | grep "/sleep+ " | head -n 1 | sed "s/.*  //"' <<'EOT'
terminated
EOT
for bad in x nan 1m ""; do
	expect_output "--stop-after '$bad': an error" - 1 -- \
	    guild run -y sleep --stop-after "$bad" <<EOT
guild: invalid value for --stop-after: '$bad' is not a number of minutes
EOT
done

# --pidfile: in the background, the supervisor's id in PIDFILE while the
# run goes on; the file goes when it ends.
expect_output "--pidfile: started in the background, Guild's message" - -- \
    sh -c '"$GUILD" run -y sleep --pidfile pid.txt | sed "s/as [0-9a-f]* /as <id> /"' <<'EOT'
sleep started in background as <id> (pidfile pid.txt)
EOT
sleep_id=$(guild select)
has_pid() { [ -s pid.txt ] && kill -0 "$(cat pid.txt)"; }
if wait_for 120 has_pid; then
	pass "--pidfile: the file holds a live process id"
else
	fail "--pidfile: the file holds a live process id"
fi
guild stop -y "$sleep_id" > /dev/null 2>&1
gone() { [ ! -e pid.txt ]; }
if wait_for 120 gone; then
	pass "--pidfile: removed when the run ends"
else
	fail "--pidfile: removed when the run ends"
fi
nruns=$(ls "$GUILD_HOME/runs" | wc -l)
expect_output "--pidfile that cannot be written: an error" - 1 -- \
    guild run -y sleep --pidfile "$TEST_TMP/no/such/dir/pid" <<'EOT'
guild: $TEST_TMP/no/such/dir/pid: No such file or directory
EOT
ok "and no run was created" test "$(ls "$GUILD_HOME/runs" | wc -l)" -eq "$nruns"
nruns=$(ls "$GUILD_HOME/runs" | wc -l)
expect_output "the same for a batch" - 1 -- \
    guild run -y sleep --pidfile "$TEST_TMP/no/such/dir/pid" 'x=[1,2]' -f <<'EOT'
guild: $TEST_TMP/no/such/dir/pid: No such file or directory
EOT
ok "and no batch run was created" test "$(ls "$GUILD_HOME/runs" | wc -l)" -eq "$nruns"
guild run -y sleep --pidfile held.pid > /dev/null
held() { [ -s held.pid ] && kill -0 "$(cat held.pid)"; }
wait_for 120 held
expect_output "--pidfile held by a live process: refused" - 1 -- \
    sh -c '"$GUILD" run -y sleep --pidfile held.pid 2>&1 | sed "s/process [0-9]*/process <pid>/"; exit 1' <<'EOT'
guild: held.pid: in use by process <pid>
EOT
guild stop -y "$(guild select)" > /dev/null 2>&1
mkdir -p "$TEST_TMP/elsewhere"
( cd "$TEST_TMP/elsewhere" &&
    "$GUILD" -C "$proj" run -y sleep --pidfile rel.pid > /dev/null )
rel() { [ -s "$TEST_TMP/elsewhere/rel.pid" ]; }
if wait_for 120 rel; then
	pass "--pidfile with -C: relative to where guild started"
else
	fail "--pidfile with -C: relative to where guild started"
fi
guild stop -y "$(guild select)" > /dev/null 2>&1
expect_output "--stage and --pidfile: Guild's error" - 1 -- \
    guild run -y sleep --stage --pidfile p <<'EOT'
guild: --stage and --pidfile cannot both be used
Try 'guild run --help' for more information.
EOT

# Optimizers declared in guild.yml: -o NAME, -O (the default one).
mkdir -p "$TEST_TMP/opt"
cat > "$TEST_TMP/opt/guild.yml" <<'EOT'
one:
  exec: "echo x=${x}"
  flags:
    x: 1
  optimizer: random
many:
  exec: "echo x=${x}"
  flags:
    x: 1
  optimizers:
    search:
      algorithm: random
      default: yes
    sweep:
      algorithm: +
none:
  exec: "echo x=${x}"
  flags:
    x: 1
two:
  exec: "echo x=${x}"
  flags:
    x: 1
  optimizers: [random, grid]
EOT
expect_output "-O: the operation's only optimizer (optimizer: random)" - -- \
    guild -C "$TEST_TMP/opt" run -y one -O -m 2 'x=[3]' --print-trials <<'EOT'
#  x
1  3
2  3
EOT
expect_output "-O: the optimizer marked default" - -- \
    guild -C "$TEST_TMP/opt" run -y many -O -m 1 'x=[2]' --print-trials <<'EOT'
#  x
1  2
EOT
expect_output "-o NAME: an optimizer of the operation (sweep: +, a grid)" - -- \
    guild -C "$TEST_TMP/opt" run -y many -o sweep 'x=[1,2]' --print-trials <<'EOT'
#  x
1  1
2  2
EOT
expect_output "-O without optimizers: Guild's default, gp, which guild has not" - 1 -- \
    guild -C "$TEST_TMP/opt" run -y none -O 'x=[1,2]' <<'EOT'
guild: unsupported optimizer 'gp' (guild runs grid searches and random searches: --optimizer random)
EOT
expect_output "-O with several and no default: Guild's error" - 1 -- \
    guild -C "$TEST_TMP/opt" run -y two -O 'x=[1,2]' <<'EOT'
guild: no default optimizer defined for two
Specify one of the following with '--optimizer': grid, random
EOT
expect_output "-o and -O: Guild's error" - 1 -- \
    guild -C "$TEST_TMP/opt" run -y two -o random -O <<'EOT'
guild: --optimize and --optimizer cannot both be used
Try 'guild run --help' for more information.
EOT

# delete-on-success: a run that succeeded goes to the trash, unless
# --keep-run; one that fails stays.
mkdir -p "$TEST_TMP/dos"
printf 'interim:\n  exec: "echo hi"\n  delete-on-success: yes\nfail:\n  exec: "false"\n  delete-on-success: yes\n' \
    > "$TEST_TMP/dos/guild.yml"
dos_home=$TEST_TMP/dos-home
interim()
{
	"$GUILD" -H "$dos_home" -C "$TEST_TMP/dos" run -y "$@" 2>&1 |
	    sed 's/run [0-9a-f]\{32\} /run <id> /'
}
expect_output "delete-on-success: Guild's note" - -- interim interim <<'EOT'
hi
Deleting interim run <id> ('interim' is configured for deletion on success)
EOT
expect_output "the run is in the trash" - -- \
    sh -c '"$GUILD" -H "$1" runs | wc -l; "$GUILD" -H "$1" runs -d | wc -l' sh "$dos_home" <<'EOT'
0
1
EOT
expect_output "--keep-run keeps it" - -- interim interim --keep-run <<'EOT'
hi
EOT
interim fail > /dev/null
expect_output "a run that fails stays" - -- \
    sh -c '"$GUILD" -H "$1" runs | wc -l' sh "$dos_home" <<'EOT'
2
EOT

# -bl, -bt, -bc: the batch run's own label, tags and comment.
batch_info()
{
	guild -C "$TEST_TMP/opt" runs info 2 -c |
	    sed -n -e 's/^label: //p' -e '/^tags:/,/^[a-z]/p' |
	    sed -e '/^[a-z_]*:$/d' -e '/^[a-z_]*: /d'
	guild -C "$TEST_TMP/opt" runs info 2 -c | sed -n '/^comments:/,$p' |
	    sed 's/^\(  \[1\] \)[^ ]*@[^ ]* /\1<user>@<host> /'
}
guild -C "$TEST_TMP/opt" run -y --keep-batch none 'x=[1,2]' -bl "my batch" -bt sweep \
    -bt b2 -bc "a note" > /dev/null 2>&1
expect_output "-bl -bt -bc: the batch run's label, tags, comment" - -- \
    batch_info <<'EOT'
my batch
  - sweep
  - b2
comments:
  [1] <user>@<host> <time>
    a note
EOT
expect_output "-bc without a batch: Guild's warning" - -- \
    guild -C "$TEST_TMP/opt" run -y none -bc hi <<'EOT'
guild: warning: operation is not a batch - ignoring batch comment
x=1
EOT

# Labels as Guild makes them: tags before the default label, and a
# restart labelled with the run's own template.
lbl()
{
	guild runs info "$@" | sed -n 's/^label: //p'
}
guild run -y env -t best -t v1 x=3 > /dev/null
expect_output "-t without -l: the tags before the default label" - -- \
    lbl <<'EOT'
best v1 x=3
EOT
guild run -y env -l 'custom ${x}' x=4 > /dev/null
id=$(guild select)
guild run -y --restart "$id" x=5 > /dev/null
expect_output "--restart: the run's own -l template, with the new flags" - -- \
    lbl "$id" <<'EOT'
custom 5
EOT
guild run -y --restart "$id" -l other x=6 > /dev/null
expect_output "--restart -l: the new label" - -- lbl "$id" <<'EOT'
other
EOT
guild run -y --restart "$id" x=7 > /dev/null
expect_output "and that one is kept by the next restart" - -- lbl "$id" <<'EOT'
other
EOT

done_testing
