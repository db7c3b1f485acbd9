#!/usr/bin/env bats
# Swap in the memory controller, through the files: a group's swapped
# pages are charged to it and its ancestors (memory.swap.current, peak)
# for as long as their slots live; memory.swap.max keeps a group's anon
# in memory and counts what it refused (memory.swap.events); a page
# swapped back in is charged to the group that swapped it out.

load helper

CG=/sys/fs/cgroup

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
}

# write FILE VALUE: echo VALUE into a cgroup file through the mount
write() {
	mx "$IMG" bash -c "echo $2 > $CG/$1"
}

# event FILE KEY: one line's value of a memory.events-like file
event() {
	mx "$IMG" awk -v k="$2" '$1 == k { print $2 }' "$CG/$1"
}

# stat GROUP KEY: one key of the group's memory.stat
stat() {
	event "$1/memory.stat" "$2"
}

# writer SIZE: a process in kubepods/pod1 ($app) that writes SIZE of
# anonymous memory at $addr
writer() {
	app=$(mmsim do "$IMG" spawn app cgroup=/kubepods/pod1)
	addr=$(mmsim do "$IMG" mmap "$app" "$1")
	mmsim do "$IMG" touch "$app" "$addr" "$1" write
}

# swap_used: bytes of swap in use, from /proc/meminfo
swap_used() {
	mx "$IMG" awk '$1 == "SwapTotal:" { t = $2 } $1 == "SwapFree:" { f = $2 }
		END { print (t - f) * 1024 }' /proc/meminfo
}

@test "a group held at memory.high by swapping is charged its slots, and so is its parent" {
	new_image m.img --mem 2G --swap 1G
	pods pod1 pod2
	run write kubepods/pod1/memory.high 128M
	assert_success
	writer 300M
	run mx "$IMG" cat $CG/kubepods/pod1/memory.swap.current \
		$CG/kubepods/memory.swap.current $CG/kubepods/pod1/memory.swap.peak
	read -r -d '' child parent peak <<<"$output" || true
	[ "$child" -ge $((100 * 1048576)) ]
	# only the pod swapped: all of the machine's swap in use is its share
	run swap_used
	assert_output "$child"
	[ "$parent" -eq "$child" ]
	[ "$peak" -ge "$child" ]
	run event kubepods/pod1/memory.swap.events max
	assert_output 0
	run mmsim check "$IMG"
	assert_success
	# the slots outlive nothing but the process: exit frees them
	mmsim do "$IMG" exit "$app"
	run mx "$IMG" cat $CG/kubepods/pod1/memory.swap.current \
		$CG/kubepods/memory.swap.current $CG/kubepods/pod1/memory.swap.peak
	assert_output "0
0
$peak"
}

@test "memory.swap.max=0 keeps a group's anon in memory while the host swaps; at memory.max it is OOM-killed" {
	new_image m.img --mem 1G --swap 2G
	pods pod1 pod2
	run write kubepods/pod1/memory.swap.max 0
	assert_success
	writer 200M
	run stat kubepods/pod1 anon
	anon=$output
	[ "$anon" -ge $((200 * 1048576)) ]
	web=$(mmsim do "$IMG" spawn web)
	waddr=$(mmsim do "$IMG" mmap "$web" 1G)
	mmsim do "$IMG" touch "$web" "$waddr" 1G write
	run mx "$IMG" awk '$1 == "pswpout" { print $2 }' /proc/vmstat
	[ "$output" -gt 0 ]
	run mx "$IMG" cat $CG/kubepods/pod1/memory.swap.current
	assert_output 0
	run stat kubepods/pod1 pswpout
	assert_output 0
	run stat kubepods/pod1 anon
	assert_output "$anon"
	# nothing can go to swap, so the limit is met by the OOM killer
	mmsim do "$IMG" exit "$web"
	run write kubepods/pod1/memory.max 100M
	assert_success
	run event kubepods/pod1/memory.events oom_kill
	assert_output 1
	run mx "$IMG" dmesg -F /proc/kmsg
	assert_output --partial "swap: usage 0kB, limit 0kB, failcnt 0"
	run mmsim check "$IMG"
	assert_success
}

