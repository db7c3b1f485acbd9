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
	MNT="$BATS_TEST_TMPDIR/mnt"
	mkdir -p "$MNT"
}

teardown() {
	unmount_all "$MNT"
}

# event FILE KEY: one line's value of a memory.events-like file
event() {
	mx "$IMG" awk -v k="$2" '$1 == k { print $2 }' "$CG/$1"
}

# own_pages GROUP CHILD: what making its only child CHILD charged GROUP,
# the child's statistics in percpu memory and slab, in the whole pages
# memory.current counts them in
own_pages() {
	local pcpu slab child_slab
	pcpu=$(event "$1/memory.stat" percpu)
	slab=$(event "$1/memory.stat" slab)
	child_slab=$(event "$1/$2/memory.stat" slab)
	echo $(((pcpu + slab - child_slab + 4095) / 4096 * 4096))
}

@test "a pod at memory.max=512M writing 600 MiB is OOM-killed inside it; the host keeps its memory" {
	new_image m.img --mem 16G
	pods pod1
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
	max_events=$(event kubepods/pod1/memory.events max)
	[ "$max_events" -gt 0 ]
	run mx "$IMG" dmesg -F /proc/kmsg
	assert_output --partial "invoked oom-killer"
	# v2 counts no failcnt: the report gives the group's max events
	assert_output --regexp "memory: usage [0-9]+kB, limit 524288kB, failcnt $max_events"
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
	pods pod1
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
	# the reclaim the app waited for is the pod's memory pressure, and
	# its parent's, not a sibling's
	mmsim do "$IMG" cgroup create /kubepods/pod2
	mmsim do "$IMG" tick 5s
	run mx "$IMG" cat $CG/kubepods/pod1/memory.pressure
	assert_line --index 0 --regexp '^some avg10=[0-9]+\.[0-9]{2} avg60=[0-9]+\.[0-9]{2} avg300=[0-9]+\.[0-9]{2} total=[1-9][0-9]*$'
	assert_line --index 1 --regexp '^full avg10=.* total=[1-9][0-9]*$'
	pod=$output
	run mx "$IMG" cat $CG/kubepods/memory.pressure
	assert_output "$pod"
	run mx "$IMG" head -1 $CG/kubepods/pod2/memory.pressure
	assert_output 'some avg10=0.00 avg60=0.00 avg300=0.00 total=0'
}

@test "memory.high with nothing to reclaim: the writer is throttled, its group's memory pressure full, and never killed" {
	new_image m.img --mem 1G
	pods pod1
	mmsim do "$IMG" cgroup set /kubepods/pod1 memory.high 32M
	app=$(mmsim do "$IMG" spawn app cgroup=/kubepods/pod1)
	addr=$(mmsim do "$IMG" mmap "$app" 64M)
	mmsim do "$IMG" touch "$app" "$addr" 64M write
	# no swap: the anon stays, over memory.high, and no OOM kill
	run mx "$IMG" cat $CG/kubepods/pod1/memory.current
	[ "$output" -gt $((64 * 1048576)) ]
	run event kubepods/pod1/memory.events high
	[ "$output" -gt 0 ]
	run event kubepods/pod1/memory.events oom_kill
	assert_output 0
	# minutes of sleep owed: the next 10 s are all stall, some and full
	mmsim do "$IMG" tick 10s
	run mx "$IMG" cat $CG/kubepods/pod1/memory.pressure
	assert_line --index 0 --regexp '^some avg10=[0-9.]+ avg60=[0-9.]+ avg300=[0-9.]+ total=10000000$'
	assert_line --index 1 --regexp '^full avg10=[0-9.]+ avg60=[0-9.]+ avg300=[0-9.]+ total=10000000$'
	run mx "$IMG" awk '/^some/ { sub("avg10=", "", $2); print int($2) }' \
		$CG/kubepods/pod1/memory.pressure
	[ "$output" -ge 50 ]
	run mx "$IMG" grep -c '^full .*total=10000000$' /proc/pressure/memory
	assert_output 1
}

