#!/bin/sh
# run-safety.sh: what a run keeps of its environment (no secrets), the
# modes of the files it writes (the umask, no setuid copies), flag values
# that try to be more than values (in steps and in exec shells) and a
# param that refers to itself.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
export GUILD

proj=$(make_project safety <<'EOF'
echo:
  exec: sh -c 'printf "<%s>\n" "$@"' sh ${v}
  flags:
    v: x
  env:
    SERVICE_API_KEY: from-guild-yml
    COLOUR: red
shell:
  exec: sh -c 'echo "plain=" ${v}; echo "dq=${v}"; echo '"'sq=${v}'"'; echo "$(echo sub= ${v})"; echo "n=$#"' sh
  flags:
    v: x
bash:
  exec: env A=1 bash -ec 'echo $'"'ansi=${v}'"
  flags:
    v: x
bashopts:
  exec: env -u UNSET_ME bash --norc --rcfile /dev/null -o pipefail -e -c 'echo opts= ${v}' name
  flags:
    v: x
backquotes:
  exec: sh -c 'echo `echo ${v}`'
  flags:
    v: x
heredoc:
  exec: "sh -c 'cat <<END\n${v}\nEND'"
  flags:
    v: x
comment:
  exec: |-
    sh -c "# it's a comment, its quote is no quote
    echo c= ${v}"
  flags:
    v: x
dashansi:
  exec: sh -c 'echo $'"'a=${v}'"
  flags:
    v: x
afterdollar:
  exec: sh -c 'echo $${v}'
  flags:
    v: x
backslash:
  exec: sh -c 'echo \${v}'
  flags:
    v: x
incomment:
  exec: "sh -c 'echo x # ${v}'"
  flags:
    v: x
notshell:
  exec: printf '<%s>\n' 'echo ${v}'
  flags:
    v: x
incase:
  exec: sh -c 'echo "$(case a in a) echo ${v};; esac)"'
  flags:
    v: x
inarith:
  exec: bash -c '[[ ${v} -eq 1 ]] && echo one'
  flags:
    v: x
indollarparen:
  exec: sh -c 'echo $(( ${v} + 1 ))'
  flags:
    v: x
inbrace:
  exec: sh -c 'x=a; echo "$(echo ${x%)} ${v})"'
  flags:
    v: x
afterlet:
  exec: bash -c 'let n=1; echo ${v}'
  flags:
    v: x
pipe:
  flags:
    v: x
  steps:
    - echo v=${v}
bare:
  flags:
    v: x
  steps:
    - echo ${v}
label:
  flags:
    v: x
  steps:
    - echo -l ${v} v=1
deps:
  exec: "true"
  requires:
    - file: setuid.sh
      target-type: copy
EOF
)
cd "$proj" || exit 1
runs=$GUILD_HOME/runs
printf '#!/bin/sh\necho hi\n' > script.sh
chmod 0755 script.sh
printf 'data\n' > setuid.sh
chmod 4755 setuid.sh
printf 'data\n' > setgid.txt
chmod 2664 setgid.txt

n=0
# next_id: a fresh run id for the next run, in $id.
next_id()
{
	n=$((n + 1))
	id=$(printf '%032x' "$n")
}

# --- Secrets ----------------------------------------------------------

next_id
OPENAI_API_KEY=sk-1 AWS_ACCESS_KEY_ID=AKIA2 AWS_SECRET_ACCESS_KEY=s3 \
    MYSQL_PWD=pw4 PRIVATE_KEY=k5 CREDENTIALS=c6 GITHUB_TOKEN=t7 \
    DB_PASSWORD=p8 SSH_PASS=p9 http_auth=a10 GOOGLE_APPLICATION_CREDENTIALS=c11 \
    DATABASE_URL=postgres://alice:hunter2@db:5432/app \
    PIP_INDEX_URL='https://u:p/w@pypi.example/simple' \
    PLAIN_URL=https://alice@db.example/x KEYBOARD_LAYOUT=us \
    MONKEY=banana PASSTHROUGH=1 LANG=C.UTF-8 PWD="$proj" \
    guild run -y --run-id "$id" echo > "$TEST_TMP/out" 2>&1
