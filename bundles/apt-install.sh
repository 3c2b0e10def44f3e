#!/bin/sh
# apt-install.sh PKG...: install the Debian packages that are missing
# (as root).  Package scripts may not start services: docker.io's would
# start a host dockerd that makes docker0 and iptables rules, and the test
# suites run their own private daemons instead.
set -eu
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
echo "installing:$missing"
made_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\n# made by oci-rt bundles/apt-install.sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	made_policy=1
fi
rc=0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || rc=$?
# shellcheck disable=SC2086
[ "$rc" -ne 0 ] || apt-get install -y -qq --no-install-recommends $missing >/dev/null || rc=$?
[ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
exit "$rc"
