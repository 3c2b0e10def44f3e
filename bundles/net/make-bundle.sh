#!/bin/sh
# make-bundle.sh DIR [SUBNET [BRIDGE [DATADIR]]]: an OCI bundle in DIR whose
# container gets an address on a Linux bridge, through hooks: createRuntime
# runs the CNI bridge plugin (Debian's containernetworking-plugins) with
# host-local addresses from SUBNET (default 10.88.0.0/24, the bridge takes
# .1), and poststop gives the address back.  Containers on one network share
# DATADIR (default /run/oci-rt-cni), where host-local records who has which
# address.  The rootfs is the busybox bundle's,
# shared read-only, so any number of these bundles can run side by side:
#
#   bundles/net/make-bundle.sh /tmp/web1 && oci-rt run -d -b /tmp/web1 web1
#
# The bridge is made in the network namespace oci-rt runs in.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
dir=$1
subnet=${2:-10.88.0.0/24}
bridge=${3:-ocirt0}
data=${4:-/run/oci-rt-cni}
rootfs=$top/bundles/busybox/rootfs
[ -x "$rootfs/bin/busybox" ] || "$top/bundles/make-busybox.sh" "$rootfs"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
jq -n --arg subnet "$subnet" --arg bridge "$bridge" --arg data "$data" '{
	cniVersion: "1.0.0", name: "oci-rt-\($bridge)", type: "bridge",
	bridge: $bridge, isGateway: true, ipMasq: false,
	ipam: {type: "host-local", subnet: $subnet, dataDir: $data}
}' >"$dir/net.json"
# pings need CAP_NET_RAW (busybox ping uses a raw socket)
jq --arg rootfs "$rootfs" --arg hook "$here/cni-hook" --arg conf "$dir/net.json" \
	--arg result "$dir/cni-result.json" '
	.root = {path: $rootfs, readonly: true}
	| .process.terminal = false
	| .process.args = ["sleep", "1000000"]
	| .process.capabilities[] += ["CAP_NET_RAW"]
	| .hooks.createRuntime = [{path: $hook, args: ["cni-hook", "add", $conf],
		env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "OCI_RT_CNI_RESULT=\($result)"], timeout: 30}]
	| .hooks.poststop = [{path: $hook, args: ["cni-hook", "del", $conf],
		env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], timeout: 30}]
' "$top/bundles/busybox/config.json" >"$dir/config.json"
echo "$dir"
