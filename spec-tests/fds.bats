#!/usr/bin/env bats
# runtime-linux.md "File descriptors": only stdio reach the process, plus
# --preserve-fds and $LISTEN_FDS; nothing of the runtime's own, before or
# after start (CVE-2024-21626).

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}fds
	T=$BATS_TEST_TMPDIR
	echo "first file" >"$T/a"
	echo "second file" >"$T/b"
	echo "third file" >"$T/c"
}

set_args() {
	update_config '.process.args = ["sh", "-c", $s]' --arg s "$1"
}

# in_shell SCRIPT [ARG0]: run SCRIPT with bash, with the runtime as $RT (and this
# test's --root); used to open fds 3.. around the runtime (bats owns 3).
in_shell() {
	RT="$OCI_RT --root $ROOT" T=$T ID=$ID bash -c "$1" "${@:2}"
}

@test "only stdin, stdout and stderr reach the process" {
	set_args 'ls /proc/self/fd | sort -n | tr "\n" " "'
	# the runtime itself holds more: bats' fds, and these
	run in_shell 'exec 5<"$T/a" 6</ 9>"$T/out"; $RT run "$ID"'
	echo "$output"
	[ "$status" -eq 0 ]
	# 3 is the directory ls itself opens
	[ "$output" = "0 1 2 3 " ]
	assert_no_leftovers "$ID"
}

@test "--preserve-fds N passes fds 3 to 3+N-1, and no others" {
	set_args 'cat <&3; cat <&4; ls /proc/self/fd | sort -n | tr "\n" " "'
	run in_shell 'exec 3<"$T/a" 4<"$T/b" 5<"$T/c"; $RT run --preserve-fds 2 "$ID"'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'first file\nsecond file\n0 1 2 3 4 5 ')" ]
	assert_no_leftovers "$ID"
}

@test "\$LISTEN_FDS adds its fds to the preserved ones" {
	set_args 'cat <&3; cat <&4; cat <&5; ls /proc/self/fd | sort -n | tr "\n" " "'
	run in_shell 'exec 3<"$T/a" 4<"$T/b" 5<"$T/c" 6<"$T/a"; LISTEN_FDS=2 $RT run --preserve-fds 1 "$ID"'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'first file\nsecond file\nthird file\n0 1 2 3 4 5 6 ')" ]
	assert_no_leftovers "$ID"
}

@test "after create the init holds only stdio, the exec fifo and the sync socket (CVE-2024-21626)" {
	update_config '.process.args = ["sleep", "100"]'
	# directories, a file and a log file are open in the runtime
	run in_shell 'exec 5</ 6<"$T" 7>"$T/w" 3>&- 4>&-; $RT --log "$T/log" create "$ID" </dev/null >"$T/out" 2>&1'
	cat "$T/out"
	[ "$status" -eq 0 ]
	pid=$(oci_rt state "$ID" | jq .pid)
	n_fifo=0 n_sock=0
	for fd in /proc/$pid/fd/*; do
		n=${fd##*/}
		target=$(readlink "$fd")
		echo "$n -> $target"
		[ ! -d "$fd" ]
		case $n in 0 | 1 | 2) continue ;; esac
		case $target in
		"$ROOT/$ID/exec.fifo") n_fifo=$((n_fifo + 1)) ;;
		socket:*) n_sock=$((n_sock + 1)) ;;
		*) echo "unexpected fd $n -> $target"; false ;;
		esac
	done
	[ "$n_fifo" -eq 1 ] && [ "$n_sock" -eq 1 ]
	[ "$(ls "/proc/$pid/fd" | wc -l)" -eq 5 ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "cwd /proc/self/fd/N for N in 3..20 fails or stays inside the rootfs (CVE-2024-21626)" {
	echo inside >"$BUNDLE/rootfs/marker"
	set_args 'pwd; ls -A . | head -3'
	for n in $(seq 3 20); do
		update_config '.process.cwd = $c' --arg c "/proc/self/fd/$n"
		for cmd in run create; do
			run in_shell 'exec 5</ 6<"$T" 7</sys/fs/cgroup 3>&- 4>&-; $RT $0 "$ID" </dev/null' "$cmd"
			echo "cwd=/proc/self/fd/$n $cmd: status $status: $output"
			if [ "$status" -eq 0 ]; then
				[ $cmd = run ] || { oci_rt start "$ID"; false; }
				# an accepted cwd must be a directory of the container
				[[ "$output" == /* ]]
				[[ "$output" != *unreachable* ]]
			else
				[ "$status" -eq 1 ]
				[[ "$output" == *"cwd"* ]]
			fi
			oci_rt delete -f "$ID" >/dev/null 2>&1 || true
			assert_no_leftovers "$ID"
		done
	done
	# nothing was created on the host through those paths
	[ -z "$(ls -A "$T" | grep -v -e '^[abc]$' -e bundle -e state)" ]
}
