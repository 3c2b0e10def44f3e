/* spec.h: the runtime-spec v1.3.0 config.json (Linux) as typed C structs.
 *
 * spec_parse() turns the JSON into these structs once; nothing after it looks
 * at JSON again.  Conventions:
 *  - an optional object is a pointer, NULL when absent;
 *  - an optional scalar has a `has_<name>` flag beside it;
 *  - an array is a `{ v, n }` pair (strv's v is also NULL-terminated, so it
 *    can go straight to execve);
 *  - a JSON map of strings is an array of key/value pairs in document order;
 *  - enum-valued strings are C enums, in the order of the spec's lists.
 * Unknown fields are ignored, as the spec requires.
 */
#ifndef OCI_RT_SPEC_H
#define OCI_RT_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define SPEC_ARRAY(name, type) \
	struct name {          \
		type *v;       \
		size_t n;      \
	}

/* NULL-terminated string vector; n does not count the terminator. */
SPEC_ARRAY(strv, char *);
SPEC_ARRAY(u32v, uint32_t);
SPEC_ARRAY(enumv, int);

struct spec_kv {
	char *key;
	char *value;
};
SPEC_ARRAY(spec_kv_array, struct spec_kv);

struct spec_id_mapping {
	uint32_t container_id;
	uint32_t host_id;
	uint32_t size;
};
SPEC_ARRAY(spec_id_mapping_array, struct spec_id_mapping);

/* ---- hooks ---------------------------------------------------------- */

struct spec_hook {
	char *path;
	struct strv args;
	struct strv env;
	int64_t timeout; /* seconds, >= 1 */
	bool has_timeout;
};
SPEC_ARRAY(spec_hook_array, struct spec_hook);

struct spec_hooks {
	struct spec_hook_array prestart;
	struct spec_hook_array create_runtime;
	struct spec_hook_array create_container;
	struct spec_hook_array start_container;
	struct spec_hook_array poststart;
	struct spec_hook_array poststop;
};

/* ---- root and mounts ------------------------------------------------ */

struct spec_root {
	char *path;
	bool readonly;
};

struct spec_mount {
	char *destination;
	char *source;
	char *type;
	struct strv options;
	struct spec_id_mapping_array uid_mappings;
	struct spec_id_mapping_array gid_mappings;
};
SPEC_ARRAY(spec_mount_array, struct spec_mount);

/* ---- process -------------------------------------------------------- */

struct spec_console_size {
	uint64_t height;
	uint64_t width;
};

struct spec_user {
	uint32_t uid;
	uint32_t gid;
	uint32_t umask;
	bool has_umask;
	struct u32v additional_gids;
	char *username;
};

struct spec_capabilities {
	struct strv bounding;
	struct strv permitted;
	struct strv effective;
	struct strv inheritable;
	struct strv ambient;
};

enum spec_ioprio_class {
	SPEC_IOPRIO_CLASS_RT,
	SPEC_IOPRIO_CLASS_BE,
	SPEC_IOPRIO_CLASS_IDLE,
};

struct spec_io_priority {
	int class; /* enum spec_ioprio_class */
	int32_t priority;
};

enum spec_sched_policy {
	SPEC_SCHED_OTHER,
	SPEC_SCHED_FIFO,
	SPEC_SCHED_RR,
	SPEC_SCHED_BATCH,
	SPEC_SCHED_ISO,
	SPEC_SCHED_IDLE,
	SPEC_SCHED_DEADLINE,
};

enum spec_sched_flag {
	SPEC_SCHED_FLAG_RESET_ON_FORK,
	SPEC_SCHED_FLAG_RECLAIM,
	SPEC_SCHED_FLAG_DL_OVERRUN,
	SPEC_SCHED_FLAG_KEEP_POLICY,
	SPEC_SCHED_FLAG_KEEP_PARAMS,
	SPEC_SCHED_FLAG_UTIL_CLAMP_MIN,
	SPEC_SCHED_FLAG_UTIL_CLAMP_MAX,
};

struct spec_scheduler {
	int policy; /* enum spec_sched_policy */
	int32_t nice;
	bool has_nice;
	int32_t priority;
	bool has_priority;
	struct enumv flags; /* enum spec_sched_flag */
	uint64_t runtime;
	bool has_runtime;
	uint64_t deadline;
	bool has_deadline;
	uint64_t period;
	bool has_period;
};

