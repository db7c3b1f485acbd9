// SPDX-License-Identifier: GPL-2.0
/* mmsim create IMAGE [--mem SIZE] [--nodes N] [--cpus N] [--swap SIZE] ... */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-common.h"
#include "image.h"
#include "machine.h"
#include "mmzone.h"
#include "seq_buf.h"

/* A bad option value is a usage error, but the usage would not help. */
static int parse_count(const char *opt, const char *s, int64_t min, int64_t max,
		       int64_t *out)
{
	int ret = parse_s64(s, min, max, out);

	if (ret == -ERANGE)
		mmsim_error("create: %s %s: out of range (%lld..%lld)", opt, s,
			    (long long)min, (long long)max);
	else if (ret)
		mmsim_error("create: %s %s: not a number", opt, s);
	return ret ? EXIT_USAGE : 0;
}

static int parse_bytes(const char *opt, const char *s, uint64_t *out)
{
	if (!parse_size(s, out))
		return 0;
	mmsim_error("create: %s %s: not a size (e.g. 512M, 8G)", opt, s);
	return EXIT_USAGE;
}

int cmd_create(int argc, const char **argv)
{
	char *mem = NULL, *nodes = NULL, *cpus = NULL, *swap = NULL;
	char *seed = NULL;
	int force = 0, nopcid = 0;
	struct poptOption options[] = {
		{"mem", '\0', POPT_ARG_STRING, &mem, 0,
		 "RAM installed (default 8G; 256M to 8T)", "SIZE"},
		{"nodes", '\0', POPT_ARG_STRING, &nodes, 0,
		 "NUMA nodes (default 1; at most 64)", "N"},
		{"cpus", '\0', POPT_ARG_STRING, &cpus, 0,
		 "CPUs (default 4, or one per node; at most 256)", "N"},
		{"swap", '\0', POPT_ARG_STRING, &swap, 0,
		 "a swap device of this size (default none)", "SIZE"},
		{"seed", '\0', POPT_ARG_STRING, &seed, 0,
		 "seed of the machine's random numbers (default 1)", "N"},
		{"nopcid", '\0', POPT_ARG_NONE, &nopcid, 0,
		 "boot with the kernel's nopcid option: untagged TLBs", NULL},
		{"force", '\0', POPT_ARG_NONE, &force, 0,
		 "replace IMAGE if it exists", NULL},
		POPT_TABLEEND};
	struct machine_params p = {
		.mem_bytes = MACHINE_DEFAULT_MEM,
		.nr_nodes = 1,
		.nr_cpus = MACHINE_DEFAULT_CPUS,
		.swap_bytes = 0,
		.seed = 1,
	};
	struct mmsim_args a;
	struct seq_buf err;
	int64_t v;
	int ret;

	ret = mmsim_parse("create", argc, argv, options, 0, 1, 1, &a);
	if (ret >= 0)
		goto out;
	if (mem && (ret = parse_bytes("--mem", mem, &p.mem_bytes)))
		goto out;
	if (p.mem_bytes < MACHINE_MIN_MEM || p.mem_bytes > MACHINE_MAX_MEM) {
		mmsim_error("create: --mem %s: out of range (256M..8T)", mem);
		ret = EXIT_USAGE;
		goto out;
	}
	if (nodes) {
		ret = parse_count("--nodes", nodes, 1, MAX_NUMNODES, &v);
		if (ret)
			goto out;
		p.nr_nodes = (int)v;
	}
	if (cpus) {
		ret = parse_count("--cpus", cpus, 1, NR_CPUS, &v);
		if (ret)
			goto out;
		p.nr_cpus = (int)v;
		if (p.nr_cpus < p.nr_nodes) {
			mmsim_error(
				"create: --cpus %s: fewer CPUs than nodes (%d)",
				cpus, p.nr_nodes);
			ret = EXIT_USAGE;
			goto out;
		}
	} else if (p.nr_cpus < p.nr_nodes) {
		p.nr_cpus = p.nr_nodes;
	}
	if (swap && (ret = parse_bytes("--swap", swap, &p.swap_bytes)))
		goto out;
	if (seed) {
		ret = parse_count("--seed", seed, 0, INT64_MAX, &v);
		if (ret)
			goto out;
		p.seed = (uint64_t)v;
	}

	seq_buf_init(&err);
	p.nopcid = nopcid;
	ret = image_create(a.argv[0], &p, force, &err);
	ret = ret ? mmsim_fail("create", &err, ret) : 0;
	seq_buf_free(&err);
out:
	free(mem);
	free(nodes);
	free(cpus);
	free(swap);
	free(seed);
	mmsim_args_free(&a);
	return ret;
}
