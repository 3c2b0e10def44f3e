#!/bin/bash
# Run every test: the C unit tests and the bats suites (real containers),
# first against the normal build, then against the sanitizer build
# (AddressSanitizer + UndefinedBehaviorSanitizer).
#
#   spec-tests/run.sh                 everything
#   spec-tests/run.sh --no-sanitize   only the normal build
#   spec-tests/run.sh --sanitize-only only the sanitizer build
#   spec-tests/run.sh FILE.bats ...   only these suites (both builds)
#
# Prints TAP while running; the last line is "N passed, N failed, N skipped".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

lanes="normal sanitize"
suites=()
for a in "$@"; do
	case "$a" in
	--no-sanitize) lanes="normal" ;;
	--sanitize-only) lanes="sanitize" ;;
	*) suites+=("$a") ;;
	esac
done
[ ${#suites[@]} -eq 0 ] && suites=(spec-tests/*.bats)

passed=0 failed=0 skipped=0
failures=()

# Count one TAP stream (stdin), echoing it.
count_tap() {
	local lane=$1 line
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case "$line" in
		"ok "*"# skip"* | "ok "*"# SKIP"*) skipped=$((skipped + 1)) ;;
		"ok "*) passed=$((passed + 1)) ;;
		"not ok "*) failed=$((failed + 1)); failures+=("[$lane] $line") ;;
		esac
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
		opts=""
		[ "$lane" = sanitize ] && opts="-Dsanitize_build=address,undefined -Dbuildtype=debug"
		# shellcheck disable=SC2086
		meson setup "$dir" $opts >/dev/null || { echo "not ok - meson setup $dir"; failed=$((failed + 1)); continue; }
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
done

if [ ${#failures[@]} -gt 0 ]; then
	echo "# failures:"
	printf '#   %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