struct spec_rlimit {
	char *type; /* "RLIMIT_*" */
	uint64_t soft;
	uint64_t hard;
};
SPEC_ARRAY(spec_rlimit_array, struct spec_rlimit);

struct spec_exec_cpu_affinity {
	char *initial;
	char *final;
};

struct spec_process {
	bool terminal;
	struct spec_console_size *console_size;
	char *cwd;
	struct strv env;
	struct strv args;
	char *command_line;
	struct spec_user *user;
	struct spec_capabilities *capabilities;
	char *apparmor_profile;
	int64_t oom_score_adj;
	bool has_oom_score_adj;
	char *selinux_label;
	struct spec_io_priority *io_priority;
	bool no_new_privileges;
	struct spec_scheduler *scheduler;
	struct spec_rlimit_array rlimits;
	struct spec_exec_cpu_affinity *exec_cpu_affinity;
};

/* ---- linux ---------------------------------------------------------- */

enum spec_ns_type {
	SPEC_NS_MOUNT,
	SPEC_NS_PID,
	SPEC_NS_NETWORK,
	SPEC_NS_UTS,
	SPEC_NS_IPC,
	SPEC_NS_USER,
	SPEC_NS_CGROUP,
	SPEC_NS_TIME,
	SPEC_NS_COUNT
};

struct spec_namespace {
	int type; /* enum spec_ns_type */
	char *path;
};
SPEC_ARRAY(spec_namespace_array, struct spec_namespace);

struct spec_device {
	char *type; /* "c", "b", "u" or "p" */
	char *path;
	uint32_t file_mode; /* 0..0777 */
	bool has_file_mode;
	int64_t major;
	bool has_major;
	int64_t minor;
	bool has_minor;
	uint32_t uid;
	bool has_uid;
	uint32_t gid;
	bool has_gid;
};
SPEC_ARRAY(spec_device_array, struct spec_device);

struct spec_net_device {
	char *key; /* interface name in the runtime namespace */
	char *name;
};
SPEC_ARRAY(spec_net_device_array, struct spec_net_device);

/* linux.resources.devices[] */
struct spec_device_cgroup {
	bool allow;
	char *type;
	int64_t major;
	bool has_major;
	int64_t minor;
	bool has_minor;
	char *access;
};
SPEC_ARRAY(spec_device_cgroup_array, struct spec_device_cgroup);

struct spec_memory {
	int64_t limit;
	bool has_limit;
	int64_t reservation;
	bool has_reservation;
	int64_t swap;
	bool has_swap;
	int64_t kernel;
	bool has_kernel;
	int64_t kernel_tcp;
	bool has_kernel_tcp;
	uint64_t swappiness;
	bool has_swappiness;
	bool disable_oom_killer;
	bool has_disable_oom_killer;
	bool use_hierarchy;
	bool has_use_hierarchy;
	bool check_before_update;
	bool has_check_before_update;
};

struct spec_cpu {
	uint64_t shares;
	bool has_shares;
	int64_t quota;
	bool has_quota;
	uint64_t burst;
	bool has_burst;
	uint64_t period;
	bool has_period;
	int64_t realtime_runtime;
	bool has_realtime_runtime;
	uint64_t realtime_period;
	bool has_realtime_period;
	char *cpus;
	char *mems;
	int64_t idle;
	bool has_idle;
};

struct spec_pids {
	int64_t limit;
};

struct spec_blkio_weight_device {
	int64_t major;
	int64_t minor;
	uint16_t weight;
	bool has_weight;
	uint16_t leaf_weight;
	bool has_leaf_weight;
};
SPEC_ARRAY(spec_blkio_weight_device_array, struct spec_blkio_weight_device);

struct spec_blkio_throttle {
	int64_t major;
	int64_t minor;
	uint64_t rate;
};
SPEC_ARRAY(spec_blkio_throttle_array, struct spec_blkio_throttle);

struct spec_blkio {
	uint16_t weight;
	bool has_weight;
	uint16_t leaf_weight;
	bool has_leaf_weight;
	struct spec_blkio_weight_device_array weight_device;
	struct spec_blkio_throttle_array throttle_read_bps_device;
	struct spec_blkio_throttle_array throttle_write_bps_device;
	struct spec_blkio_throttle_array throttle_read_iops_device;
	struct spec_blkio_throttle_array throttle_write_iops_device;
};

struct spec_hugepage_limit {
	char *page_size; /* "2MB", "1GB", ... */
	uint64_t limit;
};
SPEC_ARRAY(spec_hugepage_limit_array, struct spec_hugepage_limit);

