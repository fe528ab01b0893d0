#!/bin/sh
# escapes.sh: nothing from a run or a project reaches a terminal raw.
#
# Labels, tags, comments, flags, scalar keys, file names, operation names
# and guild.yml descriptions here hold OSC 0 (title), OSC 52 (clipboard),
# CSI 2J (clear screen), BEL, CR, a raw 8-bit CSI (0x9b), U+009B and
# invalid UTF-8. On a terminal (script(1) gives each command a pty) every
# command shows them visibly (\e, \a, \x9b, \u009b); into a pipe the bytes
# stay as they are.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

command -v script > /dev/null 2>&1 || skip_all "no script(1) for a pty"
script -qec 'test -t 1' /dev/null < /dev/null > /dev/null 2>&1 ||
	skip_all "script(1) gives no pty here"

ESC=$(printf '\033')
BEL=$(printf '\007')
C1=$(printf '\233')
FF=$(printf '\377')

proj=$(make_project escapes <<'EOF'
model: "m\e]0;T\a"
description: "desc \e]52;c;aGk=\a and \e[2J here \x9b"
operations:
  "tr\e[2Jain":
    description: "op \e]0;title\a"
    exec: "sh -c 'echo hi'"
    flags:
      "lr\e[31m":
        default: 1
        description: "flag \a desc"
EOF
)
RUNS_PROJECT=$proj
cd "$proj" || exit 1

A=aaaabbbbccccddddeeeeffff00001111
B=11112222333344445555666677778888
RA=$GUILD_HOME/runs/$A
RB=$GUILD_HOME/runs/$B
mkrun $B train 1539705000 0
mkrun $A train 1539705452 0
# opref is not YAML: raw bytes of any kind get through to the name.
printf 'guildfile:%s/guild.yml 0 fashion tr\033[2J\233\377ain' "$proj" \
    > "$RA/.guild/opref"
setattr $A label '"L\e]0;TITLE\a \e]52;c;aGk=\a \e[2J \x9b a\tb\r"'
setattr $A tags '["t\e]0;x\a", plain]'
setattr $A flags '{"k\a": 1, lr: 2}'
setattr $A comments '[{body: "c\e]0;C\a one\nsecond\r", host: "h\e[2J",
  time: 1539705452000000, user: "u\a"}]'
printf '# guild scalars 1\n0\tloss\233\033]0;S\a\377\t0.5\t1000\n' \
    > "$RA/.guild/scalars.tsv"
printf 'x\033]0;file\a\233\n' > "$RA/f${ESC}[2Jname"
printf 'other\n' > "$RB/f${ESC}[2Jname"
printf 'n\n' > "$RA/n${C1}${FF}x"
printf 'bin\000ary\033]0;B\a' > "$RA/b.bin"
setoutput $A 'out\033]0;O\a\n'
# A run directory's name is its id, whatever its bytes.
C="i${ESC}]0;I${BEL}xxxxxxxxxxxxxxxxxxxxxxxxx"
mkrun "$C" train 1539704000 0

# on_tty CMD: run guild with the arguments CMD (shell words) in $proj,
# its stdout and stderr on a pseudo-terminal; the output in $TEST_TMP/tty
# (no ONLCR, so a CR there came from guild). Wide, so that tables are not
# cut to the terminal's width (table-width.sh tests that).
on_tty()
{
	SHELL=/bin/sh COLUMNS=400 script -qec "stty -onlcr; cd '$proj' && \"\$GUILD\" $1" \
	    /dev/null < /dev/null > "$TEST_TMP/tty" 2>&1
}

