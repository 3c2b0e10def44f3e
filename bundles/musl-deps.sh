#!/bin/sh
# musl-deps.sh DIR: build yajl, libseccomp and libcap as static archives
# for musl, from Debian 12's own sources (with Debian's patches), into
# DIR/prefix, and write DIR/musl.ini, the meson cross file that builds
# oci-rt against them (README "Building").  As root, on Debian 12; installs
# what it needs.  Does nothing when DIR/prefix is already complete.
#
# Why: glibc's start-up runs dozens of cpuid instructions (cpu features and
# cache sizes), each a trap to the hypervisor on a virtual machine; with the
# dynamic loader that is ~0.5 ms of every `oci-rt run` (measured by
# spec-tests/bench), more than any single step of creating a container.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
dir=$(cd "$1" && pwd)
prefix=$dir/prefix
stamp=$prefix/.complete-1

if [ ! -f "$stamp" ]; then
	"$top/bundles/apt-install.sh" musl-tools dpkg-dev gperf make gcc pkg-config

	# apt-get source needs a deb-src entry; add Debian's own when there is none
	if ! grep -rqs '^[[:space:]]*\(deb-src\|Types:.*deb-src\)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		cat >/etc/apt/sources.list.d/oci-rt-deb-src.sources <<-EOF
			Types: deb-src
			URIs: http://deb.debian.org/debian
			Suites: bookworm
			Components: main
			Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		EOF
		apt-get update -qq
	fi

	rm -rf "$dir/src" "$prefix"
	mkdir -p "$dir/src" "$prefix/lib/pkgconfig" "$prefix/include/yajl" "$dir/kernel-headers"
	# apt verifies the files against the signed Release; dpkg-source only
	# warns that it has no key for the .dsc's own signature
	(cd "$dir/src" && apt-get source -qq yajl libseccomp libcap2 >/dev/null 2>&1) ||
		(cd "$dir/src" && apt-get source -q yajl libseccomp libcap2)

	# musl-gcc searches only musl's headers; the kernel's come from linux-libc-dev
	ln -sfn /usr/include/linux "$dir/kernel-headers/linux"
	ln -sfn /usr/include/asm-generic "$dir/kernel-headers/asm-generic"
	ln -sfn "/usr/include/$(gcc -print-multiarch)/asm" "$dir/kernel-headers/asm"
	cc="musl-gcc -isystem $dir/kernel-headers"
	jobs=$(nproc)

	# yajl: its few sources, as its CMakeLists compiles them
	y=$(echo "$dir"/src/yajl-*/)
	cp "$y"/src/api/yajl_common.h "$y"/src/api/yajl_gen.h "$y"/src/api/yajl_parse.h \
		"$y"/src/api/yajl_tree.h "$prefix/include/yajl/"
	yv=$(sed -n 's/^set *(YAJL_\(MAJOR\|MINOR\|MICRO\) *\([0-9]*\)).*/\1=\2/ip' "$y/CMakeLists.txt")
	eval "$yv"
	sed -e "s/\${YAJL_MAJOR}/$MAJOR/; s/\${YAJL_MINOR}/$MINOR/; s/\${YAJL_MICRO}/$MICRO/" \
		"$y/src/api/yajl_version.h.cmake" >"$prefix/include/yajl/yajl_version.h"
	mkdir -p "$y/musl-obj"
	for f in "$y"/src/*.c; do
		$cc -O2 -DNDEBUG -DYAJL_BUILD -I"$prefix/include" -c "$f" -o "$y/musl-obj/$(basename "$f" .c).o"
	done
	ar rcs "$prefix/lib/libyajl.a" "$y"/musl-obj/*.o

	# libseccomp: its autotools build, static only
	s=$(echo "$dir"/src/libseccomp-*/)
	(cd "$s" && CC="$cc" AR_FLAGS=cr ./configure -q --prefix="$prefix" --disable-shared --enable-static \
		--disable-python >/dev/null &&
		make -s -j"$jobs" -C src >/dev/null && make -s -C src install-libLTLIBRARIES >/dev/null &&
		make -s -C include install >/dev/null)
	rm -f "$prefix/lib/libseccomp.la"

	# libcap: only libcap.a (the name table is made by a build-machine program)
	c=$(echo "$dir"/src/libcap2-*/)
	make -s -C "$c/libcap" CC="$cc" BUILD_CC=gcc libcap.a >/dev/null
	cp "$c/libcap/libcap.a" "$prefix/lib/"
	mkdir -p "$prefix/include/sys"
	cp "$c/libcap/include/sys/capability.h" "$prefix/include/sys/"

	pc() { # name version lib
		printf 'prefix=%s\nName: %s\nDescription: %s for musl, static (bundles/musl-deps.sh)\nVersion: %s\nCflags: -I${prefix}/include\nLibs: -L${prefix}/lib -l%s\n' \
			"$prefix" "$1" "$1" "$2" "$3" >"$prefix/lib/pkgconfig/$1.pc"
	}
	pc yajl "$MAJOR.$MINOR.$MICRO" yajl
	pc libseccomp "$(basename "$s" | sed 's/^libseccomp-//; s/\/$//')" seccomp
	pc libcap "$(basename "$c" | sed 's/^libcap2-//; s/\/$//')" cap
	touch "$stamp"
fi

# The cross file: the runtime for musl, static; build-machine tools stay
# glibc (spec-tests/tools is built `native`).
cat >"$dir/musl.ini.new" <<EOF
# made by bundles/musl-deps.sh
[binaries]
c = ['musl-gcc', '-isystem', '$dir/kernel-headers']
ar = 'ar'
strip = 'strip'
pkgconfig = 'pkg-config'

[properties]
pkg_config_libdir = ['$prefix/lib/pkgconfig']
needs_exe_wrapper = false

[built-in options]
c_link_args = ['-static']

[host_machine]
system = 'linux'
cpu_family = '$(uname -m)'
cpu = '$(uname -m)'
endian = 'little'
EOF
if cmp -s "$dir/musl.ini.new" "$dir/musl.ini" 2>/dev/null; then
	rm "$dir/musl.ini.new"
else
	mv "$dir/musl.ini.new" "$dir/musl.ini"
fi
