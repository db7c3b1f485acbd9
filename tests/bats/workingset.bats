#!/usr/bin/env bats
# Workingset detection and shmem swap-out: evicted pages leave shadows
# that /proc/vmstat's workingset_* counters follow (refaults, activations,
# restores, the nodes holding shadows, dropped by drop_caches); tmpfs and
# System V shared memory go out to swap under pressure and come back when
# read, as Shmem, free, /proc/swaps, /proc/sysvipc/shm and smaps show.

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
}

script() {
	mmsim run "$IMG" -
}

# vm NAME...: the /proc/vmstat values of NAME..., one per line
vm() {
	local names="$*"
	mx "$IMG" awk -v names="$names" \
		'BEGIN { n = split(names, w, " ") } { v[$1] = $2 }
		END { for (i = 1; i <= n; i++) print v[w[i]] }' /proc/vmstat
}

# meminfo_kb FIELD: one /proc/meminfo field, in kB
meminfo_kb() {
	mx "$IMG" awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}

@test "a file read again after a stream refaults: activated within the workingset, not beyond it" {
	new_image m.img --mem 1G
	script <<-'EOF'
		file create /data/hot 200M
		file create /data/x 100M
		file create /data/stream 650M
		file read /data/hot
		file read /data/hot
		file read /data/x
		file read /data/stream
	EOF
	run vm workingset_refault_file workingset_activate_file workingset_nodes
	assert_success
	read -r -d '' refault0 activate0 nodes0 <<<"$output" || true
	[ "$refault0" -eq 0 ]
	# x was pushed out: its slots hold shadows, in nodes with no page
	[ "$nodes0" -gt 0 ]

	mmsim do "$IMG" file read /data/x
	run vm workingset_refault_file workingset_activate_file
	read -r -d '' refault1 activate1 <<<"$output" || true
	# every page of x was a refault, and came back within reach
	[ "$refault1" -eq $((100 * 256)) ]
	[ "$activate1" -gt "$activate0" ]

	# a stream over twice memory: the second pass is all refaults, none
	# of them close enough to be activated
	new_image s.img --mem 512M
	mmsim run "$BATS_TEST_TMPDIR/s.img" - <<-'EOF'
		file create /data/big 1100M
		file read /data/big
		file read /data/big
	EOF
	run mx "$BATS_TEST_TMPDIR/s.img" awk '$1 ~ /^workingset_(refault|activate)_file$/ { print $2 }' /proc/vmstat
	assert_success
	read -r -d '' refault activate <<<"$output" || true
	[ "$refault" -gt 200000 ]
	[ "$activate" -eq 0 ]
	run mmsim check "$BATS_TEST_TMPDIR/s.img"
	assert_success
	assert_output --partial "page accounting: consistent"
}

@test "thrashing between files brings back former active pages: workingset_restore_file and memory pressure" {
	new_image m.img --mem 1G
	script <<-'EOF'
		file create /data/hot 200M
		file create /data/x 100M
		file create /data/y 650M
		file read /data/hot
		file read /data/hot
		file read /data/x
		file read /data/y
		file read /data/x
		file read /data/y
		file read /data/hot
		file read /data/x
		file read /data/y
		file read /data/hot
		tick 2s
	EOF
	run vm workingset_refault_file workingset_activate_file workingset_restore_file
	read -r -d '' refault activate restore <<<"$output" || true
	[ "$restore" -gt 0 ]
	[ "$activate" -ge "$restore" ]
	[ "$refault" -ge "$activate" ]
	# waiting to read back a workingset page is a memory stall
	run mx "$IMG" awk '$1 == "some" { sub(/total=/, "", $5); print $5 }' /proc/pressure/memory
	assert_success
	[ "$output" -gt 0 ]
}

@test "drop_caches forgets the shadows: workingset_nodes goes to 0 and a read after it is no refault" {
	new_image m.img --mem 512M
	script <<-'EOF'
		file create /data/big 700M
		file read /data/big
	EOF
	run vm workingset_nodes
	[ "$output" -gt 0 ]
	run mx "$IMG" sh -c 'echo 1 > /proc/sys/vm/drop_caches'
	assert_success
	run vm workingset_nodes workingset_refault_file
	read -r -d '' nodes refault <<<"$output" || true
	[ "$nodes" -eq 0 ]
	mmsim do "$IMG" file read /data/big 0 1M
	run vm workingset_refault_file
	[ "$output" -eq "$refault" ]
	run mmsim check "$IMG"
	assert_success
	assert_output --partial "page accounting: consistent"
}

