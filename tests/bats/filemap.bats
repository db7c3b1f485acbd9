#!/usr/bin/env bats
# The page cache on the simulated disk, dirty pages and writeback, tmpfs
# and shared memory (issue 4), through unmodified tools: procps 4.0.2's
# `free -b` (used = total - available: shmem is not available memory, so
# a tmpfs file raises "used" as on a real host), /proc/meminfo,
# /proc/vmstat, /proc/PID/{maps,smaps,status}, /proc/sysvipc/shm and
# util-linux's `ipcs -m`.  Each test boots its own small machine.

load helper

# ext4 keeps each inode in a 4 KiB block of its inode table, which goes
# through the disk's page cache (Buffers): creating, writing or removing a
# file dirties that block.
INODE_BLOCK_KB=4

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
	new_image m.img --mem 4G
}

# assert_cache_grew A B BYTES: from snapshot A to B the page cache
# (Cached) grew by exactly BYTES, and free's buff/cache by that plus what
# Buffers and SReclaimable grew by (the radix_tree_node slab that indexes
# the new pages, as on a real kernel): under 1% of it.
assert_cache_grew() {
	local a=$1 b=$2 bytes=$3 more
	assert_equal "$(delta Cached "$a" "$b")" $((bytes / 1024))
	more=$((($(delta Buffers "$a" "$b") + $(delta SReclaimable "$a" "$b")) * 1024))
	assert_equal "$(delta cache "$a" "$b")" $((bytes + more))
	[ $((more * 100)) -le "$bytes" ] || [ "$more" -le 0 ] ||
		fail "buff/cache grew by $more bytes besides the $bytes cached"
}

# assert_used_grew A B BYTES: free's used (total - MemAvailable) grew by
# BYTES of memory that is not available, plus the page tables, plus at
# most what the slab grew by (MemAvailable counts part of SReclaimable).
assert_used_grew() {
	local a=$1 b=$2 bytes=$3 used pt slab
	used=$(delta used "$a" "$b")
	assert_equal "$used" $((-$(delta MemAvailable "$a" "$b") * 1024))
	pt=$(($(delta PageTables "$a" "$b") * 1024))
	slab=$(($(delta Slab "$a" "$b") * 1024))
	[ "$slab" -ge 0 ] || slab=0
	[ "$used" -ge $((bytes + pt)) ] && [ "$used" -le $((bytes + pt + slab)) ] ||
		fail "used grew by $used, not $bytes + $pt of page tables (+ up to $slab of slab)"
}

# meminfo_kb FIELD: a /proc/meminfo value now, in kB.
meminfo_kb() {
	mx "$IMG" cat /proc/meminfo | awk -v f="$1:" '$1 == f { print $2 }'
}

# smaps_rss PID NAME: Rss (kB) of the mapping whose pathname is NAME (the
# pathname starts at column 74, where show_map_vma() pads it to).
smaps_rss() {
	mx "$IMG" cat "/proc/$1/smaps" | awk -v name="$2" '
		/^[0-9a-f]+-[0-9a-f]+ / { cur = substr($0, 74); next }
		cur == name && $1 == "Rss:" { print $2; exit }'
}

# script: apply the operations on stdin in one `mmsim run`.
script() {
	mmsim run "$IMG" -
}

# ops: how many operations the image's journal holds.
ops() {
	mmsim log "$IMG" | wc -l
}

# The sysvipc_shm_proc_show() format of Linux 6.18 (ipc/shm.c, 64-bit).
SHM_HEADER='       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap'
shm_row() {
	printf '%10d %10d  %4o %21d %5d %5d  %5d %5d %5d %5d %5d %10d %10d %10d %21d %21d\n' "$@"
}

# now_s: the simulated wall clock in seconds, btime plus whole seconds
# of uptime.
now_s() {
	mx "$IMG" awk '$1 == "btime" { b = $2 }
		END { getline u <"/proc/uptime"; split(u, f, "."); print b + f[1] }' \
		/proc/stat
}

