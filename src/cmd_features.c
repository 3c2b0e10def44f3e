/* cmd_features.c: `oci-rt features`: what this build can honour (features.md).
 * Only what works is listed; fields for parts not built yet say false. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <seccomp.h>

#include "caps.h"
#include "cli.h"
#include "commands.h"
#include "lsm.h"
#include "plan.h"
#include "seccomp_filter.h"
#include "state.h"
#include "systemd_bus.h"
#include "util.h"

static void string_array(struct strbuf *sb, const char *indent, const char *const *items, size_t n)
{
	strbuf_puts(sb, "[\n");
	for (size_t i = 0; i < n; i++) {
		strbuf_printf(sb, "%s    ", indent);
		strbuf_json_string(sb, items[i]);
		strbuf_puts(sb, i + 1 < n ? ",\n" : "\n");
	}
	strbuf_printf(sb, "%s]", indent);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* names of enum values, from name(0) up, sorted (runc sorts them) */
static size_t enum_names(const char *(*name)(int), const char **out, size_t max, bool sort)
{
	size_t n = 0;

	for (int i = 0; name(i) && n < max; i++)
		out[n++] = name(i);
	if (sort)
		qsort(out, n, sizeof(out[0]), cmp_str);
	return n;
}

/* ,\n "key": [names] inside the seccomp object */
static void seccomp_list(struct strbuf *sb, const char *key, const char *const *names, size_t n)
{
	strbuf_printf(sb, ",\n            \"%s\": ", key);
	string_array(sb, "            ", names, n);
}

/* features-linux.md "seccomp" */
static void seccomp_object(struct strbuf *sb)
{
	const char *names[64];
	size_t n;

	strbuf_puts(sb, "{\n            \"enabled\": true");
	n = enum_names(spec_seccomp_action_name, names, ARRAY_SIZE(names), true);
	seccomp_list(sb, "actions", names, n);
	n = enum_names(spec_seccomp_op_name, names, ARRAY_SIZE(names), true);
	seccomp_list(sb, "operators", names, n);
	n = seccomp_filter_archs(names, ARRAY_SIZE(names));
	qsort(names, n, sizeof(names[0]), cmp_str);
	seccomp_list(sb, "archs", names, n);
	n = enum_names(spec_seccomp_flag_name, names, ARRAY_SIZE(names), false);
	seccomp_list(sb, "knownFlags", names, n);
	n = seccomp_filter_supported_flags(names, ARRAY_SIZE(names));
	seccomp_list(sb, "supportedFlags", names, n);
	strbuf_puts(sb, "\n        }");
}

int cmd_features(const struct globals *g, int argc, char **argv, struct error *err)
{
	static const char *const hooks[] = { "prestart",       "createRuntime", "createContainer",
					     "startContainer", "poststart",     "poststop" };
	static const char *const namespaces[] = { "cgroup", "ipc", "mount", "network",
						  "pid",    "time", "user",  "uts" };
	struct cli_command cmd = { .name = "features", .usage = "", .summary = "show the enabled features" };
	cleanup_command_args struct command_args a;
	struct strbuf sb = STRBUF_INIT;
	const char *caps[64];
	char *cap_names[64];
	size_t n_caps = 0;

	(void)g;
	int r = command_parse(&cmd, argc, argv, 0, 0, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	for (int c = 0; c <= caps_last_cap() && c < 64; c++) {
		char *name = cap_to_name(c);
		/* libcap prints lower case; the spec's names are upper case */
		for (char *p = name; *p; p++)
			*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		cap_names[n_caps] = name;
		caps[n_caps++] = name;
	}
	const struct scmp_version *sv = seccomp_version();

	strbuf_puts(&sb, "{\n    \"ociVersionMin\": \"1.0.0\",\n    \"ociVersionMax\": \"" OCI_RT_SPEC_VERSION "\",\n    \"hooks\": ");
	string_array(&sb, "    ", hooks, ARRAY_SIZE(hooks));
	strbuf_puts(&sb, ",\n    \"mountOptions\": ");
	string_array(&sb, "    ", mount_option_names(), mount_option_count());
	strbuf_puts(&sb, ",\n    \"linux\": {\n        \"namespaces\": ");
	string_array(&sb, "        ", namespaces, ARRAY_SIZE(namespaces));
	strbuf_puts(&sb, ",\n        \"capabilities\": ");
	string_array(&sb, "        ", caps, n_caps);
	/* both cgroup versions (and rdma in each) are driven here; the
	 * systemd driver when built and systemd runs; no user manager */
	strbuf_printf(&sb, ",\n        \"cgroup\": {\n            \"v1\": true,\n            \"v2\": true,\n"
			   "            \"systemd\": %s,\n            \"systemdUser\": false,\n"
			   "            \"rdma\": true\n        },\n"
			   "        \"seccomp\": ",
		      systemd_bus_available() ? "true" : "false");
	seccomp_object(&sb);
	/* what this host can apply: a label on a host without the LSM fails */
	strbuf_printf(&sb, ",\n        \"apparmor\": {\n            \"enabled\": %s\n        },\n"
			   "        \"selinux\": {\n            \"enabled\": %s\n        },\n",
		      lsm_apparmor_enabled() ? "true" : "false", lsm_selinux_enabled() ? "true" : "false");
	strbuf_puts(&sb, "        \"intelRdt\": {\n            \"enabled\": false\n        },\n"
			 "        \"mountExtensions\": {\n            \"idmap\": {\n                \"enabled\": false\n"
			 "            }\n        },\n"
			 "        \"netDevices\": {\n            \"enabled\": false\n        }\n    },\n"
			 "    \"annotations\": {\n");
	strbuf_printf(&sb, "        \"io.github.seccomp.libseccomp.version\": \"%u.%u.%u\",\n", sv->major,
		      sv->minor, sv->micro);
	strbuf_printf(&sb, "        \"org.opencontainers.oci-rt.version\": \"%s\"\n    }\n}\n", OCI_RT_VERSION);
	fputs(sb.buf, stdout);
	strbuf_release(&sb);
	for (size_t i = 0; i < n_caps; i++)
		cap_free(cap_names[i]);
	return 0;
}
