// SPDX-License-Identifier: GPL-2.0
/*
 * Pressure stall information: the averages move at the kernel's rates
 * (a steady 100% stall converges on 100.00, a 50% one stops and decays),
 * the totals are the stall placed in time and never more than the time
 * that passed, a long tick gives what the same time in periods gives, and
 * direct reclaim on a booted machine shows in /proc/pressure/memory and
 * survives a checkpoint and a replay.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "procfs.h"
#include "replay.h"
#include "seq_buf.h"
#include "unit.h"

#define PERIOD PSI_PERIOD_NS
#define MS 1000000ULL

/* A machine with nothing but a clock: psi needs no more. */
static struct machine *bare_machine(void)
{
	struct machine *m = calloc(1, sizeof(*m));

	if (!m)
		FAIL("out of memory");
	return m;
}

/* Time passes as machine_tick() lets it, without the rest of tick. */
static void tick(struct machine *m, uint64_t ns)
{
	psi_tick(m, m->clock_ns + ns);
	m->clock_ns += ns;
}

/* An average in hundredths of a percent, as the file prints it. */
static long hundredths(uint64_t avg)
{
	return (long)((avg >> PSI_FSHIFT) * 100 +
		      (((avg & (PSI_FIXED_1 - 1)) * 100) >> PSI_FSHIFT));
}

/*
 * The average after @periods of full stall: 100 * (1 - (exp/FIXED_1)^n),
 * which for EXP_10s after 10 s is 1 - 1/e, the kernel's constants being
 * 1/exp(2s/window).
 */
static double rise(double exp_fixed, int periods)
{
	return 100.0 * (1.0 - pow(exp_fixed / 2048.0, periods));
}

static void assert_near(long got, double want, double tolerance)
{
	unit_checks++;
	if (fabs((double)got / 100.0 - want) > tolerance)
		FAIL("average %ld.%02ld, expected %.2f +- %.2f", got / 100,
		     got % 100, want, tolerance);
}

static void test_full_stall_converges(void)
{
	struct machine *m = bare_machine();
	const struct psi_group *g = &m->psi;
	int i;

	/* the first period: 1 - 1677/2048 of 100%, as the kernel rounds */
	psi_memstall(m, PERIOD);
	tick(m, PERIOD);
	ASSERT_EQ(hundredths(g->avg[PSI_MEM_SOME][0]), 1811);
	ASSERT_EQ(g->avg[PSI_MEM_SOME][0], g->avg[PSI_MEM_FULL][0]);
	ASSERT_EQ(g->avg[PSI_IO_SOME][0], 0);
	ASSERT_EQ(g->avg[PSI_CPU_SOME][0], 0);
	for (i = 1; i < 5; i++) {
		psi_memstall(m, PERIOD);
		tick(m, PERIOD);
	}
	/* 10 s in: avg10 is 1 - 1/e of the way, the others less */
	assert_near(hundredths(g->avg[PSI_MEM_SOME][0]), 100 * (1 - exp(-1)),
		    0.1);
	assert_near(hundredths(g->avg[PSI_MEM_SOME][0]), rise(1677, 5), 0.02);
	assert_near(hundredths(g->avg[PSI_MEM_SOME][1]), rise(1981, 5), 0.02);
	assert_near(hundredths(g->avg[PSI_MEM_SOME][2]), rise(2034, 5), 0.02);
	for (; i < 300; i++) {
		psi_memstall(m, PERIOD);
		tick(m, PERIOD);
	}
	/* rounding up while rising reaches exactly 100.00 */
	ASSERT_EQ(hundredths(g->avg[PSI_MEM_SOME][0]), 10000);
	ASSERT_EQ(hundredths(g->avg[PSI_MEM_FULL][1]), 10000);
	/* each period rounds up by less than 1/2048 of a percent */
	assert_near(hundredths(g->avg[PSI_MEM_SOME][2]), rise(2034, 300), 0.2);
	ASSERT_EQ(g->total[PSI_MEM_SOME], 300 * PERIOD);
	ASSERT_EQ(g->total[PSI_MEM_FULL], 300 * PERIOD);
	ASSERT_EQ(psi_group_check(g, m->clock_ns), 0);
	free(m);
}

