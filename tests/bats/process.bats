#!/usr/bin/env bats
# Processes and their address spaces through the operations and the
# real /proc files: demand paging, copy-on-write, unmapping, exit.

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
	mmsim create "$IMG" >/dev/null
}

# meminfo_kb FIELD: a /proc/meminfo value of the image, in kB.
meminfo_kb() {
	mx "$IMG" cat /proc/meminfo | awk -v f="$1:" '$1 == f { print $2 }'
}

vmstat_val() {
	mx "$IMG" cat /proc/vmstat | awk -v f="$1" '$1 == f { print $2 }'
}

# stat_field PID N: field N of /proc/PID/stat (1-based, comm has no blanks).
stat_field() {
	mx "$IMG" cat "/proc/$1/stat" | cut -d' ' -f"$2"
}

@test "mmap of 256 MiB changes nothing resident; touching it makes 65536 minor faults" {
	pid=$(mmsim do "$IMG" spawn app)
	anon0=$(meminfo_kb AnonPages)
	flt0=$(vmstat_val pgfault)
	addr=$(mmsim do "$IMG" mmap "$pid" 256M)
	assert_equal "$(meminfo_kb AnonPages)" "$anon0"
	assert_equal "$(vmstat_val pgfault)" "$flt0"
	minflt0=$(stat_field "$pid" 10)
	mmsim do "$IMG" touch "$pid" "$addr" 256M write
	assert_equal "$(($(vmstat_val pgfault) - flt0))" 65536
	assert_equal "$(($(stat_field "$pid" 10) - minflt0))" 65536
	assert_equal "$(($(meminfo_kb AnonPages) - anon0))" 262144
	# a second pass finds every page mapped: no fault
	mmsim do "$IMG" touch "$pid" "$addr" 256M write random
	assert_equal "$(($(vmstat_val pgfault) - flt0))" 65536
	run mmsim check "$IMG"
	assert_success
}

@test "reading untouched anonymous memory maps the zero page: faults, no frames" {
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 64M)
	anon0=$(meminfo_kb AnonPages)
	flt0=$(vmstat_val pgfault)
	mmsim do "$IMG" touch "$pid" "$addr" 64M read
	assert_equal "$(($(vmstat_val pgfault) - flt0))" 16384
	assert_equal "$(meminfo_kb AnonPages)" "$anon0"
	# writing then copies from the zero page: one fault a page
	mmsim do "$IMG" touch "$pid" "$addr" 64M write
	assert_equal "$(($(vmstat_val pgfault) - flt0))" 32768
	assert_equal "$(($(meminfo_kb AnonPages) - anon0))" 65536
}

@test "fork shares 64 MiB copy-on-write: reads copy nothing, writing half copies 8192 pages" {
	pid=$(mmsim do "$IMG" spawn redis)
	addr=$(mmsim do "$IMG" mmap "$pid" 64M)
	mmsim do "$IMG" touch "$pid" "$addr" 64M write
	anon0=$(meminfo_kb AnonPages)
	child=$(mmsim do "$IMG" fork "$pid")
	assert_equal "$(meminfo_kb AnonPages)" "$anon0"
	mmsim do "$IMG" touch "$child" "$addr" 64M read
	assert_equal "$(meminfo_kb AnonPages)" "$anon0"
	assert_equal "$(stat_field "$child" 10)" 0
	mmsim do "$IMG" touch "$child" "$addr" 32M write
	assert_equal "$(stat_field "$child" 10)" 8192
	assert_equal "$(($(meminfo_kb AnonPages) - anon0))" 32768
	# the parent's pages that the child copied are its own again: no copy
	mmsim do "$IMG" touch "$pid" "$addr" 32M write
	assert_equal "$(($(meminfo_kb AnonPages) - anon0))" 32768
	run mmsim check "$IMG"
	assert_success
}

