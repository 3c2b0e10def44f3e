/* audit_log: print the kernel's seccomp audit records (type 1326) that
 * contain TEXT, as they happen, for SECONDS.  Reads the audit netlink
 * multicast group (CAP_AUDIT_READ), which, unlike the kernel log, is not
 * rate limited.  Prints "ready" once subscribed.
 *
 *   audit_log TEXT SECONDS */
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 << (AUDIT_NLGRP_READLOG - 1) };
	static char buf[1 << 16];
	time_t end;
	int s;

	if (argc != 3) {
		fprintf(stderr, "usage: audit_log TEXT SECONDS\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	end = time(NULL) + atoi(argv[2]);
	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("audit netlink");
		return 1;
	}
	printf("ready\n");
	while (time(NULL) < end) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		if (poll(&p, 1, 200) <= 0)
			continue;
		ssize_t n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			char *text = NLMSG_DATA(h);
			size_t len = h->nlmsg_len - NLMSG_HDRLEN;
			if (h->nlmsg_type != AUDIT_SECCOMP)
				continue;
			text[len < sizeof(buf) ? len : sizeof(buf) - 1] = '\0';
			if (strstr(text, argv[1]))
				printf("%s\n", text);
		}
	}
	return 0;
}