ok "a run with secrets in its environment" test $? -eq 0
env_attr=$runs/$id/.guild/attrs/env
for name in OPENAI_API_KEY AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY MYSQL_PWD \
    PRIVATE_KEY CREDENTIALS GITHUB_TOKEN DB_PASSWORD SSH_PASS http_auth \
    GOOGLE_APPLICATION_CREDENTIALS DATABASE_URL PIP_INDEX_URL \
    SERVICE_API_KEY; do
	ok "env attr leaves out $name" sh -c "! grep -q '^$name:' '$env_attr'"
done
ok "no secret value is anywhere in the run's attrs" \
    sh -c "! grep -rqE 'sk-1|AKIA2|pw4|hunter2|u:p/w|from-guild-yml' '$runs/$id/.guild/attrs'"
for name in PATH LANG KEYBOARD_LAYOUT MONKEY PASSTHROUGH PLAIN_URL PWD COLOUR; do
	ok "env attr keeps $name" grep -q "^$name:" "$env_attr"
done
ok "the op attr's cmd-env keeps COLOUR" grep -q 'COLOUR: red' "$runs/$id/.guild/attrs/op"
ok "the op attr's cmd-env leaves out SERVICE_API_KEY" \
    sh -c "! grep -q SERVICE_API_KEY '$runs/$id/.guild/attrs/op'"

# --- Modes: the umask, no setuid or setgid copies ----------------------

# mode FILE: its permission bits in octal.
mode()
{
	stat -c %a "$1"
}

for mask in 077 022; do
	next_id
	(umask $mask && guild run -y --run-id "$id" echo > "$TEST_TMP/out" 2>&1)
	ok "umask $mask: the run completes" test $? -eq 0
	case $mask in
	077) want_attr=600 want_script=700 want_setuid=700 want_setgid=600 ;;
	022) want_attr=644 want_script=755 want_setuid=755 want_setgid=644 ;;
	esac
	bad=
	for f in "$runs/$id/.guild/attrs/"*; do
		[ "$(mode "$f")" = $want_attr ] || bad="$bad $(basename "$f"):$(mode "$f")"
	done
	ok "umask $mask: every attr file is $want_attr" test -z "$bad"
	[ -z "$bad" ] || diag "modes:$bad"
	src=$runs/$id/.guild/sourcecode
	ok "umask $mask: a 755 script is copied $want_script" \
	    test "$(mode "$src/script.sh")" = $want_script
	ok "umask $mask: a setuid file is copied $want_setuid, without the bit" \
	    test "$(mode "$src/setuid.sh")" = $want_setuid
	ok "umask $mask: a setgid file is copied $want_setgid, without the bit" \
	    test "$(mode "$src/setgid.txt")" = $want_setgid
	next_id
	(umask $mask && guild run -y --run-id "$id" deps > "$TEST_TMP/out" 2>&1)
	ok "umask $mask: a setuid dependency is copied $want_setuid, without the bit" \
	    test "$(mode "$runs/$id/setuid.sh")" = $want_setuid
done

# --- Steps: a value is one argument ----------------------------------

# no_pwned: nothing named PWNED or INJECTED anywhere.
no_pwned()
{
	[ -z "$(find "$GUILD_HOME" "$proj" -name PWNED -o -name INJECTED)" ]
}

expect_output "steps: a value with spaces and assignments is one value" - -- \
    guild run -y pipe 'v=1 v=INJECTED -f' <<'EOF'
INFO: [guild] running echo: echo v=1 v=INJECTED -f
<1 v=INJECTED -f>
EOF
expect_output "steps: a value with '@' is a value, not a batch file" - -- \
    guild run -y pipe v=@/etc/passwd <<'EOF'
INFO: [guild] running echo: echo v='@/etc/passwd'
<@/etc/passwd>
EOF
expect_output "steps: a value that would be an option is refused" - 1 -- \
    guild run -y bare v=--help <<'EOF'
guild: step 1: ${v} gives '--help': a flag value cannot make an option
EOF
expect_output "steps: a value alone is no batch file either" - 1 -- \
    guild run -y bare v=@/etc/passwd <<'EOF'
