#!/usr/bin/env bats
# The memory controller's files in the cgroup v2 hierarchy (mm/memcontrol.c):
# which groups have them, in what order and with what modes, what they
# read at first, and the syntax their writes take.  Charging and what the
# limits do to a group's processes are the business of other suites.

load helper

CG=/sys/fs/cgroup

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
	MNT="$BATS_TEST_TMPDIR/mnt"
	mkdir -p "$MNT"
	new_image m.img --mem 2G
}

teardown() {
	unmount_all "$MNT"
}

# A group "a" with a memory css: memory handed down from the root.
memory_group() {
	mmsim do "$IMG" cgroup set / cgroup.subtree_control +memory
	mmsim do "$IMG" cgroup create a
}

# memory_files[], swap_files[] and zswap_files[] of 6.18, in order
MEMORY_FILES='memory.current
memory.peak
memory.min
memory.low
memory.high
memory.max
memory.events
memory.events.local
memory.stat
memory.numa_stat
memory.oom.group
memory.reclaim
memory.swap.current
memory.swap.high
memory.swap.max
memory.swap.peak
memory.swap.events
memory.zswap.current
memory.zswap.max
memory.zswap.writeback'

@test "the root has the memory files allowed on it, after the core files" {
	run mx "$IMG" bash -c "ls -f $CG | grep -v '^\\.'"
	assert_success
	assert_output "cgroup.procs
cgroup.threads
cgroup.controllers
cgroup.subtree_control
cgroup.max.descendants
cgroup.max.depth
cgroup.stat
cpu.stat
cpu.stat.local
io.pressure
memory.pressure
cpu.pressure
cgroup.pressure
memory.stat
memory.numa_stat
memory.reclaim
memory.zswap.writeback"
	run mx "$IMG" stat -c '%A %n' $CG/memory.stat $CG/memory.numa_stat \
		$CG/memory.reclaim $CG/memory.zswap.writeback $CG/memory.pressure
	assert_output "-r--r--r-- $CG/memory.stat
-r--r--r-- $CG/memory.numa_stat
--w------- $CG/memory.reclaim
-rw-r--r-- $CG/memory.zswap.writeback
-rw-r--r-- $CG/memory.pressure"
	# the root's memory.pressure is the system's
	run mx "$IMG" bash -c "diff $CG/memory.pressure /proc/pressure/memory"
	assert_success
	run mx "$IMG" cat $CG/memory.current
	assert_failure
	# cgroup.pressure 0 hides the stall files
	mmsim do "$IMG" cgroup set / cgroup.pressure 0
	run mx "$IMG" bash -c "ls $CG | grep -c '\.pressure$'"
	assert_output 1
}

@test "a child with +memory has all of them in the kernel's order; one without, none" {
	mmsim do "$IMG" cgroup create plain
	memory_group
	mmsim do "$IMG" cgroup create a/b
	run mx "$IMG" bash -c "ls -f $CG/a | grep '^memory\\.' | grep -v pressure"
	assert_output "$MEMORY_FILES"
	# memory is not handed down below a; plain, made before +memory,
	# has its css now: the parent's subtree_control is what counts
	run mx "$IMG" bash -c "ls $CG/a/b | grep '^memory\\.'"
	assert_output memory.pressure
	run mx "$IMG" bash -c "ls $CG/plain | grep -c '^memory\\.'"
	assert_output 21
	# only the core memory.pressure, which every group has
	mmsim do "$IMG" cgroup set / cgroup.subtree_control -memory
	run mx "$IMG" bash -c "ls $CG/a | grep memory"
	assert_output memory.pressure
	run mx "$IMG" cat $CG/a/memory.max
	assert_failure
	run mmsim do "$IMG" cgroup set a memory.max 1G
	assert_failure
	assert_output --partial 'has no file memory.max'
}

@test "the memory files' modes and defaults" {
	memory_group
	run mx "$IMG" bash -c "cd $CG/a && stat -c '%A %s %n' memory.* | grep -v pressure"
	assert_output "-r--r--r-- 0 memory.current
-r--r--r-- 0 memory.events
-r--r--r-- 0 memory.events.local
-rw-r--r-- 0 memory.high
-rw-r--r-- 0 memory.low
-rw-r--r-- 0 memory.max
-rw-r--r-- 0 memory.min
-r--r--r-- 0 memory.numa_stat
-rw-r--r-- 0 memory.oom.group
-rw-r--r-- 0 memory.peak
--w------- 0 memory.reclaim
-r--r--r-- 0 memory.stat
-r--r--r-- 0 memory.swap.current
-r--r--r-- 0 memory.swap.events
-rw-r--r-- 0 memory.swap.high
-rw-r--r-- 0 memory.swap.max
-rw-r--r-- 0 memory.swap.peak
-r--r--r-- 0 memory.zswap.current
-rw-r--r-- 0 memory.zswap.max
-rw-r--r-- 0 memory.zswap.writeback"
	run mx "$IMG" bash -c "cd $CG/a && for f in min low high max swap.high \
		swap.max zswap.max oom.group zswap.writeback swap.current \
		zswap.current; do echo \$f \$(cat memory.\$f); done"
	assert_output "min 0
low 0
high max
max max
swap.high max
swap.max max
zswap.max max
oom.group 0
zswap.writeback 1
swap.current 0
zswap.current 0"
	# a write-only file cannot be read
	run mx "$IMG" cat $CG/a/memory.reclaim
	assert_failure
}