static void test_half_stall_decays(void)
{
	struct machine *m = bare_machine();
	const struct psi_group *g = &m->psi;
	uint64_t peak[NR_PSI_AVGS], total;
	int i, w;

	for (i = 0; i < 5; i++) {
		psi_memstall(m, PERIOD / 2);
		tick(m, PERIOD);
	}
	assert_near(hundredths(g->avg[PSI_MEM_SOME][0]), rise(1677, 5) / 2,
		    0.02);
	total = g->total[PSI_MEM_SOME];
	ASSERT_EQ(total, 5 * (PERIOD / 2));
	for (w = 0; w < NR_PSI_AVGS; w++)
		peak[w] = g->avg[PSI_MEM_SOME][w];

	/* five idle minutes in one tick: 149 period boundaries */
	tick(m, 300 * NSEC_PER_SEC);
	ASSERT_EQ(hundredths(g->avg[PSI_MEM_SOME][0]), 0);
	ASSERT(g->avg[PSI_MEM_SOME][1] < peak[1] / 100);
	/* 300 s is about one time constant of avg300 */
	assert_near(hundredths(g->avg[PSI_MEM_SOME][2]),
		    hundredths(peak[2]) / 100.0 * pow(2034 / 2048.0, 149),
		    0.02);
	ASSERT(g->avg[PSI_MEM_SOME][2] < peak[2] * 3 / 8);
	ASSERT_EQ(g->total[PSI_MEM_SOME], total);
	ASSERT_EQ(g->total[PSI_MEM_FULL], total);
	ASSERT_EQ(g->avg_total[PSI_MEM_SOME], total);
	/* the averages follow the boundaries, whatever the ticks' lengths */
	ASSERT_EQ(m->clock_ns - g->avg_last_update, m->clock_ns % PERIOD);
	free(m);
}

static void test_totals_and_cap(void)
{
	struct machine *m = bare_machine();
	const struct psi_group *g = &m->psi;

	/* pending until a tick places it */
	psi_memstall(m, 3 * MS);
	psi_memstall(m, 4 * MS);
	ASSERT_EQ(g->total[PSI_MEM_SOME], 0);
	ASSERT_EQ(g->pending[PSI_MEM_SOME], 7 * MS);
	tick(m, 500 * MS);
	ASSERT_EQ(g->total[PSI_MEM_SOME], 7 * MS);
	ASSERT_EQ(g->pending[PSI_MEM_SOME], 0);

	/* no more stall than time: 3 s in a 1 s tick is 1 s */
	psi_memstall(m, 3 * NSEC_PER_SEC);
	tick(m, NSEC_PER_SEC);
	ASSERT_EQ(g->total[PSI_MEM_SOME], 7 * MS + NSEC_PER_SEC);
	ASSERT_EQ(g->total[PSI_MEM_FULL], 7 * MS + NSEC_PER_SEC);
	ASSERT_EQ(g->pending[PSI_MEM_FULL], 0);
	/* the rest is not carried over */
	tick(m, 10 * NSEC_PER_SEC);
	ASSERT_EQ(g->total[PSI_MEM_SOME], 7 * MS + NSEC_PER_SEC);
	ASSERT_EQ(g->total[PSI_IO_SOME] + g->total[PSI_CPU_SOME], 0);
	/* no period ever went past 100% */
	ASSERT(g->avg[PSI_MEM_SOME][0] <= 100 * PSI_FIXED_1);
	ASSERT_EQ(psi_group_check(g, m->clock_ns), 0);
	free(m);
}

/*
 * The stall goes at the start of the tick: 5 s of it in a minute's tick
 * is two full periods and half of one, the same as ticking the minute
 * period by period with that stall in each; a year at once costs no more
 * than a few periods.
 */
static void test_long_tick(void)
{
	struct machine *a = bare_machine(), *b = bare_machine();
	int i, s, w;

	psi_memstall(a, 5 * NSEC_PER_SEC);
	tick(a, 30 * PERIOD);
	for (i = 0; i < 30; i++) {
		/* what falls in each period, as a tick takes no more */
		if (i < 2)
			psi_memstall(b, PERIOD);
		else if (i == 2)
			psi_memstall(b, 5 * NSEC_PER_SEC - 2 * PERIOD);
		tick(b, PERIOD);
	}
	for (s = 0; s < NR_PSI_STATES; s++) {
		ASSERT_EQ(a->psi.total[s], b->psi.total[s]);
		for (w = 0; w < NR_PSI_AVGS; w++) {
			long d = hundredths(a->psi.avg[s][w]) -
				 hundredths(b->psi.avg[s][w]);

			/* folding idle periods rounds a little otherwise */
			ASSERT(d >= -3 && d <= 3);
		}
	}
	ASSERT(a->psi.avg[PSI_MEM_SOME][2] > 0);

	tick(a, 365ULL * 24 * 3600 * NSEC_PER_SEC);
	for (w = 0; w < NR_PSI_AVGS; w++)
		ASSERT_EQ(a->psi.avg[PSI_MEM_FULL][w], 0);
	ASSERT_EQ(a->psi.total[PSI_MEM_FULL], 5 * NSEC_PER_SEC);
	ASSERT_EQ(psi_group_check(&a->psi, a->clock_ns), 0);
	free(a);
	free(b);
}