@test "a touched 1 GiB shared file mapping: buff/cache grows by 1 GiB, used only by its page tables" {
	mmsim do "$IMG" file create /data/big 1G
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 1G file=/data/big shared)
	snap a "/proc/$pid/status"
	mmsim do "$IMG" touch "$pid" "$addr" 1G write
	snap b "/proc/$pid/status"
	assert_cache_grew a b $((1 << 30))
	assert_equal "$(delta shared a b)" 0
	assert_equal "$(delta Mapped a b)" 1048576
	# the cache is available memory: "used" moves by the page tables
	assert_used_grew a b 0
	[ "$(delta used a b)" -lt $(((1 << 30) / 100)) ]
	assert_equal "$(delta RssFile a b)" 1048576
	assert_equal "$(smaps_rss "$pid" /data/big)" 1048576
	run mmsim check "$IMG"
	assert_success
}

@test "a written private mapping of a fresh file: used and buff/cache both grow by its size" {
	mmsim do "$IMG" file create /data/fresh 1G
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 1G file=/data/fresh private)
	snap a
	mmsim do "$IMG" touch "$pid" "$addr" 1G write
	snap b
	# each page read from the file, then copied: cache and anon
	assert_cache_grew a b $((1 << 30))
	assert_used_grew a b $((1 << 30))
	assert_equal "$(delta shared a b)" 0
	assert_equal "$(delta AnonPages a b)" 1048576
	assert_equal "$(delta pgpgin a b)" 1048576
	# a private copy never dirties the file
	assert_equal "$(delta Dirty a b)" 0
	run mmsim check "$IMG"
	assert_success
}

@test "1 GiB of private anonymous memory: only used grows" {
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 1G)
	snap a
	mmsim do "$IMG" touch "$pid" "$addr" 1G write
	snap b
	assert_equal "$(delta cache a b)" 0
	assert_equal "$(delta shared a b)" 0
	assert_used_grew a b $((1 << 30))
	assert_equal "$(delta AnonPages a b)" 1048576
}

@test "1 GiB shared anonymous between parent and child: shared and buff/cache grow by 1 GiB once" {
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 1G shared)
	child=$(mmsim do "$IMG" fork "$pid")
	snap a
	mmsim do "$IMG" touch "$pid" "$addr" 1G write
	mmsim do "$IMG" touch "$child" "$addr" 1G write
	snap b "/proc/$child/status"
	assert_equal "$(delta shared a b)" $((1 << 30))
	assert_cache_grew a b $((1 << 30))
	assert_equal "$(delta Shmem a b)" 1048576
	assert_equal "$(delta AnonPages a b)" 0
	# shmem is not available memory
	assert_used_grew a b $((1 << 30))
	assert_equal "$(val b RssShmem)" 1048576
	# one object: the same /dev/zero inode in both
	run mx "$IMG" grep -h '/dev/zero (deleted)' "/proc/$pid/maps" \
		"/proc/$child/maps"
	assert_equal "${#lines[@]}" 2
	assert_equal "${lines[0]}" "${lines[1]}"
	assert_line --index 0 --regexp '^[0-9a-f]+-[0-9a-f]+ rw-s 00000000 00:01 [0-9]+ +/dev/zero \(deleted\)$'
	# it lives until its last mapping goes
	mmsim do "$IMG" exit "$pid"
	snap c
	assert_equal "$(delta Shmem a c)" 1048576
	mmsim do "$IMG" exit "$child"
	snap d
	assert_equal "$(delta Shmem a d)" 0
	run mmsim check "$IMG"
	assert_success
}

@test "a 1 GiB file in /dev/shm: shared, buff/cache and used grow by 1 GiB and drop_caches keeps it" {
	snap a
	mmsim do "$IMG" file create /dev/shm/big 1G
	snap b
	assert_equal "$(delta shared a b)" $((1 << 30))
	assert_cache_grew a b $((1 << 30))
	assert_used_grew a b $((1 << 30))
	# a disk file read through the cache: clean and unmapped
	script <<-'EOF'
		file create /data/r 256M
		file read /data/r
	EOF
	snap c
	assert_equal "$(delta pgpgin b c)" $((262144 + INODE_BLOCK_KB))
	assert_cache_grew b c $((256 << 20))
	mmsim do "$IMG" sysctl vm.drop_caches=3
	snap d
	assert_equal "$(delta drop_pagecache c d)" 1
	assert_equal "$(delta shared c d)" 0
	assert_equal "$(delta Shmem c d)" 0
	[ "$(val d cache)" -ge $((1 << 30)) ]
	[ "$(delta cache d c)" -ge $((256 << 20)) ]
	# all of /data/r went: reading it again reads it all from the disk
	mmsim do "$IMG" file read /data/r
	snap e
	# (its inode's table block is dirty, so it was not dropped)
	assert_equal "$(delta pgpgin d e)" 262144
	run mmsim check "$IMG"
	assert_success
}