@test "page cache a pod's process reads is the pod's, and is reclaimed at its limit before any OOM" {
	new_image m.img --mem 2G
	pods pod1
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
	pods pod1
	mmsim do "$IMG" file create /data/big 300M
	app=$(mmsim do "$IMG" spawn app cgroup=/kubepods/pod1)
	run mx "$IMG" cat $CG/kubepods/pod1/memory.current
	before=$output
	mmsim do "$IMG" file read /data/big 0 50M pid="$app"
	run mx "$IMG" cat $CG/kubepods/pod1/memory.current $CG/kubepods/memory.current
	read -r -d '' child parent <<<"$output" || true
	[ "$child" -ge $((before + 50 * 1048576)) ]
	# the parent's own: pod1's statistics, in whole pages
	[ "$parent" -eq $((child + $(own_pages kubepods pod1))) ]
	run mx "$IMG" awk '$1 == "file" { print $2 }' $CG/kubepods/pod1/memory.stat
	[ "$output" -ge $((50 * 1048576)) ]
	file=$output
	# the same read from outside the machine is the root's: no new page
	# cache here (the file's index nodes stay with the group's objcg)
	mmsim do "$IMG" file read /data/big 100M 50M
	run mx "$IMG" awk '$1 == "file" { print $2 }' $CG/kubepods/pod1/memory.stat
	assert_output "$file"

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
	pods pod1
	app=$(mmsim do "$IMG" spawn app cgroup=/kubepods/pod1)
	addr=$(mmsim do "$IMG" mmap "$app" 100M)
	mmsim do "$IMG" touch "$app" "$addr" 100M write
	run mx "$IMG" cat $CG/kubepods/pod1/memory.current $CG/kubepods/memory.current
	read -r -d '' child parent <<<"$output" || true
	[ "$child" -ge $((100 * 1048576)) ]
	# the parent's own: pod1's statistics, in whole pages
	[ "$(own_pages kubepods pod1)" -gt 0 ]
	[ "$parent" -eq $((child + $(own_pages kubepods pod1))) ]
	# anon + file + kernel is what is charged (no sockets; pod1 has no
	# children, so no percpu)
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

# protected KNOB: prod's page cache under memory.KNOB=300M, a little of
# batch's, then a host process that needs more than the unprotected rest
protected() {
	new_image m.img --mem 2G --force
	mmsim run "$IMG" - <<-EOF
		cgroup set / cgroup.subtree_control +memory
		cgroup create /prod
		cgroup create /batch
		file create /data/prod 400M
		file create /data/batch 20M
	EOF
	run mx "$IMG" sh -c "echo 300M > $CG/prod/memory.$1"
	assert_success
	db=$(mmsim do "$IMG" spawn db cgroup=/prod)
	addr=$(mmsim do "$IMG" mmap "$db" 400M file=/data/prod)
	mmsim do "$IMG" touch "$db" "$addr" 400M read
	etl=$(mmsim do "$IMG" spawn etl cgroup=/batch)
	addr=$(mmsim do "$IMG" mmap "$etl" 20M file=/data/batch)
	mmsim do "$IMG" touch "$etl" "$addr" 20M read
	hog=$(mmsim do "$IMG" spawn hog)
	addr=$(mmsim do "$IMG" mmap "$hog" 1580M)
	run mmsim do "$IMG" touch "$hog" "$addr" 1580M write
}

@test "memory.min holds a group's pages even at the price of a host OOM kill; memory.low gives way, counting low events" {
	protected min
	assert_output --partial "killed (out of memory)"
	run mx "$IMG" cat $CG/prod/memory.min $CG/prod/memory.current
	read -r -d '' min current <<<"$output" || true
	[ "$min" -eq $((300 * 1048576)) ]
	# within one reclaim batch (32 pages) of it
	[ "$current" -ge $((min - 32 * 4096)) ]
	run event prod/memory.events low
	assert_output 0
	run mx "$IMG" dmesg -F /proc/kmsg
	assert_output --partial "global_oom,task_memcg=/,task=hog,pid=$hog"

	protected low
	assert_success
	run mx "$IMG" cat $CG/prod/memory.current
	[ "$output" -lt $((300 * 1048576)) ]
	run event prod/memory.events low
	[ "$output" -gt 0 ]
	run event prod/memory.events.local low
	[ "$output" -gt 0 ]
	run mx "$IMG" grep -w oom_kill /proc/vmstat
	assert_output "oom_kill 0"
	run mmsim check "$IMG"
	assert_success
}

@test "memory.reclaim takes a group's page cache and anon back proactively; short of it, EAGAIN" {
	new_image m.img --mem 2G --swap 1G
	pods pod1
	mmsim do "$IMG" file create /data/big 200M
	app=$(mmsim do "$IMG" spawn app cgroup=/kubepods/pod1)
	addr=$(mmsim do "$IMG" mmap "$app" 200M file=/data/big)
	mmsim do "$IMG" touch "$app" "$addr" 200M read
	addr=$(mmsim do "$IMG" mmap "$app" 100M)
	mmsim do "$IMG" touch "$app" "$addr" 100M write
	mmsim mount "$IMG" "$MNT"
	before=$(cat "$MNT$CG/kubepods/pod1/memory.current")
	echo 100M >"$MNT$CG/kubepods/pod1/memory.reclaim"
	after=$(cat "$MNT$CG/kubepods/pod1/memory.current")
	[ "$after" -le $((before - 100 * 1048576)) ]
	run grep -E '^pg(scan|steal)_proactive ' "$MNT/proc/vmstat"
	assert_line --regexp '^pgsteal_proactive [1-9]'
	run grep -E '^pgsteal_direct ' "$MNT/proc/vmstat"
	assert_output 'pgsteal_direct 0'
	# swappiness=max takes anonymous memory only
	echo '20M swappiness=max' >"$MNT$CG/kubepods/pod1/memory.reclaim"
	run awk '$1 == "pswpout" { print $2 }' "$MNT$CG/kubepods/pod1/memory.stat"
	[ "$output" -ge 5120 ]
	# more than the group has: what could go went, and the writer hears EAGAIN
	run bash -c "echo 1G >$MNT$CG/kubepods/pod1/memory.reclaim"
	assert_failure
	assert_output --partial 'Resource temporarily unavailable'
	run cat "$MNT$CG/kubepods/pod1/memory.current"
	[ "$output" -lt "$after" ]
	mmsim umount "$MNT"
	run mmsim log "$IMG"
	assert_line --partial 'memory.reclaim 1G'
	run mmsim check "$IMG"
	assert_success
}