@test "tmpfs pages go out to swap under pressure: Shmem falls, swap is used, reading them back swaps them in" {
	new_image m.img --mem 1G --swap 1G
	mmsim do "$IMG" file create /dev/shm/data 400M
	shmem0=$(meminfo_kb Shmem)
	[ "$shmem0" -ge $((400 * 1024)) ]
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 800M)
	mmsim do "$IMG" touch "$pid" "$addr" 800M write
	shmem1=$(meminfo_kb Shmem)
	# the oldest pages on the anonymous lists are the tmpfs file's
	[ "$shmem1" -lt $((shmem0 - 200 * 1024)) ]
	run mx "$IMG" sh -c 'free -k | awk "\$1 == \"Swap:\" { print \$3 }";
		awk "NR > 1 { u += \$4 } END { print u }" /proc/swaps'
	assert_success
	read -r -d '' free_used swaps_used <<<"$output" || true
	[ "$free_used" -ge $((shmem0 - shmem1)) ]
	[ "$free_used" -eq "$swaps_used" ]
	# the mount stays charged for every page: a page more does not fit
	run mmsim do "$IMG" file create /dev/shm/more 100M
	assert_failure
	assert_output --partial "no space left"

	run vm pswpin
	pswpin0=$output
	mmsim do "$IMG" file read /dev/shm/data
	run vm pswpin
	[ "$output" -gt "$pswpin0" ]
	run mmsim check "$IMG"
	assert_success
	assert_output --partial "page accounting: consistent"

	# removing the file frees its slots (the boot's daemons keep theirs)
	mmsim do "$IMG" exit "$pid"
	shmem2=$(meminfo_kb Shmem)
	run mx "$IMG" awk 'NR > 1 { u += $4 } END { print u + 0 }' /proc/swaps
	used2=$output
	mmsim do "$IMG" file rm /dev/shm/data
	run mx "$IMG" awk 'NR > 1 { u += $4 } END { print u + 0 }' /proc/swaps
	[ $((used2 - output)) -ge $((409600 - shmem2)) ]
	[ $((used2 - output)) -le 409600 ]
	run mmsim check "$IMG"
	assert_success
}

@test "a System V segment swapped out: /proc/sysvipc/shm's swap column and the attached mapping's smaps Swap" {
	new_image m.img --mem 1G --swap 1G
	pid=$(mmsim do "$IMG" spawn db)
	shmid=$(mmsim do "$IMG" shm get 4660 300M)
	at=$(mmsim do "$IMG" shm attach "$pid" "$shmid")
	mmsim do "$IMG" touch "$pid" "$at" 300M write
	hog=$(mmsim do "$IMG" spawn hog)
	addr=$(mmsim do "$IMG" mmap "$hog" 900M)
	mmsim do "$IMG" touch "$hog" "$addr" 900M write
	run mx "$IMG" awk 'NR > 1 { print $15, $16 }' /proc/sysvipc/shm
	assert_success
	read -r rss swap <<<"$output"
	[ "$swap" -gt 0 ]
	[ $((rss + swap)) -eq $((300 * 1048576)) ]
	run mx "$IMG" awk -v a="$(printf %x "$at")" '$1 ~ "^" a "-" { on = 1; next }
		on && $1 == "Swap:" { print $2; exit }' "/proc/$pid/smaps"
	assert_success
	[ "$output" -eq $((swap / 1024)) ]

	# swapoff brings every page back, the segment's too
	mmsim do "$IMG" exit "$hog"
	mmsim do "$IMG" swapoff /dev/vdb
	run mx "$IMG" awk 'NR > 1 { print $15, $16 }' /proc/sysvipc/shm
	assert_output "$((300 * 1048576)) 0"
	run mmsim check "$IMG"
	assert_success
	assert_output --partial "page accounting: consistent"
}