struct spec_net_priority {
	char *name;
	uint32_t priority;
};
SPEC_ARRAY(spec_net_priority_array, struct spec_net_priority);

struct spec_network {
	uint32_t class_id;
	bool has_class_id;
	struct spec_net_priority_array priorities;
};

struct spec_rdma {
	char *key; /* device name */
	uint32_t hca_handles;
	bool has_hca_handles;
	uint32_t hca_objects;
	bool has_hca_objects;
};
SPEC_ARRAY(spec_rdma_array, struct spec_rdma);

struct spec_resources {
	struct spec_device_cgroup_array devices;
	struct spec_memory *memory;
	struct spec_cpu *cpu;
	struct spec_pids *pids;
	struct spec_blkio *block_io;
	struct spec_hugepage_limit_array hugepage_limits;
	struct spec_network *network;
	struct spec_rdma_array rdma;
	struct spec_kv_array unified;
};

enum spec_rootfs_propagation {
	SPEC_PROPAGATION_PRIVATE,
	SPEC_PROPAGATION_SHARED,
	SPEC_PROPAGATION_SLAVE,
	SPEC_PROPAGATION_UNBINDABLE,
	/* not in the schema, but runc accepts them and CRI sets them */
	SPEC_PROPAGATION_RPRIVATE,
	SPEC_PROPAGATION_RSHARED,
	SPEC_PROPAGATION_RSLAVE,
	SPEC_PROPAGATION_RUNBINDABLE,
};

enum spec_seccomp_action {
	SPEC_SCMP_ACT_KILL,
	SPEC_SCMP_ACT_KILL_PROCESS,
	SPEC_SCMP_ACT_KILL_THREAD,
	SPEC_SCMP_ACT_TRAP,
	SPEC_SCMP_ACT_ERRNO,
	SPEC_SCMP_ACT_TRACE,
	SPEC_SCMP_ACT_ALLOW,
	SPEC_SCMP_ACT_LOG,
	SPEC_SCMP_ACT_NOTIFY,
};

enum spec_seccomp_flag {
	SPEC_SECCOMP_FLAG_TSYNC,
	SPEC_SECCOMP_FLAG_LOG,
	SPEC_SECCOMP_FLAG_SPEC_ALLOW,
	SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV,
};

/* In the order of defs-linux.json's SeccompArch. */
enum spec_seccomp_arch {
	SPEC_SCMP_ARCH_X86,
	SPEC_SCMP_ARCH_X86_64,
	SPEC_SCMP_ARCH_X32,
	SPEC_SCMP_ARCH_ARM,
	SPEC_SCMP_ARCH_AARCH64,
	SPEC_SCMP_ARCH_LOONGARCH64,
	SPEC_SCMP_ARCH_M68K,
	SPEC_SCMP_ARCH_MIPS,
	SPEC_SCMP_ARCH_MIPS64,
	SPEC_SCMP_ARCH_MIPS64N32,
	SPEC_SCMP_ARCH_MIPSEL,
	SPEC_SCMP_ARCH_MIPSEL64,
	SPEC_SCMP_ARCH_MIPSEL64N32,
	SPEC_SCMP_ARCH_PPC,
	SPEC_SCMP_ARCH_PPC64,
	SPEC_SCMP_ARCH_PPC64LE,
	SPEC_SCMP_ARCH_S390,
	SPEC_SCMP_ARCH_S390X,
	SPEC_SCMP_ARCH_SH,
	SPEC_SCMP_ARCH_SHEB,
	SPEC_SCMP_ARCH_PARISC,
	SPEC_SCMP_ARCH_PARISC64,
	SPEC_SCMP_ARCH_RISCV64,
};

enum spec_seccomp_op {
	SPEC_SCMP_CMP_NE,
	SPEC_SCMP_CMP_LT,
	SPEC_SCMP_CMP_LE,
	SPEC_SCMP_CMP_EQ,
	SPEC_SCMP_CMP_GE,
	SPEC_SCMP_CMP_GT,
	SPEC_SCMP_CMP_MASKED_EQ,
};

struct spec_syscall_arg {
	uint32_t index;
	uint64_t value;
	uint64_t value_two;
	bool has_value_two;
	int op; /* enum spec_seccomp_op */
};
SPEC_ARRAY(spec_syscall_arg_array, struct spec_syscall_arg);

