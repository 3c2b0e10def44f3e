#!/usr/bin/env bats
# `spec [--bundle DIR] [--rootless]`: runc's starter config.json.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}sp
	SPECDIR=$BATS_TEST_TMPDIR/spec
	mkdir -p "$SPECDIR"
}

# make_bundle_from_spec DIR: DIR's config.json with the busybox rootfs and a
# process that reports what it sees into /shared.
make_bundle_from_spec() {
	local dir=$1
	copy_rootfs "$BUSYBOX_ROOTFS" "$dir/rootfs"
	mkdir -p "$dir/shared"
	jq --arg src "$dir/shared" '.process.terminal = false
		| .process.args = ["sh", "-c", "grep -E \"^Cap(Inh|Amb):\" /proc/self/status > /shared/caps; hostname > /shared/hostname; cat /proc/self/uid_map > /shared/uid_map; ls /sys/class/net > /shared/net"]
		| .mounts += [{"destination": "/shared", "type": "bind", "source": $src, "options": ["rbind", "rw"]}]' \
		"$dir/config.json" >"$dir/config.json.new"
	mv "$dir/config.json.new" "$dir/config.json"
}

@test "spec writes a config.json that parses and, with terminal off, runs" {
	cd "$SPECDIR"
	run --separate-stderr "$OCI_RT" spec
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	jq -e . config.json >/dev/null
	[ "$(jq -r .ociVersion config.json)" = 1.3.0 ]
	[ "$(jq -r .root.path config.json)" = rootfs ]
	[ "$(jq -c .process.args config.json)" = '["sh"]' ]
	[ "$(jq -r .process.terminal config.json)" = true ]
	[ "$(jq -r '[.linux.namespaces[].type] | sort | join(",")' config.json)" = "ipc,mount,network,pid,uts" ]
	[ "$(stat -c %a config.json)" = "$(printf '%o' $((0666 & ~$(umask))))" ]

	make_bundle_from_spec "$SPECDIR"
	run oci_rt run --bundle "$SPECDIR" "$ID"
	[ "$status" -eq 0 ]
	# inside: the spec's hostname, its own network namespace (only lo)
	[ "$(cat "$SPECDIR/shared/hostname")" = oci-rt ]
	[ "$(cat "$SPECDIR/shared/net")" = lo ]
	assert_no_leftovers "$ID"
}

@test "spec gives no inheritable or ambient capabilities to the process (CVE-2022-29162)" {
	cd "$SPECDIR"
	"$OCI_RT" spec
	[ "$(jq -r '.process.capabilities | has("inheritable")' config.json)" = false ]
	[ "$(jq -c '.process.capabilities.bounding' config.json)" = '["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]' ]
	make_bundle_from_spec "$SPECDIR"
	run oci_rt run -b "$SPECDIR" "$ID"
	[ "$status" -eq 0 ]
	grep -qx $'CapInh:\t0000000000000000' "$SPECDIR/shared/caps"
	grep -qx $'CapAmb:\t0000000000000000' "$SPECDIR/shared/caps"
}

@test "spec refuses to overwrite an existing config.json" {
	cd "$SPECDIR"
	echo '{"mine": true}' >config.json
	rt_json spec
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "File config.json exists. Remove it first" ]
	[ "$(cat config.json)" = '{"mine": true}' ]
	rt_json spec --bundle "$SPECDIR"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "File config.json exists. Remove it first" ]
}

@test "spec --rootless: a user namespace mapped to the caller, no network namespace, no inheritable caps" {
	cd "$SPECDIR"
	run "$OCI_RT" spec --rootless
	[ "$status" -eq 0 ]
	[ "$(jq -r '[.linux.namespaces[].type] | sort | join(",")' config.json)" = "ipc,mount,pid,user,uts" ]
	[ "$(jq -c '.linux.uidMappings' config.json)" = "[{\"containerID\":0,\"hostID\":$(id -u),\"size\":1}]" ]
	[ "$(jq -c '.linux.gidMappings' config.json)" = "[{\"containerID\":0,\"hostID\":$(id -g),\"size\":1}]" ]
	[ "$(jq -r '.process.capabilities | has("inheritable")' config.json)" = false ]
	# no cgroup device rules, /sys bound from the host, no gid= for devpts
	[ "$(jq -r '.linux | has("resources")' config.json)" = false ]
	[ "$(jq -r '.mounts[] | select(.destination == "/sys") | .options | index("rbind") != null' config.json)" = true ]
	[ "$(jq -r '.mounts[] | select(.destination == "/dev/pts") | .options | map(select(startswith("gid="))) | length' config.json)" = 0 ]

	make_bundle_from_spec "$SPECDIR"
	run oci_rt run -b "$SPECDIR" "$ID"
	[ "$status" -eq 0 ]
	# inside: the one-id map, and no inheritable caps
	[ "$(tr -s ' ' <"$SPECDIR/shared/uid_map" | sed 's/^ //')" = "0 $(id -u) 1" ]
	grep -qx $'CapInh:\t0000000000000000' "$SPECDIR/shared/caps"
	assert_no_leftovers "$ID"
}

@test "spec --bundle DIR, -b DIR and --bundle=DIR write into DIR, not the cwd" {
	cd "$BATS_TEST_TMPDIR"
	for form in "--bundle $SPECDIR/a" "-b $SPECDIR/b" "--bundle=$SPECDIR/c"; do
		d=${form##* }
		d=${d#--bundle=}
		mkdir -p "$d"
		# shellcheck disable=SC2086
		run --separate-stderr "$OCI_RT" spec $form
		[ "$status" -eq 0 ]
		[ -z "$output$stderr" ]
		jq -e .process "$d/config.json" >/dev/null
	done
	[ ! -e "$BATS_TEST_TMPDIR/config.json" ]
	make_bundle_from_spec "$SPECDIR/a"
	run oci_rt run -b "$SPECDIR/a" "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$SPECDIR/a/shared/hostname")" = oci-rt ]
}

@test "spec into a missing directory, or with arguments, fails" {
	rt_json spec --bundle "$SPECDIR/nonexistent"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "chdir $SPECDIR/nonexistent: no such file or directory" ]
	cd "$SPECDIR"
	rt_json spec extra
	[ "$RT_RC" -eq 1 ]
	[[ "$RT_MSG" == *'"spec" requires exactly 0 argument(s)' ]]
	[ ! -e "$SPECDIR/config.json" ]
}
