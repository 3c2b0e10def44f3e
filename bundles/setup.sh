#!/bin/sh
# Install what is missing (Debian 12, as root), build oci-rt, make the
# busybox bundle.  Safe to run again: installed packages and an up-to-date
# build are left alone.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

packages="meson ninja-build pkg-config gcc libc6-dev libyajl-dev libseccomp-dev libcap-dev libsystemd-dev bats busybox-static jq file procps util-linux iproute2 containernetworking-plugins tmux podman containerd"
# the cgroup v2 lane of spec-tests/run.sh boots a kernel under qemu (spec-tests/vm)
packages="$packages qemu-system-x86 cpio"
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
"$top/bundles/make-busybox.sh" "$top/bundles/busybox/rootfs"
echo "oci-rt built: $top/build/oci-rt"
