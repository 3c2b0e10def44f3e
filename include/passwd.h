/* passwd.h: reading a passwd(5) file ourselves.  The runtime is linked
 * statically, where glibc's getpwuid would need NSS modules at run time,
 * and a container's /etc/passwd must be read from the container's root
 * anyway, never through the host's NSS. */
#ifndef OCI_RT_PASSWD_H
#define OCI_RT_PASSWD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum passwd_field {
	PASSWD_NAME = 0,
	PASSWD_HOME = 5,
};

/* Copy `field` of uid's entry in the open passwd file fd into out (len
 * bytes).  False when there is no entry for uid (out is left alone); an
 * entry whose field is empty counts as found and leaves out alone too.
 * Lines longer than 4 KiB are skipped. */
bool passwd_find(int fd, uid_t uid, enum passwd_field field, char *out, size_t len);

#endif
