#!/usr/bin/env bats
# What the memory controller does to a group's processes: a pod at its
# memory.max is OOM-killed inside itself while the host has memory to
# spare (memory.events, dmesg, free); memory.high holds a group near it
# by reclaim without killing; page cache a group faults in or reads
# (file read pid=) is its own and goes at its limit first; charges add up
# the hierarchy.

load helper

CG=/sys/fs/cgroup

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
}

# pod: the kubepods/pod1 group with memory handed down to it
pod() {
	mmsim run "$IMG" - <<-'EOF'
		cgroup set / cgroup.subtree_control +memory
		cgroup create /kubepods
		cgroup set /kubepods cgroup.subtree_control +memory
		cgroup create /kubepods/pod1
	EOF
}

# event FILE KEY: one line's value of a memory.events-like file
event() {
	mx "$IMG" awk -v k="$2" '$1 == k { print $2 }' "$CG/$1"
}

@test "a pod at memory.max=512M writing 600 MiB is OOM-killed inside it; the host keeps its memory" {
	new_image m.img --mem 16G
	pod
	run mx "$IMG" sh -c "echo 512M > $CG/kubepods/pod1/memory.max"
	assert_success
	web=$(mmsim do "$IMG" spawn web)
	waddr=$(mmsim do "$IMG" mmap "$web" 200M)
	mmsim do "$IMG" touch "$web" "$waddr" 200M write
	app=$(mmsim do "$IMG" spawn app cgroup=/kubepods/pod1)
	addr=$(mmsim do "$IMG" mmap "$app" 600M)
	run mmsim do "$IMG" touch "$app" "$addr" 600M write
	# the writer itself was the victim: the operation says so
	assert_output --partial "killed"
	run event kubepods/pod1/memory.events oom
	assert_output 1
	run event kubepods/pod1/memory.events oom_kill
	assert_output 1
	run event kubepods/memory.events oom_kill
	assert_output 1
	run event kubepods/memory.events.local oom_kill
	assert_output 0
	# the pod never went past its limit, the host never ran short
	run mx "$IMG" cat $CG/kubepods/pod1/memory.peak
	[ "$output" -le $((512 * 1048576)) ]
	run mx "$IMG" free -m
	assert_line --regexp '^Mem: +[0-9]+ +[0-9]+ +1[0-9]{4} '
	run mx "$IMG" ps -o pid= -p "$app"
	assert_failure
	run mx "$IMG" ps -o comm= -p "$web"
	assert_output --partial web
	run mx "$IMG" dmesg -F /proc/kmsg
	assert_output --partial "invoked oom-killer"
	assert_output --partial "memory: usage "
	assert_output --partial "Memory cgroup stats for /kubepods/pod1:"
	assert_output --partial "oom_memcg=/kubepods/pod1,task_memcg=/kubepods/pod1,task=app,pid=$app"
	assert_output --partial "Memory cgroup out of memory: Killed process $app (app)"
	run mx "$IMG" grep -w oom_kill /proc/vmstat
	assert_output "oom_kill 1"
	run mmsim check "$IMG"
	assert_success
	assert_output --partial "page accounting: consistent"
}

@test "memory.high=256M and no max: no kill, high events, usage held near 256M by swapping" {
	new_image m.img --mem 4G --swap 2G
	pod
	mmsim do "$IMG" cgroup set /kubepods/pod1 memory.high 256M
	app=$(mmsim do "$IMG" spawn app cgroup=/kubepods/pod1)
	addr=$(mmsim do "$IMG" mmap "$app" 600M)
	mmsim do "$IMG" touch "$app" "$addr" 600M write
	run mx "$IMG" ps -o comm= -p "$app"
	assert_output --partial app
	run event kubepods/pod1/memory.events high
	[ "$output" -gt 0 ]
	run event kubepods/pod1/memory.events oom_kill
	assert_output 0
	run mx "$IMG" cat $CG/kubepods/pod1/memory.current
	[ "$output" -le $(((256 + 1) * 1048576)) ]
	[ "$output" -ge $((200 * 1048576)) ]
	# what did not fit went to swap, and the pod's counters say so
	run mx "$IMG" awk '$1 == "pswpout" || $1 == "pgsteal_direct" { print $2 }' \
		$CG/kubepods/pod1/memory.stat
	for v in $output; do [ "$v" -gt 0 ]; done
}

@test "page cache a pod's process reads is the pod's, and is reclaimed at its limit before any OOM" {
	new_image m.img --mem 2G
	pod
	mmsim do "$IMG" file create /data/big 300M
	mmsim do "$IMG" cgroup set /kubepods/pod1 memory.max 100M
	app=$(mmsim do "$IMG" spawn app cgroup=/kubepods/pod1)
	addr=$(mmsim do "$IMG" mmap "$app" 300M file=/data/big)
	mmsim do "$IMG" touch "$app" "$addr" 300M read
	run mx "$IMG" awk '$1 == "file" || $1 == "pgsteal" { print $2 }' \
		$CG/kubepods/pod1/memory.stat
	read -r -d '' file steal <<<"$output" || true
	[ "$file" -gt 0 ]
	[ "$file" -le $((100 * 1048576)) ]
	[ "$steal" -gt 0 ]
	run event kubepods/pod1/memory.events oom
	assert_output 0
	run event kubepods/pod1/memory.events max
	[ "$output" -gt 0 ]
}