@test "limits take page_counter_memparse syntax, rounded down to pages" {
	memory_group
	mmsim mount "$IMG" "$MNT"
	local f="$MNT$CG/a/memory.max"
	echo 512M >"$f"
	run cat "$f"
	assert_output 536870912
	echo 5000 >"$f"
	run cat "$f"
	assert_output 4096
	echo ' 0x2000 ' >"$f"
	run cat "$f"
	assert_output 8192
	# a leading 0 is octal: 020000 is 8192
	echo 020000 >"$f"
	run cat "$f"
	assert_output 8192
	echo 1g >"$f"
	run cat "$f"
	assert_output 1073741824
	echo 2T >"$f"
	run cat "$f"
	assert_output 2199023255552
	# less than a page is no page
	echo 1K >"$f"
	run cat "$f"
	assert_output 0
	echo max >"$f"
	run cat "$f"
	assert_output max
	# capped at PAGE_COUNTER_MAX, which reads as max
	echo 8E >"$f"
	run cat "$f"
	assert_output max
	echo 0 >"$f"
	run cat "$f"
	assert_output 0
	# the other limits and protections alike
	for k in min low high swap.max swap.high; do
		echo 64M >"$MNT$CG/a/memory.$k"
		run cat "$MNT$CG/a/memory.$k"
		assert_output 67108864
	done
	run mmsim log "$IMG"
	assert_line --partial 'cgroup set /a memory.max 512M'
	assert_line --partial 'cgroup set /a memory.swap.high 64M'
}

@test "garbage in a limit is EINVAL and changes nothing" {
	memory_group
	mmsim do "$IMG" cgroup set a memory.max 256M
	mmsim mount "$IMG" "$MNT"
	local v
	for v in 1GB garbage 12x -1 1.5G 'max max' x10 '1 G'; do
		run bash -c "echo '$v' >$MNT$CG/a/memory.max"
		assert_failure
		assert_output --partial 'Invalid argument'
	done
	run bash -c "echo >$MNT$CG/a/memory.high"
	assert_failure
	assert_output --partial 'Invalid argument'
	run cat "$MNT$CG/a/memory.max"
	assert_output 268435456
	run cat "$MNT$CG/a/memory.high"
	assert_output max
	unmount_all "$MNT"
	run mmsim do "$IMG" cgroup set a memory.max 1GB
	assert_failure
	assert_output --partial "memory.max: '1GB': Invalid argument"
	run mmsim log "$IMG"
	refute_output --partial '1GB'
	refute_output --partial 'garbage'
	mmsim check "$IMG"
}

@test "memory.oom.group takes 0 or 1" {
	memory_group
	mmsim do "$IMG" cgroup set a memory.oom.group 1
	run mx "$IMG" cat $CG/a/memory.oom.group
	assert_output 1
	run mmsim do "$IMG" cgroup set a memory.oom.group 2
	assert_failure
	assert_output --partial 'Invalid argument'
	run mmsim do "$IMG" cgroup set a memory.oom.group yes
	assert_failure
	mmsim do "$IMG" cgroup set a memory.oom.group 0
	run mx "$IMG" cat $CG/a/memory.oom.group
	assert_output 0
	# the root has none
	run mmsim do "$IMG" cgroup set / memory.oom.group 1
	assert_failure
}

@test "memory.events, events.local and swap.events: the kernel's lines" {
	memory_group
	local events='low 0
high 0
max 0
oom 0
oom_kill 0
oom_group_kill 0
sock_throttled 0'
	run mx "$IMG" cat $CG/a/memory.events
	assert_output "$events"
	run mx "$IMG" cat $CG/a/memory.events.local
	assert_output "$events"
	run mx "$IMG" cat $CG/a/memory.swap.events
	assert_output "high 0
max 0
fail 0"
	run mx "$IMG" bash -c "cat $CG/a/memory.current $CG/a/memory.peak \
		$CG/a/memory.swap.peak"
	assert_output "0
0
0"
}

