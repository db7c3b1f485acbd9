// SPDX-License-Identifier: GPL-2.0
/*
 * The page cache, writeback, tmpfs and shared memory under random
 * operations: disk and tmpfs files created, read, written and removed,
 * sync, the flusher over simulated time, drop_caches, POSIX and System V
 * shared memory, file and shm mappings touched by processes that fork and
 * exit.  After every accepted operation the frames, page tables, per-inode
 * dirty counts and tmpfs usage agree (check_page_accounting); a rejected
 * one leaves the machine as the last checkpoint had it.  A checkpoint
 * round trip gives the same bytes, and replaying the accepted operations
 * from boot gives the same state.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "checkpoint.h"
#include "machine.h"
#include "memcontrol.h"
#include "mm.h"
#include "ops.h"
#include "page_alloc.h"
#include "prng.h"
#include "seq_buf.h"
#include "replay.h"
#include "task.h"
#include "unit.h"
#include "vmstat.h"

#define MAX_LIVE 8
#define MAX_MAPS 48
#define MAX_NAMES 24
#define MAX_SEGS 16

struct mapping {
	int pid;
	unsigned long long addr, len;
};

struct world {
	struct machine *m;
	struct prng rng;
	int pids[MAX_LIVE];
	int nr_pids;
	struct mapping maps[MAX_MAPS];
	int nr_maps;
	char files[MAX_NAMES][64]; /* paths that may exist */
	int nr_files;
	char shm_names[MAX_NAMES][16]; /* POSIX names that may exist */
	int nr_shm_names;
	int segs[MAX_SEGS]; /* shmids that may exist */
	int nr_segs;
	int next_name;
	char **log; /* the lines applied, for the replay */
	size_t nr_log;
	struct seq_buf good; /* the state after the last accepted op */
	int accepted, rejected;
};

static void save_good(struct world *w)
{
	seq_buf_free(&w->good);
	seq_buf_init(&w->good);
	if (machine_save(w->m, &w->good) || seq_buf_error(&w->good))
		FAIL("save failed");
}

