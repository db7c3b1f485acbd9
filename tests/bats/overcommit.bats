#!/usr/bin/env bats
# Overcommit (issue 5): vm.overcommit_memory 0, 1 and 2, CommitLimit and
# Committed_AS in /proc/meminfo, and ENOMEM from mmap, brk, mprotect and
# fork that changes nothing and is not journaled.

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/o.img"
	new_image o.img --mem 8G
}

# mi FIELD: a /proc/meminfo value, in kB.
mi() {
	mx "$IMG" cat /proc/meminfo | awk -v f="$1:" '$1 == f { print $2 }'
}

# sysctl_val KEY: a /proc/sys/vm value.
vm_knob() {
	mx "$IMG" cat "/proc/sys/vm/$1"
}

# room PID [root]: the largest request in pages that strict overcommit
# still grants PID: Committed_AS + pages < CommitLimit less the admin
# reserve (not for root) and min(total_vm / 32, user_reserve_kbytes).
room() {
	local limit committed vmsize user admin=0
	limit=$(($(mi CommitLimit) / 4))
	committed=$(($(mi Committed_AS) / 4))
	vmsize=$(($(mx "$IMG" cat "/proc/$1/status" | awk '$1 == "VmSize:" { print $2 }') / 4))
	user=$(($(vm_knob user_reserve_kbytes) / 4))
	[ "${2:-}" = root ] || admin=$(($(vm_knob admin_reserve_kbytes) / 4))
	[ $((vmsize / 32)) -lt "$user" ] && user=$((vmsize / 32))
	echo $((limit - admin - user - committed - 1))
}

@test "CommitLimit follows overcommit_ratio and overcommit_kbytes, plus swap" {
	local ram
	ram=$(mi MemTotal)
	assert_equal "$(mi CommitLimit)" $((ram / 4 * 50 / 100 * 4))
	mmsim do "$IMG" sysctl vm.overcommit_ratio=80 >/dev/null
	assert_equal "$(mi CommitLimit)" $((ram / 4 * 80 / 100 * 4))
	mmsim do "$IMG" sysctl vm.overcommit_kbytes=1048576 >/dev/null
	assert_equal "$(mi CommitLimit)" 1048576
	assert_equal "$(vm_knob overcommit_ratio)" 0
	new_image o.img --mem 8G --swap 1G --force
	ram=$(mi MemTotal)
	[ "$(mi SwapTotal)" -gt 0 ]
	assert_equal "$(mi CommitLimit)" $((ram / 4 * 50 / 100 * 4 + $(mi SwapTotal)))
}

@test "overcommit_memory=2 with ratio 50: a mapping beyond CommitLimit fails with ENOMEM, one within succeeds" {
	mmsim do "$IMG" sysctl vm.overcommit_memory=2 >/dev/null
	mmsim do "$IMG" sysctl vm.overcommit_ratio=50 >/dev/null
	pid=$(mmsim do "$IMG" spawn app uid=1000)
	limit=$(mi CommitLimit)
	committed=$(mi Committed_AS)
	pages=$(room "$pid")
	log0=$(mmsim log "$IMG")
	run --separate-stderr mmsim do "$IMG" mmap "$pid" $(((pages + 1) * 4096))
	assert_failure
	assert_stderr_matches 'mmap: cannot commit .*: Committed_AS .* of CommitLimit .* \(overcommit_memory=2\)'
	# nothing changed, nothing journaled
	assert_equal "$(mi Committed_AS)" "$committed"
	assert_equal "$(mmsim log "$IMG")" "$log0"
	run mmsim check "$IMG"
	assert_success
	# the largest request that fits
	run mmsim do "$IMG" mmap "$pid" $((pages * 4096))
	assert_success
	assert_equal "$(mi Committed_AS)" $((committed + pages * 4))
	assert_equal "$(mi CommitLimit)" "$limit"
	# and then not a page more
	run mmsim do "$IMG" mmap "$pid" 4096
	assert_failure
	assert_equal "$(mi Committed_AS)" $((committed + pages * 4))
}