@test "memory.stat has every 6.18 key in order, numa_stat its node items" {
	memory_group
	local keys='anon file kernel kernel_stack pagetables sec_pagetables
		percpu sock vmalloc shmem zswap zswapped file_mapped file_dirty
		file_writeback swapcached anon_thp file_thp shmem_thp
		inactive_anon active_anon inactive_file active_file unevictable
		slab_reclaimable slab_unreclaimable slab workingset_refault_anon
		workingset_refault_file workingset_activate_anon
		workingset_activate_file workingset_restore_anon
		workingset_restore_file workingset_nodereclaim pgdemote_kswapd
		pgdemote_direct pgdemote_khugepaged pgdemote_proactive
		pgpromote_success pgscan pgsteal pswpin pswpout pgscan_kswapd
		pgscan_direct pgscan_khugepaged pgscan_proactive pgsteal_kswapd
		pgsteal_direct pgsteal_khugepaged pgsteal_proactive pgfault
		pgmajfault pgrefill pgactivate pgdeactivate pglazyfree
		pglazyfreed swpin_zero swpout_zero zswpin zswpout zswpwb
		thp_fault_alloc thp_collapse_alloc thp_swpout
		thp_swpout_fallback numa_pages_migrated numa_pte_updates
		numa_hint_faults'
	local k want=
	for k in $keys; do want+="$k"$'\n'; done
	for g in a ''; do
		run mx "$IMG" bash -c "cut -d' ' -f1 $CG/$g/memory.stat"
		assert_success
		assert_output "${want%$'\n'}"
		# "name value", the value a plain number
		run mx "$IMG" bash -c "grep -cvE '^[a-z_]+ [0-9]+\$' \
			$CG/$g/memory.stat"
		assert_output 0
	done
	# slab is the sum of its two parts
	run mx "$IMG" awk '{v[$1] = $2} END {
		print (v["slab"] == v["slab_reclaimable"] + v["slab_unreclaimable"])
	}' $CG/memory.stat
	assert_output 1
	new_image n.img --mem 2G --nodes 2
	mmsim do "$BATS_TEST_TMPDIR/n.img" cgroup set / cgroup.subtree_control +memory
	mmsim do "$BATS_TEST_TMPDIR/n.img" cgroup create a
	run mx "$BATS_TEST_TMPDIR/n.img" cat $CG/a/memory.numa_stat
	assert_line 'anon N0=0 N1=0'
	assert_line 'hugetlb N0=0 N1=0'
	assert_line 'pgpromote_success N0=0 N1=0'
	refute_line --partial 'kernel '
	refute_line --partial 'percpu'
	refute_line --partial 'slab '
	run mx "$BATS_TEST_TMPDIR/n.img" bash -c "cut -d' ' -f1 $CG/a/memory.numa_stat | tr '\n' ' '"
	assert_output 'anon file kernel_stack pagetables sec_pagetables shmem file_mapped file_dirty file_writeback swapcached anon_thp file_thp shmem_thp inactive_anon active_anon inactive_file active_file unevictable slab_reclaimable slab_unreclaimable hugetlb workingset_refault_anon workingset_refault_file workingset_activate_anon workingset_activate_file workingset_restore_anon workingset_restore_file workingset_nodereclaim pgdemote_kswapd pgdemote_direct pgdemote_khugepaged pgdemote_proactive pgpromote_success '
}

@test "memory.reclaim syntax; peak resets are taken without an operation" {
	memory_group
	mmsim mount "$IMG" "$MNT"
	local r="$MNT$CG/a/memory.reclaim" v
	for v in '' garbage 1GB '1G swappiness=201' '1G swappiness=-1' \
		'1G swappiness=' '1G swap=10' 'swappiness=10'; do
		run bash -c "printf '%s\n' '$v' >$r"
		assert_failure
		assert_output --partial 'Invalid argument'
	done
	# nothing to reclaim is done at once
	echo '0 swappiness=max' >"$r"
	echo 1K >"$r"
	# an empty group has nothing to give: reclaim gives up (EAGAIN)
	for v in 1G '64M swappiness=0' '64M  swappiness=max'; do
		run bash -c "printf '%s\n' '$v' >$r"
		assert_failure
		assert_output --partial 'Resource temporarily unavailable'
	done
	echo reset >"$MNT$CG/a/memory.peak"
	echo reset >"$MNT$CG/a/memory.swap.peak"
	run cat "$MNT$CG/a/memory.peak"
	assert_output 0
	run mmsim log "$IMG"
	refute_output --partial 'peak'
	refute_output --partial 'swappiness=1'
	# PSI triggers, as on /proc/pressure/memory
	run bash -c "echo 'some 150000 1000000' >$MNT$CG/memory.pressure"
	assert_failure
	assert_output --partial 'Operation not supported'
	run bash -c "echo garbage >$MNT$CG/memory.pressure"
	assert_failure
	assert_output --partial 'Invalid argument'
}

@test "memory file names are taken: mkdir of one fails" {
	memory_group
	run mmsim do "$IMG" cgroup create a/memory.max
	assert_failure
	run mmsim do "$IMG" cgroup create memory.stat
	assert_failure
	mmsim check "$IMG"
}
