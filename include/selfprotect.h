/* selfprotect.h: the container can never write the runtime's binary
 * (CVE-2019-5736).
 *
 * A process of the container that can open /proc/<pid>/exe of a process
 * running oci-rt gets a handle on the host's binary and, once no process
 * executes it any more (ETXTBSY), can reopen it for writing.  The init is
 * non-dumpable, which keeps processes without CAP_SYS_PTRACE in the host's
 * user namespace away from its /proc/<pid>/exe, but not the container's own
 * process: an image whose entrypoint is "#!/proc/self/exe" makes the init's
 * execve run the runtime binary itself, as an ordinary dumpable process.
 *
 * So the init moves its own image off the host file before anything of the
 * container runs, without a re-exec: a read-only bind mount of its binary
 * (open_tree + mount_setattr), the binary's mappings replaced by mappings of
 * that bind (code, read-only data) or anonymous copies (written data), then
 * /proc/self/exe pointed at it (prctl PR_SET_MM_MAP).  Every later
 * /proc/<pid>/exe of the init, and of anything it executes through
 * /proc/self/exe, is that read-only file: reopening it for writing fails
 * with EROFS.  Where the kernel cannot repoint /proc/self/exe (no
 * CONFIG_CHECKPOINT_RESTORE), the runtime instead re-executes itself from a
 * sealed memfd copy before the clone, as runc and crun do.
 *
 * Every oci-rt process is also non-dumpable (main.c): a container sharing
 * the host's pid namespace cannot open /proc/<pid>/exe of `oci-rt state`.
 */
#ifndef OCI_RT_SELFPROTECT_H
#define OCI_RT_SELFPROTECT_H

#include "error.h"

/* In the runtime, before the clone: nothing when the kernel lets the init
 * repoint its exe (the usual case, one prctl probe); otherwise re-execute
 * from a sealed memfd copy (does not return on success; the re-executed
 * runtime passes here without doing anything). */
int selfprotect_prepare(struct error *err);

/* In the init, before anything of the container runs: make /proc/self/exe
 * a read-only file (nothing to do if it already is one or a sealed memfd).
 * With `rootfs`, the caller's mount namespace is its own and no container
 * sees its mounts outside rootfs (after rootfs_prepare): the bind goes over
 * the binary's own path there and leaves with the old root.  NULL: the bind
 * stays detached. */
int selfprotect_exe(const char *rootfs, struct error *err);

#endif