@test "echo 3 > /proc/sys/vm/drop_caches inside mmsim exec: journaled, drops the clean cache, keeps tmpfs" {
	script <<-'EOF'
		file create /dev/shm/big 256M
		file create /data/r 64M
		file read /data/r
	EOF
	snap a
	n=$(ops)
	run mx "$IMG" sh -c 'echo 3 > /proc/sys/vm/drop_caches'
	assert_success
	run mmsim log "$IMG"
	assert_equal "${#lines[@]}" $((n + 1))
	assert_line --index "$n" --regexp '(^|[[:space:]])sysctl vm\.drop_caches=3$'
	snap b
	assert_equal "$(delta shared a b)" 0
	assert_equal "$(delta Shmem a b)" 0
	assert_equal "$(delta drop_pagecache a b)" 1
	[ "$(delta cache b a)" -ge $((64 << 20)) ]
	[ "$(val b cache)" -ge $((256 << 20)) ]
	# /data/r is read from the disk again; the tmpfs file needs no read
	script <<-'EOF'
		file read /data/r
		file read /dev/shm/big
	EOF
	snap c
	assert_equal "$(delta pgpgin b c)" 65536
	assert_equal "$(delta Shmem a c)" 0
}

@test "dirty pages survive drop_caches until sync" {
	mmsim do "$IMG" sysctl vm.drop_caches=3
	snap a
	script <<-'EOF'
		file create /data/d 0
		file write /data/d 0 64M
	EOF
	snap b
	assert_cache_grew a b $((64 << 20))
	assert_equal "$(delta Dirty a b)" $((65536 + INODE_BLOCK_KB))
	assert_equal "$(delta nr_dirtied a b)" 16385
	mmsim do "$IMG" sysctl vm.drop_caches=3
	snap c
	assert_equal "$(delta Cached b c)" 0
	assert_equal "$(delta Buffers b c)" 0
	assert_equal "$(delta Dirty b c)" 0
	# what free calls buff/cache: Buffers + Cached + SReclaimable
	assert_equal "$(val c cache)" \
		$((($(val c Buffers) + $(val c Cached) + $(val c SReclaimable)) * 1024))
	mmsim do "$IMG" sync
	snap d
	assert_equal "$(val d Dirty)" 0
	assert_equal "$(delta nr_written c d)" "$(val c nr_dirty)"
	# written back, still cached until dropped
	assert_equal "$(delta Cached c d)" 0
	mmsim do "$IMG" sysctl vm.drop_caches=1
	snap e
	[ "$(delta Cached e d)" -ge 65536 ]
	mmsim do "$IMG" file read /data/d
	snap f
	assert_equal "$(delta pgpgin e f)" 65536
	run mmsim check "$IMG"
	assert_success
}

@test "the flusher writes dirty pages back once they are dirty_expire_centisecs old" {
	snap a
	script <<-'EOF'
		file create /data/w 0
		file write /data/w 0 64M
	EOF
	snap b
	dirty0=$(val a Dirty)
	assert_equal "$(delta Dirty a b)" $((65536 + INODE_BLOCK_KB))
	assert_equal "$(val b nr_dirty)" $(((dirty0 + 65536 + INODE_BLOCK_KB) / 4))
	assert_equal "$(delta nr_dirtied a b)" 16385
	mmsim do "$IMG" tick 10s
	snap c
	assert_equal "$(delta Dirty a c)" $((65536 + INODE_BLOCK_KB))
	assert_equal "$(delta nr_written a c)" 0
	assert_equal "$(delta pgpgout a c)" 0
	mmsim do "$IMG" tick 25s
	snap d
	assert_equal "$(val d Dirty)" 0
	assert_equal "$(val d nr_dirty)" 0
	assert_equal "$(delta nr_dirtied a d)" 16385
	# every dirty page went, the boot's too
	assert_equal "$(delta nr_written a d)" $(((dirty0 + 65536 + INODE_BLOCK_KB) / 4))
	# /proc/vmstat shows pgpgout in KiB (the kernel counts 512-byte
	# sectors and halves them): 4 a page
	assert_equal "$(delta pgpgout a d)" $((dirty0 + 65536 + INODE_BLOCK_KB))
	run mmsim check "$IMG"
	assert_success
}