@test "exit gives back every anonymous page, page table and kernel stack" {
	anon0=$(meminfo_kb AnonPages)
	pt0=$(meminfo_kb PageTables)
	ks0=$(meminfo_kb KernelStack)
	pid=$(mmsim do "$IMG" spawn worker)
	addr=$(mmsim do "$IMG" mmap "$pid" 128M)
	mmsim do "$IMG" touch "$pid" "$addr" 128M
	child=$(mmsim do "$IMG" fork "$pid")
	mmsim do "$IMG" touch "$child" "$addr" 16M
	[ "$(meminfo_kb AnonPages)" -gt $((anon0 + 131072)) ]
	mmsim do "$IMG" exit "$child"
	mmsim do "$IMG" exit "$pid"
	assert_equal "$(meminfo_kb AnonPages)" "$anon0"
	assert_equal "$(meminfo_kb PageTables)" "$pt0"
	assert_equal "$(meminfo_kb KernelStack)" "$ks0"
	run mx "$IMG" cat "/proc/$pid/stat"
	assert_failure
	run mmsim check "$IMG"
	assert_success
}

@test "munmap of part of a mapping frees its pages and shrinks the address space" {
	pid=$(mmsim do "$IMG" spawn app)
	vsz0=$(stat_field "$pid" 23)
	addr=$(mmsim do "$IMG" mmap "$pid" 64M)
	assert_equal "$(($(stat_field "$pid" 23) - vsz0))" $((64 << 20))
	mmsim do "$IMG" touch "$pid" "$addr" 64M
	anon=$(meminfo_kb AnonPages)
	mmsim do "$IMG" munmap "$pid" $((addr + (16 << 20))) 32M
	assert_equal "$((anon - $(meminfo_kb AnonPages)))" 32768
	assert_equal "$(($(stat_field "$pid" 23) - vsz0))" $((32 << 20))
	# the hole is unmapped: touching it is a segmentation fault
	run mmsim do "$IMG" touch "$pid" $((addr + (16 << 20))) 4K
	assert_failure
	assert_output --partial SIGSEGV
	run mmsim check "$IMG"
	assert_success
}

@test "mprotect read-only makes writes fault, and a failed touch changes nothing" {
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 1M)
	mmsim do "$IMG" mprotect "$pid" "$addr" 1M r
	ops=$(mmsim log "$IMG" | wc -l)
	run mmsim do "$IMG" touch "$pid" "$addr" 1M write
	assert_failure
	assert_equal "$(mmsim log "$IMG" | wc -l)" "$ops"
	mmsim do "$IMG" touch "$pid" "$addr" 1M read
	run mmsim do "$IMG" mprotect "$pid" "$addr" 1M rwq
	assert_failure
	assert_output --partial "bad protection"
}

@test "malloc: small requests come from the brk heap, large ones get a mapping freed at once" {
	pid=$(mmsim do "$IMG" spawn app)
	small=$(mmsim do "$IMG" malloc "$pid" 100)
	vsz0=$(stat_field "$pid" 23)
	big=$(mmsim do "$IMG" malloc "$pid" 1M)
	assert_equal "$(($(stat_field "$pid" 23) - vsz0))" $(((1 << 20) + 4096))
	# the large chunk sits in the mmap area, far above the heap
	[ $((big)) -gt $((small + (1 << 40))) ]
	mmsim do "$IMG" free "$pid" "$big"
	assert_equal "$(stat_field "$pid" 23)" "$vsz0"
	run mmsim do "$IMG" free "$pid" "$big"
	assert_failure
	assert_output --partial "not an allocated chunk"
}

@test "brk grows and shrinks the heap" {
	pid=$(mmsim do "$IMG" spawn app)
	b1=$(mmsim do "$IMG" brk "$pid" +1M)
	b2=$(mmsim do "$IMG" brk "$pid" -512K)
	assert_equal $((b1 - b2)) $((512 << 10))
	run mmsim do "$IMG" brk "$pid" -1T
	assert_failure
}

@test "the boot daemons run real programs that share their libraries" {
	run mx "$IMG" cat /proc/1/cmdline
	assert_output --partial systemd
	# every daemon maps libc, through the same cached pages
	mapped=$(meminfo_kb Mapped)
	sum=0
	for p in $(mx "$IMG" ls /proc | grep -E '^[0-9]+$'); do
		rss=$(mx "$IMG" cat "/proc/$p/statm" | cut -d' ' -f3)
		sum=$((sum + rss * 4))
	done
	[ "$sum" -gt "$mapped" ]
}

