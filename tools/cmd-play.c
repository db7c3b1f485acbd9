// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim play IMAGE SCRIPT [--speed X]: apply a scenario script as mmsim
 * run does (same parser, same checks, same journal), but in wall-clock
 * time, so that whoever watches a mount of the image sees it happen.
 *
 * Every line but a tick is applied at once.  "tick 5s" becomes five
 * "tick 1s" operations, each applied and journaled on its own when its
 * second has passed (X times sooner with --speed X).  A tick that is not
 * a whole number of seconds ends with a shorter step; a tick of a second
 * or less is one step.  The deadlines are absolute, counted on the
 * monotonic clock from the start of a run of consecutive ticks, so the
 * time the steps take does not add up; the time the other operations
 * take is not made up for.
 *
 * SIGINT stops the script between two operations or two steps of a tick:
 * what was applied stays applied, and the exit status is 130.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd-common.h"
#include "cmdline.h"
#include "image.h"
#include "machine.h"
#include "ops.h"
#include "seq_buf.h"

/* What a tick is cut into: the period of the kernel's periodic work. */
#define PLAY_STEP_NS NSEC_PER_SEC
#define NSEC_PER_MSEC 1000000ULL
/* A wait past this (a century) is as good as forever. */
#define MAX_WAIT_NS (100ULL * 366 * 24 * 3600 * NSEC_PER_SEC)
#define EXIT_INTERRUPTED (128 + SIGINT)

struct player {
	double speed;
	struct timespec start; /* of the current run of ticks */
	uint64_t played_ns; /* simulated time played since @start */
	int ticking; /* @start is set: the last operation was a tick */
};

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	interrupted = 1;
}

static int parse_speed(const char *s, double *speed)
{
	char *end;

	errno = 0;
	*speed = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(*speed) || *speed <= 0)
		return -EINVAL;
	return 0;
}

/* @ns as a tick's DURATION: durations are whole milliseconds. */
static void format_duration(char *buf, size_t size, uint64_t ns)
{
	if (ns % NSEC_PER_SEC == 0)
		snprintf(buf, size, "%" PRIu64 "s",
			 (uint64_t)(ns / NSEC_PER_SEC));
	else
		snprintf(buf, size, "%" PRIu64 "ms",
			 (uint64_t)(ns / NSEC_PER_MSEC));
}

/* Whether @line is "tick DURATION"; the duration in *@ns. */
static int is_tick(const char *line, uint64_t *ns)
{
	const char *arg = line + strlen("tick ");

	if (strncmp(line, "tick ", strlen("tick ")) || strchr(arg, ' '))
		return 0;
	return !parse_duration(arg, ns) && *ns;
}

/*
 * Sleep until @played_ns of simulated time since the start of the ticks
 * is due in wall-clock time.  0, or -EINTR after SIGINT.
 */
static int wait_for(const struct player *p, uint64_t played_ns)
{
	double wall_ns = (double)played_ns / p->speed;
	struct timespec t = p->start;
	uint64_t ns;
	int ret;

	ns = wall_ns < (double)MAX_WAIT_NS ? (uint64_t)wall_ns : MAX_WAIT_NS;
	t.tv_sec += (time_t)(ns / NSEC_PER_SEC);
	t.tv_nsec += (long)(ns % NSEC_PER_SEC);
	if (t.tv_nsec >= (long)NSEC_PER_SEC) {
		t.tv_sec++;
		t.tv_nsec -= (long)NSEC_PER_SEC;
	}
	/* The results so far, for whoever reads them as they come. */
	fflush(stdout);
	while (!interrupted) {
		ret = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
		if (!ret)
			return 0;
		if (ret != EINTR)
			return -ret;
	}
	return -EINTR;
}

