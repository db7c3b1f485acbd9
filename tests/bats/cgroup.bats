#!/usr/bin/env bats
# The cgroup v2 hierarchy under /sys/fs/cgroup (kernel/cgroup/cgroup.c):
# mkdir and rmdir, cgroup.procs, cgroup.subtree_control and the
# no-internal-process rule, cgroup.events, the cgroup operations, and
# /proc/PID/cgroup, through the real tools.

load helper

CG=/sys/fs/cgroup

setup() {
	IMG="$BATS_TEST_TMPDIR/c.img"
	MNT="$BATS_TEST_TMPDIR/mnt"
	mkdir -p "$MNT"
	new_image c.img --mem 2G
}

teardown() {
	unmount_all "$MNT"
}

# spawn COMM [OPTION...]: a new process; its PID in $PID.
spawn() {
	PID=$(mmsim do "$IMG" spawn "$@")
}

@test "the root lists the 6.18 controllers and its core files" {
	run mx "$IMG" cat $CG/cgroup.controllers
	assert_success
	assert_output 'cpuset cpu io memory hugetlb pids rdma misc'
	run mx "$IMG" bash -c "cd $CG && ls"
	assert_success
	assert_output "$(printf '%s\n' cgroup.controllers cgroup.max.depth \
		cgroup.max.descendants cgroup.pressure cgroup.procs cgroup.stat \
		cgroup.subtree_control cgroup.threads cpu.pressure cpu.stat \
		cpu.stat.local io.pressure \
		memory.numa_stat memory.pressure memory.reclaim memory.stat \
		memory.zswap.writeback)"
	run mx "$IMG" bash -c "cat $CG/cgroup.subtree_control $CG/cgroup.max.depth \
		$CG/cgroup.max.descendants $CG/cgroup.pressure"
	assert_output "$(printf '\nmax\nmax\n1')"
	# every task starts in the root: init first
	run mx "$IMG" head -1 $CG/cgroup.procs
	assert_output 1
	run mx "$IMG" cat /proc/1/cgroup
	assert_output '0::/'
}

@test "a child has the core files with the kernel's modes, size 0" {
	mmsim do "$IMG" cgroup create web
	run mx "$IMG" stat -c '%A %s %n' $CG/web $CG/web/cgroup.type \
		$CG/web/cgroup.procs $CG/web/cgroup.events $CG/web/cgroup.kill \
		$CG/web/cgroup.stat.local $CG/web/cgroup.freeze
	assert_success
	assert_output "drwxr-xr-x 0 $CG/web
-rw-r--r-- 0 $CG/web/cgroup.type
-rw-r--r-- 0 $CG/web/cgroup.procs
-r--r--r-- 0 $CG/web/cgroup.events
--w------- 0 $CG/web/cgroup.kill
-r--r--r-- 0 $CG/web/cgroup.stat.local
-rw-r--r-- 0 $CG/web/cgroup.freeze"
	run mx "$IMG" bash -c "cat $CG/web/cgroup.type $CG/web/cgroup.events \
		$CG/web/cgroup.controllers $CG/web/cgroup.stat.local"
	assert_output "domain
populated 0
frozen 0

frozen_usec 0"
}

