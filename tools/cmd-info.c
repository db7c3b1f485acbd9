// SPDX-License-Identifier: GPL-2.0
/* mmsim info IMAGE: what the machine is, in a few lines. */
#include <inttypes.h>
#include <stdio.h>

#include "cmd-common.h"
#include "image.h"
#include "machine.h"
#include "seq_buf.h"

/* "8G" when the size is a whole number of a binary unit, else bytes. */
static void print_size(const char *key, uint64_t bytes)
{
	static const char units[] = "KMGT";
	uint64_t v = bytes;
	int u = -1;

	while (v && !(v & 1023) && u < 3) {
		v >>= 10;
		u++;
	}
	if (u < 0)
		printf("%-12s %" PRIu64 " bytes\n", key, bytes);
	else
		printf("%-12s %" PRIu64 "%c (%" PRIu64 " bytes)\n", key, v,
		       units[u], bytes);
}

int cmd_info(int argc, const char **argv)
{
	struct image_info info;
	struct mmsim_args a;
	struct image *img;
	struct machine *m;
	struct seq_buf err;
	int ret;

	ret = mmsim_parse("info", argc, argv, NULL, 0, 1, 1, &a);
	if (ret >= 0)
		return ret;
	seq_buf_init(&err);
	ret = image_open(a.argv[0], IMAGE_RDONLY, &img, &err);
	if (ret) {
		ret = mmsim_fail("info", &err, ret);
		goto out;
	}
	m = image_machine(img);
	image_get_info(img, &info);
	printf("%-12s %s\n", "kernel:", MMSIM_KERNEL_RELEASE);
	print_size("RAM:", info.params.mem_bytes);
	printf("%-12s %" PRIu64 " kB\n", "MemTotal:", totalram_pages(m) * 4);
	printf("%-12s %d\n", "nodes:", info.params.nr_nodes);
	printf("%-12s %d\n", "CPUs:", info.params.nr_cpus);
	if (info.params.swap_bytes)
		print_size("swap:", info.params.swap_bytes);
	else
		printf("%-12s none\n", "swap:");
	printf("%-12s %" PRIu64 "\n", "seed:", info.params.seed);
	printf("%-12s %" PRIu64 "\n", "operations:", info.nr_ops);
	printf("%-12s %" PRIu64 ".%02" PRIu64 " s\n",
	       "uptime:", (uint64_t)(m->clock_ns / NSEC_PER_SEC),
	       (uint64_t)(m->clock_ns % NSEC_PER_SEC / (NSEC_PER_SEC / 100)));
	printf("%-12s %" PRIu64 " bytes\n", "file:", info.file_bytes);
	image_close(img);
out:
	seq_buf_free(&err);
	mmsim_args_free(&a);
	return ret;
}