# tty_shows NAME CMD VISIBLE...: on a terminal, guild CMD writes no ESC,
# 0x9b, BEL or CR, and shows each VISIBLE.
tty_shows()
{
	_ts_name=$1
	_ts_cmd=$2
	shift 2
	on_tty "$_ts_cmd"
	if ! LC_ALL=C tr -d '\033\233\007\015' < "$TEST_TMP/tty" |
	    cmp -s - "$TEST_TMP/tty"; then
		fail "$_ts_name" "control bytes on the terminal:" \
		    "$(od -c "$TEST_TMP/tty" | head -20)"
		return 1
	fi
	for _ts_v; do
		if ! grep -qF -- "$_ts_v" "$TEST_TMP/tty"; then
			fail "$_ts_name" "no '$_ts_v' in:" "$(cat "$TEST_TMP/tty")"
			return 1
		fi
	done
	pass "$_ts_name"
}

# piped_has NAME RAW COMMAND...: into a pipe, COMMAND's output (with
# stderr) holds the bytes RAW as they are.
piped_has()
{
	_ph_name=$1
	_ph_raw=$2
	shift 2
	"$@" < /dev/null > "$TEST_TMP/piped" 2>&1
	if LC_ALL=C grep -qF -- "$_ph_raw" "$TEST_TMP/piped"; then
		pass "$_ph_name"
	else
		fail "$_ph_name" "not byte-exact:" "$(od -c "$TEST_TMP/piped" | head -20)"
	fi
}

LABEL_SHOWN='L\e]0;TITLE\a \e]52;c;aGk=\a \e[2J \u009b a\tb'
OP_SHOWN='tr\e[2J\x9b\xffain'
KEY_SHOWN='loss\x9b\e]0;S\a\xff'

tty_shows "runs: label, operation, tab kept off the table" 'runs' \
    "$LABEL_SHOWN" "$OP_SHOWN" "completed  L\\e"
piped_has "runs piped: byte-exact" \
    "L${ESC}]0;TITLE${BEL} ${ESC}]52;c;aGk=${BEL}" guild runs
piped_has "runs piped: operation byte-exact" "tr${ESC}[2J${C1}${FF}ain" \
    guild runs
tty_shows "runs: a run id" 'runs' '[2:i\e]0;I\ax]'
tty_shows "select: a run id" 'select 2' 'i\e]0;I\axxxx'
piped_has "select piped: byte-exact" "$C" guild select 2
tty_shows "runs -v" 'runs -v' "$LABEL_SHOWN" "$OP_SHOWN"
tty_shows "runs info: label, tags, flags, scalar keys" 'runs info' \
    "label: $LABEL_SHOWN" '  - "t\e]0;x\a"' '  k\a: 1' "  $KEY_SHOWN: 0.5"
tty_shows "runs info -c: comments" 'runs info -c' \
    'u\a@h\e[2J' '    c\e]0;C\a one' '    second\r'
piped_has "runs info -c piped: byte-exact" "c${ESC}]0;C${BEL} one" \
    guild runs info -c
tty_shows "runs info --json: C1 and bad bytes too" 'runs info --json' \
    '\u001b]0;TITLE\u0007' '\u009b' '"loss\x9b\u001b]0;S\u0007\xff"'
tty_shows "runs list --json" 'runs --json' '\u009b' '\x9b\xffain'
tty_shows "compare --table: scalar key header" 'compare --table' \
    "$KEY_SHOWN" "$LABEL_SHOWN"
piped_has "compare --table piped: byte-exact" \
    "loss${C1}${ESC}]0;S${BEL}${FF}" guild compare --table
tty_shows "compare --csv -" 'compare --csv -' "$KEY_SHOWN" "$OP_SHOWN"
tty_shows "compare --print-scalars" 'compare --print-scalars' \
    "  $KEY_SHOWN: 0.5" "$OP_SHOWN"
tty_shows "ls: file names" 'ls' '  f\e[2Jname' '  n\x9b\xffx'
piped_has "ls piped: byte-exact" "n${C1}${FF}x" guild ls
tty_shows "select --attr label" 'select --attr label' "$LABEL_SHOWN"
tty_shows "select --attr flags" 'select --attr flags' 'k\a'
tty_shows "tag --list-all" 'tag --list-all' 't\e]0;x\a'
tty_shows "diff: file contents and names" 'diff' \
    '+x\e]0;file\a\x9b' "f\\033[2Jname"
