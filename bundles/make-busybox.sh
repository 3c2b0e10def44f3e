#!/bin/sh
# Make a busybox rootfs from Debian's busybox-static (no network download).
#   bundles/make-busybox.sh [ROOTFS_DIR]     default: bundles/busybox/rootfs
# Idempotent: an existing rootfs with the same busybox is left as is.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
rootfs=${1:-$here/busybox/rootfs}
busybox=$(command -v busybox || true)
[ -n "$busybox" ] && [ -x "$busybox" ] || { echo "busybox not found (apt-get install busybox-static)" >&2; exit 1; }
# A dynamically linked busybox would need its libraries inside the rootfs.
if ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked' && \
   ldd "$busybox" >/dev/null 2>&1; then
	echo "$busybox is not statically linked (apt-get install busybox-static)" >&2
	exit 1
fi
if [ -x "$rootfs/bin/busybox" ] && cmp -s "$busybox" "$rootfs/bin/busybox"; then
	exit 0
fi
mkdir -p "$rootfs"
cd "$rootfs"
mkdir -p bin sbin etc dev proc sys tmp root home var/tmp run
chmod 1777 tmp var/tmp
cp "$busybox" bin/busybox
for applet in $(bin/busybox --list); do
	[ "$applet" = busybox ] && continue
	[ -e "bin/$applet" ] || ln -s busybox "bin/$applet"
done
cat > etc/passwd <<'PW'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
cat > etc/group <<'GR'
root:x:0:
daemon:x:1:
tty:x:5:
nogroup:x:65534:
GR
echo "oci-rt busybox" > etc/issue
: > etc/hosts
: > etc/resolv.conf