@test "cpu.stat: the tasks' CPU time; the root's is /proc/stat's" {
	mmsim do "$IMG" cgroup create web
	spawn app cgroup=/web
	mmsim do "$IMG" tick 600s
	mmsim mount "$IMG" "$MNT"
	# created after cgroup.kill, before the stall files, as the kernel's
	run bash -c "ls -f '$MNT$CG/web' | grep -A3 '^cgroup.kill\$'"
	assert_output "$(printf '%s\n' cgroup.kill cpu.stat cpu.stat.local \
		io.pressure)"
	run stat -c '%A %s %n' "$MNT$CG/web/cpu.stat" "$MNT$CG/cpu.stat.local"
	assert_output "-r--r--r-- 0 $MNT$CG/web/cpu.stat
-r--r--r-- 0 $MNT$CG/cpu.stat.local"

	# no cpu controller in web: the four base keys, nothing local
	run cat "$MNT$CG/web/cpu.stat"
	assert_success
	assert_equal "${#lines[@]}" 4
	assert_line --index 0 --regexp '^usage_usec [0-9]+$'
	assert_line --index 1 --regexp '^user_usec [0-9]+$'
	assert_line --index 2 --regexp '^system_usec [0-9]+$'
	assert_line --index 3 --regexp '^nice_usec [0-9]+$'
	run awk '$1 == "usage_usec" && $2 > 0 { print "ran" }' \
		"$MNT$CG/web/cpu.stat"
	assert_output ran
	run cat "$MNT$CG/web/cpu.stat.local"
	assert_success
	assert_output ''

	# the root's is the system's: /proc/stat's columns are each rounded
	# down to 10 ms, the root's sums before it rounds
	read -r usage user system nice _ < <(awk '{ printf "%s ", $2 }
		END { print "" }' "$MNT$CG/cpu.stat")
	read -r u n s irq sirq < <(awk '$1 == "cpu" { print $2, $3, $4, $7, $8 }' \
		"$MNT/proc/stat")
	d=$((user / 10000 - u - n))
	[ "$d" -ge 0 ]
	[ "$d" -le 1 ]
	d=$((system / 10000 - s - irq - sirq))
	[ "$d" -ge 0 ]
	[ "$d" -le 2 ]
	assert_equal "$((nice / 10000))" "$n"
	d=$((usage - user - system))
	[ "$d" -ge 0 ]
	[ "$d" -le 1 ]
	# and the root has the cpu controller: its bandwidth keys, all 0
	run cat "$MNT$CG/cpu.stat"
	assert_line --index 4 'nr_periods 0'
	assert_line --index 8 'burst_usec 0'
	assert_equal "${#lines[@]}" 9
	run cat "$MNT$CG/cpu.stat.local"
	assert_output 'throttled_usec 0'

	# with +cpu, web has them too; its time stays after its task exits
	echo +cpu >"$MNT$CG/cgroup.subtree_control"
	run cat "$MNT$CG/web/cpu.stat.local"
	assert_output 'throttled_usec 0'
	run awk 'NR > 4 { print }' "$MNT$CG/web/cpu.stat"
	assert_output "$(printf '%s\n' 'nr_periods 0' 'nr_throttled 0' \
		'throttled_usec 0' 'nr_bursts 0' 'burst_usec 0')"
	before=$(head -1 "$MNT$CG/web/cpu.stat")
	mmsim do "$IMG" exit "$PID"
	mmsim do "$IMG" tick 600s
	assert_equal "$(head -1 "$MNT$CG/web/cpu.stat")" "$before"
	mmsim check "$IMG"
}

@test "mkdir and rmdir on the mount make and remove cgroups, journaled" {
	mmsim mount "$IMG" "$MNT"
	mkdir "$MNT$CG/kubepods"
	mkdir "$MNT$CG/kubepods/pod1"
	[ -d "$MNT$CG/kubepods/pod1" ]
	run cat "$MNT$CG/cgroup.stat"
	assert_line 'nr_descendants 2'
	assert_line 'nr_dying_descendants 0'
	run mkdir "$MNT$CG/kubepods"
	assert_failure
	assert_output --partial 'File exists'
	run rmdir "$MNT$CG/kubepods"
	assert_failure
	assert_output --partial 'Device or resource busy'
	rmdir "$MNT$CG/kubepods/pod1"
	[ ! -e "$MNT$CG/kubepods/pod1" ]
	run mmsim log "$IMG"
	assert_line --partial 'cgroup create /kubepods/pod1'
	assert_line --partial 'cgroup rm /kubepods/pod1'
	# no directories elsewhere in the tree
	run mkdir "$MNT/proc/x"
	assert_failure
}

@test "cgroup operations: create, set, attach, rm and their errors" {
	mmsim do "$IMG" cgroup create a
	mmsim do "$IMG" cgroup create /a/b
	run mmsim do "$IMG" cgroup create a/x/y
	assert_failure
	assert_output --partial 'a/x/y'
	run mmsim do "$IMG" cgroup create a
	assert_failure
	run mmsim do "$IMG" cgroup rm a
	assert_failure
	assert_output --partial 'busy'
	run mmsim do "$IMG" cgroup set a no.such.file 1
	assert_failure
	run mmsim do "$IMG" cgroup set a cgroup.events 1
	assert_failure
	run mmsim do "$IMG" cgroup attach 99999 a
	assert_failure
	assert_output --partial 'no process 99999'
	# a kernel thread stays where it is
	run mmsim do "$IMG" cgroup attach 2 a
	assert_failure
	run mmsim log "$IMG"
	refute_output --partial 'no.such.file'
	refute_output --partial 'attach'
	mmsim do "$IMG" cgroup rm a/b
	mmsim do "$IMG" cgroup rm /a
	run mx "$IMG" ls $CG
	refute_output --partial 'a'$'\n'
	mmsim check "$IMG"
}

@test "subtree_control: EINVAL, ENOENT, EBUSY, and garbage changes nothing" {
	mmsim do "$IMG" cgroup create a
	mmsim do "$IMG" cgroup create a/b
	run mx "$IMG" bash -c "echo garbage > $CG/cgroup.subtree_control"
	assert_failure
	assert_output --partial 'Invalid argument'
	run mx "$IMG" bash -c "echo memory > $CG/cgroup.subtree_control"
	assert_output --partial 'Invalid argument'
	run mx "$IMG" bash -c "echo +bogus > $CG/cgroup.subtree_control"
	assert_output --partial 'Invalid argument'
	run mx "$IMG" cat $CG/cgroup.subtree_control
	assert_output ''
	# nothing of that reached the journal
	run mmsim log "$IMG"
	refute_output --partial 'garbage'
	refute_output --partial 'bogus'
	# a controller the parent does not hand down: ENOENT
	run mx "$IMG" bash -c "echo +memory > $CG/a/cgroup.subtree_control"
	assert_failure
	assert_output --partial 'No such file or directory'
	mx "$IMG" bash -c "echo '+memory +pids' > $CG/cgroup.subtree_control"
	run mx "$IMG" bash -c "cat $CG/cgroup.subtree_control $CG/a/cgroup.controllers"
	assert_output "memory pids
memory pids"
	mx "$IMG" bash -c "echo +memory > $CG/a/cgroup.subtree_control"
	run mx "$IMG" cat $CG/a/b/cgroup.controllers
	assert_output memory
	# still handed on by a child: EBUSY
	run mx "$IMG" bash -c "echo -memory > $CG/cgroup.subtree_control"
	assert_failure
	assert_output --partial 'Device or resource busy'
	run mx "$IMG" cat $CG/cgroup.stat
	assert_line 'nr_subsys_memory 3'
	assert_line 'nr_subsys_pids 2'
	assert_line 'nr_subsys_cpu 1'
	mmsim check "$IMG"
}

@test "no internal processes: a group handing out memory takes no tasks" {
	spawn app
	mmsim do "$IMG" cgroup create a
	mmsim do "$IMG" cgroup create a/leaf
	mmsim do "$IMG" cgroup set / cgroup.subtree_control +memory
	mmsim do "$IMG" cgroup set a cgroup.subtree_control +memory
	run mx "$IMG" bash -c "echo $PID > $CG/a/cgroup.procs"
	assert_failure
	assert_output --partial 'Device or resource busy'
	run mmsim do "$IMG" spawn x cgroup=a
	assert_failure
	mx "$IMG" bash -c "echo $PID > $CG/a/leaf/cgroup.procs"
	# and a group with tasks cannot start handing memory out
	run mmsim do "$IMG" cgroup set a/leaf cgroup.subtree_control +memory
	assert_failure
	assert_output --partial 'busy'
	run mx "$IMG" cat /proc/$PID/cgroup
	assert_output '0::/a/leaf'
	mmsim check "$IMG"
}

@test "moving a process: cgroup.procs, /proc/PID/cgroup, cgroup.events" {
	spawn app
	mmsim do "$IMG" cgroup create web
	run mx "$IMG" bash -c "echo $PID > $CG/web/cgroup.procs; cat $CG/web/cgroup.procs \
		$CG/web/cgroup.threads /proc/$PID/cgroup $CG/web/cgroup.events"
	assert_success
	assert_output "$PID
$PID
0::/web
populated 1
frozen 0"
	run mx "$IMG" grep -x "$PID" $CG/cgroup.procs
	assert_failure
	run mx "$IMG" bash -c "echo 99999 > $CG/web/cgroup.procs"
	assert_failure
	assert_output --partial 'No such process'
	run mx "$IMG" bash -c "echo abc > $CG/web/cgroup.procs"
	assert_output --partial 'Invalid argument'
	# a populated group cannot go; once its process has left it can
	run mx "$IMG" rmdir $CG/web
	assert_failure
	assert_output --partial 'Device or resource busy'
	mmsim do "$IMG" exit "$PID"
	run mx "$IMG" cat $CG/web/cgroup.events
	assert_output "populated 0
frozen 0"
	mx "$IMG" rmdir $CG/web
	mmsim check "$IMG"
}

@test "populated travels up to the ancestors" {
	mmsim do "$IMG" cgroup create a
	mmsim do "$IMG" cgroup create a/b
	spawn app cgroup=a/b
	run mx "$IMG" cat $CG/a/cgroup.events $CG/a/cgroup.procs
	assert_output "populated 1
frozen 0"
	mmsim do "$IMG" kill "$PID"
	run mx "$IMG" cat $CG/a/cgroup.events
	assert_output "populated 0
frozen 0"
}

@test "spawn cgroup=PATH starts there; fork inherits the parent's group" {
	mmsim do "$IMG" cgroup create jobs
	spawn worker cgroup=jobs
	CHILD=$(mmsim do "$IMG" fork "$PID")
	GRAND=$(mmsim do "$IMG" spawn helper parent="$PID")
	run mx "$IMG" bash -c "cat /proc/$PID/cgroup /proc/$CHILD/cgroup \
		/proc/$GRAND/cgroup $CG/jobs/cgroup.procs"
	assert_output "0::/jobs
0::/jobs
0::/jobs
$PID
$CHILD
$GRAND"
	run mmsim do "$IMG" spawn x cgroup=nope
	assert_failure
	assert_output --partial 'no cgroup nope'
	mmsim check "$IMG"
}

@test "cgroup.freeze, cgroup.kill, max.depth and max.descendants" {
	mmsim do "$IMG" cgroup create a
	spawn app cgroup=a
	OTHER=$(mmsim do "$IMG" spawn other)
	mx "$IMG" bash -c "echo 1 > $CG/a/cgroup.freeze"
	mmsim do "$IMG" tick 3s
	run mx "$IMG" bash -c "cat $CG/a/cgroup.events $CG/a/cgroup.stat.local"
	assert_output "populated 1
frozen 1
frozen_usec 3000000"
	run mx "$IMG" bash -c "echo 2 > $CG/a/cgroup.freeze"
	assert_output --partial 'Numerical result out of range'
	mx "$IMG" bash -c "echo 1 > $CG/a/cgroup.kill"
	run mx "$IMG" bash -c "cat $CG/a/cgroup.events; test -d /proc/$PID || echo gone; \
		test -d /proc/$OTHER && echo other"
	assert_output "populated 0
frozen 1
gone
other"
	mx "$IMG" bash -c "echo 1 > $CG/a/cgroup.max.depth; echo 2 > $CG/cgroup.max.descendants"
	mmsim do "$IMG" cgroup create a/b
	run mmsim do "$IMG" cgroup create a/b/c
	assert_failure
	run mmsim do "$IMG" cgroup create z
	assert_failure
	run mx "$IMG" bash -c "echo -1 > $CG/cgroup.max.depth"
	assert_output --partial 'Numerical result out of range'
	run mx "$IMG" cat $CG/a/cgroup.max.depth $CG/cgroup.max.descendants
	assert_output "1
2"
	mmsim check "$IMG"
}

@test "threaded: cgroup.type, and no domain controllers inside" {
	mmsim do "$IMG" cgroup create d
	mmsim do "$IMG" cgroup create d/t
	run mx "$IMG" bash -c "echo domain > $CG/d/t/cgroup.type"
	assert_output --partial 'Invalid argument'
	mx "$IMG" bash -c "echo threaded > $CG/d/t/cgroup.type"
	run mx "$IMG" cat $CG/d/t/cgroup.type $CG/d/cgroup.type
	assert_output "threaded
domain threaded"
	run mx "$IMG" cat $CG/d/t/cgroup.procs
	assert_failure
	assert_output --partial 'Operation not supported'
	mmsim do "$IMG" cgroup set / cgroup.subtree_control +memory +cpu
	run mmsim do "$IMG" cgroup set d cgroup.subtree_control +memory
	assert_failure
	mmsim do "$IMG" cgroup set d cgroup.subtree_control +cpu
	run mx "$IMG" cat $CG/d/t/cgroup.controllers
	assert_output cpu
	mmsim check "$IMG"
}

@test "the hierarchy and who is where survive re-opening the image" {
	mmsim do "$IMG" cgroup create kubepods
	mmsim do "$IMG" cgroup create kubepods/pod1
	mmsim do "$IMG" cgroup set / cgroup.subtree_control +memory
	mmsim do "$IMG" cgroup set kubepods cgroup.subtree_control +memory
	spawn app cgroup=kubepods/pod1
	before=$(mx "$IMG" bash -c "cat /proc/$PID/cgroup $CG/kubepods/pod1/cgroup.procs \
		$CG/kubepods/cgroup.events $CG/cgroup.stat $CG/kubepods/pod1/cgroup.controllers")
	# enough operations that the image takes a new checkpoint: the next
	# open loads the hierarchy from it instead of replaying
	yes 'tick 1ms' | head -520 | mmsim run "$IMG" - >/dev/null
	mmsim mount "$IMG" "$MNT"
	run cat "$MNT/proc/$PID/cgroup" "$MNT$CG/kubepods/pod1/cgroup.procs" \
		"$MNT$CG/kubepods/cgroup.events" "$MNT$CG/cgroup.stat" \
		"$MNT$CG/kubepods/pod1/cgroup.controllers"
	assert_output "$before"
	mmsim umount "$MNT"
	run mmsim check "$IMG"
	assert_success
	assert_line 'cgroups: consistent'
}
