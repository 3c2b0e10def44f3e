/* cmd_spec.c: `oci-rt spec [--bundle DIR] [--rootless]`: write a starting
 * config.json (runc's template; no inheritable capabilities, CVE-2022-29162). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "log.h"
#include "state.h"
#include "util.h"

static void caps_block(struct strbuf *sb)
{
	static const char *const sets[] = { "bounding", "effective", "permitted", "ambient" };

	strbuf_puts(sb, "\t\t\"capabilities\": {\n");
	for (size_t i = 0; i < ARRAY_SIZE(sets); i++)
		strbuf_printf(sb,
			      "\t\t\t\"%s\": [\n\t\t\t\t\"CAP_AUDIT_WRITE\",\n\t\t\t\t\"CAP_KILL\",\n"
			      "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n\t\t\t]%s\n",
			      sets[i], i + 1 < ARRAY_SIZE(sets) ? "," : "");
	strbuf_puts(sb, "\t\t},\n");
}

static void mount_entry(struct strbuf *sb, const char *dest, const char *type, const char *source,
			const char *const *opts, bool last)
{
	strbuf_printf(sb, "\t\t{\n\t\t\t\"destination\": \"%s\",\n\t\t\t\"type\": \"%s\",\n\t\t\t\"source\": \"%s\"",
		      dest, type, source);
	if (opts && opts[0]) {
		strbuf_puts(sb, ",\n\t\t\t\"options\": [\n");
		for (size_t i = 0; opts[i]; i++)
			strbuf_printf(sb, "\t\t\t\t\"%s\"%s\n", opts[i], opts[i + 1] ? "," : "");
		strbuf_puts(sb, "\t\t\t]");
	}
	strbuf_printf(sb, "\n\t\t}%s\n", last ? "" : ",");
}

static char *spec_template(bool rootless)
{
	struct strbuf sb = STRBUF_INIT;
	static const char *const dev_opts[] = { "nosuid", "strictatime", "mode=755", "size=65536k", NULL };
	static const char *const pts_opts[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL };
	static const char *const pts_opts_rootless[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", NULL };
	static const char *const shm_opts[] = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL };
	static const char *const mq_opts[] = { "nosuid", "noexec", "nodev", NULL };
	static const char *const sys_opts[] = { "nosuid", "noexec", "nodev", "ro", NULL };
	static const char *const sys_opts_rootless[] = { "rbind", "nosuid", "noexec", "nodev", "ro", NULL };
	static const char *const cg_opts[] = { "nosuid", "noexec", "nodev", "relatime", "ro", NULL };

	strbuf_puts(&sb, "{\n\t\"ociVersion\": \"" OCI_RT_SPEC_VERSION "\",\n\t\"process\": {\n\t\t\"terminal\": true,\n"
			 "\t\t\"user\": {\n\t\t\t\"uid\": 0,\n\t\t\t\"gid\": 0\n\t\t},\n"
			 "\t\t\"args\": [\n\t\t\t\"sh\"\n\t\t],\n"
			 "\t\t\"env\": [\n\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
			 "\t\t\t\"TERM=xterm\"\n\t\t],\n\t\t\"cwd\": \"/\",\n");
	caps_block(&sb);
	strbuf_puts(&sb, "\t\t\"rlimits\": [\n\t\t\t{\n\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n"
			 "\t\t\t\t\"hard\": 1024,\n\t\t\t\t\"soft\": 1024\n\t\t\t}\n\t\t],\n"
			 "\t\t\"noNewPrivileges\": true\n\t},\n"
			 "\t\"root\": {\n\t\t\"path\": \"rootfs\",\n\t\t\"readonly\": true\n\t},\n"
			 "\t\"hostname\": \"oci-rt\",\n\t\"mounts\": [\n");
	mount_entry(&sb, "/proc", "proc", "proc", NULL, false);
	mount_entry(&sb, "/dev", "tmpfs", "tmpfs", dev_opts, false);
	mount_entry(&sb, "/dev/pts", "devpts", "devpts", rootless ? pts_opts_rootless : pts_opts, false);
	mount_entry(&sb, "/dev/shm", "tmpfs", "shm", shm_opts, false);
	mount_entry(&sb, "/dev/mqueue", "mqueue", "mqueue", mq_opts, false);
	if (rootless)
		mount_entry(&sb, "/sys", "none", "/sys", sys_opts_rootless, false);
	else
		mount_entry(&sb, "/sys", "sysfs", "sysfs", sys_opts, false);
	mount_entry(&sb, "/sys/fs/cgroup", "cgroup", "cgroup", cg_opts, true);
	strbuf_puts(&sb, "\t],\n\t\"linux\": {\n");
	if (rootless)
		strbuf_printf(&sb,
			      "\t\t\"uidMappings\": [\n\t\t\t{\n\t\t\t\t\"containerID\": 0,\n\t\t\t\t\"hostID\": %u,\n"
			      "\t\t\t\t\"size\": 1\n\t\t\t}\n\t\t],\n"
			      "\t\t\"gidMappings\": [\n\t\t\t{\n\t\t\t\t\"containerID\": 0,\n\t\t\t\t\"hostID\": %u,\n"
			      "\t\t\t\t\"size\": 1\n\t\t\t}\n\t\t],\n",
			      geteuid(), getegid());
	else
		strbuf_puts(&sb, "\t\t\"resources\": {\n\t\t\t\"devices\": [\n\t\t\t\t{\n\t\t\t\t\t\"allow\": false,\n"
				 "\t\t\t\t\t\"access\": \"rwm\"\n\t\t\t\t}\n\t\t\t]\n\t\t},\n");
	strbuf_puts(&sb, "\t\t\"namespaces\": [\n\t\t\t{\n\t\t\t\t\"type\": \"pid\"\n\t\t\t},\n");
	if (!rootless)
		strbuf_puts(&sb, "\t\t\t{\n\t\t\t\t\"type\": \"network\"\n\t\t\t},\n");
	strbuf_puts(&sb, "\t\t\t{\n\t\t\t\t\"type\": \"ipc\"\n\t\t\t},\n\t\t\t{\n\t\t\t\t\"type\": \"uts\"\n\t\t\t},\n"
			 "\t\t\t{\n\t\t\t\t\"type\": \"mount\"\n\t\t\t}");
	if (rootless)
		strbuf_puts(&sb, ",\n\t\t\t{\n\t\t\t\t\"type\": \"user\"\n\t\t\t}");
	strbuf_puts(&sb, "\n\t\t],\n\t\t\"maskedPaths\": [\n\t\t\t\"/proc/acpi\",\n\t\t\t\"/proc/asound\",\n"
			 "\t\t\t\"/proc/kcore\",\n\t\t\t\"/proc/keys\",\n\t\t\t\"/proc/latency_stats\",\n"
			 "\t\t\t\"/proc/timer_list\",\n\t\t\t\"/proc/timer_stats\",\n\t\t\t\"/proc/sched_debug\",\n"
			 "\t\t\t\"/sys/firmware\",\n\t\t\t\"/proc/scsi\"\n\t\t],\n"
			 "\t\t\"readonlyPaths\": [\n\t\t\t\"/proc/bus\",\n\t\t\t\"/proc/fs\",\n\t\t\t\"/proc/irq\",\n"
			 "\t\t\t\"/proc/sys\",\n\t\t\t\"/proc/sysrq-trigger\"\n\t\t]\n\t}\n}");
	return strbuf_detach(&sb);
}

int cmd_spec(const struct globals *g, int argc, char **argv, struct error *err)
{
	const char *bundle = NULL;
	bool rootless = false;
	const struct cli_option opts[] = {
		{ "bundle", "b", CLI_STRING, &bundle, "path to the root of the bundle directory" },
		{ "rootless", NULL, CLI_BOOL, &rootless, "generate a configuration for a rootless container" },
	};
	struct cli_command cmd = { .name = "spec", .usage = "[command options]",
				   .summary = "create a new specification file", .options = opts,
				   .n_options = ARRAY_SIZE(opts) };
	cleanup_command_args struct command_args a;
	cleanup_close int dirfd = -1;
	cleanup_close int fd = -1;
	cleanup_free char *text = NULL;

	(void)g;
	int r = command_parse(&cmd, argc, argv, 0, 0, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	dirfd = openat(AT_FDCWD, bundle && *bundle ? bundle : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		/* runc chdirs to the bundle: its message, in Go's words */
		return error_sys(err, "chdir %s", bundle);
	}
	fd = openat(dirfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0) {
		if (errno == EEXIST)
			return error_set(err, EEXIST, "File config.json exists. Remove it first");
		return error_sys(err, "create config.json");
	}
	text = spec_template(rootless);
	if (write_all(fd, text, strlen(text)) < 0)
		return error_sys(err, "write config.json");
	return 0;
}
