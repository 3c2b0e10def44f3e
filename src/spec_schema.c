/* spec_schema.c: config.json field tables, in the order of spec.h.
 *
 * One row per JSON member.  The row macros check at compile time that the
 * C member has the type the row's kind writes, so a table cannot drift from
 * spec.h unnoticed.  Requirements come from the JSON schema plus the ones
 * only the prose of config.md / config-linux.md states (user uid/gid,
 * ioPriority priority, blkio throttle rate, memoryPolicy mode, personality
 * domain, device major/minor unless type is "p").
 */
#include <string.h>

#include "spec.h"
#include "spec_schema.h"

/* Each table defines T as the struct it describes. */
#define TYPE_IS(m, type) \
	(0 * sizeof(char[__builtin_types_compatible_p(__typeof__(((T *)0)->m), type) ? 1 : -1]))
#define AT(m, type) (offsetof(T, m) + TYPE_IS(m, type))
/* The object-map walker stores the JSON key through the element's first member. */
#define KEY_FIRST(s) (0 * sizeof(char[offsetof(struct spec_##s, key) == 0 ? 1 : -1]))

#define STRING(json, m, ...)    { json, FK_STRING, AT(m, char *), __VA_ARGS__ }
#define BOOL(json, m, ...)      { json, FK_BOOL, AT(m, bool), __VA_ARGS__ }
#define INT32(json, m, ...)     { json, FK_INT32, AT(m, int32_t), __VA_ARGS__ }
#define INT64(json, m, ...)     { json, FK_INT64, AT(m, int64_t), __VA_ARGS__ }
#define UINT16(json, m, ...)    { json, FK_UINT16, AT(m, uint16_t), __VA_ARGS__ }
#define UINT32(json, m, ...)    { json, FK_UINT32, AT(m, uint32_t), __VA_ARGS__ }
#define UINT64(json, m, ...)    { json, FK_UINT64, AT(m, uint64_t), __VA_ARGS__ }
#define FILEMODE(json, m, ...)  { json, FK_FILEMODE, AT(m, uint32_t), __VA_ARGS__ }
#define ENUM(json, m, names, ...) \
	{ json, FK_ENUM, AT(m, int), .enum_names = names, __VA_ARGS__ }