@test "dirty_writeback_centisecs=0 stops the flusher; dirty_expire_centisecs sets the age it writes" {
	script <<-'EOF'
		sync
		sysctl vm.dirty_writeback_centisecs=0
		file create /data/w 0
		file write /data/w 0 8M
		tick 2m
	EOF
	assert_equal "$(meminfo_kb Dirty)" $((8192 + INODE_BLOCK_KB))
	script <<-'EOF'
		sysctl vm.dirty_writeback_centisecs=100
		sysctl vm.dirty_expire_centisecs=200
		tick 1s
	EOF
	assert_equal "$(meminfo_kb Dirty)" 0
	script <<-'EOF'
		file write /data/w 0 8M
		tick 1s
	EOF
	assert_equal "$(meminfo_kb Dirty)" $((8192 + INODE_BLOCK_KB))
	mmsim do "$IMG" tick 2s
	assert_equal "$(meminfo_kb Dirty)" 0
}

@test "a page written back while mapped shared is write-protected: the next store dirties it again; drop_caches keeps it" {
	mmsim do "$IMG" file create /data/m 4M
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 4M file=/data/m shared)
	mmsim do "$IMG" touch "$pid" "$addr" 4M write
	mmsim do "$IMG" sync
	snap a
	assert_equal "$(val a Dirty)" 0
	mmsim do "$IMG" touch "$pid" "$addr" 4M write
	snap b
	assert_equal "$(val b Dirty)" 4096
	assert_equal "$(delta nr_dirtied a b)" 1024
	assert_equal "$(delta pgfault a b)" 1024
	# clean mapped pages stay through drop_caches: a read faults no more
	# and reads nothing from the disk
	mmsim do "$IMG" sync
	snap c
	script <<-EOF
		sysctl vm.drop_caches=1
		touch $pid $addr 4M read
	EOF
	snap d
	assert_equal "$(delta pgfault c d)" 0
	assert_equal "$(delta pgpgin c d)" 0
	run mmsim check "$IMG"
	assert_success
}

@test "a writer past vm.dirty_bytes writes back itself: Dirty never ends above the threshold" {
	mmsim do "$IMG" sysctl vm.dirty_bytes=16777216
	snap a
	assert_equal "$(val a nr_dirty_threshold)" 4096
	assert_equal "$(val a nr_dirty_background_threshold)" 2048
	script <<-'EOF'
		file create /data/w 0
		file write /data/w 0 256M
	EOF
	snap b
	[ "$(val b Dirty)" -le 16384 ]
	[ "$(delta nr_written a b)" -ge $((65536 - 4096)) ]
	# in small writes too, with no tick for the flusher
	for i in 0 3 6 9 12 15; do
		mmsim do "$IMG" file write /data/w "${i}M" 3M
		[ "$(meminfo_kb Dirty)" -le 16384 ]
	done
	run mmsim check "$IMG"
	assert_success
}

@test "a throttled writer leaves Dirty between the background threshold and dirty_bytes" {
	script <<-'EOF'
		sysctl vm.dirty_bytes=16777216
		file create /data/w 0
		file write /data/w 0 256M
	EOF
	dirty=$(meminfo_kb Dirty)
	[ "$dirty" -le 16384 ]
	[ "$dirty" -ge 8192 ]
}

@test "stores through a shared file mapping are throttled at vm.dirty_bytes too" {
	script <<-'EOF'
		sysctl vm.dirty_bytes=16777216
		file create /data/m 256M
	EOF
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 256M file=/data/m shared)
	mmsim do "$IMG" touch "$pid" "$addr" 256M write
	[ "$(meminfo_kb Dirty)" -le 16384 ]
}