@test "file read pid= charges the page cache to the reader's group, reclaimed at its limit before any OOM" {
	new_image m.img --mem 2G
	pod
	mmsim do "$IMG" file create /data/big 300M
	app=$(mmsim do "$IMG" spawn app cgroup=/kubepods/pod1)
	run mx "$IMG" cat $CG/kubepods/pod1/memory.current
	before=$output
	mmsim do "$IMG" file read /data/big 0 50M pid="$app"
	run mx "$IMG" cat $CG/kubepods/pod1/memory.current $CG/kubepods/memory.current
	read -r -d '' child parent <<<"$output" || true
	[ "$child" -ge $((before + 50 * 1048576)) ]
	[ "$parent" -eq "$child" ]
	run mx "$IMG" awk '$1 == "file" { print $2 }' $CG/kubepods/pod1/memory.stat
	[ "$output" -ge $((50 * 1048576)) ]
	# the same read from outside the machine is the root's: nothing new here
	mmsim do "$IMG" file read /data/big 100M 50M
	run mx "$IMG" cat $CG/kubepods/pod1/memory.current
	assert_output "$child"

	# at a limit the group's own cache goes first, and nobody is killed
	mmsim do "$IMG" cgroup set /kubepods/pod1 memory.max 100M
	run mmsim do "$IMG" file read /data/big pid="$app"
	assert_success
	refute_output --partial killed
	run mx "$IMG" awk '$1 == "file" || $1 == "pgsteal" { print $2 }' \
		$CG/kubepods/pod1/memory.stat
	read -r -d '' file steal <<<"$output" || true
	[ "$file" -gt $((50 * 1048576)) ]
	[ "$file" -le $((100 * 1048576)) ]
	[ "$steal" -gt 0 ]
	run event kubepods/pod1/memory.events max
	[ "$output" -gt 0 ]
	run event kubepods/pod1/memory.events oom
	assert_output 0
	run mx "$IMG" ps -o comm= -p "$app"
	assert_output app
	# the reader is in the log, and a replay from boot agrees
	run mmsim log "$IMG"
	assert_line --partial "file read /data/big pid=$app"
	run mmsim check "$IMG"
	assert_success
}

@test "file read and write pid= refuse an unknown or malformed PID, journaling nothing" {
	new_image m.img --mem 1G
	mmsim do "$IMG" file create /data/f 1M
	n=$(mmsim log "$IMG" | wc -l)
	run --separate-stderr mmsim do "$IMG" file read /data/f pid=4000
	assert_failure 1
	assert_err 'file: no process 4000'
	run --separate-stderr mmsim do "$IMG" file write /data/f 0 4096 pid=4000
	assert_err 'file: no process 4000'
	run --separate-stderr mmsim do "$IMG" file read /data/f pid=x
	assert_failure 2
	assert_err "bad PID 'x'"
	run --separate-stderr mmsim do "$IMG" file read /data/f 0 pid=1
	assert_failure 2
	run --separate-stderr mmsim do "$IMG" file rm /data/f pid=1
	assert_failure 2
	run mmsim log "$IMG"
	[ "${#lines[@]}" -eq "$n" ]
	# a write on behalf of init is charged to the root: it just works
	run mmsim do "$IMG" file write /data/f 0 4096 pid=1
	assert_success
}

@test "memory.stat's parts add up, and a child's charges are in its parent's memory.current" {
	new_image m.img --mem 2G
	pod
	app=$(mmsim do "$IMG" spawn app cgroup=/kubepods/pod1)
	addr=$(mmsim do "$IMG" mmap "$app" 100M)
	mmsim do "$IMG" touch "$app" "$addr" 100M write
	run mx "$IMG" cat $CG/kubepods/pod1/memory.current $CG/kubepods/memory.current
	read -r -d '' child parent <<<"$output" || true
	[ "$child" -ge $((100 * 1048576)) ]
	[ "$parent" -eq "$child" ]
	# anon + file + kernel is what is charged (no sockets, no percpu)
	run mx "$IMG" awk '$1 == "anon" || $1 == "file" || $1 == "kernel" { s += $2 }
		$1 == "slab" { slab = $2 } $1 == "slab_reclaimable" || $1 == "slab_unreclaimable" { parts += $2 }
		END { print s; print slab == parts }' $CG/kubepods/pod1/memory.stat
	read -r -d '' sum slab_ok <<<"$output" || true
	[ "$sum" -eq "$child" ]
	[ "$slab_ok" -eq 1 ]
	run mx "$IMG" bash -c "echo garbage > $CG/kubepods/pod1/memory.max"
	assert_failure
	assert_output --partial "Invalid argument"
	run mx "$IMG" cat $CG/kubepods/pod1/memory.max
	assert_output max
}
