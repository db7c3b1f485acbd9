#!/usr/bin/env bats
# The slab allocator through /proc/slabinfo, slabtop, vmstat -m and
# /proc/meminfo: the kernel's 2.1 format, slab that grows and shrinks in
# whole slabs, drop_caches, and the objects every process holds.

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/s.img"
	new_image s.img
}

# slab CACHE FIELD: a column of CACHE's /proc/slabinfo line (2 active_objs,
# 3 num_objs, 4 objsize, 5 objperslab, 6 pagesperslab, 15 num_slabs).
slab() {
	mx "$IMG" cat /proc/slabinfo | awk -v c="$1" -v f="$2" '$1 == c { print $f }'
}

meminfo_kb() {
	mx "$IMG" cat /proc/meminfo | awk -v f="$1:" '$1 == f { print $2 }'
}

# spawns N: a script that starts N processes, p1 ... pN.
spawns() {
	local i
	for ((i = 1; i <= $1; i++)); do
		echo "p$i = spawn app"
	done
}

exits() {
	local i
	for ((i = 1; i <= $1; i++)); do
		echo "exit \$p$i"
	done
}

@test "slabinfo: the 2.1 header, the kernel's columns, newest cache first, root only" {
	run mx "$IMG" cat /proc/slabinfo
	assert_success
	assert_line --index 0 'slabinfo - version: 2.1'
	assert_line --index 1 '# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>'
	# every line exactly as cache_show() prints it, and consistent
	bad=$(printf '%s\n' "$output" | awk 'NR > 2 {
		line = sprintf("%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d",
			$1, $2, $3, $4, $5, $6, $9, $10, $11, $14, $15, $16)
		if (line != $0 || $2 > $3 || $3 != $5 * $15 || $14 != $15 ||
		    $9 $10 $11 $16 != "0000")
			print
	}')
	assert_equal "$bad" ''
	# creation order reversed: dentry after kmalloc-8, which came after -96
	order=$(printf '%s\n' "$output" | awk '$1 == "dentry" || $1 == "kmalloc-8" || $1 == "kmalloc-96" { printf "%s ", $1 }')
	assert_equal "$order" 'dentry kmalloc-8 kmalloc-96 '
	assert_equal "$(printf '%s\n' "$output" | tail -2 | cut -d' ' -f1 | tr '\n' ' ')" 'kmem_cache_node kmem_cache '
	assert_line --regexp '^dentry +[0-9]+ +[0-9]+ +192 +21 +1 :'
	assert_line --regexp '^task_struct +[0-9]+ +[0-9]+ +5888 +5 +8 :'
	assert_line --regexp '^ext4_inode_cache +[0-9]+ +[0-9]+ +1128 +14 +4 :'
	# merged into kmalloc-cg-192 and kmalloc-cg-64, as SLUB does
	refute_line --regexp '^(cred_jar|fs_cache) '
	run mx "$IMG" stat -c %a /proc/slabinfo
	assert_output 400
	run mx "$IMG" setpriv --reuid=65534 --regid=65534 --clear-groups cat /proc/slabinfo
	assert_failure
	assert_output --partial 'Permission denied'
	# root may open it (CAP_DAC_OVERRIDE), and SLUB refuses the write
	run mx "$IMG" sh -c 'echo 1 > /proc/slabinfo'
	assert_failure
	assert_output --partial 'I/O error'
}

@test "slabtop -o and vmstat -m read it" {
	run --separate-stderr mx "$IMG" slabtop -o
	assert_success
	assert_line --regexp '^ Active / Total Objects \(% used\) +: [0-9]+ / [0-9]+'
	assert_line --regexp ' dentry +$'
	assert_line --regexp ' task_struct +$'
	run --separate-stderr mx "$IMG" vmstat -m
	assert_success
	assert_line --index 0 --regexp '^Cache +Num +Total +Size +Pages$'
	assert_line --regexp '^dentry +[0-9]+ +[0-9]+ +192 +21$'
	assert_line --regexp '^task_struct +[0-9]+ +[0-9]+ +5888 +5$'
}