/* Apply @line; a rejected op leaves the machine as it was (reload). */
static int apply(struct world *w, char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int apply(struct world *w, char *out, size_t size, const char *fmt, ...)
{
	struct seq_buf res, err;
	char line[256], why[256];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	seq_buf_init(&res);
	seq_buf_init(&err);
	rc = op_apply(w->m, line, &res, &err);
	if (rc) {
		w->rejected++;
		machine_free(w->m);
		if (machine_load(w->good.buf, w->good.len, &w->m, why,
				 sizeof(why)))
			FAIL("reload after '%s': %s", line, why);
	} else {
		w->accepted++;
		w->log = realloc(w->log, (w->nr_log + 1) * sizeof(*w->log));
		w->log[w->nr_log++] = strdup(line);
		save_good(w);
		if (check_page_accounting(w->m, why, sizeof(why)))
			FAIL("after '%s': %s", line, why);
	}
	if (out && size) {
		snprintf(out, size, "%s", res.buf ? res.buf : "");
		out[strcspn(out, "\n")] = '\0';
	}
	seq_buf_free(&res);
	seq_buf_free(&err);
	return rc;
}

static uint64_t below(struct world *w, uint64_t n)
{
	return prng_below(&w->rng, n);
}

static int pick_pid(struct world *w)
{
	return w->pids[below(w, (uint64_t)w->nr_pids)];
}

static void forget_pid(struct world *w, int pid)
{
	int i;

	for (i = 0; i < w->nr_pids; i++)
		if (w->pids[i] == pid)
			w->pids[i--] = w->pids[--w->nr_pids];
	for (i = 0; i < w->nr_maps; i++)
		if (w->maps[i].pid == pid)
			w->maps[i--] = w->maps[--w->nr_maps];
}

static void add_pid(struct world *w, const char *out)
{
	if (w->nr_pids < MAX_LIVE)
		w->pids[w->nr_pids++] = atoi(out);
}

static void add_map(struct world *w, int pid, const char *out,
		    unsigned long long len)
{
	struct mapping *mp;

	if (w->nr_maps == MAX_MAPS)
		return;
	mp = &w->maps[w->nr_maps++];
	mp->pid = pid;
	mp->addr = strtoull(out, NULL, 0);
	mp->len = len;
}

/* A size in bytes: whole pages mostly, now and then a ragged end. */
static unsigned long long rand_size(struct world *w, uint64_t max_pages)
{
	unsigned long long pages = 1 + below(w, max_pages);

	if (!below(w, 4))
		return pages * 4096 - below(w, 4096);
	return pages * 4096;
}

static const char *rand_file(struct world *w)
{
	return w->nr_files ? w->files[below(w, (uint64_t)w->nr_files)]
			   : "/data/none";
}

/* A new path: on the disk, on a boot tmpfs or on the small /mnt/small. */
static void new_file(struct world *w, char *path, size_t size)
{
	static const char *const dirs[] = {"/data", "/var/lib/db", "/dev/shm",
					   "/run", "/mnt/small"};

	snprintf(path, size, "%s/f%d", dirs[below(w, 5)], w->next_name++);
}

static void remember(char names[][64], int *nr, const char *name)
{
	if (*nr < MAX_NAMES)
		snprintf(names[(*nr)++], 64, "%s", name);
}

static void step_file(struct world *w, uint64_t kind)
{
	char path[64];
	const char *f;
	unsigned long long off, len;

	if (kind < 3 || !w->nr_files) {
		new_file(w, path, sizeof(path));
		if (!apply(w, NULL, 0, "file create %s %llu", path,
			   below(w, 8) ? rand_size(w, 2048) : 0))
			remember(w->files, &w->nr_files, path);
		return;
	}
	f = rand_file(w);
	off = below(w, 3) ? below(w, 4096) * 4096ULL : below(w, 1 << 24);
	len = rand_size(w, 512);
	if (kind < 7) {
		if (below(w, 3))
			apply(w, NULL, 0, "file read %s %llu %llu", f, off,
			      len);
		else
			apply(w, NULL, 0, "file read %s", f);
	} else if (kind < 11) {
		if (below(w, 4))
			apply(w, NULL, 0, "file write %s %llu %llu", f, off,
			      len);
		else
			apply(w, NULL, 0, "file write %s", f);
	} else if (!apply(w, NULL, 0, "file rm %s", f)) {
		int i;

		for (i = 0; i < w->nr_files; i++)
			if (!strcmp(w->files[i], f))
				memmove(w->files[i], w->files[--w->nr_files],
					sizeof(w->files[i]));
	}
}

static void step_shm(struct world *w, uint64_t kind)
{
	char out[64], name[16];
	int i;

	if (kind < 2) {
		snprintf(name, sizeof(name), "s%d", w->next_name++);
		if (!apply(w, NULL, 0, "shm open %s %llu", name,
			   rand_size(w, 4096)) &&
		    w->nr_shm_names < MAX_NAMES)
			snprintf(w->shm_names[w->nr_shm_names++],
				 sizeof(*w->shm_names), "%s", name);
	} else if (kind < 3 && w->nr_shm_names) {
		i = (int)below(w, (uint64_t)w->nr_shm_names);
		if (!apply(w, NULL, 0, "shm unlink %s", w->shm_names[i]))
			memmove(w->shm_names[i],
				w->shm_names[--w->nr_shm_names],
				sizeof(w->shm_names[i]));
	} else if (kind < 5) {
		/* a few keys, so that some gets find their segment */
		unsigned long long key = below(w, 3) ? 0x100 + below(w, 4) : 0;

		if (!apply(w, out, sizeof(out), "shm get %#llx %llu pid=%d",
			   key, rand_size(w, 1024), pick_pid(w)) &&
		    w->nr_segs < MAX_SEGS)
			w->segs[w->nr_segs++] = atoi(out);
	} else if (kind < 8 && w->nr_segs) {
		int pid = pick_pid(w);

		i = (int)below(w, (uint64_t)w->nr_segs);
		/* the mapping's length: shmat maps the whole segment */
		if (!apply(w, out, sizeof(out), "shm attach %d %d", pid,
			   w->segs[i]))
			add_map(w, pid, out, 4096);
	} else if (w->nr_segs) {
		i = (int)below(w, (uint64_t)w->nr_segs);
		if (!apply(w, NULL, 0, "shm rm %d", w->segs[i]))
			w->segs[i] = w->segs[--w->nr_segs];
	}
}

static void step_mmap(struct world *w, int pid)
{
	unsigned long long len = rand_size(w, 1024) & ~4095ULL;
	char out[64], what[96];
	uint64_t how = below(w, 6);

	if (!len)
		len = 4096;
	if (how < 3 && w->nr_files)
		snprintf(what, sizeof(what), "file=%s %s", rand_file(w),
			 how ? "shared" : "private");
	else if (how < 4 && w->nr_shm_names)
		snprintf(what, sizeof(what), "shm=%s shared",
			 w->shm_names[below(w, (uint64_t)w->nr_shm_names)]);
	else if (how < 5)
		snprintf(what, sizeof(what), "shared");
	else
		snprintf(what, sizeof(what), "anon");
	if (!apply(w, out, sizeof(out), "mmap %d %llu %s%s", pid, len, what,
		   below(w, 6) ? "" : " populate"))
		add_map(w, pid, out, len);
}

static void step(struct world *w)
{
	static const char *const ticks[] = {"1s", "5s", "10s", "31s", "2m"};
	static const char *const sysctls[] = {
		"vm.drop_caches=1",
		"vm.drop_caches=3",
		"vm.dirty_bytes=4194304",
		"vm.dirty_ratio=20",
		"vm.dirty_expire_centisecs=500",
		"vm.dirty_background_bytes=1048576",
		"vm.dirty_background_ratio=10"};
	char out[64];
	struct mapping *mp;
	unsigned long long off, len;
	uint64_t kind = below(w, 100);
	int pid, i;

	if (!w->nr_pids || kind < 3) {
		if (!apply(w, out, sizeof(out), "spawn app"))
			add_pid(w, out);
		return;
	}
	pid = pick_pid(w);
	if (kind < 30) {
		step_file(w, below(w, 14));
		return;
	}
	if (kind < 40) {
		step_shm(w, below(w, 10));
		return;
	}
	if (kind < 52 && w->nr_maps < MAX_MAPS) {
		step_mmap(w, pid);
		return;
	}
	if (kind < 55) {
		apply(w, NULL, 0, "sync");
		return;
	}
	if (kind < 59) {
		apply(w, NULL, 0, "tick %s", ticks[below(w, 5)]);
		return;
	}
	if (kind < 63) {
		apply(w, NULL, 0, "sysctl %s", sysctls[below(w, 7)]);
		return;
	}
	if (kind < 67) {
		if (!apply(w, out, sizeof(out), "fork %d", pid))
			add_pid(w, out);
		return;
	}
	if (kind < 70 && w->nr_pids > 2) {
		if (!apply(w, NULL, 0, "exit %d", pid))
			forget_pid(w, pid);
		return;
	}
	/* the rest work on a mapping of a live process */
	for (i = 0; i < w->nr_maps && w->maps[i].pid != pid; i++)
		;
	if (i == w->nr_maps)
		return;
	mp = &w->maps[i];
	off = below(w, mp->len / 4096) * 4096ULL;
	len = (1 + below(w, (mp->len - off) / 4096)) * 4096ULL;
	if (kind < 95)
		apply(w, NULL, 0, "touch %d %#llx %llu %s %s", pid,
		      mp->addr + off, len, below(w, 3) ? "write" : "read",
		      below(w, 2) ? "seq" : "random");
	else
		apply(w, NULL, 0, "munmap %d %#llx %llu", pid, mp->addr + off,
		      len);
}

static void run_world(uint64_t seed, int steps)
{
	struct machine_params p = {512ULL << 20, 2, 2, 0, seed, 0};
	struct world w = {0};
	int i;

	prng_seed(&w.rng, seed * 104729);
	seq_buf_init(&w.good);
	if (machine_boot(&p, &w.m))
		FAIL("boot failed");
	save_good(&w);
	/* a small tmpfs that fills up */
	if (apply(&w, NULL, 0, "tmpfs mount /mnt/small 4M"))
		FAIL("tmpfs mount refused");
	for (i = 0; i < steps; i++)
		step(&w);

	check_roundtrip_and_replay(&p, w.log, w.nr_log, &w.good);
	/* the sequence did things, and some were refused */
	ASSERT(w.accepted > steps / 2);
	ASSERT(w.rejected > 0);
	free(w.log);
	seq_buf_free(&w.good);
	machine_free(w.m);
}

static int64_t gstate(const struct machine *m, enum node_stat_item item)
{
	return global_node_page_state(m, item);
}

/*
 * Exact counts on one machine: a written file is dirty page by page, sync
 * writes each once, drop_caches frees the clean pages and keeps tmpfs,
 * and a tmpfs mount refuses exactly the page past its size.
 */
static void test_counts(void)
{
	int64_t file, dirty, shmem, dirtied, written;
	struct machine *m;
	struct run r;

	run_boot(&r, 1ULL << 30, 0, 7);
	m = r.m;
	run_op(&r, "sync");
	run_op(&r, "sysctl vm.drop_caches=1");
	file = gstate(m, NR_FILE_PAGES);
	dirty = gstate(m, NR_FILE_DIRTY);
	shmem = gstate(m, NR_SHMEM);
	dirtied = gstate(m, NR_DIRTIED);
	written = gstate(m, NR_WRITTEN);
	ASSERT_EQ(dirty, 0);

	/*
	 * a ragged write: 3 pages and a bit dirty, the file 4 pages long;
	 * and the block of ext4's inode table that holds the new inode
	 */
	run_op(&r, "file create /data/a 0");
	run_op(&r, "file write /data/a 0 12289");
	ASSERT_EQ(gstate(m, NR_FILE_DIRTY), 4 + 1);
	ASSERT_EQ(gstate(m, NR_DIRTIED) - dirtied, 4 + 1);
	ASSERT_EQ(gstate(m, NR_FILE_PAGES) - file, 4 + 1);
	/* rewriting dirty pages dirties nothing new */
	run_op(&r, "file write /data/a 0 8192");
	ASSERT_EQ(gstate(m, NR_DIRTIED) - dirtied, 4 + 1);
	run_op(&r, "sysctl vm.drop_caches=1");
	ASSERT_EQ(gstate(m, NR_FILE_PAGES) - file, 4 + 1);
	run_op(&r, "sync");
	ASSERT_EQ(gstate(m, NR_FILE_DIRTY), 0);
	ASSERT_EQ(gstate(m, NR_WRITTEN) - written, 4 + 1);
	run_op(&r, "sysctl vm.drop_caches=1");
	ASSERT_EQ(gstate(m, NR_FILE_PAGES), file);

	/* a disk file's pages come back by reading, whole */
	run_op(&r, "file read /data/a");
	ASSERT_EQ(gstate(m, NR_FILE_PAGES) - file, 4);
	/* unlinking frees them, and dirties the inode's block once more */
	run_op(&r, "file rm /data/a");
	ASSERT_EQ(gstate(m, NR_FILE_PAGES) - file, 1);
	ASSERT_EQ(gstate(m, NR_FILE_DIRTY), 1);

	/* tmpfs: exactly size= fits */
	run_op(&r, "tmpfs mount /mnt/t 40K");
	run_op(&r, "file create /mnt/t/a 36K");
	ASSERT_EQ(gstate(m, NR_SHMEM) - shmem, 9);
	ASSERT_EQ(try_op(m, "file write /mnt/t/a 36K 8K"), -ENOSPC);
	run_free(&r);
	run_boot(&r, 1ULL << 30, 0, 7);
	m = r.m;
	run_op(&r, "tmpfs mount /mnt/t 40K");
	run_op(&r, "file create /mnt/t/a 36K");
	run_op(&r, "file write /mnt/t/a 36K 4K");
	shmem = gstate(m, NR_SHMEM);
	run_op(&r, "sysctl vm.drop_caches=3");
	ASSERT_EQ(gstate(m, NR_SHMEM), shmem);
	run_op(&r, "file rm /mnt/t/a");
	ASSERT_EQ(shmem - gstate(m, NR_SHMEM), 10);
	run_op(&r, "file create /mnt/t/b 40K");
	/* a refused op may leave the machine half-changed: the last */
	ASSERT_EQ(try_op(m, "file create /mnt/t/c 1"), -ENOSPC);
	run_free(&r);
}

/*
 * file read and write pid=: what the task brings into the cache is
 * charged to its memcg and counts there; writing tmpfs past its group's
 * memory.max with no swap to go to, the group's OOM killer takes the
 * writer, and the write stops there, saying so.
 */
static void test_as_task(void)
{
	char app[32], out[64];
	struct cgroup *pod;
	uint64_t usage;
	struct run r;

	run_boot(&r, 1ULL << 30, 0, 5);
	run_op(&r, "cgroup set / cgroup.subtree_control +memory");
	run_op(&r, "cgroup create pod");
	run_op(&r, "file create /data/f 64M");
	run_op(&r, "file create /dev/shm/s 0");
	run_op_out(&r, app, sizeof(app), "spawn app cgroup=pod");
	ASSERT_EQ(cgroup_lookup(r.m, "/pod", &pod), 0);
	usage = pod->memcg->memory.usage;
	run_op(&r, "file read /data/f 0 1M pid=%s", app);
	ASSERT(pod->memcg->memory.usage - usage >= 256);
	ASSERT(memcg_page_state(pod->memcg, NR_FILE_PAGES) >= 256);
	/* from outside, the root's (the index's nodes keep the pod's objcg) */
	usage = memcg_page_state(pod->memcg, NR_FILE_PAGES);
	run_op(&r, "file read /data/f 8M 1M");
	ASSERT_EQ(memcg_page_state(pod->memcg, NR_FILE_PAGES), usage);

	run_op(&r, "cgroup set pod memory.max 32M");
	run_op_out(&r, out, sizeof(out), "file write /dev/shm/s 0 64M pid=%s",
		   app);
	ASSERT(strstr(out, "was killed"));
	ASSERT(!find_task_by_pid(r.m, atoi(app)));
	ASSERT_EQ(pod->memcg->memory_events[MEMCG_OOM_KILL], 1);
	ASSERT(pod->memcg->memory.usage <= (32ULL << 20) / 4096);
	ASSERT(memcg_page_state(pod->memcg, NR_SHMEM) > 0);
	ASSERT_EQ(try_op(r.m, "file read /data/f pid=999"), -ESRCH);
	run_finish(&r);
}

int main(void)
{
	test_counts();
	test_as_task();
	run_world(1, 200);
	run_world(2, 200);
	return unit_done("filemap");
}
