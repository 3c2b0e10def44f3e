/* swap_race: exchange two paths (a directory and a symlink, say) as fast as
 * possible, for the symlink-exchange attacks on mount destinations
 * (CVE-2021-30465, CVE-2024-45310).
 *
 *   swap_race A B SECONDS
 *
 * Prints the number of exchanges made.  An even number of them leaves the
 * paths as they were; it stops on an even count. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec now, end;
	unsigned long n = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: swap_race A B SECONDS\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += atoi(argv[3]);
	do {
		if (renameat2(AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) < 0) {
			perror("renameat2");
			return 1;
		}
		n++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (n % 2 || now.tv_sec < end.tv_sec || (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
	printf("%lu\n", n);
	return 0;
}
