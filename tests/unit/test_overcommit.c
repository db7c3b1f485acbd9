// SPDX-License-Identifier: GPL-2.0
/*
 * Overcommit accounting under random operations in each overcommit mode:
 * after every operation Committed_AS is the sum of the accountable
 * (VM_ACCOUNT) VMAs of every process, and an operation refused for want
 * of commit changes nothing at all (the machine saves to the same bytes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "machine.h"
#include "mm.h"
#include "ops.h"
#include "prng.h"
#include "seq_buf.h"
#include "task.h"
#include "unit.h"

#define MAX_LIVE 8

static uint64_t accountable_pages(const struct machine *m)
{
	uint64_t pages = 0;
	uint32_t j;
	int i;

	for (i = 0; i < m->nr_tasks; i++) {
		const struct mm_struct *mm = task_by_index(m, i)->mm;

		for (j = 0; mm && j < mm->nr_vmas; j++)
			if (mm->vmas[j].vm_flags & VM_ACCOUNT)
				pages += (mm->vmas[j].vm_end -
					  mm->vmas[j].vm_start) >>
					 PAGE_SHIFT;
	}
	return pages;
}

static void save(const struct machine *m, struct seq_buf *s)
{
	seq_buf_init(s);
	if (machine_save(m, s) || seq_buf_error(s))
		FAIL("save failed");
}

/* Apply @line: 0, or the errno of a refusal, which must leave no trace. */
static int apply(struct machine **m, const char *line, char *out, size_t size,
		 int *refusals)
{
	struct seq_buf before, after, res, err;
	char why[256];
	int rc;

	save(*m, &before);
	seq_buf_init(&res);
	seq_buf_init(&err);
	rc = op_apply(*m, line, &res, &err);
	if (rc == -ENOMEM && (*m)->vm_commit_refused) {
		save(*m, &after);
		if (after.len != before.len ||
		    memcmp(after.buf, before.buf, before.len))
			FAIL("'%s' was refused (%s) but changed the machine",
			     line, err.buf);
		if (!strstr(err.buf, "cannot commit"))
			FAIL("'%s': %s", line, err.buf);
		seq_buf_free(&after);
		(*refusals)++;
	} else if (rc) {
		/* another refusal may leave work half done: reload */
		machine_free(*m);
		if (machine_load(before.buf, before.len, m, why, sizeof(why)))
			FAIL("reload after '%s': %s", line, why);
	}
	ASSERT_EQ(vm_committed_as(*m), accountable_pages(*m));
	if (out && size) {
		snprintf(out, size, "%s", res.buf ? res.buf : "");
		out[strcspn(out, "\n")] = '\0';
	}
	seq_buf_free(&before);
	seq_buf_free(&res);
	seq_buf_free(&err);
	return rc;
}

static const char *const sizes[] = {"64K", "2M", "64M", "512M", "1G", "3G"};

static void run_mode(int mode, uint64_t seed)
{
	struct machine_params p = {4ULL << 30, 1, 2, 512ULL << 20, seed, 0};
	int pids[MAX_LIVE], nr = 0, refusals = 0, step;
	char line[128], out[64];
	struct machine *m;
	struct prng rng;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	prng_seed(&rng, seed);
	ASSERT_EQ(vm_committed_as(m), accountable_pages(m));
	snprintf(line, sizeof(line), "sysctl vm.overcommit_memory=%d", mode);
	ASSERT_EQ(apply(&m, line, NULL, 0, &refusals), 0);
	for (step = 0; step < 200; step++) {
		unsigned int r = (unsigned int)prng_below(&rng, 8);
		const char *size = sizes[prng_below(&rng, 6)];
		int pid = nr ? pids[prng_below(&rng, (uint64_t)nr)] : 0;

		if (!nr || (r == 0 && nr < MAX_LIVE)) {
			snprintf(line, sizeof(line), "spawn app uid=%d",
				 prng_below(&rng, 2) ? 0 : 1000);
			if (!apply(&m, line, out, sizeof(out), &refusals))
				pids[nr++] = atoi(out);
			continue;
		}
		switch (r) {
		case 1:
			if (nr < MAX_LIVE) {
				snprintf(line, sizeof(line), "fork %d", pid);
				if (!apply(&m, line, out, sizeof(out),
					   &refusals))
					pids[nr++] = atoi(out);
				continue;
			}
			/* fall through */
		case 2:
			snprintf(line, sizeof(line), "exit %d", pid);
			if (!apply(&m, line, NULL, 0, &refusals)) {
				int i;

				for (i = 0; pids[i] != pid; i++)
					;
				pids[i] = pids[--nr];
			}
			continue;
		case 3:
			snprintf(line, sizeof(line), "brk %d +%s", pid, size);
			break;
		case 4:
			snprintf(line, sizeof(line), "malloc %d %s", pid, size);
			break;
		case 5:
			snprintf(line, sizeof(line), "mmap %d %s prot=r", pid,
				 size);
			if (!apply(&m, line, out, sizeof(out), &refusals)) {
				snprintf(line, sizeof(line),
					 "mprotect %d %s %s rw", pid, out,
					 size);
				apply(&m, line, NULL, 0, &refusals);
				snprintf(line, sizeof(line),
					 "mprotect %d %s %s r", pid, out, size);
			}
			break;
		default:
			snprintf(line, sizeof(line), "mmap %d %s", pid, size);
			if (!apply(&m, line, out, sizeof(out), &refusals) &&
			    prng_below(&rng, 2))
				snprintf(line, sizeof(line), "munmap %d %s",
					 pid, out);
			break;
		}
		apply(&m, line, NULL, 0, &refusals);
	}
	/* strict overcommit on 4 GiB must have said no at some point */
	if (mode == 2)
		ASSERT(refusals > 0);
	if (mode == 1)
		ASSERT_EQ(refusals, 0);
	machine_free(m);
}

int main(void)
{
	int mode;

	for (mode = 0; mode <= 2; mode++)
		run_mode(mode, 100 + (uint64_t)mode);
	return unit_done("test_overcommit");
}
