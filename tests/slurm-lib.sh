# tests/slurm-lib.sh: a one-node Slurm cluster of the test's own, sourced
# after tests/lib.sh by tests/cli/slurm*.sh.
#
#	. "$top_srcdir/tests/slurm-lib.sh"
#	slurm_start || skip_all "$SLURM_SKIP"
#	sbatch --wrap 'echo hi'		# SLURM_CONF points at the cluster
#
# Everything lives under $TEST_TMP/slurm: a munge key and socket (munged
# runs as the user munge, as it insists), slurm.conf with free ports of its
# own, the controller's state, slurmd's spool, the logs and the pid files.
# The node is this machine as "localhost" on 127.0.0.1 with its real CPU
# count and memory, in one partition "debug". slurm_start waits for the
# node to be idle; the daemons are stopped by pid when the test exits,
# with whatever jobs they still run.
#
# It needs root (slurmd starts jobs as their user) and the Debian packages
# slurm-wlm and munge; without them slurm_start returns 1 with the reason
# in $SLURM_SKIP.

SLURM_DIR=$TEST_TMP/slurm
SLURM_CONF=$SLURM_DIR/slurm.conf
SLURM_SKIP=
# Where daemons may take their time on a loaded machine.
SLURM_DEADLINE=${SLURM_DEADLINE:-120}
export SLURM_CONF

trap 'slurm_stop; rm -rf "$TEST_TMP"' EXIT