@test "slab alloc dentry 2000000: Slab and SReclaimable grow by the new slabs; drop_caches gives them back" {
	slabs0=$(slab dentry 15)
	slab0=$(meminfo_kb Slab)
	srec0=$(meminfo_kb SReclaimable)
	sunr0=$(meminfo_kb SUnreclaim)
	mmsim do "$IMG" slab alloc dentry 2000000
	slabs1=$(slab dentry 15)
	# the free room of the partial slabs goes first, then whole new slabs
	assert [ $((slabs1 - slabs0)) -ge $(((2000000 - $(slab dentry 3)) / 21)) ]
	assert [ $((slabs1 - slabs0)) -le $((2000000 / 21 + 1)) ]
	grown=$(((slabs1 - slabs0) * 4))
	assert_equal "$(($(meminfo_kb Slab) - slab0))" "$grown"
	assert_equal "$(($(meminfo_kb SReclaimable) - srec0))" "$grown"
	assert_equal "$(meminfo_kb SUnreclaim)" "$sunr0"
	assert_equal "$(slab dentry 2)" "$(slab dentry 3)"
	mx "$IMG" sh -c 'echo 2 > /proc/sys/vm/drop_caches'
	# the 2000000 and the boot's unused dentries and inodes go
	assert [ "$(meminfo_kb SReclaimable)" -lt "$srec0" ]
	assert [ "$(slab dentry 15)" -lt "$slabs0" ]
	assert_equal "$(meminfo_kb SUnreclaim)" "$sunr0"
	run mx "$IMG" cat /proc/vmstat
	assert_line 'drop_slab 1'
	assert_line --regexp '^slabs_scanned [0-9]{7,}$'
	run mmsim check "$IMG"
	assert_success
}

@test "slab free gives back what slab alloc took, no more; sysctl vm.drop_caches=2 shrinks" {
	line0=$(mx "$IMG" grep '^kmalloc-1k ' /proc/slabinfo)
	slab0=$(meminfo_kb Slab)
	mmsim do "$IMG" slab alloc kmalloc-1k 1600
	# 100 slabs' worth: the partial slabs' room, then new slabs
	assert [ "$(slab kmalloc-1k 15)" -gt "$(echo "$line0" | awk '{ print $15 }')" ]
	assert [ "$(meminfo_kb Slab)" -gt "$slab0" ]
	mmsim do "$IMG" slab free kmalloc-1k 1600
	assert_equal "$(mx "$IMG" grep '^kmalloc-1k ' /proc/slabinfo)" "$line0"
	assert_equal "$(meminfo_kb Slab)" "$slab0"
	mmsim do "$IMG" slab alloc inode_cache 1300
	mmsim do "$IMG" sysctl vm.drop_caches=2
	run mmsim do "$IMG" slab free inode_cache 1
	assert_failure
	assert_output --partial '0 were allocated by hand'
}

@test "processes hold task_struct, mm_struct and vm_area_struct objects; exit gives them back" {
	for c in task_struct mm_struct vm_area_struct pid signal_cache; do
		eval "num0_$c=$(slab $c 3) act0_$c=$(slab $c 2)"
	done
	cp "$IMG" "$BATS_TEST_TMPDIR/spawned.img"
	spawns 30 | mmsim run "$BATS_TEST_TMPDIR/spawned.img" -
	IMG0=$IMG
	IMG="$BATS_TEST_TMPDIR/spawned.img"
	for c in task_struct mm_struct vm_area_struct pid signal_cache; do
		eval "act0=\$act0_$c"
		assert [ "$(slab $c 2)" -gt "$act0" ]
	done
	IMG=$IMG0
	{
		spawns 30
		exits 30
	} | mmsim run "$IMG" -
	for c in task_struct mm_struct vm_area_struct pid signal_cache; do
		eval "num0=\$num0_$c act0=\$act0_$c"
		assert_equal "$(slab $c 3)" "$num0"
		assert [ "$(slab $c 2)" -le "$act0" ]
	done
	run mmsim check "$IMG"
	assert_success
}

@test "slab: bad input is refused with the reason and changes nothing" {
	before=$(sha "$IMG")
	run mmsim do "$IMG" slab alloc no_such_cache 5
	assert_failure
	assert_output --partial "no cache named 'no_such_cache'"
	for count in 0 -3 12x 1.5 ''; do
		run mmsim do "$IMG" slab alloc dentry $count
		assert_failure
	done
	run mmsim do "$IMG" slab alloc dentry 0
	assert_output --partial "bad count '0'"
	run mmsim do "$IMG" slab free dentry 1
	assert_failure
	assert_output --partial 'cannot free 1 dentry objects'
	run mmsim do "$IMG" slab grow dentry 1
	assert_failure
	assert_output --partial 'usage: slab'
	run mmsim do "$IMG" slab alloc dentry 5 node=1
	assert_failure
	assert_output --partial 'no node 1'
	# more than the machine holds: out of memory, nothing taken
	run mmsim do "$IMG" slab alloc task_struct 100000000
	assert_failure
	assert_output --partial 'out of memory'
	assert_equal "$(sha "$IMG")" "$before"
}
