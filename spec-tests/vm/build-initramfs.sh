#!/bin/bash
# Build the initramfs of the cgroup v2 lane (see run.sh beside this file):
# busybox, bash, bats, jq and the few GNU tools the suites use (each with the
# shared libraries ldd lists), the oci-rt binary, the busybox bundle, the
# test suites and the two init stages.
#
#   spec-tests/vm/build-initramfs.sh OUT.cpio.gz OCI_RT_BINARY SUITE.bats...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$1 oci_rt=$2
shift 2

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Copy a host file and, for an ELF binary, every library it loads.
libs_done=" "
carry() {
	local f=$1 dest=${2:-$1} lib
	mkdir -p "$stage$(dirname "$dest")"
	cp -L "$f" "$stage$dest"
	for lib in $(ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^\t\/lib/{print $1}'); do
		case "$libs_done" in *" $lib "*) continue ;; esac
		libs_done="$libs_done$lib "
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
}

mkdir -p "$stage"/{bin,sbin,usr/bin,usr/lib,proc,sys,dev,run,tmp,etc,root,oci-rt}
chmod 1777 "$stage/tmp"
ln -s usr/lib "$stage/lib" 2>/dev/null || true
ln -s lib "$stage/lib64" 2>/dev/null || true

# busybox for everything not carried below
cp "$(command -v busybox)" "$stage/bin/busybox"
for applet in $("$stage/bin/busybox" --list); do
	[ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
done

# bash, bats and the tools whose GNU behaviour the suites rely on
for tool in bash jq stat cp timeout pgrep pkill grep sed awk mktemp sort head tail cut tr wc \
	cat ls mkdir rm rmdir mv ln sleep find xargs env date dirname basename readlink chmod \
	touch tee seq id nproc dd od mount umount unshare nsenter ps kill flock setsid losetup \
	realpath comm uniq printf true false diff; do
	p=$(command -v "$tool" || true)
	case "$p" in /*) carry "$p" "/usr/bin/$tool" ;; esac
done
cp -a /usr/lib/bats-core "$stage/usr/lib/"
mkdir -p "$stage/usr/libexec"
cp -a /usr/libexec/bats-core "$stage/usr/libexec/"
cp /usr/bin/bats "$stage/usr/bin/bats"

# the runtime, its bundle and its tests, at the same layout as the tree
carry "$oci_rt" /oci-rt/build/oci-rt
mkdir -p "$stage/oci-rt/bundles/busybox" "$stage/oci-rt/spec-tests"
cp -a "$top/bundles/busybox/rootfs" "$stage/oci-rt/bundles/busybox/"
cp "$top/bundles/busybox/config.json" "$stage/oci-rt/bundles/busybox/"
cp "$top/bundles/make-busybox.sh" "$stage/oci-rt/bundles/"
cp "$top"/spec-tests/*.bash "$stage/oci-rt/spec-tests/"
for s in "$@"; do
	cp "$s" "$stage/oci-rt/spec-tests/"
done

# kernel modules to load at boot (OCI_RT_VM_MODULES, space-separated)
mkdir -p "$stage/lib/modules"
for m in ${OCI_RT_VM_MODULES:-}; do
	cp "$m" "$stage/lib/modules/"
done

cp "$here/init" "$stage/init"
cp "$here/init2" "$stage/sbin/init2"
chmod 755 "$stage/init" "$stage/sbin/init2"
echo "root:x:0:0:root:/root:/bin/sh" > "$stage/etc/passwd"
echo "root:x:0:" > "$stage/etc/group"

(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$out"