@test "removing a file with dirty pages discards them; a mapped removed file lives until unmapped" {
	snap a
	script <<-'EOF'
		file create /data/d 0
		file write /data/d 0 8M
		file rm /data/d
	EOF
	snap b
	assert_equal "$(delta Dirty a b)" "$INODE_BLOCK_KB"
	assert_equal "$(delta nr_written a b)" 0
	assert_equal "$(delta cache a b)" $((INODE_BLOCK_KB * 1024))
	run mmsim do "$IMG" file read /data/d
	assert_failure
	mmsim do "$IMG" file create /data/m 16M
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 16M file=/data/m shared)
	snap c
	script <<-EOF
		touch $pid $addr 16M read
		file rm /data/m
	EOF
	snap d "/proc/$pid/maps"
	assert_cache_grew c d $((16 << 20))
	run grep -E "^${addr#0x}-[0-9a-f]+ rw-s 00000000 fe:00 [0-9]+ +/data/m \(deleted\)$" \
		"$BATS_TEST_TMPDIR/snap.d"
	assert_success
	# the name is free again; the old inode goes with its mapping
	script <<-EOF
		file create /data/m 4K
		munmap $pid $addr 16M
	EOF
	snap e
	# all that stays is the new inode's table block
	assert_equal "$(delta cache c e)" $((INODE_BLOCK_KB * 1024))
	run mmsim check "$IMG"
	assert_success
}

@test "a tmpfs mount refuses a file past its size, changing nothing" {
	mmsim do "$IMG" tmpfs mount /mnt/t 16M
	n=$(ops)
	snap a
	run --separate-stderr mmsim do "$IMG" file create /mnt/t/big 32M
	assert_err 'no space|ENOSPC'
	assert_equal "$(ops)" "$n"
	snap b
	run diff "$BATS_TEST_TMPDIR/snap.a" "$BATS_TEST_TMPDIR/snap.b"
	assert_success
	run mmsim do "$IMG" file read /mnt/t/big
	assert_failure
	# exactly the size fits, then not one page more
	mmsim do "$IMG" file create /mnt/t/full 16M
	snap c
	assert_equal "$(delta Shmem a c)" 16384
	run --separate-stderr mmsim do "$IMG" file create /mnt/t/one 4K
	assert_err 'no space|ENOSPC'
	run --separate-stderr mmsim do "$IMG" file write /mnt/t/full 16M 4K
	assert_err 'no space|ENOSPC'
	# rewriting what is there needs no space
	mmsim do "$IMG" file write /mnt/t/full 0 16M
	# removing the file gives the space back
	script <<-'EOF'
		file rm /mnt/t/full
		file create /mnt/t/one 4K
	EOF
	snap d
	assert_equal "$(delta Shmem a d)" 4
	run --separate-stderr mmsim do "$IMG" tmpfs mount /mnt/t 1M
	assert_err 'already'
	run mmsim check "$IMG"
	assert_success
}

@test "touching a shared mapping of a tmpfs file past the mount's size fails" {
	# a sparse 32 MiB file on a 16 MiB mount: only its last MiB has pages
	script <<-'EOF'
		tmpfs mount /mnt/t 16M
		file create /mnt/t/s 0
		file write /mnt/t/s 31M 1M
	EOF
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 32M file=/mnt/t/s shared)
	snap a
	mmsim do "$IMG" touch "$pid" "$addr" 15M write
	n=$(ops)
	run --separate-stderr mmsim do "$IMG" touch "$pid" $((addr + (15 << 20))) 4K write
	assert_err 'no space|SIGBUS'
	assert_equal "$(ops)" "$n"
	snap b "/proc/$pid/status"
	assert_equal "$(delta Shmem a b)" 15360
	assert_equal "$(val b RssShmem)" 15360
	assert_equal "$(smaps_rss "$pid" /mnt/t/s)" 15360
	# the pages that hold data are there to touch
	mmsim do "$IMG" touch "$pid" $((addr + (31 << 20))) 1M write
	run mmsim check "$IMG"
	assert_success
}

