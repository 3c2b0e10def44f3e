#!/bin/bash
# The cgroup v2 lane: boot Debian's own kernel under qemu (TCG, no KVM) on
# an initramfs holding oci-rt and the given bats suites, with a pure
# cgroup2 hierarchy, and print the suites' TAP on stdout.
#
#   spec-tests/vm/run.sh OCI_RT_BINARY SUITE.bats...
#
# Needs qemu-system-x86 and cpio (bundles/setup.sh installs them); the
# kernel package is fetched with `apt-get download` once and kept in
# $OCI_RT_VM_CACHE (default build/vm).  Anything that goes wrong before the
# suites report is printed as a failing TAP line, so the lane can't pass by
# saying nothing.  OCI_RT_VM_TIMEOUT (seconds, default 1800) bounds the VM.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${OCI_RT_VM_CACHE:-$top/build/vm}
limit=${OCI_RT_VM_TIMEOUT:-1800}
oci_rt=$1
shift

fail() {
	echo "not ok - v2 lane: $*"
	exit 1
}

command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
command -v cpio >/dev/null || fail "cpio missing (apt-get install cpio)"
mkdir -p "$cache" || fail "cannot create $cache"

# The kernel linux-image-amd64 points at, and the RAM disk module the
# blkio suite reads from.
kernel=$(ls "$cache"/vmlinuz-* 2>/dev/null | head -1)
if [ -z "$kernel" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')
	if [ -z "$pkg" ]; then
		apt-get update -qq >/dev/null 2>&1
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')
	fi
	[ -n "$pkg" ] || fail "cannot find the package linux-image-amd64 depends on"
	dl=$(mktemp -d)
	(cd "$dl" && apt-get download -qq "$pkg" >/dev/null 2>&1) || { rm -rf "$dl"; fail "apt-get download $pkg failed"; }
	(cd "$dl" && dpkg-deb --fsys-tarfile ./*.deb | tar -x --wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/block/brd.ko') ||
		{ rm -rf "$dl"; fail "cannot unpack $pkg"; }
	cp "$dl"/lib/modules/*/kernel/drivers/block/brd.ko "$cache/brd.ko"
	cp "$dl"/boot/vmlinuz-* "$cache/"
	rm -rf "$dl"
	kernel=$(ls "$cache"/vmlinuz-* | head -1)
fi

initrd=$cache/initrd.gz
tap=$cache/tap.out
console=$cache/console.out
OCI_RT_VM_MODULES="$cache/brd.ko" "$here/build-initramfs.sh" "$initrd" "$oci_rt" "$@" ||
	fail "building the initramfs failed"

rm -f "$tap"
start=$(date +%s)
# ttyS0: the kernel's console; ttyS1: the suites' TAP
timeout --foreground -k 10 "$limit" qemu-system-x86_64 -accel tcg -m 1024 -smp 2 -nographic -no-reboot \
	-kernel "$kernel" -initrd "$initrd" -append 'console=ttyS0 quiet panic=-1' \
	-serial "file:$console" -serial "file:$tap" -monitor none </dev/null >/dev/null 2>&1
rc=$?
echo "# v2 lane: VM ran $(($(date +%s) - start))s (qemu exit $rc)"
[ -s "$tap" ] || fail "the VM reported nothing (qemu exit $rc; console: $(tail -c 300 "$console" 2>/dev/null | tr '\n' ' '))"
tr -d '\r' <"$tap" | grep -v '^# vm-done$'
grep -q '^# vm-done' "$tap" || fail "the VM stopped before the suites finished (qemu exit $rc)"