piped_has "diff piped: byte-exact" "+x${ESC}]0;file${BEL}${C1}" guild diff
tty_shows "label preview quotes the new label" \
    "label --set 'a${ESC}[2Jb'" "with 'a\\e[2Jb'" "$LABEL_SHOWN"
tty_shows "error quoting a run spec" "runs info 'x${ESC}]0;E${BEL}'" \
    "guild: could not find a run matching 'x\\e]0;E\\a'"
tty_shows "watch a finished run" 'watch 0' "out" "stopped"
tty_shows "models: names, descriptions" 'models' \
    './m\e]0;T\a  desc \e]52;c;aGk=\a and \e[2J here \u009b'
tty_shows "ops" 'ops' './m\e]0;T\a:tr\e[2Jain  op \e]0;title\a'
piped_has "ops piped: byte-exact" "m${ESC}]0;T${BEL}:tr${ESC}[2Jain" guild ops
tty_shows "help (guild.yml descriptions)" 'help --no-pager' \
    '      desc \e]52;c;aGk=\a' '        tr\e[2Jain' 'lr\e[31m  flag \a desc'
tty_shows "run --help-op" "run --help-op 'm${ESC}]0;T${BEL}:tr${ESC}[2Jain'" \
    'Usage: guild run [OPTIONS] m\e]0;T\a:tr\e[2Jain' 'op \e]0;title\a' \
    'lr\e[31m  flag \a desc'
tty_shows "completion --ops" 'completion --ops' 'm\e]0;T\a:tr\e[2Jain'
tty_shows "completion --flags" \
    "completion --flags 'm${ESC}]0;T${BEL}:tr${ESC}[2Jain'" 'lr\e[31m='
tty_shows "export: the message names the directory" \
    "export -y 'ex${ESC}[2Jdir' $A" 'Exported 1 run(s) to ex\e[2Jdir'

# A warning quotes guild.yml.
mkdir -p "$TEST_TMP/warn"
printf -- '- model: m\n  "bogus\\e]0;W\\a": 1\n  operations:\n    train:\n      exec: "true"\n' \
    > "$TEST_TMP/warn/guild.yml"
tty_shows "a warning quoting guild.yml" "-C '$TEST_TMP/warn' ops" \
    "guild: warning: guild.yml:2:3: unknown model attribute 'bogus\\e]0;W\\a'"
piped_has "a warning piped: byte-exact" "'bogus${ESC}]0;W${BEL}'" \
    guild -C "$TEST_TMP/warn" ops

# guild cat: a text file shown, a binary file named, --raw as it is.
tty_shows "cat -p: a text file's controls shown" "cat -p 'f${ESC}[2Jname'" \
    'x\e]0;file\a\x9b'
on_tty "cat -p 'f${ESC}[2Jname'"
guild cat -p "f${ESC}[2Jname" > "$TEST_TMP/catpipe"
ok "cat -p piped: byte-exact" cmp -s "$TEST_TMP/catpipe" "$RA/f${ESC}[2Jname"
tty_shows "cat -p of a binary file: a notice" 'cat -p b.bin' \
    'guild: b.bin is a binary file (13 bytes): use --raw or redirect'
on_tty 'cat -p b.bin; echo "status $?"'
ok "cat -p of a binary file: status 1" grep -q '^status 1' "$TEST_TMP/tty"
on_tty 'cat -p b.bin --raw'
ok "cat -p --raw on a terminal: the bytes" cmp -s "$TEST_TMP/tty" "$RA/b.bin"
guild cat -p b.bin > "$TEST_TMP/catpipe"
ok "cat -p of a binary file piped: the bytes" \
    cmp -s "$TEST_TMP/catpipe" "$RA/b.bin"
on_tty 'cat --raw'
ok "cat --raw on a terminal: the output as written" \
    cmp -s "$TEST_TMP/tty" "$RA/.guild/output"
tty_shows "cat -O: cooked, the OSC dropped" 'cat -O' 'out'

done_testing