@test "overcommit_memory=2: root keeps the admin reserve" {
	mmsim do "$IMG" sysctl vm.overcommit_memory=2 >/dev/null
	user=$(mmsim do "$IMG" spawn app uid=1000)
	root=$(mmsim do "$IMG" spawn app)
	[ "$(vm_knob admin_reserve_kbytes)" -gt 0 ]
	pages=$(room "$user")
	# the two differ by the admin reserve, give or take their sizes
	[ "$(room "$root" root)" -gt $((pages + 1)) ]
	run mmsim do "$IMG" mmap "$user" $(((pages + 1) * 4096))
	assert_failure
	run mmsim do "$IMG" mmap "$root" $(((pages + 1) * 4096))
	assert_success
}

@test "overcommit_memory=1: a 24 GiB private mapping on an 8 GiB machine succeeds" {
	mmsim do "$IMG" sysctl vm.overcommit_memory=1 >/dev/null
	pid=$(mmsim do "$IMG" spawn app)
	committed=$(mi Committed_AS)
	run mmsim do "$IMG" mmap "$pid" 24G
	assert_success
	assert_equal "$(mi Committed_AS)" $((committed + 24 * 1024 * 1024))
	# Committed_AS may pass CommitLimit
	[ "$(mi Committed_AS)" -gt "$(mi CommitLimit)" ]
}

@test "overcommit_memory=0: only a single request larger than RAM and swap fails" {
	new_image o.img --mem 8G --swap 1G --force
	pid=$(mmsim do "$IMG" spawn app)
	committed=$(mi Committed_AS)
	total=$(($(mi MemTotal) + $(mi SwapTotal)))
	log0=$(mmsim log "$IMG")
	run --separate-stderr mmsim do "$IMG" mmap "$pid" $(((total + 4) * 1024))
	assert_failure
	assert_stderr_matches 'mmap: cannot commit .*: more than RAM and swap, .* \(overcommit_memory=0\)'
	assert_equal "$(mi Committed_AS)" "$committed"
	assert_equal "$(mmsim log "$IMG")" "$log0"
	# RAM and swap exactly, twice: each request alone fits
	run mmsim do "$IMG" mmap "$pid" $((total * 1024))
	assert_success
	run mmsim do "$IMG" mmap "$pid" $((total * 1024))
	assert_success
	assert_equal "$(mi Committed_AS)" $((committed + 2 * total))
}

@test "overcommit_memory=2: brk beyond the limit fails and moves nothing, within it charges" {
	mmsim do "$IMG" sysctl vm.overcommit_memory=2 >/dev/null
	pid=$(mmsim do "$IMG" spawn app uid=1000)
	committed=$(mi Committed_AS)
	pages=$(room "$pid")
	brk0=$(mmsim do "$IMG" brk "$pid" +0)
	run --separate-stderr mmsim do "$IMG" brk "$pid" +$(((pages + 1) * 4096))
	assert_failure
	assert_stderr_matches '^mmsim: do: brk: cannot commit'
	assert_equal "$(mmsim do "$IMG" brk "$pid" +0)" "$brk0"
	assert_equal "$(mi Committed_AS)" "$committed"
	run mmsim do "$IMG" brk "$pid" +$((pages * 4096))
	assert_success
	assert_output "$(printf '%#x' $((brk0 + pages * 4096)))"
	assert_equal "$(mi Committed_AS)" $((committed + pages * 4))
	# shrinking gives the charge back
	mmsim do "$IMG" brk "$pid" -$((pages * 4096)) >/dev/null
	assert_equal "$(mi Committed_AS)" "$committed"
}

