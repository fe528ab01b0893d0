#!/bin/sh
# guild09-runs.sh: runs that Guild AI 0.9 wrote (sources at the run root,
# no .guild/sourcecode) start and restart (issue 12).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
export GUILD

command -v python3 > /dev/null 2>&1 || skip_all "no python3"

proj=$(make_project g09 <<'EOT'
train:
  main: train
  flags:
    lr: 0.1
EOT
)
cat > "$proj/train.py" <<'EOT'
lr = 0.1
print("lr", lr)
EOT
cd "$proj" || exit 1

# A run directory as Guild AI 0.9 leaves it: opref, a few attrs, the
# project's sources copied to the run root.
mk09()
{
	_d=$GUILD_HOME/runs/$1
	mkdir -p "$_d/.guild/attrs"
	md5=$(md5sum < guild.yml | cut -d' ' -f1)
	printf "guildfile:%s %s '' train\n" "$proj/guild.yml" "$md5" \
	    > "$_d/.guild/opref"
	printf 'lr: 0.2\n' > "$_d/.guild/attrs/flags"
	printf '1700000000000000\n' > "$_d/.guild/attrs/started"
	printf '1700000001000000\n' > "$_d/.guild/attrs/stopped"
	printf '0\n' > "$_d/.guild/attrs/exit_status"
	printf 'lr=0.2\n' > "$_d/.guild/attrs/label"
	cp train.py guild.yml "$_d/"
	if [ -n "${2:-}" ]; then
		printf 'sourcecode:\n  dest: %s\n' "$2" > "$_d/.guild/attrs/op"
	fi
}
id=aaaaaaaabbbbccccddddeeeeeeeeeeee
mk09 $id
expect_output "--restart of a Guild 0.9 run: sources from the run root" - -- \
    guild run -y --restart $id lr=0.3 <<'EOT'
lr 0.3
EOT
ok "and it completed" sh -c \
    "[ \"\$(cat '$GUILD_HOME/runs/$id/.guild/attrs/exit_status')\" = 0 ]"

id2=aaaaaaaabbbbccccddddeeeeeeeeeee2
mk09 $id2 "."
expect_output "--restart: a run whose op attr puts sources at '.'" - -- \
    guild run -y --restart $id2 <<'EOT'
lr 0.2
EOT

# Staged by Guild 0.9: --start runs it from its root too.
id3=aaaaaaaabbbbccccddddeeeeeeeeeee3
mk09 $id3
rm "$GUILD_HOME/runs/$id3/.guild/attrs/exit_status" \
    "$GUILD_HOME/runs/$id3/.guild/attrs/stopped"
: > "$GUILD_HOME/runs/$id3/.guild/STAGED"
expect_output "--start of a staged Guild 0.9 run" - -- \
    guild run -y --start $id3 <<'EOT'
lr 0.2
EOT

# Guild 0.9's most used form: "guild run train.py", a run whose opref is
# "script:DIR '' '' train.py" (no guild.yml), and an executable named as
# typed ("./train.sh").
mkdir -p "$TEST_TMP/s09"
printf 'lr = 0.1\nprint("lr", lr)\n' > "$TEST_TMP/s09/train.py"
printf '#!/bin/sh\necho "sh $*"\n' > "$TEST_TMP/s09/train.sh"
chmod +x "$TEST_TMP/s09/train.sh"
mks09()
{
	_d=$GUILD_HOME/runs/$1
	mkdir -p "$_d/.guild/attrs"
	printf "script:%s '' '' %s\n" "$TEST_TMP/s09" "$2" > "$_d/.guild/opref"
	printf '%s\n' "$3" > "$_d/.guild/attrs/flags"
	printf '1700000000000000\n' > "$_d/.guild/attrs/started"
	printf '1700000001000000\n' > "$_d/.guild/attrs/stopped"
	printf '0\n' > "$_d/.guild/attrs/exit_status"
	cp "$TEST_TMP/s09/train.py" "$_d/"
}
id4=aaaaaaaabbbbccccddddeeeeeeeeeee4
mks09 $id4 train.py 'lr: 0.2'
expect_output "--restart of a Guild 0.9 script run" - -- \
    guild run -y --restart $id4 lr=0.4 <<'EOT'
lr 0.4
EOT
expect_output "--restart of a Guild 0.9 script run, from elsewhere" - -- \
    sh -c 'cd / && "$GUILD" run -y --restart '$id4 <<'EOT'
lr 0.4
EOT
id5=aaaaaaaabbbbccccddddeeeeeeeeeee5
mks09 $id5 ./train.sh '{}'
expect_output "--restart of a Guild 0.9 run of ./train.sh" - -- \
    guild run -y --restart $id5 <<'EOT'
sh 
EOT
# Ours are written as Guild 0.9 writes them.
(cd "$TEST_TMP/s09" && "$GUILD" run -y train.py > /dev/null)
expect_output "guild run train.py: Guild's script opref" - -- \
    sh -c 'cat "$GUILD_HOME"/runs/$("$GUILD" runs info 0 | sed -n "s/^id: //p")/.guild/opref; echo' <<'EOT'
script:$TEST_TMP/s09 '' '' train.py
EOT

done_testing
