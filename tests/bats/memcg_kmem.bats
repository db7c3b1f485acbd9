#!/usr/bin/env bats
# Kernel memory in the memory controller (mm/memcontrol.c obj_cgroup
# charging, mm/slub.c): the slab objects a group's processes allocate are
# in its memory.stat and memory.current, and its parent's, read through
# the mounted files.

load helper

CG=/sys/fs/cgroup

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
	new_image m.img --mem 2G
	mmsim do "$IMG" cgroup set / cgroup.subtree_control +memory
	mmsim do "$IMG" cgroup create kubepods
	mmsim do "$IMG" cgroup set kubepods cgroup.subtree_control +memory
	mmsim do "$IMG" cgroup create kubepods/pod1
}

# stat GROUP KEY...: the values of KEYs in GROUP's memory.stat, in order
stat() {
	local group=$1
	shift
	mx "$IMG" awk -v keys="$*" \
		'BEGIN { n = split(keys, k) } { v[$1] = $2 }
		 END { for (i = 1; i <= n; i++) print v[k[i]] }' \
		"$CG/$group/memory.stat"
}

# A process of the pod maps 60 regions, touches them and forks twice.
mapper() {
	{
		echo "P = spawn app cgroup=/kubepods/pod1"
		for i in $(seq 30); do
			echo "A$i = mmap \$P 64K"
			echo "touch \$P \$A$i 4K write"
			echo "B$i = mmap \$P 64K prot=r"
			echo "touch \$P \$B$i 4K read"
		done
		echo "C1 = fork \$P"
		echo "C2 = fork \$C1"
	} | mmsim run "$IMG" - >/dev/null
}

# Files created from outside, dropped from the caches, then read by a
# process of the pod through mmap: their dentries, inodes and index
# nodes are looked up again on the pod's behalf.
reader() {
	{
		for i in $(seq 40); do
			echo "file create /data/f$i 256K"
		done
		echo "sysctl vm.drop_caches=3"
		echo "P = spawn reader cgroup=/kubepods/pod1"
		for i in $(seq 40); do
			echo "A$i = mmap \$P 256K file=/data/f$i"
			echo "touch \$P \$A$i 256K read"
		done
	} | mmsim run "$IMG" - >/dev/null
}

@test "a pod whose process maps many regions and forks has slab_unreclaimable, and slab is the sum" {
	run stat kubepods/pod1 slab_unreclaimable
	unrcl0=$output
	mapper
	run stat kubepods/pod1 slab_reclaimable slab_unreclaimable slab
	assert_success
	read -r -d '' rcl unrcl slab <<<"$output" || true
	# 60 VMAs and more, each vm_area_struct 192 bytes and its objcg
	[ "$unrcl" -gt $((unrcl0 + 60 * 200)) ]
	[ "$slab" -eq $((rcl + unrcl)) ]
	run mmsim check "$IMG"
	assert_success
}

@test "a pod reading many files has slab_reclaimable from dentries, inodes and index nodes" {
	reader
	run stat kubepods/pod1 slab_reclaimable slab_unreclaimable slab
	assert_success
	read -r -d '' rcl unrcl slab <<<"$output" || true
	# 40 ext4 inodes (1128 bytes) and dentries (192), with their objcgs
	[ "$rcl" -gt $((40 * (1136 + 200))) ]
	[ "$slab" -eq $((rcl + unrcl)) ]
	run mmsim check "$IMG"
	assert_success
}

@test "memory.current is anon + file + kernel + sock, and kernel holds the slab's pages" {
	mapper
	reader
	run stat kubepods/pod1 anon file kernel sock kernel_stack pagetables slab shmem swapcached
	assert_success
	read -r -d '' anon file kernel sock stack pt slab shmem swapcached <<<"$output" || true
	[ "$swapcached" -eq 0 ]
	run mx "$IMG" cat $CG/kubepods/pod1/memory.current
	assert_output $((anon + file + kernel + sock))
	# the slab's bytes charged in whole pages: at most one page over
	kmem=$((kernel - stack - pt))
	[ "$kmem" -ge "$slab" ]
	[ "$kmem" -lt $((slab + 4096)) ]
	[ $((kmem % 4096)) -eq 0 ]
}

# What making a group charges its parent in slab on 1 node: memcg_vmstats
# (kmalloc-cg-2k), mem_cgroup_per_node (kmalloc-cg-512) and lruvec_stats
# (kmalloc-cg-1k), each with an 8-byte objcg pointer.
MEMCG_CSS_SLAB=$((2048 + 8 + 512 + 8 + 1024 + 8))

@test "a child's kernel memory is in its parent's memory.stat and memory.current" {
	mapper
	run stat kubepods/pod1 slab kernel
	assert_success
	read -r -d '' slab kernel <<<"$output" || true
	# of its own the parent holds pod1's statistics, percpu and slab,
	# charged in whole pages
	run stat kubepods percpu
	own_pages=$(((output + MEMCG_CSS_SLAB + 4095) / 4096 * 4096))
	run stat kubepods slab kernel
	assert_output "$(printf '%s\n%s' $((slab + MEMCG_CSS_SLAB)) $((kernel + own_pages)))"
	run mx "$IMG" cat $CG/kubepods/pod1/memory.current $CG/kubepods/memory.current
	read -r -d '' a b <<<"$output" || true
	[ $((a + own_pages)) -eq "$b" ]
}

