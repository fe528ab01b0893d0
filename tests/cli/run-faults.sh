#!/bin/sh
# run-faults.sh: runs whose creator dies (kill -9 early in guild run: no
# run left pending forever), restarts of a running run (refused) and from
# another project's directory (the run's own operation).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project alpha <<'EOF'
quick:
  exec: sh -c 'echo quick'
sleepy:
  exec: sh -c 'echo started; sleep 60'
which:
  exec: sh -c 'echo alpha $1' sh ${n}
  flags:
    n: 1
EOF
)
other=$(make_project beta <<'EOF'
which:
  exec: sh -c 'echo beta $1' sh ${n}
  flags:
    n: 1
EOF
)
cd "$proj" || exit 1
runs=$GUILD_HOME/runs

newest()
{
	"$GUILD" select 2>/dev/null
}

# A dead process's pid: one that has just exited.
sh -c 'exit 0' &
dead=$!
wait $dead
boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo -)

# PENDING names the process creating the run (as LOCK.start does the
# run's process); Guild AI's PENDING is empty.
RUNS_PROJECT=$proj
mkrun aaaaaaaa000000000000000000000001 quick 1700000000 -
rm "$runs/aaaaaaaa000000000000000000000001/.guild/attrs/stopped"
: > "$runs/aaaaaaaa000000000000000000000001/.guild/PENDING"
mkrun bbbbbbbb000000000000000000000002 quick 1700000100 -
rm "$runs/bbbbbbbb000000000000000000000002/.guild/attrs/stopped"
printf '%s 12345 %s\n' "$dead" "$boot" > "$runs/bbbbbbbb000000000000000000000002/.guild/PENDING"
mkrun cccccccc000000000000000000000003 quick 1700000200 -
rm "$runs/cccccccc000000000000000000000003/.guild/attrs/stopped"
start=$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)
printf '%s %s %s\n' "$$" "$start" "$boot" > "$runs/cccccccc000000000000000000000003/.guild/PENDING"
expect_exact "pending: by its creator's life; Guild AI's empty PENDING stays pending" - -- guild runs <<'EOF'
[0:cccccccc]  ./fashion:quick  2023-11-14 22:16:40  pending
[1:bbbbbbbb]  ./fashion:quick  2023-11-14 22:15:00  error
[2:aaaaaaaa]  ./fashion:quick  2023-11-14 22:13:20  pending
EOF
expect_exact "runs info: the same status" - -- sh -c '"$GUILD" runs info 1 | grep "^status:"' <<'EOF'
status: error
EOF
# A listing made while the creator lived goes stale when it dies.
printf '%s 12345 %s\n' "$dead" "$boot" > "$runs/cccccccc000000000000000000000003/.guild/PENDING.tmp"
mv "$runs/cccccccc000000000000000000000003/.guild/PENDING.tmp" "$runs/cccccccc000000000000000000000003/.guild/PENDING"
expect_exact "pending: the creator's death is noticed" - -- guild runs -n 1 <<'EOF'
[0:cccccccc]  ./fashion:quick  2023-11-14 22:16:40  error
EOF
ok "pending: --pending selects only live ones" test "$(guild runs --pending | wc -l)" -eq 1
guild runs rm -y aaaaaaaa bbbbbbbb cccccccc > /dev/null 2>&1

# A run we create records us in PENDING.
guild run -y --stage quick > /dev/null 2>&1
staged=$(newest)
expect_output "a staged run is staged, with no live creator" - -- sh -c '"$GUILD" runs info | grep "^status:"' <<'EOF'
status: staged
EOF

# kill -9 of guild run at random early points: no run stays pending.
i=0
while [ $i -lt 30 ]; do
	"$GUILD" run -y -q quick > /dev/null 2>&1 &
	pid=$!
	# A random delay of 0 to 60 ms injects the kill (not a wait).
	sleep "0.0$(awk -v s=$i 'BEGIN { srand(s + 1); printf "%02d", int(rand() * 60) }')" # check-tests: allow
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	i=$((i + 1))
done
settled()
{
	! guild runs -a 2>/dev/null | grep -v "$(printf '%.8s' "$staged")" |
	    grep -q -e ' pending' -e ' running'
}
ok "kill -9 of guild run: no run is left pending" wait_for 120 settled ||
    diag "$(guild runs -a)"

# A restart of a running run is refused.
guild run -y -b sleepy > /dev/null 2>&1
bg=$(newest)
bgshort=$(printf '%.8s' "$bg")
is_running()
{
	guild runs info "$bg" 2>/dev/null | grep -q '^status: running'
}
ok "the background run is running" wait_for 120 is_running
expect_output "--restart of a running run is refused" - 1 -- guild run -y --restart "$bg" <<EOF
guild: run $bgshort is running: wait for it to end or stop it with 'guild stop $bgshort'
EOF
ok "no second process was started" test "$(grep -c started "$runs/$bg/.guild/output")" -eq 1
guild stop -y "$bg" > /dev/null 2>&1
expect_output "--start of a pending run is refused too" - 1 -- sh -c "
printf '%s %s %s\n' \$\$ \"\$(sed 's/.*) //' /proc/\$\$/stat | cut -d' ' -f20)\" '$boot' > '$runs/$staged/.guild/PENDING'
\"\$GUILD\" run -y --start '$staged'" <<EOF
guild: run $(printf '%.8s' "$staged") is pending: wait for it to end or stop it with 'guild stop $(printf '%.8s' "$staged")'
EOF
rm -f "$runs/$staged/.guild/PENDING"

# A restart uses the run's own operation, from wherever it is given.
guild run -y which n=1 > /dev/null 2>&1
w=$(newest)
opref=$(cat "$runs/$w/.guild/opref")
expect_output "--restart from another project runs the run's own operation" - -- sh -c "cd '$other' && \"\$GUILD\" run -y --restart '$w' n=2" <<'EOF'
alpha 2
EOF
ok "its opref is unchanged" test "$(cat "$runs/$w/.guild/opref")" = "$opref"
expect_output "--restart from a directory without guild.yml" - -- sh -c "cd '$TEST_TMP' && \"\$GUILD\" run -y --restart '$w' n=3" <<'EOF'
alpha 3
EOF
mv "$proj/guild.yml" "$proj/guild.yml.away"
expect_output "--restart when the run's project is gone" - 1 -- sh -c "cd '$other' && \"\$GUILD\" run -y --restart '$w'" <<'EOF'
guild: $TEST_TMP/alpha/guild.yml: No such file or directory
EOF
mv "$proj/guild.yml.away" "$proj/guild.yml"

done_testing