@test "overcommit_memory=2: malloc through brk and mmap is refused alike" {
	mmsim do "$IMG" sysctl vm.overcommit_memory=2 >/dev/null
	pid=$(mmsim do "$IMG" spawn app uid=1000)
	committed=$(mi Committed_AS)
	run --separate-stderr mmsim do "$IMG" malloc "$pid" 6G
	assert_failure
	assert_stderr_matches 'malloc: cannot commit'
	assert_equal "$(mi Committed_AS)" "$committed"
	run mmsim do "$IMG" malloc "$pid" 1G
	assert_success
}

@test "overcommit_memory=2: fork charges the parent's private writable memory again, or fails" {
	mmsim do "$IMG" sysctl vm.overcommit_memory=2 >/dev/null
	c0=$(mi Committed_AS)
	pid=$(mmsim do "$IMG" spawn app uid=1000)
	addr=$(mmsim do "$IMG" mmap "$pid" 1G)
	mine=$(($(mi Committed_AS) - c0))
	# the child's copy fits: Committed_AS grows by the parent's share
	child=$(mmsim do "$IMG" fork "$pid")
	assert_equal "$(mi Committed_AS)" $((c0 + 2 * mine))
	mmsim do "$IMG" exit "$child" >/dev/null
	assert_equal "$(mi Committed_AS)" $((c0 + mine))
	# a parent with more than the room left cannot fork
	mmsim do "$IMG" munmap "$pid" "$addr" >/dev/null
	mmsim do "$IMG" mmap "$pid" $((($(room "$pid") / 2 + 1) * 4096)) >/dev/null
	committed=$(mi Committed_AS)
	log0=$(mmsim log "$IMG")
	run --separate-stderr mmsim do "$IMG" fork "$pid"
	assert_failure
	assert_stderr_matches 'fork: cannot commit .* \(overcommit_memory=2\)'
	assert_equal "$(mi Committed_AS)" "$committed"
	assert_equal "$(mmsim log "$IMG")" "$log0"
	run mx "$IMG" sh -c "ls /proc | grep -c '^[0-9]'"
	n=$output
	run mmsim check "$IMG"
	assert_success
	mmsim do "$IMG" sysctl vm.overcommit_memory=1 >/dev/null
	run mmsim do "$IMG" fork "$pid"
	assert_success
	assert_equal "$(mx "$IMG" sh -c "ls /proc | grep -c '^[0-9]'")" $((n + 1))
}

@test "shared mappings and read-only private ones are not charged; mprotect to writable is" {
	mmsim do "$IMG" sysctl vm.overcommit_memory=2 >/dev/null
	mmsim do "$IMG" file create /data/big 16G >/dev/null
	pid=$(mmsim do "$IMG" spawn app uid=1000)
	committed=$(mi Committed_AS)
	run mmsim do "$IMG" mmap "$pid" 16G file=/data/big shared
	assert_success
	run mmsim do "$IMG" mmap "$pid" 16G file=/data/big private prot=r
	assert_success
	run mmsim do "$IMG" mmap "$pid" 24G prot=r
	assert_success
	ro=$output
	assert_equal "$(mi Committed_AS)" "$committed"
	# a private file mapping that may be written is charged
	run mmsim do "$IMG" mmap "$pid" 16G file=/data/big private
	assert_failure
	# making 24 GiB writable does not fit; 64 MiB of it does
	log0=$(mmsim log "$IMG")
	maps0=$(mx "$IMG" cat "/proc/$pid/maps")
	run --separate-stderr mmsim do "$IMG" mprotect "$pid" "$ro" 24G rw
	assert_failure
	assert_stderr_matches 'mprotect: cannot commit 24 GiB'
	assert_equal "$(mx "$IMG" cat "/proc/$pid/maps")" "$maps0"
	assert_equal "$(mmsim log "$IMG")" "$log0"
	run mmsim do "$IMG" mprotect "$pid" "$ro" 64M rw
	assert_success
	assert_equal "$(mi Committed_AS)" $((committed + 65536))
}