static void render(const struct machine *m, const char *path,
		   struct seq_buf *out)
{
	seq_buf_reset(out);
	if (pfs_render(m, path, out))
		FAIL("render %s failed", path);
}

/* Direct reclaim on a booted machine: the file, a checkpoint, a replay. */
static void test_direct_reclaim(void)
{
	static const char *const ops[] = {
		"file create /data/big 600M",
		"file read /data/big",
		"tick 2s",
		"tick 3s",
	};
	struct machine_params p = {512ULL << 20, 1, 2, 0, 11, 0};
	char *log[sizeof(ops) / sizeof(ops[0])];
	unsigned long long us, us_full;
	struct seq_buf s, good;
	double avg10, avg60, avg300;
	struct machine *m;
	size_t i;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	seq_buf_init(&s);
	render(m, "proc/pressure/memory", &s);
	ASSERT(!strcmp(s.buf, "some avg10=0.00 avg60=0.00 avg300=0.00 "
			      "total=0\n"
			      "full avg10=0.00 avg60=0.00 avg300=0.00 "
			      "total=0\n"));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(try_op(m, ops[i]), 0);
		log[i] = strdup(ops[i]);
	}
	/* 512 MiB is all DMA32 */
	ASSERT(m->vm_events[ALLOCSTALL_DMA32] > 0);
	/* the price of the reclaim: its entries and the pages it scanned */
	ASSERT(m->psi.pending[PSI_MEM_SOME] >=
	       m->vm_events[PGSCAN_DIRECT] * PSI_RECLAIM_PAGE_NS +
		       PSI_RECLAIM_ENTRY_NS);
	ASSERT_EQ(m->psi.pending[PSI_MEM_FULL], m->psi.pending[PSI_MEM_SOME]);
	for (; i < sizeof(ops) / sizeof(ops[0]); i++) {
		ASSERT_EQ(try_op(m, ops[i]), 0);
		log[i] = strdup(ops[i]);
	}

	render(m, "proc/pressure/memory", &s);
	ASSERT_EQ(sscanf(s.buf,
			 "some avg10=%lf avg60=%lf avg300=%lf total=%llu\n"
			 "full avg10=%*f avg60=%*f avg300=%*f total=%llu\n",
			 &avg10, &avg60, &avg300, &us, &us_full),
		  5);
	ASSERT(avg10 > 0 && avg60 > 0 && avg300 > 0);
	ASSERT(avg10 > avg60 && avg60 > avg300);
	ASSERT_EQ(us, m->psi.total[PSI_MEM_SOME] / 1000);
	ASSERT_EQ(us, us_full);
	ASSERT(us > 0);
	render(m, "proc/pressure/cpu", &s);
	ASSERT(!strcmp(s.buf, "some avg10=0.00 avg60=0.00 avg300=0.00 "
			      "total=0\n"
			      "full avg10=0.00 avg60=0.00 avg300=0.00 "
			      "total=0\n"));
	render(m, "proc/pressure/io", &s);
	ASSERT(!strncmp(s.buf, "some avg10=0.00 ", 16));

	/* a trigger would never fire here: refused, malformed or not */
	ASSERT_EQ(pfs_write_op(m, "proc/pressure/memory",
			       "some 150000 2000000\n", 20, &s, &(int){0}),
		  -EOPNOTSUPP);
	ASSERT_EQ(pfs_write_op(m, "proc/pressure/memory", "some 0 2000000\n",
			       15, &s, &(int){0}),
		  -EINVAL);
	ASSERT_EQ(pfs_write_op(m, "proc/pressure/memory", "full 1 20000000\n",
			       16, &s, &(int){0}),
		  -EINVAL);
	ASSERT_EQ(pfs_write_op(m, "proc/pressure/memory", "1\n", 2, &s,
			       &(int){0}),
		  -EINVAL);

	seq_buf_init(&good);
	ASSERT_EQ(machine_save(m, &good), 0);
	check_roundtrip_and_replay(&p, log, sizeof(ops) / sizeof(ops[0]),
				   &good);
	machine_free(m);
	seq_buf_free(&s);
	seq_buf_free(&good);
}

int main(void)
{
	test_full_stall_converges();
	test_half_stall_decays();
	test_totals_and_cap();
	test_long_tick();
	test_direct_reclaim();
	return unit_done("test_psi");
}