@test "maps names shared memory as the kernel does, and status and smaps count what was touched" {
	pid=$(mmsim do "$IMG" spawn app)
	mmsim do "$IMG" shm open pg 1M
	a1=$(mmsim do "$IMG" mmap "$pid" 1M shm=pg shared)
	id=$(mmsim do "$IMG" shm get 0xabcd 2M)
	a2=$(mmsim do "$IMG" shm attach "$pid" "$id")
	a3=$(mmsim do "$IMG" mmap "$pid" 3M shared)
	mmsim do "$IMG" file create /var/log/x 64K
	a4=$(mmsim do "$IMG" mmap "$pid" 64K file=/var/log/x shared)
	snap a "/proc/$pid/status"
	script <<-EOF
		file rm /var/log/x
		touch $pid $a1 1M write
		touch $pid $a2 512K read
		touch $pid $a3 3M write
		touch $pid $a4 64K read
	EOF
	snap b "/proc/$pid/status"
	run mx "$IMG" cat "/proc/$pid/maps"
	assert_line --regexp "^${a1#0x}-[0-9a-f]+ rw-s 00000000 00:[0-9a-f]{2} [0-9]+ +/dev/shm/pg$"
	assert_line --regexp "^${a2#0x}-[0-9a-f]+ rw-s 00000000 00:01 $id +/SYSV0000abcd \(deleted\)$"
	assert_line --regexp "^${a3#0x}-[0-9a-f]+ rw-s 00000000 00:01 [0-9]+ +/dev/zero \(deleted\)$"
	assert_line --regexp "^${a4#0x}-[0-9a-f]+ rw-s 00000000 fe:00 [0-9]+ +/var/log/x \(deleted\)$"
	# the pathname starts at column 74, where show_map_vma() pads it to
	assert_line --regexp "^${a1#0x}-.{60}/dev/shm/pg$"
	assert_equal "$(smaps_rss "$pid" /dev/shm/pg)" 1024
	assert_equal "$(smaps_rss "$pid" '/SYSV0000abcd (deleted)')" 512
	assert_equal "$(smaps_rss "$pid" '/dev/zero (deleted)')" 3072
	assert_equal "$(smaps_rss "$pid" '/var/log/x (deleted)')" 64
	assert_equal "$(delta RssShmem a b)" 4608
	assert_equal "$(delta RssFile a b)" 64
	assert_equal "$(delta RssAnon a b)" 0
	assert_equal "$(val b VmRSS)" \
		$(($(val b RssAnon) + $(val b RssFile) + $(val b RssShmem)))
	# an unlinked POSIX name stays mapped, "(deleted)"; the name is free
	mmsim do "$IMG" shm unlink pg
	run mx "$IMG" grep /dev/shm/pg "/proc/$pid/maps"
	assert_output --regexp ' /dev/shm/pg \(deleted\)$'
	mmsim do "$IMG" shm open pg 4K
	run --separate-stderr mmsim do "$IMG" shm open pg 4K
	assert_err 'exists'
	run mmsim check "$IMG"
	assert_success
}

@test "/proc/sysvipc/shm has the kernel's header and row format, and ipcs -m reads it" {
	if [ -r /proc/sysvipc/shm ]; then
		# the host's own kernel writes the same header
		assert_equal "$(head -1 /proc/sysvipc/shm)" "$SHM_HEADER"
	fi
	run mx "$IMG" cat /proc/sysvipc/shm
	assert_success
	assert_output "$SHM_HEADER"
	pid=$(mmsim do "$IMG" spawn db uid=1000)
	t0=$(now_s)
	id=$(mmsim do "$IMG" shm get 0xabcd 1000000 pid="$pid")
	assert_equal "$id" 0
	mmsim do "$IMG" tick 10s
	child=$(mmsim do "$IMG" fork "$pid")
	addr=$(mmsim do "$IMG" shm attach "$pid" "$id")
	mmsim do "$IMG" shm attach "$child" "$id" >/dev/null
	t1=$(now_s)
	assert_equal "$t1" $((t0 + 10))
	mmsim do "$IMG" touch "$pid" "$addr" 1000000 write
	# a negative key_t prints signed, as %10d does
	id2=$(mmsim do "$IMG" shm get 0xe579f37b 4096)
	assert_equal "$id2" 1
	run mx "$IMG" cat /proc/sysvipc/shm
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 "$SHM_HEADER"
	assert_line --index 1 "$(shm_row 43981 0 0600 1000000 "$pid" "$child" 2 1000 1000 1000 1000 "$t1" 0 "$t0" 1003520 0)"
	assert_line --index 2 "$(shm_row -444992645 1 0600 4096 0 0 0 0 0 0 0 0 0 "$t1" 0 0)"
	run mx "$IMG" ipcs -m
	assert_success
	assert_line --regexp '^0x0000abcd +0 +[^ ]+ +600 +1000000 +2 *$'
	assert_line --regexp '^0xe579f37b +1 +root +600 +4096 +0 *$'
	run mmsim check "$IMG"
	assert_success
}