@test "process operations reject bad input with usage or the reason" {
	run mmsim do "$IMG" touch 99999 0x1000 4K
	assert_failure
	assert_output --partial "no process"
	run mmsim do "$IMG" mmap 2 1M
	assert_failure
	assert_output --partial "kernel thread"
	run mmsim do "$IMG" mmap 1 0
	assert_failure
	run mmsim do "$IMG" madvise 1 0x1000 4K sideways
	assert_failure
	assert_output --partial usage
	run mmsim do "$IMG" exit 1
	assert_failure
	run mmsim do "$IMG" kill 2 KILL
	assert_success
	pid=$(mmsim do "$IMG" spawn app)
	ops=$(mmsim log "$IMG" | wc -l)
	for bad in "munmap $pid 0x1001" "mprotect $pid 0x1001 4K r" \
		"madvise $pid 0x1001 4K random" "mmap $pid 4K at=0x1001" \
		"touch $pid 0x1000 4K passes=0" "kill $pid SIGFOO" \
		"spawn x color=blue" "brk $pid 4K" "malloc $pid -5" \
		"sysfs kernel/mm/ksm/run=1" \
		"sysfs kernel/mm/transparent_hugepage/enabled=sometimes"; do
		run mmsim do "$IMG" $bad
		assert_failure
		refute_output ""
	done
	assert_equal "$(mmsim log "$IMG" | wc -l)" "$ops"
	run mmsim check "$IMG"
	assert_success
}

@test "hugetlb mappings take reserved pages from the pool; fork shares them" {
	pid=$(mmsim do "$IMG" spawn pg)
	run mmsim do "$IMG" mmap "$pid" 64M hugetlb
	assert_failure
	assert_output --partial "huge pages wanted"
	mmsim do "$IMG" sysctl vm.nr_hugepages=40
	addr=$(mmsim do "$IMG" mmap "$pid" 64M hugetlb shared)
	assert_equal "$(meminfo_kb HugePages_Rsvd)" 32
	mmsim do "$IMG" touch "$pid" "$addr" 16M
	assert_equal "$(meminfo_kb HugePages_Free)" 32
	assert_equal "$(meminfo_kb HugePages_Rsvd)" 24
	child=$(mmsim do "$IMG" fork "$pid")
	mmsim do "$IMG" touch "$child" "$addr" 64M
	assert_equal "$(meminfo_kb HugePages_Free)" 8
	assert_equal "$(meminfo_kb HugePages_Rsvd)" 0
	# the pool cannot shrink below what is in use
	mmsim do "$IMG" sysctl vm.nr_hugepages=0
	assert_equal "$(meminfo_kb HugePages_Total)" 32
	run mmsim do "$IMG" munmap "$pid" $((addr + 4096)) 2M
	assert_failure
	mmsim do "$IMG" exit "$child"
	mmsim do "$IMG" exit "$pid"
	assert_equal "$(meminfo_kb HugePages_Free)" "$(meminfo_kb HugePages_Total)"
	run mmsim check "$IMG"
	assert_success
}

@test "madvise hugepage gives transparent huge pages: AnonHugePages and one fault per 2 MiB" {
	pid=$(mmsim do "$IMG" spawn jvm)
	addr=$(mmsim do "$IMG" mmap "$pid" 64M)
	mmsim do "$IMG" madvise "$pid" "$addr" 64M hugepage
	flt0=$(vmstat_val pgfault)
	mmsim do "$IMG" touch "$pid" "$addr" 64M
	assert_equal "$(meminfo_kb AnonHugePages)" 65536
	assert_equal "$(($(vmstat_val pgfault) - flt0))" 32
	assert_equal "$(vmstat_val thp_fault_alloc)" 32
	# a partial munmap splits one of them
	mmsim do "$IMG" munmap "$pid" $((addr + 4096)) 4K
	assert_equal "$(meminfo_kb AnonHugePages)" 63488
	assert_equal "$(vmstat_val thp_split_page)" 1
	run mmsim check "$IMG"
	assert_success
}

