#!/usr/bin/env bats
# Page reclaim without swap: an operation short of memory reclaims clean
# page cache itself (direct reclaim, an allocation stall), kswapd does it
# during tick, referenced mapped pages survive a streaming read, dirty
# pages are written back before they go, and the reclaimable slab caches
# are shrunk.  Anonymous memory cannot go anywhere without swap: past the
# cache, the OOM killer (oom.bats) frees it.

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
	new_image m.img --mem 2G
}

# script: apply the operations on stdin to $IMG.
script() {
	mmsim run "$IMG" -
}

@test "anonymous memory takes the place of clean page cache: direct reclaim" {
	script <<-'EOF'
		file create /data/big 1500M
		file read /data/big
	EOF
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 1200M)
	snap a
	mmsim do "$IMG" touch "$pid" "$addr" 1200M write
	snap b
	assert_equal "$(delta AnonPages a b)" $((1200 * 1024))
	# the cache gave way: by at least what free memory could not cover
	[ "$(delta Cached b a)" -ge $((1200 * 1024 - $(val a MemFree))) ]
	[ "$(delta allocstall_dma32 a b)" -gt 0 ]
	[ "$(delta pgscan_direct a b)" -ge "$(delta pgsteal_direct a b)" ]
	[ "$(delta pgsteal_direct a b)" -gt 0 ]
	assert_equal "$(delta pgsteal_file a b)" "$(delta pgsteal_direct a b)"
	assert_equal "$(delta pgsteal_anon a b)" 0
	assert_equal "$(delta pgscan_kswapd a b)" 0
	run mmsim check "$IMG"
	assert_success
}

@test "kswapd, woken below the low watermark, reclaims to the high one during tick" {
	script <<-'EOF'
		file create /data/big 1500M
		file read /data/big
		p = spawn app
		a = mmap $p 1200M
		touch $p $a 1200M write
	EOF
	snap a
	mmsim do "$IMG" tick 1s
	snap b
	assert_equal "$(delta pageoutrun a b)" 1
	[ "$(delta pgsteal_kswapd a b)" -gt 0 ]
	[ "$(delta MemFree a b)" -gt 0 ]
	# balanced: a second tick finds nothing to do
	mmsim do "$IMG" tick 1s
	snap c
	assert_equal "$(delta pageoutrun b c)" 0
	assert_equal "$(delta pgscan_kswapd b c)" 0
}

@test "a mapped file in use survives a streaming read; the stream does not" {
	new_image m.img --mem 1G --force
	script <<-'EOF'
		file create /data/hot 100M
		file create /data/s1 600M
		file create /data/s2 600M
		db = spawn postgres
		hot = mmap $db 100M file=/data/hot shared
		touch $db $hot 100M read
		file read /data/s1 0 300M
		touch $db $hot 100M read
		file read /data/s1 300M 300M
		touch $db $hot 100M read
		file read /data/s2 0 300M
		touch $db $hot 100M read
		file read /data/s2 300M 300M
	EOF
	pid=$(mx "$IMG" pgrep -n postgres)
	snap a "/proc/$pid/smaps_rollup"
	[ "$(val a pgsteal_direct)" -gt 0 ]
	# every page of the hot file is still mapped
	run mx "$IMG" awk '/\/data\/hot/ { on = 1; next } on && /^Rss:/ { print $2; exit }' "/proc/$pid/smaps"
	assert_output 102400
	run mmsim check "$IMG"
	assert_success
}

@test "dirty pages under pressure are written back before they are freed" {
	script <<-'EOF'
		sysctl vm.dirty_ratio=60
		sysctl vm.dirty_background_ratio=50
		file create /data/w 0
		file write /data/w 0 1000M
	EOF
	snap a
	[ "$(val a Dirty)" -gt $((900 * 1024)) ]
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 1200M)
	mmsim do "$IMG" touch "$pid" "$addr" 1200M write
	snap b
	# what left the cache dirty went to the disk first
	[ "$(delta nr_written a b)" -gt 0 ]
	[ "$(delta Dirty b a)" -le $(($(delta nr_written a b) * 4)) ]
	run mmsim check "$IMG"
	assert_success
}

@test "reclaim shrinks the reclaimable slab caches too" {
	script <<-'EOF'
		slab alloc dentry 2000000
		file create /data/big 1000M
		file read /data/big
	EOF
	snap a
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 1400M)
	mmsim do "$IMG" touch "$pid" "$addr" 1400M write
	snap b
	[ "$(delta slabs_scanned a b)" -gt 0 ]
	[ "$(delta SReclaimable b a)" -gt 0 ]
	run mmsim check "$IMG"
	assert_success
}

@test "anonymous memory cannot be reclaimed without swap: past the cache, the OOM killer" {
	# 3G is more than RAM and swap: only overcommit_memory=1 maps it
	script <<-'EOF'
		sysctl vm.overcommit_memory=1
		file create /data/big 500M
		file read /data/big
	EOF
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 3G)
	snap a
	run mmsim do "$IMG" touch "$pid" "$addr" 3G write
	assert_success
	assert_output "touch: $pid was killed (out of memory)"
	snap b
	# the cache went first, then the process
	[ "$(delta pgsteal_direct a b)" -gt 100000 ]
	assert_equal "$(delta oom_kill a b)" 1
	# and all it had went with it
	[ "$(val b AnonPages)" -lt "$(val a AnonPages)" ]
	run mmsim check "$IMG"
	assert_success
}