INFO: [guild] running echo: echo '@/etc/passwd'
guild: invalid argument ''@/etc/passwd'': expected NAME=VAL
Try 'guild run echo --help-op' for a list of flags or use --force-flags to skip this check.
EOF
expect_output "steps: a negative number may start a word" - -- \
    guild run -y label v=-1.5 <<'EOF'
INFO: [guild] running echo: echo -l -1.5 v=1
<1>
EOF
expect_output "steps: a value that looks like an option is refused, even after one" - 1 -- \
    guild run -y label v=--background <<'EOF'
guild: step 1: ${v} gives '--background': a flag value cannot make an option
EOF
ok "steps: nothing was injected" no_pwned

# --- exec shells: a value is data, never code --------------------------

for v in '$(touch PWNED)' '`touch PWNED`' '; touch PWNED' '&& touch PWNED' \
    '| touch PWNED' "it's \"q\" \\ \$HOME"; do
	guild run -y shell v="$v" > "$TEST_TMP/out" 2>&1
	ok "exec shell: $v runs" test $? -eq 0
	cat > "$TEST_TMP/expected" <<EOF
plain= $v
dq=$v
sq=$v
sub= $v
n=0
EOF
	expect_output "exec shell: $v arrives as it is, in every quoting" \
	    "$TEST_TMP/expected" -- cat "$TEST_TMP/out"
	guild run -y bash v="$v" > "$TEST_TMP/out" 2>&1
	ok "exec bash \$'...': $v arrives as it is" \
	    test "$(cat "$TEST_TMP/out")" = "ansi=$v"
	guild run -y bashopts v="$v" > "$TEST_TMP/out" 2>&1
	ok "exec bash with options: $v arrives as it is" \
	    test "$(cat "$TEST_TMP/out")" = "opts= $v"
	guild run -y comment v="$v" > "$TEST_TMP/out" 2>&1
	ok "exec shell after a comment with a quote: $v arrives as it is" \
	    test "$(cat "$TEST_TMP/out")" = "c= $v"
	guild run -y dashansi v="$v" > "$TEST_TMP/out" 2>&1
	ok "exec sh with \$'...': $v runs nothing" test $? -eq 0
done
ok "exec shells: nothing was run" no_pwned
expect_output "exec shell: --print-cmd shows the quoted value" - -- \
    guild run --print-cmd shell "v=a'b" <<'EOF'
sh -c 'echo "plain=" '"'"'a'"'"'\'"'"''"'"'b'"'"'; echo "dq=a'"'"'b"; echo '"'"'sq=a'"'"'\'"'"''"'"'b'"'"'; echo "$(echo sub= '"'"'a'"'"'\'"'"''"'"'b'"'"')"; echo "n=$#"' sh
EOF
before=$(ls "$runs" | wc -l)
for case in "backquotes:inside backquotes" "heredoc:inside a here-document" \
    "incomment:inside a comment" "backslash:after a backslash" \
    "afterdollar:after a \$" "incase:after a case statement" \
    "inarith:after a [[ ]] test" "indollarparen:after arithmetic (( ))" \
    "afterlet:after let"; do
	op=${case%%:*}
	where=${case#*:}
	expect_output "exec shell: a value $where is refused" - 1 -- \
	    guild run -y "$op" 'v=$(touch PWNED)' <<EOF
guild: operation $op: exec: \${v} stands $where in a shell command, where its value cannot be quoted
EOF
done
ok "exec shell: the refused runs were not created" test "$(ls "$runs" | wc -l)" -eq "$before"
expect_output "exec shell: a ) inside \${...} does not end \$(...)" - -- \
    guild run -y inbrace 'v=$(touch PWNED)' <<'EOF'
a $(touch PWNED)
EOF
expect_output "exec without a shell: values are not quoted" - -- \
    guild run -y notshell "v=it's" <<'EOF'
<echo it's>
EOF
ok "exec: nothing was run" no_pwned

# --- params -----------------------------------------------------------

self=$(make_project self <<'EOF'
- model: m
  params:
    a: "{{b}}x"
    b: "{{a}}{{a}}"
  operations:
    t: "{{a}}"
EOF
)
expect_output "a param that refers to itself is an error" - 1 -- \
    guild -C "$self" ops <<'EOF'
guild: guild.yml:3:5: param 'a' refers to itself
EOF

done_testing