@test "transparent_hugepage/enabled takes always, madvise or never, and the faults follow it" {
	thp=/sys/kernel/mm/transparent_hugepage/enabled
	run mx "$IMG" cat "$thp"
	assert_output "always [madvise] never"
	run mx "$IMG" bash -c "echo sometimes > $thp"
	assert_failure
	mx "$IMG" bash -c "echo always > $thp"
	run mx "$IMG" cat "$thp"
	assert_output "[always] madvise never"
	pid=$(mmsim do "$IMG" spawn jvm)
	addr=$(mmsim do "$IMG" mmap "$pid" 8M)
	mmsim do "$IMG" touch "$pid" "$addr" 8M
	assert_equal "$(meminfo_kb AnonHugePages)" 8192
	mx "$IMG" bash -c "echo never > $thp"
	addr=$(mmsim do "$IMG" mmap "$pid" 8M)
	mmsim do "$IMG" touch "$pid" "$addr" 8M
	assert_equal "$(meminfo_kb AnonHugePages)" 8192
}

@test "the TLB file counts each process's references: 2 MiB entries cover a THP in one walk" {
	mmsim do "$IMG" sysfs kernel/mm/transparent_hugepage/enabled=always
	pid=$(mmsim do "$IMG" spawn jvm)
	addr=$(mmsim do "$IMG" mmap "$pid" 8M)
	mmsim do "$IMG" touch "$pid" "$addr" 8M random passes=4
	run mx "$IMG" cat /sys/kernel/mmsim/tlb
	assert_line --index 0 --partial "accesses dtlb_hits stlb_hits walks"
	assert_line "pid $pid jvm 8192 8188 0 4 1 0 0 0"
	small=$(mmsim do "$IMG" spawn small)
	addr=$(mmsim do "$IMG" mmap "$small" 64M)
	mmsim do "$IMG" touch "$small" "$addr" 64M read
	run mx "$IMG" cat /sys/kernel/mmsim/tlb
	assert_line --regexp "^pid $small small 16384 "
	run mx "$IMG" grep -c '^nr_tlb_' /proc/vmstat
	assert_output 4
}

@test "create --nopcid: every switch between processes flushes the TLB; with PCID it need not" {
	for pcid in "" --nopcid; do
		img="$BATS_TEST_TMPDIR/p$pcid.img"
		mmsim create "$img" --cpus 1 $pcid
		a=$(mmsim do "$img" spawn a)
		b=$(mmsim do "$img" spawn b)
		aa=$(mmsim do "$img" mmap "$a" 1M)
		bb=$(mmsim do "$img" mmap "$b" 1M)
		for round in 1 2 3; do
			mmsim do "$img" touch "$a" "$aa" 1M
			mmsim do "$img" touch "$b" "$bb" 1M
		done
		run mmsim check "$img"
		assert_success
		# the flushes column of process a: its first load only, or all three
		flushes=$(mx "$img" cat /sys/kernel/mmsim/tlb | awk -v p="$a" '$1 == "pid" && $2 == p { print $8 }')
		if [ -z "$pcid" ]; then
			assert_equal "$flushes" 1
		else
			assert_equal "$flushes" 3
		fi
	done
}

@test "mmap at=ADDR replaces what was mapped there, as MAP_FIXED does" {
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 8M)
	mmsim do "$IMG" touch "$pid" "$addr" 8M
	anon=$(meminfo_kb AnonPages)
	vsz=$(stat_field "$pid" 23)
	fixed=$(mmsim do "$IMG" mmap "$pid" 2M at=$((addr + (2 << 20))) prot=r)
	assert_equal "$((fixed))" "$((addr + (2 << 20)))"
	assert_equal "$(stat_field "$pid" 23)" "$vsz"
	assert_equal "$((anon - $(meminfo_kb AnonPages)))" 2048
	run mmsim do "$IMG" mmap "$pid" 4K at=0x1000
	assert_failure
	assert_output --partial mmap_min_addr
	run mmsim check "$IMG"
	assert_success
}
