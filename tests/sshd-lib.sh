# tests/sshd-lib.sh: a real sshd for the remote tests, on 127.0.0.1 with
# its own host key, authorized key and a free port, all under $TEST_TMP,
# stopped by pid when the test ends. Source it after tests/lib.sh:
#
#	. "$top_srcdir/tests/sshd-lib.sh"
#	sshd_start		# or the whole script is skipped
#	sshd_remote box >> "$GUILD_HOME/config.yml"
#
# sshd_start sets SSHD_PORT, SSHD_KEY (the client's private key) and
# GUILD_SSH_CONFIG, an ssh_config of the test's own (its known_hosts,
# BatchMode), so that nothing of the user's ~/.ssh is read or written.
# The remote's Guild home is $TEST_TMP/remote/.guild and its guild-bin is
# the guild under test. Needs openssh-server and rsync (quickstart.sh
# installs them); sshd runs as the user running the tests.

SSHD=/usr/sbin/sshd

_sshd_stop()
{
	if [ -n "${SSHD_PID:-}" ]; then
		kill "$SSHD_PID" 2>/dev/null
		wait "$SSHD_PID" 2>/dev/null
	fi
	SSHD_PID=
}

# A port nobody listens on now (the kernel's choice); sshd_start tries
# again when it is taken meanwhile.
_sshd_free_port()
{
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

sshd_start()
{
	[ -x "$SSHD" ] || skip_all "no $SSHD (openssh-server)"
	command -v ssh > /dev/null 2>&1 || skip_all "no ssh client"
	command -v rsync > /dev/null 2>&1 || skip_all "no rsync"
	command -v python3 > /dev/null 2>&1 || skip_all "no python3"
	SSHD_DIR=$TEST_TMP/sshd
	mkdir -p "$SSHD_DIR" "$TEST_TMP/remote" || exit 1
	# sshd's privilege separation directory (Debian's package makes it
	# at boot only).
	[ -d /run/sshd ] || mkdir -p /run/sshd 2>/dev/null
	ssh-keygen -q -t ed25519 -N '' -f "$SSHD_DIR/host_key" || exit 1
	ssh-keygen -q -t ed25519 -N '' -f "$SSHD_DIR/id" || exit 1
	cp "$SSHD_DIR/id.pub" "$SSHD_DIR/authorized_keys"
	SSHD_KEY=$SSHD_DIR/id
	trap '_sshd_stop; rm -rf "$TEST_TMP"' EXIT
	for _sshd_try in 1 2 3 4 5; do
		SSHD_PORT=$(_sshd_free_port) || exit 1
		cat > "$SSHD_DIR/sshd_config" <<EOF
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $SSHD_DIR/host_key
AuthorizedKeysFile $SSHD_DIR/authorized_keys
PidFile none
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
MaxSessions 50
MaxStartups 50
EOF
		: > "$SSHD_DIR/sshd.log"
		"$SSHD" -D -e -f "$SSHD_DIR/sshd_config" \
		    2> "$SSHD_DIR/sshd.log" &
		SSHD_PID=$!
		if wait_for 60 grep -q 'Server listening\|Bind to port' \
		    "$SSHD_DIR/sshd.log" &&
		    grep -q 'Server listening' "$SSHD_DIR/sshd.log"; then
			break
		fi
		_sshd_stop
	done
	if [ -z "${SSHD_PID:-}" ]; then
		sed 's/^/# /' "$SSHD_DIR/sshd.log"
		echo "Bail out! sshd did not start"
		exit 1
	fi
	printf '[127.0.0.1]:%s %s\n' "$SSHD_PORT" \
	    "$(cut -d' ' -f1,2 "$SSHD_DIR/host_key.pub")" \
	    > "$SSHD_DIR/known_hosts"
	cat > "$SSHD_DIR/ssh_config" <<EOF
Host *
	UserKnownHostsFile $SSHD_DIR/known_hosts
	StrictHostKeyChecking yes
	IdentitiesOnly yes
	BatchMode yes
EOF
	GUILD_SSH_CONFIG=$SSHD_DIR/ssh_config
	export GUILD_SSH_CONFIG
}

# sshd_remote NAME [SETTING...]: a remotes: entry for the test's sshd
# (print it into a config file), with extra "key: value" lines.
sshd_remote()
{
	_sr_name=$1
	shift
	printf '  %s:\n' "$_sr_name"
	printf '    type: ssh\n    host: 127.0.0.1\n    port: %s\n' "$SSHD_PORT"
	printf '    private-key: %s\n' "$SSHD_KEY"
	printf '    guild-home: %s\n' "$TEST_TMP/remote/.guild"
	printf '    guild-bin: %s\n' "$GUILD"
	for _sr_line in "$@"; do
		printf '    %s\n' "$_sr_line"
	done
}

# sshd_log_calls: from now on every ssh started (rsync's too) is noted in
# $TEST_TMP/ssh.log as "master", "exit" (the ControlMaster's start and
# end) or "call" (a round trip); sshd_round_trips counts the calls.
sshd_log_calls()
{
	mkdir -p "$TEST_TMP/bin" || exit 1
	cat > "$TEST_TMP/bin/ssh" <<EOF
#!/bin/sh
case " \$* " in
*" -fN "*)	echo master ;;
*" -O exit "*)	echo exit ;;
*)		echo call ;;
esac >> "$TEST_TMP/ssh.log"
exec $(command -v ssh) "\$@"
EOF
	chmod +x "$TEST_TMP/bin/ssh"
	PATH=$TEST_TMP/bin:$PATH
	export PATH
	: > "$TEST_TMP/ssh.log"
}

sshd_round_trips()
{
	grep -c '^call$' "$TEST_TMP/ssh.log"
}