@test "when the processes exit, the pod keeps only its cached files' objects; drop_caches takes those" {
	reader
	mapper
	run stat kubepods/pod1 slab_reclaimable
	before=$output
	pids=$(mx "$IMG" cat $CG/kubepods/pod1/cgroup.procs)
	for p in $pids; do
		mmsim do "$IMG" exit "$p"
	done
	run stat kubepods/pod1 slab_reclaimable slab_unreclaimable
	read -r -d '' rcl unrcl <<<"$output" || true
	assert_equal "$unrcl" 0
	# the dentries and inodes stay cached, charged to the pod
	[ "$rcl" -gt $((40 * (1136 + 200))) ]
	[ "$rcl" -le "$before" ]
	mmsim do "$IMG" sysctl vm.drop_caches=3
	run stat kubepods/pod1 slab kernel
	assert_output "0
0"
	run mmsim check "$IMG"
	assert_success
}

# percpu PATH...: memory.stat percpu of each group, then memory.current of
# each, then /proc/meminfo's Percpu in kB, one a line
percpu() {
	local g args=""
	for g in "$@"; do
		args="$args $CG/$g/memory.stat"
	done
	mx "$IMG" sh -c '
		for f in "$@"; do awk "\$1 == \"percpu\" { print \$2 }" "$f"; done
		for f in "$@"; do cat "${f%.stat}.current"; done
		awk "\$1 == \"Percpu:\" { print \$2 }" /proc/meminfo' sh $args
}

# A memcg's percpu statistics on 4 CPUs and 1 node: memcg_vmstats_percpu
# (1216 bytes) and lruvec_stats_percpu (528), each 4 copies plus an objcg
# pointer per 4 bytes (pcpu_obj_full_size()).
MEMCG_PERCPU=$(((1216 + 528) * 4 + (1216 + 528) / 4 * 8))

@test "making child groups charges their parent's memory.stat percpu and memory.current, and populates Percpu" {
	run percpu kubepods
	assert_success
	read -r -d '' pct cur kb <<<"$output" || true
	# pod1's statistics, charged when setup made it; /kubepods has no
	# process, so its memory.current is the pages of those bytes and
	# pod1's slab objects
	assert_equal "$pct" "$MEMCG_PERCPU"
	assert_equal "$cur" $(((pct + MEMCG_CSS_SLAB + 4095) / 4096 * 4096))
	for i in $(seq 2 9); do
		mmsim do "$IMG" cgroup create kubepods/pod$i
	done
	run percpu kubepods
	read -r -d '' pct9 cur9 kb9 <<<"$output" || true
	assert_equal "$pct9" $((9 * MEMCG_PERCPU))
	assert_equal "$cur9" $(((pct9 + 9 * MEMCG_CSS_SLAB + 4095) / 4096 * 4096))
	run mx "$IMG" awk '$1 == "slab_unreclaimable" { print $2 }' $CG/kubepods/memory.stat
	assert_output $((9 * MEMCG_CSS_SLAB))
	# 8 * 1744 bytes a unit take new pages, one on each of the 4 CPUs
	[ "$kb9" -ge $((kb + 3 * 4 * 4)) ]
	[ $(((kb9 - kb) % 16)) -eq 0 ]
	run mmsim check "$IMG"
	assert_success
	for i in $(seq 2 9); do
		mx "$IMG" rmdir $CG/kubepods/pod$i
	done
	run percpu kubepods
	assert_output "$pct
$cur
$kb"
	run mmsim check "$IMG"
	assert_success
}

@test "a grandchild's percpu is charged to its parent and counted up the tree; rmdir returns it" {
	mmsim do "$IMG" cgroup set kubepods/pod1 cgroup.subtree_control +memory
	mx "$IMG" mkdir $CG/kubepods/pod1/c1
	run percpu kubepods/pod1 kubepods
	assert_output "$MEMCG_PERCPU
$((MEMCG_PERCPU * 2))
$(((MEMCG_PERCPU + MEMCG_CSS_SLAB + 4095) / 4096 * 4096))
$(((MEMCG_PERCPU + MEMCG_CSS_SLAB + 4095) / 4096 * 4096 * 2))
$(mx "$IMG" awk '$1 == "Percpu:" { print $2 }' /proc/meminfo)"
	mx "$IMG" rmdir $CG/kubepods/pod1/c1
	run percpu kubepods/pod1
	assert_output "0
0
$(mx "$IMG" awk '$1 == "Percpu:" { print $2 }' /proc/meminfo)"
	run mmsim check "$IMG"
	assert_success
}

@test "a new group's structures are charged to its parent; at the parent's limit with nothing to reclaim or kill, mkdir fails with ENOMEM" {
	mx "$IMG" mkdir $CG/kubepods/pod2
	run stat kubepods slab_unreclaimable
	assert_output $((2 * MEMCG_CSS_SLAB))
	# no process below /kubepods: nothing to reclaim, nobody to kill
	cur=$(mx "$IMG" cat $CG/kubepods/memory.current)
	mx "$IMG" sh -c "echo $cur > $CG/kubepods/memory.max"
	run mx "$IMG" mkdir $CG/kubepods/pod3
	assert_failure
	assert_output --partial "Cannot allocate memory"
	run mx "$IMG" test -e $CG/kubepods/pod3
	assert_failure
	run mmsim do "$IMG" cgroup create kubepods/pod3
	assert_failure
	assert_output --partial "kubepods/pod3"
	run stat kubepods slab_unreclaimable
	assert_output $((2 * MEMCG_CSS_SLAB))
	run mx "$IMG" cat $CG/kubepods/memory.current
	assert_output "$cur"
	mx "$IMG" sh -c "echo max > $CG/kubepods/memory.max"
	mx "$IMG" mkdir $CG/kubepods/pod3
	run stat kubepods slab_unreclaimable
	assert_output $((3 * MEMCG_CSS_SLAB))
	run mmsim check "$IMG"
	assert_success
}
