#!/bin/sh
# remote-forward.sh: what -r/--remote forwards to an ssh remote: the
# command with every form of the option taken out (-r R, -rR, --remote R,
# --remote=R, and in a cluster of short options, -yr R, -yrR), other
# options left whole (-Sr is a status filter, not -S with -r), and a
# Slurm remote with a host gets -r NAME there with its settings in
# GUILD_SLURM_LOGIN. ssh is a stand-in that prints the script it would
# run: no network here (tests/remote/ has the real sshd).

. "$top_srcdir/tests/lib.sh"

mkdir -p "$GUILD_HOME" "$TEST_TMP/bin"
cat > "$GUILD_HOME/config.yml" <<'EOF'
remotes:
  box:
    type: ssh
    host: box.example
    guild-bin: /opt/guild
    guild-home: /g
  cl:
    type: slurm
    host: login.example
    guild-bin: /opt/guild
    guild-home: /g
    sbatch-args: [--partition=gpu]
EOF
# The master (-fN) and its end succeed; a command ("sh -c SCRIPT")
# prints its guild command and whether it exports a login config.
cat > "$TEST_TMP/bin/ssh" <<'EOF'
#!/bin/sh
for last; do :; done
case " $* " in
*" -fN "*|*" -O exit "*) exit 0 ;;
esac
eval "set -- $last"
printf '%s\n' "$3" | sed -n -e 's/^exec //p' \
    -e 's/^\(GUILD_SLURM_LOGIN=\).*--partition=gpu.*/\1.../p' | tr -d "'"
EOF
chmod +x "$TEST_TMP/bin/ssh"
PATH=$TEST_TMP/bin:$PATH
export PATH

fwd()
{
	guild "$@" 2>&1
}

expect_output "-r R" - -- fwd stop -r box -y 1a2b <<'EOF'
/opt/guild -H /g stop -y 1a2b
EOF
expect_output "-rR" - -- fwd stop -rbox -y 1a2b <<'EOF'
/opt/guild -H /g stop -y 1a2b
EOF
expect_output "--remote R and --remote=R" - -- \
    fwd runs delete --remote box -y --remote=box 1a2b <<'EOF'
/opt/guild -H /g runs delete -y 1a2b
EOF
expect_output "-yr R: the r goes, the y stays" - -- fwd stop -yr box 1a2b <<'EOF'
/opt/guild -H /g stop -y 1a2b
EOF
expect_output "-yrR" - -- fwd stop -yrbox 1a2b <<'EOF'
/opt/guild -H /g stop -y 1a2b
EOF
expect_output "-Sr is a status filter, kept" - -- fwd runs -Sr -r box <<'EOF'
/opt/guild -H /g runs list -Sr
EOF
expect_output "after --, an r is an argument" - -- \
    fwd runs delete -r box -y -- -r <<'EOF'
/opt/guild -H /g runs delete -y -- -r
EOF
expect_output "a Slurm remote with a host: -r NAME there, its settings along" \
    - -- fwd stop -yr cl 1a2b <<'EOF'
GUILD_SLURM_LOGIN=...
/opt/guild -H /g stop -r cl -y 1a2b
EOF

done_testing