@test "a small memory.swap.max caps the group's swap, memory.swap.events counts the refusals, lowering it takes nothing back" {
	new_image m.img --mem 1G --swap 1G
	pods pod1 pod2
	write kubepods/pod1/memory.swap.max 1100K
	write kubepods/pod1/memory.high 64M
	writer 100M
	run mx "$IMG" cat $CG/kubepods/pod1/memory.swap.current \
		$CG/kubepods/pod1/memory.swap.peak
	assert_output "1126400
1126400"
	run mx "$IMG" cat $CG/kubepods/pod1/memory.swap.events
	assert_line --index 0 "high 0"
	assert_line --regexp '^max [1-9][0-9]*$'
	assert_line --regexp '^fail [1-9][0-9]*$'
	run event kubepods/pod1/memory.swap.events max
	max=$output
	run event kubepods/memory.swap.events max
	assert_output "$max"
	run event kubepods/pod1/memory.events oom_kill
	assert_output 0
	run write kubepods/pod1/memory.swap.max 0
	assert_success
	run mx "$IMG" cat $CG/kubepods/pod1/memory.swap.current \
		$CG/kubepods/pod1/memory.swap.max
	assert_output "1126400
0"
	run mmsim check "$IMG"
	assert_success
}

@test "memory.swap.high is exceeded, not enforced: swap.events counts high" {
	new_image m.img --mem 1G --swap 1G
	pods pod1 pod2
	write kubepods/pod1/memory.swap.high 8M
	write kubepods/pod1/memory.high 32M
	writer 64M
	run mx "$IMG" cat $CG/kubepods/pod1/memory.swap.current
	[ "$output" -gt $((8 * 1048576)) ]
	run event kubepods/pod1/memory.swap.events high
	[ "$output" -gt 0 ]
	run event kubepods/pod1/memory.swap.events max
	assert_output 0
}

@test "a group that finds swap full counts memory.swap.events fail, not max" {
	new_image m.img --mem 1G --swap 1100K
	pods pod1 pod2
	write kubepods/pod1/memory.high 32M
	writer 64M
	run mx "$IMG" grep SwapFree: /proc/meminfo
	assert_output --regexp ' 0 kB$'
	run mx "$IMG" cat $CG/kubepods/pod1/memory.swap.current
	assert_output $((274 * 4096))
	run event kubepods/pod1/memory.swap.events fail
	[ "$output" -gt 0 ]
	run event kubepods/pod1/memory.swap.events max
	assert_output 0
}

@test "a page swapped back in is charged to the group that swapped it out, whoever faults it" {
	new_image m.img --mem 2G --swap 1G
	pods pod1 pod2
	write kubepods/pod1/memory.high 32M
	writer 100M
	run mx "$IMG" cat $CG/kubepods/pod1/memory.swap.current
	swapped=$output
	[ "$swapped" -gt $((50 * 1048576)) ]
	write kubepods/pod1/memory.high max
	child=$(mmsim do "$IMG" fork "$app")
	run write kubepods/pod2/cgroup.procs "$child"
	assert_success
	run stat kubepods/pod2 anon
	anon2=$output
	mmsim do "$IMG" touch "$child" "$addr" 100M read
	run stat kubepods/pod2 anon
	assert_output "$anon2"
	run stat kubepods/pod2 pswpin
	assert_output 0
	run stat kubepods/pod1 pswpin
	[ "$output" -gt 0 ]
	run stat kubepods/pod1 anon
	[ "$output" -ge $((100 * 1048576)) ]
	# back in memory and still in the swap cache: charged in both
	run mx "$IMG" cat $CG/kubepods/pod1/memory.swap.current
	assert_output "$swapped"
	mmsim do "$IMG" exit "$child"
	mmsim do "$IMG" exit "$app"
	run mx "$IMG" cat $CG/kubepods/pod1/memory.swap.current \
		$CG/kubepods/pod2/memory.swap.current
	assert_output "0
0"
	run mmsim check "$IMG"
	assert_success
}

@test "garbage to memory.swap.max and memory.swap.high is refused and changes nothing" {
	new_image m.img --mem 1G --swap 256M
	pods pod1 pod2
	write kubepods/pod1/memory.swap.max 64M
	run write kubepods/pod1/memory.swap.max garbage
	assert_failure
	assert_output --partial "Invalid argument"
	run write kubepods/pod1/memory.swap.high 12X
	assert_failure
	assert_output --partial "Invalid argument"
	run mx "$IMG" cat $CG/kubepods/pod1/memory.swap.max \
		$CG/kubepods/pod1/memory.swap.high
	assert_output "67108864
max"
	run mmsim log "$IMG"
	refute_output --partial garbage
}