#define OBJECT(json, m, s, ...) \
	{ json, FK_OBJECT, AT(m, struct spec_##s *), .sub = &spec_schema_##s, __VA_ARGS__ }
#define ARRAY(json, m, s, ...) \
	{ json, FK_ARRAY, AT(m, struct spec_##s##_array), .sub = &spec_schema_##s, __VA_ARGS__ }
#define STRV(json, m, ...)      { json, FK_STRV, AT(m, struct strv), __VA_ARGS__ }
#define U32V(json, m, ...)      { json, FK_U32V, AT(m, struct u32v), __VA_ARGS__ }
#define ENUMV(json, m, names, ...) \
	{ json, FK_ENUMV, AT(m, struct enumv), .enum_names = names, __VA_ARGS__ }
#define STRING_MAP(json, m, ...) \
	{ json, FK_STRING_MAP, AT(m, struct spec_kv_array), __VA_ARGS__ }
#define OBJECT_MAP(json, m, s, ...)                                                 \
	{ json, FK_OBJECT_MAP, AT(m, struct spec_##s##_array) + KEY_FIRST(s),       \
	  .sub = &spec_schema_##s, __VA_ARGS__ }

#define REQUIRED .required = true
#define HAS(m) .has = true, .has_offset = AT(m, bool)
#define PATTERN(fn, re) .check = fn, .pattern = re
#define NONEMPTY .nonempty = true
#define MINIMUM(v) .has_min = true, .min = (v)

#define SCHEMA(s, ...)                                                              \
	const struct schema spec_schema_##s = { sizeof(struct spec_##s), s##_fields, \
						ARRAY_SIZE(s##_fields), __VA_ARGS__ }

/* The spec's enum strings, indexed by the C enums; the assertions pin each
 * list's length to its enum. */
#define NAMES_MATCH(names, last) \
	_Static_assert(ARRAY_SIZE(names) == (last) + 2, #names " out of step with spec.h")

static const char *const ioprio_class_names[] = {
	"IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE", NULL,
};
NAMES_MATCH(ioprio_class_names, SPEC_IOPRIO_CLASS_IDLE);

static const char *const sched_policy_names[] = {
	"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH",
	"SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE", NULL,
};
NAMES_MATCH(sched_policy_names, SPEC_SCHED_DEADLINE);

static const char *const sched_flag_names[] = {
	"SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN",
	"SCHED_FLAG_KEEP_POLICY", "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
	"SCHED_FLAG_UTIL_CLAMP_MAX", NULL,
};
NAMES_MATCH(sched_flag_names, SPEC_SCHED_FLAG_UTIL_CLAMP_MAX);

static const char *const ns_type_names[] = {
	"mount", "pid", "network", "uts", "ipc", "user", "cgroup", "time", NULL,
};
NAMES_MATCH(ns_type_names, SPEC_NS_COUNT - 1);

static const char *const propagation_names[] = {
	"private", "shared", "slave", "unbindable", "rprivate", "rshared", "rslave", "runbindable", NULL,
};
NAMES_MATCH(propagation_names, SPEC_PROPAGATION_RUNBINDABLE);

static const char *const seccomp_action_names[] = {
	"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
	"SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE",
	"SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", NULL,
};
NAMES_MATCH(seccomp_action_names, SPEC_SCMP_ACT_NOTIFY);

static const char *const seccomp_flag_names[] = {
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL,
};
NAMES_MATCH(seccomp_flag_names, SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV);

static const char *const seccomp_arch_names[] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_MIPS",
	"SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
	"SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
	"SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
	"SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", NULL,
};
NAMES_MATCH(seccomp_arch_names, SPEC_SCMP_ARCH_RISCV64);

static const char *const seccomp_op_names[] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
	"SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};
NAMES_MATCH(seccomp_op_names, SPEC_SCMP_CMP_MASKED_EQ);

static const char *const mempolicy_mode_names[] = {
	"MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
	"MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL", NULL,
};
NAMES_MATCH(mempolicy_mode_names, SPEC_MPOL_LOCAL);

static const char *const mempolicy_flag_names[] = {
	"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES", NULL,
};
NAMES_MATCH(mempolicy_flag_names, SPEC_MPOL_F_STATIC_NODES);

static const char *const personality_domain_names[] = { "LINUX", "LINUX32", NULL };
NAMES_MATCH(personality_domain_names, SPEC_PER_LINUX32);

/* ---- the schema's patterns, by hand -------------------------------- */

/* ^RLIMIT_[A-Z]+$ */
static bool rlimit_type_ok(const char *s)
{
	if (strncmp(s, "RLIMIT_", 7) != 0 || !s[7])
		return false;
	for (s += 7; *s; s++)
		if (*s < 'A' || *s > 'Z')
			return false;
	return true;
}

/* ^[0-9, -]*$ */
static bool cpu_list_ok(const char *s)
{
	return s[strspn(s, "0123456789, -")] == '\0';
}

/* ^[cbup]$ */
static bool device_type_ok(const char *s)
{
	return s[0] && strchr("cbup", s[0]) && !s[1];
}

/* ^[1-9][0-9]*[KMG]B$ */
static bool page_size_ok(const char *s)
{
	if (*s < '1' || *s > '9')
		return false;
	s += 1 + strspn(s + 1, "0123456789");
	return s[0] && strchr("KMG", s[0]) && s[1] == 'B' && !s[2];
}

/* ^MB:[^\n]*$ (the schema's regexes are Go's: `$` is the end of the text) */
static bool mem_bw_schema_ok(const char *s)
{
	return strncmp(s, "MB:", 3) == 0 && !strchr(s, '\n');
}

/* ---- hooks ---------------------------------------------------------- */

#define T struct spec_id_mapping
static const struct field id_mapping_fields[] = {
	UINT32("containerID", container_id, REQUIRED),
	UINT32("hostID", host_id, REQUIRED),
	UINT32("size", size, REQUIRED),
};
#undef T
static SCHEMA(id_mapping);

#define T struct spec_hook
static const struct field hook_fields[] = {
	STRING("path", path, REQUIRED),
	STRV("args", args),
	STRV("env", env),
	INT64("timeout", timeout, HAS(has_timeout), MINIMUM(1)),
};
#undef T
static SCHEMA(hook);

#define T struct spec_hooks
static const struct field hooks_fields[] = {
	ARRAY("prestart", prestart, hook),
	ARRAY("createRuntime", create_runtime, hook),
	ARRAY("createContainer", create_container, hook),
	ARRAY("startContainer", start_container, hook),
	ARRAY("poststart", poststart, hook),
	ARRAY("poststop", poststop, hook),
};
#undef T
static SCHEMA(hooks);

/* ---- root and mounts ------------------------------------------------ */

#define T struct spec_root
static const struct field root_fields[] = {
	STRING("path", path, REQUIRED),
	BOOL("readonly", readonly),
};
#undef T
static SCHEMA(root);

#define T struct spec_mount
static const struct field mount_fields[] = {
	STRING("destination", destination, REQUIRED),
	STRING("source", source),
	STRING("type", type),
	STRV("options", options),
	ARRAY("uidMappings", uid_mappings, id_mapping),
	ARRAY("gidMappings", gid_mappings, id_mapping),
};
#undef T
static SCHEMA(mount);

/* ---- process -------------------------------------------------------- */

#define T struct spec_console_size
static const struct field console_size_fields[] = {
	UINT64("height", height, REQUIRED),
	UINT64("width", width, REQUIRED),
};
#undef T
static SCHEMA(console_size);

#define T struct spec_user
static const struct field user_fields[] = {
	UINT32("uid", uid, REQUIRED),
	UINT32("gid", gid, REQUIRED),
	UINT32("umask", umask, HAS(has_umask)),
	U32V("additionalGids", additional_gids),
	STRING("username", username),
};
#undef T
static SCHEMA(user);

#define T struct spec_capabilities
static const struct field capabilities_fields[] = {
	STRV("bounding", bounding),
	STRV("permitted", permitted),
	STRV("effective", effective),
	STRV("inheritable", inheritable),
	STRV("ambient", ambient),
};
#undef T
static SCHEMA(capabilities);

#define T struct spec_io_priority
static const struct field io_priority_fields[] = {
	ENUM("class", class, ioprio_class_names, REQUIRED),
	INT32("priority", priority, REQUIRED),
};
#undef T
static SCHEMA(io_priority);

#define T struct spec_scheduler
static const struct field scheduler_fields[] = {
	ENUM("policy", policy, sched_policy_names, REQUIRED),
	INT32("nice", nice, HAS(has_nice)),
	INT32("priority", priority, HAS(has_priority)),
	ENUMV("flags", flags, sched_flag_names),
	UINT64("runtime", runtime, HAS(has_runtime)),
	UINT64("deadline", deadline, HAS(has_deadline)),
	UINT64("period", period, HAS(has_period)),
};
#undef T
static SCHEMA(scheduler);

#define T struct spec_rlimit
static const struct field rlimit_fields[] = {
	STRING("type", type, REQUIRED, PATTERN(rlimit_type_ok, "^RLIMIT_[A-Z]+$")),
	UINT64("soft", soft, REQUIRED),
	UINT64("hard", hard, REQUIRED),
};
#undef T
static SCHEMA(rlimit);

#define T struct spec_exec_cpu_affinity
static const struct field exec_cpu_affinity_fields[] = {
	STRING("initial", initial, PATTERN(cpu_list_ok, "^[0-9, -]*$")),
	STRING("final", final, PATTERN(cpu_list_ok, "^[0-9, -]*$")),
};
#undef T
static SCHEMA(exec_cpu_affinity);

#define T struct spec_process
static const struct field process_fields[] = {
	BOOL("terminal", terminal),
	OBJECT("consoleSize", console_size, console_size),
	STRING("cwd", cwd, REQUIRED),
	STRV("env", env),
	STRV("args", args),
	STRING("commandLine", command_line),
	OBJECT("user", user, user),
	OBJECT("capabilities", capabilities, capabilities),
	STRING("apparmorProfile", apparmor_profile),
	INT64("oomScoreAdj", oom_score_adj, HAS(has_oom_score_adj)),
	STRING("selinuxLabel", selinux_label),
	OBJECT("ioPriority", io_priority, io_priority),
	BOOL("noNewPrivileges", no_new_privileges),
	OBJECT("scheduler", scheduler, scheduler),
	ARRAY("rlimits", rlimits, rlimit),
	OBJECT("execCPUAffinity", exec_cpu_affinity, exec_cpu_affinity),
};
#undef T
SCHEMA(process);

/* ---- linux ---------------------------------------------------------- */

#define T struct spec_namespace
static const struct field namespace_fields[] = {
	ENUM("type", type, ns_type_names, REQUIRED),
	STRING("path", path),
};
#undef T
static SCHEMA(namespace);

/* config-linux.md: major and minor are "REQUIRED unless type is p". */
static const char *device_missing(const void *obj)
{
	const struct spec_device *dev = obj;

	if (strcmp(dev->type, "p") == 0)
		return NULL;
	if (!dev->has_major)
		return "major";
	if (!dev->has_minor)
		return "minor";
	return NULL;
}

#define T struct spec_device
static const struct field device_fields[] = {
	STRING("type", type, REQUIRED, PATTERN(device_type_ok, "^[cbup]$")),
	STRING("path", path, REQUIRED),
	FILEMODE("fileMode", file_mode, HAS(has_file_mode)),
	INT64("major", major, HAS(has_major)),
	INT64("minor", minor, HAS(has_minor)),
	UINT32("uid", uid, HAS(has_uid)),
	UINT32("gid", gid, HAS(has_gid)),
};
#undef T
static SCHEMA(device, .missing = device_missing);

#define T struct spec_net_device
static const struct field net_device_fields[] = {
	STRING("name", name),
};
#undef T
static SCHEMA(net_device);

#define T struct spec_device_cgroup
static const struct field device_cgroup_fields[] = {
	BOOL("allow", allow, REQUIRED),
	STRING("type", type),
	INT64("major", major, HAS(has_major)),
	INT64("minor", minor, HAS(has_minor)),
	STRING("access", access),
};
#undef T
static SCHEMA(device_cgroup);

#define T struct spec_memory
static const struct field memory_fields[] = {
	INT64("limit", limit, HAS(has_limit)),
	INT64("reservation", reservation, HAS(has_reservation)),
	INT64("swap", swap, HAS(has_swap)),
	INT64("kernel", kernel, HAS(has_kernel)),
	INT64("kernelTCP", kernel_tcp, HAS(has_kernel_tcp)),
	UINT64("swappiness", swappiness, HAS(has_swappiness)),
	BOOL("disableOOMKiller", disable_oom_killer, HAS(has_disable_oom_killer)),
	BOOL("useHierarchy", use_hierarchy, HAS(has_use_hierarchy)),
	BOOL("checkBeforeUpdate", check_before_update, HAS(has_check_before_update)),
};
#undef T
static SCHEMA(memory);

#define T struct spec_cpu
static const struct field cpu_fields[] = {
	UINT64("shares", shares, HAS(has_shares)),
	INT64("quota", quota, HAS(has_quota)),
	UINT64("burst", burst, HAS(has_burst)),
	UINT64("period", period, HAS(has_period)),
	INT64("realtimeRuntime", realtime_runtime, HAS(has_realtime_runtime)),
	UINT64("realtimePeriod", realtime_period, HAS(has_realtime_period)),
	STRING("cpus", cpus),
	STRING("mems", mems),
	INT64("idle", idle, HAS(has_idle)),
};
#undef T
static SCHEMA(cpu);

#define T struct spec_pids
static const struct field pids_fields[] = {
	INT64("limit", limit, REQUIRED),
};
#undef T
static SCHEMA(pids);

#define T struct spec_blkio_weight_device
static const struct field blkio_weight_device_fields[] = {
	INT64("major", major, REQUIRED),
	INT64("minor", minor, REQUIRED),
	UINT16("weight", weight, HAS(has_weight)),
	UINT16("leafWeight", leaf_weight, HAS(has_leaf_weight)),
};
#undef T
static SCHEMA(blkio_weight_device);

#define T struct spec_blkio_throttle
static const struct field blkio_throttle_fields[] = {
	INT64("major", major, REQUIRED),
	INT64("minor", minor, REQUIRED),
	UINT64("rate", rate, REQUIRED),
};
#undef T
static SCHEMA(blkio_throttle);

#define T struct spec_blkio
static const struct field blkio_fields[] = {
	UINT16("weight", weight, HAS(has_weight)),
	UINT16("leafWeight", leaf_weight, HAS(has_leaf_weight)),
	ARRAY("weightDevice", weight_device, blkio_weight_device),
	ARRAY("throttleReadBpsDevice", throttle_read_bps_device, blkio_throttle),
	ARRAY("throttleWriteBpsDevice", throttle_write_bps_device, blkio_throttle),
	ARRAY("throttleReadIOPSDevice", throttle_read_iops_device, blkio_throttle),
	ARRAY("throttleWriteIOPSDevice", throttle_write_iops_device, blkio_throttle),
};
#undef T
static SCHEMA(blkio);

#define T struct spec_hugepage_limit
static const struct field hugepage_limit_fields[] = {
	STRING("pageSize", page_size, REQUIRED, PATTERN(page_size_ok, "^[1-9][0-9]*[KMG]B$")),
	UINT64("limit", limit, REQUIRED),
};
#undef T
static SCHEMA(hugepage_limit);

#define T struct spec_net_priority
static const struct field net_priority_fields[] = {
	STRING("name", name, REQUIRED),
	UINT32("priority", priority, REQUIRED),
};
#undef T
static SCHEMA(net_priority);

#define T struct spec_network
static const struct field network_fields[] = {
	UINT32("classID", class_id, HAS(has_class_id)),
	ARRAY("priorities", priorities, net_priority),
};
#undef T
static SCHEMA(network);

#define T struct spec_rdma
static const struct field rdma_fields[] = {
	UINT32("hcaHandles", hca_handles, HAS(has_hca_handles)),
	UINT32("hcaObjects", hca_objects, HAS(has_hca_objects)),
};
#undef T
static SCHEMA(rdma);

#define T struct spec_resources
static const struct field resources_fields[] = {
	ARRAY("devices", devices, device_cgroup),
	OBJECT("memory", memory, memory),
	OBJECT("cpu", cpu, cpu),
	OBJECT("pids", pids, pids),
	OBJECT("blockIO", block_io, blkio),
	ARRAY("hugepageLimits", hugepage_limits, hugepage_limit),
	OBJECT("network", network, network),
	OBJECT_MAP("rdma", rdma, rdma),
	STRING_MAP("unified", unified),
};
#undef T
SCHEMA(resources);

#define T struct spec_syscall_arg
static const struct field syscall_arg_fields[] = {
	UINT32("index", index, REQUIRED),
	UINT64("value", value, REQUIRED),
	UINT64("valueTwo", value_two, HAS(has_value_two)),
	ENUM("op", op, seccomp_op_names, REQUIRED),
};
#undef T
static SCHEMA(syscall_arg);

#define T struct spec_syscall
static const struct field syscall_fields[] = {
	STRV("names", names, REQUIRED, NONEMPTY),
	ENUM("action", action, seccomp_action_names, REQUIRED),
	UINT32("errnoRet", errno_ret, HAS(has_errno_ret)),
	ARRAY("args", args, syscall_arg),
};
#undef T
static SCHEMA(syscall);

#define T struct spec_seccomp
static const struct field seccomp_fields[] = {
	ENUM("defaultAction", default_action, seccomp_action_names, REQUIRED),
	UINT32("defaultErrnoRet", default_errno_ret, HAS(has_default_errno_ret)),
	ENUMV("architectures", architectures, seccomp_arch_names),
	ENUMV("flags", flags, seccomp_flag_names),
	STRING("listenerPath", listener_path),
	STRING("listenerMetadata", listener_metadata),
	ARRAY("syscalls", syscalls, syscall),
};
#undef T
static SCHEMA(seccomp);

#define T struct spec_intel_rdt
static const struct field intel_rdt_fields[] = {
	STRING("closID", clos_id),
	STRV("schemata", schemata),
	STRING("l3CacheSchema", l3_cache_schema),
	STRING("memBwSchema", mem_bw_schema, PATTERN(mem_bw_schema_ok, "^MB:[^\\n]*$")),
	BOOL("enableMonitoring", enable_monitoring),
};
#undef T
static SCHEMA(intel_rdt);

#define T struct spec_memory_policy
static const struct field memory_policy_fields[] = {
	ENUM("mode", mode, mempolicy_mode_names, REQUIRED),
	STRING("nodes", nodes),
	ENUMV("flags", flags, mempolicy_flag_names),
};
#undef T
static SCHEMA(memory_policy);

#define T struct spec_personality
static const struct field personality_fields[] = {
	ENUM("domain", domain, personality_domain_names, REQUIRED),
	STRV("flags", flags),
};
#undef T
static SCHEMA(personality);

#define T struct spec_time_offset
static const struct field time_offset_fields[] = {
	INT64("secs", secs),
	UINT32("nanosecs", nanosecs),
};
#undef T
static SCHEMA(time_offset);

#define T struct spec_time_offsets
static const struct field time_offsets_fields[] = {
	OBJECT("boottime", boottime, time_offset),
	OBJECT("monotonic", monotonic, time_offset),
};
#undef T
static SCHEMA(time_offsets);

#define T struct spec_linux
static const struct field linux_fields[] = {
	ARRAY("namespaces", namespaces, namespace),
	ARRAY("uidMappings", uid_mappings, id_mapping),
	ARRAY("gidMappings", gid_mappings, id_mapping),
	ARRAY("devices", devices, device),
	OBJECT_MAP("netDevices", net_devices, net_device),
	STRING("cgroupsPath", cgroups_path),
	OBJECT("resources", resources, resources),
	ENUM("rootfsPropagation", rootfs_propagation, propagation_names,
	     HAS(has_rootfs_propagation)),
	OBJECT("seccomp", seccomp, seccomp),
	STRING_MAP("sysctl", sysctl),
	STRV("maskedPaths", masked_paths),
	STRV("readonlyPaths", readonly_paths),
	STRING("mountLabel", mount_label),
	OBJECT("intelRdt", intel_rdt, intel_rdt),
	OBJECT("memoryPolicy", memory_policy, memory_policy),
	OBJECT("personality", personality, personality),
	OBJECT("timeOffsets", time_offsets, time_offsets),
};
#undef T
static SCHEMA(linux);

/* ---- the whole document --------------------------------------------- */

/* solaris, windows, vm, zos and freebsd are left out: ignored like any
 * unknown member. */
#define T struct spec
static const struct field config_fields[] = {
	STRING("ociVersion", oci_version, REQUIRED),
	OBJECT("root", root, root),
	ARRAY("mounts", mounts, mount),
	OBJECT("process", process, process),
	STRING("hostname", hostname),
	STRING("domainname", domainname),
	OBJECT("hooks", hooks, hooks),
	STRING_MAP("annotations", annotations),
	/* `linux` is a predefined macro, but the row macros only paste it. */
	OBJECT("linux", linux_, linux),
};
#undef T
const struct schema spec_schema_config = {
	sizeof(struct spec), config_fields, ARRAY_SIZE(config_fields),
};

/* ---- enum names ------------------------------------------------------ */

/* NULL past the end, so callers (features) can iterate until NULL. */
static const char *enum_name(const char *const *names, size_t n_names, int value)
{
	if (value < 0 || (size_t)value >= n_names - 1)
		return NULL;
	return names[value];
}

const char *spec_ns_type_name(int type)
{
	return enum_name(ns_type_names, ARRAY_SIZE(ns_type_names), type);
}

const char *spec_seccomp_action_name(int action)
{
	return enum_name(seccomp_action_names, ARRAY_SIZE(seccomp_action_names), action);
}

const char *spec_seccomp_arch_name(int arch)
{
	return enum_name(seccomp_arch_names, ARRAY_SIZE(seccomp_arch_names), arch);
}

const char *spec_seccomp_op_name(int op)
{
	return enum_name(seccomp_op_names, ARRAY_SIZE(seccomp_op_names), op);
}

const char *spec_seccomp_flag_name(int flag)
{
	return enum_name(seccomp_flag_names, ARRAY_SIZE(seccomp_flag_names), flag);
}