@test "shm rm of an attached segment marks it dest (key 0, mode 1600) until the last detach" {
	pid=$(mmsim do "$IMG" spawn db)
	id=$(mmsim do "$IMG" shm get 0x1234 8M pid="$pid")
	addr=$(mmsim do "$IMG" shm attach "$pid" "$id")
	mmsim do "$IMG" touch "$pid" "$addr" 8M write
	child=$(mmsim do "$IMG" fork "$pid")
	shmem=$(meminfo_kb Shmem)
	# the child inherits the attach
	run mx "$IMG" awk -v id="$id" '$2 == id { print $1, $3, $7 }' /proc/sysvipc/shm
	assert_output "4660 600 2"
	mmsim do "$IMG" shm rm "$id"
	run mx "$IMG" sh -c 'cat /proc/sysvipc/shm; ipcs -m'
	assert_line --regexp "^ +0 +$id  1600 +8388608 +$pid +$pid  +2 "
	assert_line --regexp "^0x00000000 +$id +[^ ]+ +600 +8388608 +2 +dest *\$"
	# no new attach to a removed segment, and the key is free again
	run --separate-stderr mmsim do "$IMG" shm attach "$pid" "$id"
	assert_err "no segment $id"
	id2=$(mmsim do "$IMG" shm get 0x1234 4K)
	[ "$id2" != "$id" ]
	mmsim do "$IMG" exit "$child"
	run mx "$IMG" awk -v id="$id" '$2 == id { print $1, $3, $7 }' /proc/sysvipc/shm
	assert_output "0 1600 1"
	assert_equal "$(meminfo_kb Shmem)" "$shmem"
	mmsim do "$IMG" exit "$pid"
	run mx "$IMG" sh -c 'cat /proc/sysvipc/shm; grep ^Shmem: /proc/meminfo'
	refute_line --regexp "^ +[0-9-]+ +$id "
	assert_line --regexp "^Shmem: +$((shmem - 8192)) kB$"
	# an unattached segment goes at once
	mmsim do "$IMG" shm rm "$id2"
	run mx "$IMG" cat /proc/sysvipc/shm
	assert_output "$SHM_HEADER"
	run mmsim check "$IMG"
	assert_success
}

@test "a detach stamps dtime and lpid even when others stay attached" {
	pid=$(mmsim do "$IMG" spawn db)
	id=$(mmsim do "$IMG" shm get 0x99 4K)
	mmsim do "$IMG" shm attach "$pid" "$id" >/dev/null
	other=$(mmsim do "$IMG" spawn other)
	mmsim do "$IMG" shm attach "$other" "$id" >/dev/null
	mmsim do "$IMG" tick 5s
	t=$(now_s)
	mmsim do "$IMG" exit "$other"
	run mx "$IMG" awk -v id="$id" '$2 == id { print $6, $7, $13 }' /proc/sysvipc/shm
	assert_output "$other 1 $t"
}

@test "shm get with an existing key returns its segment; POSIX objects are sparse" {
	id=$(mmsim do "$IMG" shm get 0x42 64K)
	assert_equal "$(mmsim do "$IMG" shm get 66 64K)" "$id"
	assert_equal "$(mmsim do "$IMG" shm get 0x42 4K)" "$id"
	run --separate-stderr mmsim do "$IMG" shm get 0x42 128K
	assert_err 'size'
	# IPC_PRIVATE always makes a new one
	a=$(mmsim do "$IMG" shm get 0 4K)
	b=$(mmsim do "$IMG" shm get 0 4K)
	[ "$a" != "$b" ]
	pid=$(mmsim do "$IMG" spawn app)
	snap a
	mmsim do "$IMG" shm open big 1G
	snap b
	assert_equal "$(delta Shmem a b)" 0
	addr=$(mmsim do "$IMG" mmap "$pid" 1G shm=big shared)
	# its holes read as zeroes and stay holes
	script <<-EOF
		touch $pid $addr 64M write
		file read /dev/shm/big
	EOF
	snap c
	assert_equal "$(delta Shmem a c)" 65536
	assert_equal "$(delta pgpgin a c)" 0
	script <<-EOF
		shm unlink big
		exit $pid
	EOF
	snap d
	assert_equal "$(delta Shmem a d)" 0
	run mmsim check "$IMG"
	assert_success
}