# _slurm_port: a TCP port free on 127.0.0.1 now (the kernel's choice).
_slurm_port()
{
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# _slurm_pid FILE: the pid written in FILE, if it names a live process.
_slurm_pid()
{
	[ -s "$1" ] || return 1
	_sp=$(tr -dc 0-9 < "$1")
	[ -n "$_sp" ] && kill -0 "$_sp" 2>/dev/null && printf '%s\n' "$_sp"
}

# _slurm_logs: the end of every daemon's log, as diagnostics.
_slurm_logs()
{
	for _sl in munged.log slurmctld.log slurmd.log; do
		[ -f "$SLURM_DIR/$_sl" ] || continue
		diag "--- $_sl" "$(tail -n 15 "$SLURM_DIR/$_sl")"
	done
}

_slurm_node_idle()
{
	sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle
}

_slurm_munge_up()
{
	[ -S "$SLURM_DIR/munge/munge.socket" ] &&
	    _slurm_pid "$SLURM_DIR/munge/munged.pid" > /dev/null
}

_slurm_write_conf()
{
	# CPUs and RealMemory as slurmd finds them, so the node is never
	# drained for having less than the configuration says.
	_sc_hw=$(slurmd -C 2>/dev/null | sed -n 's/^NodeName=[^ ]* //p')
	_sc_cpus=$(printf '%s\n' "$_sc_hw" | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p')
	_sc_mem=$(printf '%s\n' "$_sc_hw" | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
	: "${_sc_cpus:=$(nproc)}"
	: "${_sc_mem:=1000}"
	_sc_ctld=$(_slurm_port) && _sc_slurmd=$(_slurm_port) || return 1
	cat > "$SLURM_CONF" <<EOF
ClusterName=guildtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$_sc_ctld
SlurmdPort=$_sc_slurmd
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SLURM_DIR/munge/munge.socket
StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool
SlurmctldPidFile=$SLURM_DIR/slurmctld.pid
SlurmdPidFile=$SLURM_DIR/slurmd.pid
SlurmctldLogFile=$SLURM_DIR/slurmctld.log
SlurmdLogFile=$SLURM_DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$SLURM_DIR/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MinJobAge=300
KillWait=10
MessageTimeout=60
SlurmctldTimeout=300
SlurmdTimeout=300
InactiveLimit=0
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$_sc_cpus RealMemory=$_sc_mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
}

# slurm_start: start munged, slurmctld and slurmd, and wait until the node
# is idle. Returns 1 with $SLURM_SKIP set when the cluster cannot exist
# here; bails out (with the daemons' logs) when it should but does not
# come up.
slurm_start()
{
	if [ "$(id -u)" -ne 0 ]; then
		SLURM_SKIP="slurmd needs root"
		return 1
	fi
	for _ss in munged slurmctld slurmd sbatch squeue scancel sinfo python3; do
		if ! command -v "$_ss" > /dev/null 2>&1 &&
		    [ ! -x "/usr/sbin/$_ss" ]; then
			SLURM_SKIP="no $_ss (packages slurm-wlm and munge)"
			return 1
		fi
	done
	if ! id munge > /dev/null 2>&1; then
		SLURM_SKIP="no user munge"
		return 1
	fi
	PATH=$PATH:/usr/sbin:/sbin
	# munged checks that no one else can write where its socket and key
	# are, and runs as munge: it must reach the test directory.
	chmod 0755 "$TEST_TMP" &&
	mkdir -p "$SLURM_DIR/munge" "$SLURM_DIR/state" "$SLURM_DIR/spool" &&
	chmod 0755 "$SLURM_DIR" "$SLURM_DIR/munge" &&
	dd if=/dev/urandom of="$SLURM_DIR/munge/munge.key" bs=1024 count=1 \
	    2>/dev/null &&
	chown -R munge:munge "$SLURM_DIR/munge" &&
	chmod 0400 "$SLURM_DIR/munge/munge.key" &&
	_slurm_write_conf || {
		echo "Bail out! cannot set the Slurm cluster up in $SLURM_DIR"
		exit 1
	}

	_m=$SLURM_DIR/munge
	runuser -u munge -- munged --socket="$_m/munge.socket" \
	    --key-file="$_m/munge.key" --pid-file="$_m/munged.pid" \
	    --log-file="$_m/munged.log" --seed-file="$_m/munged.seed" \
	    > "$SLURM_DIR/munged.out" 2>&1 &&
	wait_for "$SLURM_DEADLINE" _slurm_munge_up || {
		cat "$SLURM_DIR/munged.out" "$_m/munged.log" 2>/dev/null |
		    sed 's/^/# /'
		echo "Bail out! munged did not start"
		exit 1
	}
	# -c: a clean start, nothing from a previous state directory.
	slurmctld -c -f "$SLURM_CONF" > "$SLURM_DIR/slurmctld.out" 2>&1 &&
	slurmd -f "$SLURM_CONF" -N localhost \
	    > "$SLURM_DIR/slurmd.out" 2>&1 &&
	wait_for "$SLURM_DEADLINE" _slurm_node_idle || {
		_slurm_logs
		sinfo -N 2>&1 | sed 's/^/# /'
		echo "Bail out! the Slurm node did not become idle"
		exit 1
	}
}

# _slurm_kill FILE: stop the daemon whose pid FILE holds: SIGTERM, then
# SIGKILL if it has not gone within the deadline.
_slurm_kill()
{
	_sk=$(_slurm_pid "$1") || return 0
	kill "$_sk" 2>/dev/null
	wait_for 30 _slurm_gone "$_sk" || kill -9 "$_sk" 2>/dev/null
}

_slurm_gone()
{
	! kill -0 "$1" 2>/dev/null
}

# slurm_stop: the jobs still running are killed (their slurmstepd and
# everything under it), then slurmd, slurmctld and munged, each by its pid.
slurm_stop()
{
	[ -f "$SLURM_CONF" ] || return 0
	if _slurm_pid "$SLURM_DIR/slurmctld.pid" > /dev/null; then
		# Ids of jobs not yet ended, cancelled with KILL at once.
		_sj=$(squeue -h -t pending,running,suspended,completing \
		    -o '%A' 2>/dev/null)
		if [ -n "$_sj" ]; then
			scancel -s KILL $_sj 2>/dev/null
			scancel $_sj 2>/dev/null
			wait_for 30 _slurm_no_jobs
		fi
	fi
	_slurm_kill "$SLURM_DIR/slurmd.pid"
	_slurm_kill "$SLURM_DIR/slurmctld.pid"
	_slurm_kill "$SLURM_DIR/munge/munged.pid"
}

_slurm_no_jobs()
{
	[ -z "$(squeue -h -t running,completing -o '%A')" ]
}