/* "tick DURATION" in steps of at most PLAY_STEP_NS, each on time. */
static int play_tick(struct player *p, struct image *img, const char *line,
		     uint64_t ns, struct seq_buf *result, struct seq_buf *err)
{
	char done_str[32], step[sizeof("tick ") + sizeof(done_str)];
	const char *op = line;
	uint64_t done, len;
	int ret;

	if (!p->ticking) {
		if (clock_gettime(CLOCK_MONOTONIC, &p->start))
			return -errno;
		p->played_ns = 0;
		p->ticking = 1;
	}
	for (done = 0; done < ns; done += len) {
		len = ns - done < PLAY_STEP_NS ? ns - done : PLAY_STEP_NS;
		ret = wait_for(p, p->played_ns + len);
		if (ret == -EINTR)
			goto interrupted;
		if (ret) {
			seq_printf(err, "clock_nanosleep: %s", strerror(-ret));
			return ret;
		}
		if (len < ns) {
			format_duration(done_str, sizeof(done_str), len);
			snprintf(step, sizeof(step), "tick %s", done_str);
			op = step;
		}
		seq_buf_reset(result);
		ret = image_apply(img, op, result, err);
		if (ret)
			return ret;
		p->played_ns += len;
	}
	return 0;

interrupted:
	if (done) {
		format_duration(done_str, sizeof(done_str), done);
		seq_printf(err, "interrupted after %s of '%s'", done_str, line);
	} else {
		seq_printf(err, "interrupted before '%s'", line);
	}
	return -EINTR;
}

/* script_apply()'s hook: ticks in wall-clock time, the rest at once. */
static int play_line(struct image *img, const char *line,
		     struct seq_buf *result, struct seq_buf *err, void *arg)
{
	struct player *p = arg;
	uint64_t ns;
	int ret;

	if (is_tick(line, &ns)) {
		/* Refused as run would refuse it, before any step. */
		ret = op_validate(line, err);
		if (ret)
			return ret;
		return play_tick(p, img, line, ns, result, err);
	}
	p->ticking = 0;
	if (interrupted) {
		seq_printf(err, "interrupted before '%s'", line);
		return -EINTR;
	}
	return image_apply(img, line, result, err);
}

int cmd_play(int argc, const char **argv)
{
	char *speed = NULL;
	struct poptOption options[] = {
		{"speed", '\0', POPT_ARG_STRING, &speed, 0,
		 "play X times faster than wall-clock time (default 1)", "X"},
		POPT_TABLEEND};
	struct player p = {.speed = 1};
	struct sigaction sa, old_sa;
	struct script *s = NULL;
	struct mmsim_args a;
	struct image *img;
	struct seq_buf err;
	int ret;

	seq_buf_init(&err);
	ret = mmsim_parse("play", argc, argv, options, 0, 2, 2, &a);
	if (ret >= 0)
		goto out;
	if (speed && parse_speed(speed, &p.speed)) {
		mmsim_error("play: --speed %s: not a positive number "
			    "(e.g. 10, 0.5)",
			    speed);
		ret = EXIT_USAGE;
		goto out;
	}
	if (script_load("play", a.argv[1], &s)) {
		ret = 1;
		goto out;
	}
	ret = image_open(a.argv[0], IMAGE_RDWR, &img, &err);
	if (ret) {
		ret = mmsim_fail("play", &err, ret);
		goto out;
	}

	/*
	 * SA_RESTART for stdout and the image; clock_nanosleep() is never
	 * restarted, so SIGINT cuts a wait short.  A SIGINT ignored from
	 * the start (a background job of a script) stays ignored.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	sigaction(SIGINT, NULL, &old_sa);
	if (old_sa.sa_handler != SIG_IGN)
		sigaction(SIGINT, &sa, NULL);
	ret = script_apply(s, img, play_line, &p);
	sigaction(SIGINT, &old_sa, NULL);
	if (ret == -EINTR && interrupted)
		ret = EXIT_INTERRUPTED;
	else
		ret = ret ? 1 : 0;
	image_close(img);
out:
	script_free(s);
	seq_buf_free(&err);
	free(speed);
	mmsim_args_free(&a);
	return ret;
}
