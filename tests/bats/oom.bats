#!/usr/bin/env bats
# The OOM killer without swap (issue 5): when reclaim cannot meet a fault,
# the task with the highest badness dies, its memory comes back, and the
# kernel log has the block the kernel writes, which `dmesg -F` prints.

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
	new_image m.img --mem 4G
	mmsim run "$IMG" - <<-'EOF'
		a = spawn small
		am = mmap $a 512M
		touch $a $am 512M write
		b = spawn medium
		bm = mmap $b 1G
		touch $b $bm 1G write
		c = spawn large
		cm = mmap $c 1536M
		touch $c $cm 1536M write
	EOF
}

pid_of() {
	mx "$IMG" pgrep -x "$1"
}

# hog: a fourth process that writes 1 GiB.
hog() {
	local pid addr
	pid=$(mmsim do "$IMG" spawn hog)
	addr=$(mmsim do "$IMG" mmap "$pid" 1G)
	mmsim do "$IMG" touch "$pid" "$addr" 1G write
}

@test "oom_score orders the processes by the memory they hold" {
	small=$(mx "$IMG" cat "/proc/$(pid_of small)/oom_score")
	medium=$(mx "$IMG" cat "/proc/$(pid_of medium)/oom_score")
	large=$(mx "$IMG" cat "/proc/$(pid_of large)/oom_score")
	[ "$small" -lt "$medium" ]
	[ "$medium" -lt "$large" ]
	assert_equal "$(mx "$IMG" cat /proc/1/oom_score)" 0
}

@test "a fourth process writing 1 GiB brings the OOM killer: the 1.5 GiB one dies" {
	large=$(pid_of large)
	snap a
	run hog
	assert_success
	snap b
	assert_equal "$(delta oom_kill a b)" 1
	run pid_of large
	assert_failure
	run pid_of hog
	assert_success
	run pid_of medium
	assert_success
	run mx "$IMG" dmesg -F /proc/kmsg
	assert_success
	assert_line --regexp '^\[ *[0-9.]+\] hog invoked oom-killer: gfp_mask=0x140cca\(GFP_HIGHUSER_MOVABLE\|__GFP_COMP\), order=0, oom_score_adj=0$'
	assert_line --regexp '^\[ *[0-9.]+\] Mem-Info:$'
	assert_line --regexp '^\[ *[0-9.]+\] \[  pid  \]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name$'
	assert_line --regexp "^\[ *[0-9.]+\] oom-kill:constraint=CONSTRAINT_NONE,nodemask=\(null\),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=large,pid=$large,uid=0$"
	assert_line --regexp "^\[ *[0-9.]+\] Out of memory: Killed process $large \(large\) total-vm:[0-9]+kB, anon-rss:157[0-9]{4}kB, file-rss:[0-9]+kB, shmem-rss:0kB, UID:0 pgtables:[0-9]+kB oom_score_adj:0$"
	# the kill line is an error, the table information
	run mx "$IMG" dmesg -F /proc/kmsg --level=err
	assert_output --partial "Killed process $large (large)"
	run mmsim check "$IMG"
	assert_success
}

@test "oom_score_adj=-1000 makes the 1.5 GiB one immune: the 1 GiB one dies instead" {
	large=$(pid_of large)
	medium=$(pid_of medium)
	mmsim do "$IMG" oom_score_adj "$large" -1000
	assert_equal "$(mx "$IMG" cat "/proc/$large/oom_score")" 0
	run hog
	assert_success
	run pid_of large
	assert_success
	run pid_of medium
	assert_failure
	run mx "$IMG" dmesg -F /proc/kmsg
	assert_output --partial "Killed process $medium (medium)"
}

@test "a process that is itself the worst is killed in its own fault" {
	pid=$(mmsim do "$IMG" spawn glutton)
	addr=$(mmsim do "$IMG" mmap "$pid" 3G)
	run mmsim do "$IMG" touch "$pid" "$addr" 3G write
	assert_success
	assert_output "touch: $pid was killed (out of memory)"
	run pid_of glutton
	assert_failure
	run mmsim check "$IMG"
	assert_success
}
