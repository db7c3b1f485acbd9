// SPDX-License-Identifier: GPL-2.0
/*
 * The real kernel's minor-fault rate on this host, as a yardstick for the
 * simulator's: map 1 GiB of private anonymous memory, write one byte to
 * each 4 KiB page, and time it.  Transparent huge pages are turned off for
 * this mapping alone with madvise(MADV_NOHUGEPAGE), so that every page
 * takes its own fault; getrusage() confirms how many the kernel counted.
 * Changes no system setting.  Standalone: no libmm.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MAP_BYTES (1UL << 30)
#define PAGE 4096UL

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return -1;
	return ru.ru_minflt;
}

int main(void)
{
	volatile char *p;
	unsigned long i, pages = MAP_BYTES / PAGE;
	long f0, f1;
	double t0, dt;
	void *map;

	if (sysconf(_SC_PAGESIZE) != (long)PAGE) {
		fprintf(stderr, "real_faults: page size is %ld, not 4096\n",
			sysconf(_SC_PAGESIZE));
		return 1;
	}
	map = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "real_faults: mmap 1 GiB: %s\n",
			strerror(errno));
		return 1;
	}
#ifdef MADV_NOHUGEPAGE
	/* this mapping only; a kernel without THP says EINVAL: no matter */
	if (madvise(map, MAP_BYTES, MADV_NOHUGEPAGE) && errno != EINVAL)
		fprintf(stderr, "real_faults: madvise(MADV_NOHUGEPAGE): %s\n",
			strerror(errno));
#endif
	p = map;
	f0 = minflt();
	t0 = now();
	for (i = 0; i < pages; i++)
		p[i * PAGE] = 1;
	dt = now() - t0;
	f1 = minflt();
	printf("real kernel page faults per second (1 GiB, write): %.0f "
	       "(%ld minor faults for %lu pages, in %.1f ms)\n",
	       (double)(f1 - f0) / dt, f1 - f0, pages, dt * 1e3);
	if (f1 - f0 < (long)pages)
		fprintf(stderr,
			"real_faults: fewer faults than pages: huge pages or "
			"fault-around may have served some\n");
	munmap(map, MAP_BYTES);
	return 0;
}