@test "file, shm, tmpfs and sync reject bad input, journaling nothing" {
	mmsim do "$IMG" file create /data/f 1M
	pid=$(mmsim do "$IMG" spawn app)
	n=$(ops)
	snap a
	run --separate-stderr mmsim do "$IMG" file frob /data/f
	assert_err 'usage'
	run --separate-stderr mmsim do "$IMG" file
	assert_err 'usage'
	run --separate-stderr mmsim do "$IMG" file create /data/g
	assert_err 'usage'
	run --separate-stderr mmsim do "$IMG" file read /data/f 1M
	assert_err 'usage'
	for p in data/g /data/../g /data/./g /data//g /data/g/ /; do
		run --separate-stderr mmsim do "$IMG" file create "$p" 1M
		assert_err "bad path"
	done
	for s in 1Q -1 17T; do
		run --separate-stderr mmsim do "$IMG" file create /data/g "$s"
		assert_err "bad size"
	done
	run --separate-stderr mmsim do "$IMG" file write /data/f zz 4K
	assert_err "bad size"
	for op in read write rm; do
		run --separate-stderr mmsim do "$IMG" file "$op" /data/nope
		assert_err '/data/nope: no such file'
	done
	run --separate-stderr mmsim do "$IMG" file create /data/f 1M
	assert_err 'exists'
	run --separate-stderr mmsim do "$IMG" file create /run 1M
	assert_err 'mount point'
	run --separate-stderr mmsim do "$IMG" mmap "$pid" 1M file=/data/nope shared
	assert_err 'no such file'
	run --separate-stderr mmsim do "$IMG" mmap "$pid" 1M shm=nope shared
	assert_err 'no such file'
	for k in zz 0x1ffffffff 12abc; do
		run --separate-stderr mmsim do "$IMG" shm get "$k" 4K
		assert_err 'bad key'
	done
	run --separate-stderr mmsim do "$IMG" shm get 5 0
	assert_err 'size'
	run --separate-stderr mmsim do "$IMG" shm get 5 1Q
	assert_err 'bad size'
	run --separate-stderr mmsim do "$IMG" shm get 5 4K pid=99999
	assert_err 'no process'
	run --separate-stderr mmsim do "$IMG" shm attach "$pid" 77
	assert_err 'no segment 77'
	run --separate-stderr mmsim do "$IMG" shm attach 99999 0
	assert_err 'no process|99999'
	run --separate-stderr mmsim do "$IMG" shm rm 77
	assert_err 'no segment 77'
	run --separate-stderr mmsim do "$IMG" shm rm -1
	assert_err 'bad shmid'
	for name in a/b .. .; do
		run --separate-stderr mmsim do "$IMG" shm open "$name" 1M
		assert_err 'bad name'
	done
	run --separate-stderr mmsim do "$IMG" shm unlink nope
	assert_err 'no such file'
	run --separate-stderr mmsim do "$IMG" shm frob
	assert_err 'usage'
	run --separate-stderr mmsim do "$IMG" tmpfs mount /mnt/x 0
	assert_err 'bad size'
	run --separate-stderr mmsim do "$IMG" tmpfs mount mnt/x 1M
	assert_err 'bad path'
	run --separate-stderr mmsim do "$IMG" tmpfs umount /run
	assert_err 'usage'
	run --separate-stderr mmsim do "$IMG" sync now
	assert_err 'usage'
	assert_equal "$(ops)" "$n"
	snap b
	run diff "$BATS_TEST_TMPDIR/snap.a" "$BATS_TEST_TMPDIR/snap.b"
	assert_success
	run mmsim check "$IMG"
	assert_success
}
