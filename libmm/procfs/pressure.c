// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pressure/{cpu,io,memory} (psi_show() and psi_write() in
 * kernel/sched/psi.c).  Only memory stalls are simulated; cpu and io read
 * as a machine without such stalls would.
 *
 * The files are 0666 because a write registers a trigger, which wakes a
 * poll(POLLPRI) when the stall in a window passes a threshold.  A trigger
 * lives with the open file, not in the machine, and the simulated clock
 * does not move while a file is open, so none would ever fire: a
 * well-formed trigger is refused with EOPNOTSUPP (what a kernel booted
 * with psi=0 answers), a malformed one with the kernel's EINVAL.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

#define NSEC_PER_USEC 1000ULL

/* psi_write() reads at most this much, the last byte taken for the NUL */
#define PSI_WRITE_MAX 32
#define WINDOW_MAX_US 10000000U

int psi_show(const struct machine *m, const struct psi_group *g,
	     enum psi_res res, struct seq_buf *s)
{
	int full;

	for (full = 0; full < 2; full++) {
		uint64_t avg[NR_PSI_AVGS] = {0}, total = 0;
		int w;

		/* CPU full is undefined at the system level: all zeroes */
		if (!(g == &m->psi && res == PSI_CPU && full)) {
			for (w = 0; w < NR_PSI_AVGS; w++)
				avg[w] = g->avg[res * 2 + full][w];
			total = g->total[res * 2 + full] / NSEC_PER_USEC;
		}
		seq_printf(s,
			   "%s avg10=%llu.%02llu avg60=%llu.%02llu "
			   "avg300=%llu.%02llu total=%llu\n",
			   full ? "full" : "some",
			   (unsigned long long)LOAD_INT(avg[0]),
			   (unsigned long long)LOAD_FRAC(avg[0]),
			   (unsigned long long)LOAD_INT(avg[1]),
			   (unsigned long long)LOAD_FRAC(avg[1]),
			   (unsigned long long)LOAD_INT(avg[2]),
			   (unsigned long long)LOAD_FRAC(avg[2]),
			   (unsigned long long)total);
	}
	return 0;
}

int pressure_cpu_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	return psi_show(ctx->m, &ctx->m->psi, PSI_CPU, s);
}

int pressure_io_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	return psi_show(ctx->m, &ctx->m->psi, PSI_IO, s);
}

int pressure_memory_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	return psi_show(ctx->m, &ctx->m->psi, PSI_MEM, s);
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	return p;
}

/*
 * The kernel's sscanf() "%u": blanks, then decimal digits, kept to 32
 * bits.  NULL when there is no digit.
 */
static const char *scan_u32(const char *p, uint32_t *v)
{
	uint64_t x = 0;

	p = skip_spaces(p);
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		x = x * 10 + (uint64_t)(*p++ - '0');
	*v = (uint32_t)x;
	return p;
}

/*
 * psi_trigger_create()'s sscanf("some %u %u") or "full %u %u": what
 * follows the second number does not matter.
 */
static int parse_trigger(const char *buf, uint32_t *threshold_us,
			 uint32_t *window_us)
{
	const char *p = buf;

	if (strncmp(p, "some", 4) && strncmp(p, "full", 4))
		return -EINVAL;
	p = scan_u32(p + 4, threshold_us);
	if (p)
		p = scan_u32(p, window_us);
	return p ? 0 : -EINVAL;
}

int pressure_write(const struct pfs_ctx *ctx, const char *buf, size_t len,
		   struct seq_buf *op_line)
{
	char text[PSI_WRITE_MAX];
	uint32_t threshold_us, window_us;
	size_t n = len < sizeof(text) ? len : sizeof(text);

	if (!len)
		return -EINVAL;
	memcpy(text, buf, n);
	text[n - 1] = '\0';
	if (parse_trigger(text, &threshold_us, &window_us))
		return -EINVAL;
	if (!window_us || window_us > WINDOW_MAX_US)
		return -EINVAL;
	if (!threshold_us || threshold_us > window_us)
		return -EINVAL;
	return -EOPNOTSUPP;
}