struct spec_syscall {
	struct strv names; /* at least one */
	int action;        /* enum spec_seccomp_action */
	uint32_t errno_ret;
	bool has_errno_ret;
	struct spec_syscall_arg_array args;
};
SPEC_ARRAY(spec_syscall_array, struct spec_syscall);

struct spec_seccomp {
	int default_action; /* enum spec_seccomp_action */
	uint32_t default_errno_ret;
	bool has_default_errno_ret;
	struct enumv architectures; /* enum spec_seccomp_arch */
	struct enumv flags;         /* enum spec_seccomp_flag */
	char *listener_path;
	char *listener_metadata;
	struct spec_syscall_array syscalls;
};

struct spec_intel_rdt {
	char *clos_id;
	struct strv schemata;
	char *l3_cache_schema;
	char *mem_bw_schema;
	bool enable_monitoring;
};

enum spec_mempolicy_mode {
	SPEC_MPOL_DEFAULT,
	SPEC_MPOL_BIND,
	SPEC_MPOL_INTERLEAVE,
	SPEC_MPOL_WEIGHTED_INTERLEAVE,
	SPEC_MPOL_PREFERRED,
	SPEC_MPOL_PREFERRED_MANY,
	SPEC_MPOL_LOCAL,
};

enum spec_mempolicy_flag {
	SPEC_MPOL_F_NUMA_BALANCING,
	SPEC_MPOL_F_RELATIVE_NODES,
	SPEC_MPOL_F_STATIC_NODES,
};

struct spec_memory_policy {
	int mode; /* enum spec_mempolicy_mode */
	char *nodes;
	struct enumv flags; /* enum spec_mempolicy_flag */
};

enum spec_personality_domain {
	SPEC_PER_LINUX,
	SPEC_PER_LINUX32,
};

struct spec_personality {
	int domain; /* enum spec_personality_domain */
	struct strv flags;
};

struct spec_time_offset {
	int64_t secs;
	uint32_t nanosecs;
};

struct spec_time_offsets {
	struct spec_time_offset *boottime;
	struct spec_time_offset *monotonic;
};

struct spec_linux {
	struct spec_namespace_array namespaces;
	struct spec_id_mapping_array uid_mappings;
	struct spec_id_mapping_array gid_mappings;
	struct spec_device_array devices;
	struct spec_net_device_array net_devices;
	char *cgroups_path;
	struct spec_resources *resources;
	int rootfs_propagation; /* enum spec_rootfs_propagation */
	bool has_rootfs_propagation;
	struct spec_seccomp *seccomp;
	struct spec_kv_array sysctl;
	struct strv masked_paths;
	struct strv readonly_paths;
	char *mount_label;
	struct spec_intel_rdt *intel_rdt;
	struct spec_memory_policy *memory_policy;
	struct spec_personality *personality;
	struct spec_time_offsets *time_offsets;
};

/* ---- the whole document --------------------------------------------- */

struct spec {
	char *oci_version;
	struct spec_root *root;
	struct spec_mount_array mounts;
	struct spec_process *process;
	char *hostname;
	char *domainname;
	struct spec_hooks *hooks;
	struct spec_kv_array annotations;
	struct spec_linux *linux_; /* "linux" is a predefined macro in GNU C */
};

/* Parse a config.json document (NUL-terminated).  `what` names the document
 * in messages ("config.json"), which then read
 *   config.json: .process.args[1]: expected a string
 * Returns NULL and fills *err on failure. */
struct spec *spec_parse(const char *json, const char *what, struct error *err);

/* Read and parse a file. */
struct spec *spec_parse_file(const char *path, struct error *err);

/* Parse a bare runtime-spec `process` object (exec --process FILE). */
struct spec_process *spec_parse_process(const char *json, const char *what,
					struct error *err);

/* Parse a bare `linux.resources` object (update --resources FILE). */
struct spec_resources *spec_parse_resources(const char *json, const char *what,
					    struct error *err);

void spec_free(struct spec *spec);
static inline void spec_freep(struct spec **spec)
{
	spec_free(*spec);
}
#define cleanup_spec __attribute__((cleanup(spec_freep)))
void spec_process_free(struct spec_process *process);
void spec_resources_free(struct spec_resources *resources);

/* Names of the enum values, for messages and for `features`. */
const char *spec_ns_type_name(int type);
const char *spec_seccomp_action_name(int action);
const char *spec_seccomp_arch_name(int arch);
const char *spec_seccomp_op_name(int op);
const char *spec_seccomp_flag_name(int flag);

#endif
