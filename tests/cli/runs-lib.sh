# tests/cli/runs-lib.sh: helpers for the run command tests, sourced after
# tests/lib.sh.
#
#	RUNS_PROJECT=$proj
#	mkrun 19c67a72d18611e88f52d017c2ab916f train 1539705452 0
#	expect_exact "guild runs" - -- guild runs <<'EOF'
#	[0:19c67a72]  ./fashion:train  2018-10-16 15:57:32  completed
#	EOF

# sh -c scripts in the tests run "$GUILD".
export GUILD

# The walkthrough's two runs.
WT_OK=19c67a72d18611e88f52d017c2ab916f
WT_ERR=1451e20cd18611e88f52d017c2ab916f

# mkrun ID OP STARTED EXIT [LABEL]: a run directory written as Guild AI 0.9
# writes one, for the model "fashion" of the project $RUNS_PROJECT. STARTED
# is in seconds since the epoch (the tests run in UTC); the run stopped half
# a second later. EXIT "-" leaves the run without an exit status (with no
# live process, that is an error; see 3.7 in the reference).
mkrun()
{
	_mr_dir=$GUILD_HOME/runs/$1
	mkdir -p "$_mr_dir/.guild/attrs" || return 1
	printf 'guildfile:%s/guild.yml 2673b06329378ca2fc355cb5c0f38cef fashion %s' \
	    "$RUNS_PROJECT" "$2" > "$_mr_dir/.guild/opref"
	printf '%s\n' "$1" > "$_mr_dir/.guild/attrs/id"
	printf '%s000000\n' "$3" > "$_mr_dir/.guild/attrs/initialized"
	printf '%s000000\n' "$3" > "$_mr_dir/.guild/attrs/started"
	printf '%s500000\n' "$3" > "$_mr_dir/.guild/attrs/stopped"
	printf -- '- /usr/bin/python\n- -um\n- guild.op_main\n- %s\n' "$2" \
	    > "$_mr_dir/.guild/attrs/cmd"
	if [ "$4" != - ]; then
		printf '%s\n' "$4" > "$_mr_dir/.guild/attrs/exit_status"
	fi
	if [ $# -ge 5 ]; then
		printf '%s\n' "$5" > "$_mr_dir/.guild/attrs/label"
	fi
}

# setattr ID NAME YAML: write an attr of the run ID as Guild does.
setattr()
{
	printf '%s\n' "$3" > "$GUILD_HOME/runs/$1/.guild/attrs/$2"
}

# setoutput ID TEXT: the run's output (printf format), as Guild writes it.
setoutput()
{
	printf "$2" > "$GUILD_HOME/runs/$1/.guild/output"
}

# The walkthrough's runs: the failed one and the completed one.
mkwalkthrough()
{
	mkrun $WT_ERR train 1539705443 1 &&
	setoutput $WT_ERR 'guild: No module named train\n' &&
	mkrun $WT_OK train 1539705452 0
}

# expect_exact NAME EXPECTED [STATUS] -- COMMAND...: as expect_output
# (tests/lib.sh), but only $HOME (as ~) and $TEST_TMP are replaced in the
# output: ids and times of hand-written runs are compared as they are.
expect_exact()
{
	_ee_name=$1
	_ee_expected=$2
	shift 2
	_ee_status=0
	if [ "$1" != "--" ]; then
		_ee_status=$1
		shift
	fi
	shift
	if [ "$_ee_expected" = "-" ]; then
		cat > "$TEST_TMP/expected"
		_ee_expected=$TEST_TMP/expected
	fi
	"$@" < "${EXPECT_STDIN:-/dev/null}" > "$TEST_TMP/raw" 2>&1
	_ee_got=$?
	sed -e "s|$HOME|~|g" -e "s|$TEST_TMP|\$TEST_TMP|g" "$TEST_TMP/raw" \
	    > "$TEST_TMP/actual"
	if [ "$_ee_got" -ne "$_ee_status" ]; then
		fail "$_ee_name" "exit status $_ee_got, expected $_ee_status: $*" \
		    "output:"
		sed 's/^/#   /' "$TEST_TMP/actual"
		return 1
	fi
	if ! diff -u "$_ee_expected" "$TEST_TMP/actual" > "$TEST_TMP/diff"; then
		fail "$_ee_name" "output differs (- expected, + actual): $*"
		sed 's/^/# /' "$TEST_TMP/diff"
		return 1
	fi
	pass "$_ee_name"
}

# stdout_of COMMAND...: the standard output only (standard error dropped).
stdout_of()
{
	"$@" 2>/dev/null < /dev/null
}

# normed COMMAND...: run COMMAND (standard error with standard output) and
# also replace short ids in previews ("[19c67a72]") and pids in "(pid N)"
# and "expected: N", which tests/lib.sh's normalize leaves; keeps the
# exit status. For expect_output.
normed()
{
	"$@" > "$TEST_TMP/normed" 2>&1
	_nd_rc=$?
	sed -e 's/\[[0-9a-f]\{8\}\]/[<id>]/g' \
	    -e 's/(pid [0-9][0-9]*)/(pid <pid>)/g' \
	    -e 's/expected: [0-9][0-9]*$/expected: <pid>/' "$TEST_TMP/normed"
	return $_nd_rc
}

# quiet COMMAND...: run COMMAND without its output (for ok).
quiet()
{
	"$@" > /dev/null 2>&1
}
