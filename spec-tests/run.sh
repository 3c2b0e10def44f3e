#!/bin/bash
# Run every test: the C unit tests and the bats suites (real containers),
# first against the normal build, then against the sanitizer build
# (AddressSanitizer + UndefinedBehaviorSanitizer), both on this host
# (cgroup v1/hybrid), the cgroup suites also as on a v1-only host (the
# legacy lane, below); then the v2 lane: the suites that touch cgroups, with
# the normal build, in a qemu VM booted with a pure cgroup2 hierarchy
# (spec-tests/vm/run.sh).
#
#   spec-tests/run.sh                 everything
#   spec-tests/run.sh --no-sanitize   only the normal build (host, legacy, VM)
#   spec-tests/run.sh --sanitize-only only the sanitizer build (no VM)
#   spec-tests/run.sh --no-vm         no VM lane
#   spec-tests/run.sh --vm-only       only the VM lane
#   spec-tests/run.sh FILE.bats ...   only these suites (the VM lane runs
#                                     those of them it runs by default,
#                                     and so does the legacy lane)
#
# Prints TAP while running; the last line is "N passed, N failed, N skipped".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# The legacy lane (normal build, a v1/hybrid host only): the cgroup suites
# again with the runtime in spec-tests/cgroup-v1ns's mount namespace,
# which shows it the host's v1 hierarchies and no cgroup2 (as on a
# cgroup v1 only host).
legacy_default=(spec-tests/cgroups*.bats spec-tests/pause.bats spec-tests/update.bats spec-tests/events.bats)

# The v2 lane's suites: every cgroup suite and the lifecycle ones that
# touch cgroups (state, kill --all, delete).  TCG is several times slower
# than the host; exec.bats and ps.bats are not here: they need the host's
# test tools (build/spec-tests/tools) and parts of them a v1/hybrid layout.
vm_default=(spec-tests/cgroups*.bats spec-tests/pause.bats spec-tests/update.bats spec-tests/events.bats
	spec-tests/state.bats spec-tests/kill.bats spec-tests/delete.bats spec-tests/lifecycle.bats)

lanes="normal sanitize"
vm=1
suites=()
for a in "$@"; do
	case "$a" in
	--no-sanitize) lanes="normal" ;;
	--sanitize-only) lanes="sanitize"; vm=0 ;;
	--no-vm) vm=0 ;;
	--vm-only) lanes="" ;;
	*) suites+=("$a") ;;
	esac
done
[ ${#suites[@]} -eq 0 ] && suites=(spec-tests/*.bats)

passed=0 failed=0 skipped=0
failures=()

# Count one TAP stream (stdin), echoing it.  A stream without its plan
# ("1..N"), or with fewer results than planned (bats refusing a suite, a
# crash midway), counts as one more failure: a run can't pass by saying
# nothing.
count_tap() {
	local lane=$1 line plan="" seen=0
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case "$line" in
		"ok "*"# skip"* | "ok "*"# SKIP"*) skipped=$((skipped + 1)); seen=$((seen + 1)) ;;
		"ok "*) passed=$((passed + 1)); seen=$((seen + 1)) ;;
		"not ok "*) failed=$((failed + 1)); seen=$((seen + 1)); failures+=("[$lane] $line") ;;
		1..*) [ -z "$plan" ] && plan=${line#1..} ;;
		esac
	done
	if [ -z "$plan" ] || [ "$seen" -lt "$plan" ] 2>/dev/null; then
		echo "not ok - [$lane] the TAP stream planned ${plan:-nothing} and reported $seen results"
		failed=$((failed + 1))
		failures+=("[$lane] incomplete TAP stream (plan ${plan:-none}, $seen results)")
	fi
}

# pick OUT DEFAULTS: the asked suites that are in the array DEFAULTS, into
# the array OUT.
pick() {
	local -n out=$1 defaults=$2
	local s d
	for s in "${suites[@]}"; do
		for d in "${defaults[@]}"; do
			[ "$(basename "$s")" = "$(basename "$d")" ] && out+=("$s")
		done
	done
}

build_dir() {
	case "$1" in
	normal) echo build ;;
	sanitize) echo build-sanitize ;;
	esac
}

for lane in $lanes; do
	dir=$(build_dir "$lane")
	if [ ! -f "$dir/build.ninja" ]; then
		# the normal build is bundles/setup.sh's (static, musl); the
		# sanitizer's runtime needs glibc, so that one is the system's
		if [ "$lane" = sanitize ]; then
			meson setup "$dir" -Dsanitize_build=address,undefined -Dbuildtype=debug >/dev/null
		else
			bundles/setup.sh >/dev/null
		fi || { echo "not ok - meson setup $dir"; failed=$((failed + 1)); continue; }
	fi
	if ! ninja -C "$dir" >/dev/null; then
		echo "not ok - build $dir"
		failed=$((failed + 1))
		failures+=("[$lane] build failed")
		continue
	fi
	echo "# lane $lane: $dir/oci-rt"
	export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=86"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=87"
	for t in "$dir"/spec-tests/unit/test-*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		echo "# unit: $t"
		count_tap "$lane" < <("$t" 2>&1)
	done
	echo "# bats: ${suites[*]}"
	count_tap "$lane" < <(OCI_RT="$top/$dir/oci-rt" bats --tap "${suites[@]}" 2>&1)
	if [ "$lane" = normal ] && [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ]; then
		legacy=()
		pick legacy legacy_default
		if [ ${#legacy[@]} -gt 0 ]; then
			echo "# lane legacy (cgroup v1 only, spec-tests/cgroup-v1ns): bats: ${legacy[*]}"
			count_tap legacy < <(OCI_RT="$top/spec-tests/cgroup-v1ns" OCI_RT_V1NS_RUNTIME="$top/$dir/oci-rt" \
				CG_LAYOUT=legacy bats --tap "${legacy[@]}" 2>&1)
		fi
	fi
done

# The VM lane: the asked suites that it runs by default.
vm_suites=()
pick vm_suites vm_default
if [ "$vm" = 1 ] && [ ${#vm_suites[@]} -gt 0 ]; then
	if [ ! -f build/build.ninja ] && ! bundles/setup.sh >/dev/null; then
		echo "not ok - v2 lane: meson setup build"
		failed=$((failed + 1))
		failures+=("[vm] meson setup build")
	elif ! ninja -C build >/dev/null; then
		echo "not ok - v2 lane: build"
		failed=$((failed + 1))
		failures+=("[vm] build failed")
	else
		echo "# lane vm (cgroup v2 under qemu): build/oci-rt; bats: ${vm_suites[*]}"
		vm_start=$(date +%s)
		count_tap vm < <(spec-tests/vm/run.sh "$top/build/oci-rt" "${vm_suites[@]}" 2>&1)
		echo "# lane vm: $(($(date +%s) - vm_start))s"
	fi
fi

if [ ${#failures[@]} -gt 0 ]; then
	echo "# failures:"
	printf '#   %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
