#!/bin/sh
# Install what is missing (Debian 12, as root), build oci-rt, make the
# busybox bundle.  Safe to run again: installed packages and an up-to-date
# build are left alone.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

packages="meson ninja-build pkg-config gcc libc6-dev libyajl-dev libseccomp-dev libcap-dev libsystemd-dev bats busybox-static jq file procps util-linux iproute2 containernetworking-plugins tmux podman containerd docker.io python3-jsonschema dbus-daemon"
# the cgroup v2 lane of spec-tests/run.sh boots a kernel under qemu (spec-tests/vm)
packages="$packages qemu-system-x86 cpio"
# shellcheck disable=SC2086
"$top/bundles/apt-install.sh" $packages

# oci-rt itself is built static against musl (README "Building"): its
# three libraries first, from Debian's sources, then meson with their
# cross file
"$top/bundles/musl-deps.sh" "$top/build-deps"
[ -f build/build.ninja ] || meson setup build --cross-file build-deps/musl.ini >/dev/null
ninja -C build >/dev/null
"$top/bundles/make-busybox.sh" "$top/bundles/busybox/rootfs"
echo "oci-rt built: $top/build/oci-rt"
