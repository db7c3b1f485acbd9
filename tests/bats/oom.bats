#!/usr/bin/env bats
# The OOM killer without swap (issue 5): when reclaim cannot meet a fault,
# the task with the highest badness dies, its memory comes back, and the
# kernel log has the block the kernel writes, which `dmesg -F` prints.

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
	new_image m.img --mem 4G
	mmsim run "$IMG" - <<-'EOF'
		a = spawn small
		am = mmap $a 512M
		touch $a $am 512M write
		b = spawn medium
		bm = mmap $b 1G
		touch $b $bm 1G write
		c = spawn large
		cm = mmap $c 1536M
		touch $c $cm 1536M write
	EOF
}

pid_of() {
	mx "$IMG" pgrep -x "$1"
}

# hog: a fourth process that writes 1 GiB.
hog() {
	local pid addr
	pid=$(mmsim do "$IMG" spawn hog)
	addr=$(mmsim do "$IMG" mmap "$pid" 1G)
	mmsim do "$IMG" touch "$pid" "$addr" 1G write
}

@test "oom_score orders the processes by the memory they hold" {
	small=$(mx "$IMG" cat "/proc/$(pid_of small)/oom_score")
	medium=$(mx "$IMG" cat "/proc/$(pid_of medium)/oom_score")
	large=$(mx "$IMG" cat "/proc/$(pid_of large)/oom_score")
	[ "$small" -lt "$medium" ]
	[ "$medium" -lt "$large" ]
	assert_equal "$(mx "$IMG" cat /proc/1/oom_score)" 0
}

@test "a fourth process writing 1 GiB brings the OOM killer: the 1.5 GiB one dies" {
	large=$(pid_of large)
	snap a
	run hog
	assert_success
	snap b
	assert_equal "$(delta oom_kill a b)" 1
	run pid_of large
	assert_failure
	run pid_of hog
	assert_success
	run pid_of medium
	assert_success
	run mx "$IMG" dmesg -F /proc/kmsg
	assert_success
	assert_line --regexp '^\[ *[0-9.]+\] hog invoked oom-killer: gfp_mask=0x140cca\(GFP_HIGHUSER_MOVABLE\|__GFP_COMP\), order=0, oom_score_adj=0$'
	assert_line --regexp '^\[ *[0-9.]+\] Mem-Info:$'
	assert_line --regexp '^\[ *[0-9.]+\] \[  pid  \]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name$'
	assert_line --regexp "^\[ *[0-9.]+\] oom-kill:constraint=CONSTRAINT_NONE,nodemask=\(null\),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=large,pid=$large,uid=0$"
	assert_line --regexp "^\[ *[0-9.]+\] Out of memory: Killed process $large \(large\) total-vm:[0-9]+kB, anon-rss:157[0-9]{4}kB, file-rss:[0-9]+kB, shmem-rss:0kB, UID:0 pgtables:[0-9]+kB oom_score_adj:0$"
	# the kill line is an error, the table information
	run mx "$IMG" dmesg -F /proc/kmsg --level=err
	assert_output --partial "Killed process $large (large)"
	run mmsim check "$IMG"
	assert_success
}

@test "oom_score_adj=-1000 makes the 1.5 GiB one immune: the 1 GiB one dies instead" {
	large=$(pid_of large)
	medium=$(pid_of medium)
	mmsim do "$IMG" oom_score_adj "$large" -1000
	assert_equal "$(mx "$IMG" cat "/proc/$large/oom_score")" 0
	run hog
	assert_success
	run pid_of large
	assert_success
	run pid_of medium
	assert_failure
	run mx "$IMG" dmesg -F /proc/kmsg
	assert_output --partial "Killed process $medium (medium)"
}

@test "a process that is itself the worst is killed in its own fault" {
	pid=$(mmsim do "$IMG" spawn glutton)
	addr=$(mmsim do "$IMG" mmap "$pid" 3G)
	run mmsim do "$IMG" touch "$pid" "$addr" 3G write
	assert_success
	assert_output "touch: $pid was killed (out of memory)"
	run pid_of glutton
	assert_failure
	run mmsim check "$IMG"
	assert_success
}

# oom_report: the last OOM report in the kernel log as `dmesg -F` prints
# it, from its "invoked oom-killer" line on, timestamps cut.
oom_report() {
	mx "$IMG" dmesg -F /proc/kmsg | sed 's/^\[ *[0-9.]*\] //' |
		awk '/ invoked oom-killer: /{ n = 0 } { l[n++] = $0 }
			END { for (i = 0; i < n; i++) print l[i] }'
}

# report_zone REPORT ZONE KEY: a zone's "KEY:NkB" in the report, in kB.
report_zone() {
	awk -v zone="$2" -v key="$3" '
		$1 == "Node" && $3 == zone && $4 ~ /^free:/ {
			for (i = 4; i <= NF; i++) {
				split($i, kv, ":")
				if (kv[1] == key) { sub(/[kK]B$/, "", kv[2]); print kv[2]; exit }
			}
		}' "$1"
}

# report_buddy REPORT ZONE: the total a zone's free-list line ends with.
report_buddy() {
	awk -v zone="$2:" '$1 == "Node" && $3 == zone { v = $NF; sub(/kB$/, "", v); print v; exit }' "$1"
}

@test "the report is the kernel's whole block: stack, per-node, per-zone, free lists, swap and RAM" {
	run hog
	assert_success
	hog=$(pid_of hog)
	run oom_report
	assert_success
	assert_line --index 0 --regexp '^hog invoked oom-killer: gfp_mask=0x140cca\(GFP_HIGHUSER_MOVABLE\|__GFP_COMP\), order=0, oom_score_adj=0$'
	assert_line --index 1 --regexp "^CPU: [0-9]+ UID: 0 PID: $hog Comm: hog Not tainted 6\\.18\\.0-mmsim #1 PREEMPT\\(voluntary\\) \$"
	assert_line --index 2 --regexp '^Hardware name: .+, BIOS .+$'
	assert_line --index 3 'Call Trace:'
	assert_line --index 4 ' <TASK>'
	assert_line --index 5 --regexp '^ dump_stack_lvl\+0x[0-9a-f]+/0x[0-9a-f]+$'
	assert_line --regexp '^ oom_kill_process\+0x[0-9a-f]+/0x[0-9a-f]+$'
	assert_line --regexp '^ out_of_memory\+0x[0-9a-f]+/0x[0-9a-f]+$'
	assert_line --regexp '^ handle_mm_fault\+0x[0-9a-f]+/0x[0-9a-f]+$'
	assert_line --regexp '^ asm_exc_page_fault\+0x[0-9a-f]+/0x[0-9a-f]+$'
	assert_line ' </TASK>'
	assert_line 'Mem-Info:'
	assert_line --regexp '^Node 0 active_anon:[0-9]+kB inactive_anon:[0-9]+kB active_file:[0-9]+kB inactive_file:[0-9]+kB unevictable:[0-9]+kB isolated\(anon\):0kB isolated\(file\):0kB mapped:[0-9]+kB dirty:[0-9]+kB writeback:[0-9]+kB shmem:[0-9]+kB shmem_thp:[0-9]+kB shmem_pmdmapped:[0-9]+kB anon_thp:[0-9]+kB kernel_stack:[0-9]+kB pagetables:[0-9]+kB sec_pagetables:0kB all_unreclaimable\? no Balloon:0kB$'
	for zone in DMA DMA32 Normal; do
		assert_line --regexp "^Node 0 $zone free:[0-9]+kB boost:[0-9]+kB min:[0-9]+kB low:[0-9]+kB high:[0-9]+kB reserved_highatomic:0KB free_highatomic:[0-9]+KB active_anon:[0-9]+kB inactive_anon:[0-9]+kB active_file:[0-9]+kB inactive_file:[0-9]+kB unevictable:[0-9]+kB writepending:[0-9]+kB zspages:0kB present:[0-9]+kB managed:[0-9]+kB mlocked:[0-9]+kB bounce:0kB free_pcp:[0-9]+kB local_pcp:[0-9]+kB free_cma:0kB$"
		assert_line --regexp "^Node 0 $zone: ([0-9]+\*[0-9]+kB (\([UMEHI]+\) )?){11}= [0-9]+kB$"
	done
	assert_line --regexp '^lowmem_reserve\[\]: 0 [0-9]+ [0-9]+ [0-9]+ [0-9]+$'
	assert_line 'Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB'
	assert_line 'Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB'
	assert_line --regexp '^[0-9]+ total pagecache pages$'
	assert_line '0 pages in swap cache'
	assert_line 'Free swap  = 0kB'
	assert_line 'Total swap = 0kB'
	assert_line --regexp '^[0-9]+ pages RAM$'
	assert_line '0 pages HighMem/MovableOnly'
	assert_line --regexp '^[0-9]+ pages reserved$'
	# in the kernel's order, each part once
	echo "$output" | awk '
		BEGIN {
			n = split("invoked oom-killer:|^CPU: |^Hardware name: |^Call Trace:$|^ <TASK>$|^ dump_stack_lvl|^ out_of_memory|^ handle_mm_fault|^ </TASK>$|^Mem-Info:$|^active_anon:|^ free:|^Node 0 active_anon:|^Node 0 DMA free:|^Node 0 DMA32 free:|^Node 0 Normal free:|^Node 0 DMA: |^Node 0 DMA32: |^Node 0 Normal: |hugepages_size=1048576kB$|hugepages_size=2048kB$|total pagecache pages$|pages in swap cache$|^Free swap  = |^Total swap = |pages RAM$|HighMem/MovableOnly$|pages reserved$|^Tasks state|^oom-kill:|^Out of memory: Killed process", want, "|")
		}
		{ for (i = 1; i <= n; i++) if ($0 ~ want[i]) { seen[i]++; at[i] = NR } }
		END {
			for (i = 1; i <= n; i++) {
				if (seen[i] != 1) { print "seen " seen[i] + 0 " times: " want[i]; bad = 1 }
				if (i > 1 && at[i] <= at[i - 1]) { print "out of order: " want[i]; bad = 1 }
			}
			exit bad
		}'
	# the levels dmesg decodes: the invoked line a warning, the kill an error
	run mx "$IMG" dmesg -F /proc/kmsg -x
	assert_line --regexp '^kern  :warn  : \[ *[0-9.]+\] hog invoked oom-killer: '
	assert_line --regexp '^kern  :warn  : \[ *[0-9.]+\] Node 0 Normal free:'
	assert_line --regexp '^kern  :err   : \[ *[0-9.]+\] Out of memory: Killed process '
}

@test "the report's zones agree with their free lists, the Mem-Info summary and /proc/zoneinfo" {
	mmsim do "$IMG" sysctl vm.nr_hugepages=8
	run hog
	assert_success
	oom_report >"$BATS_TEST_TMPDIR/report"
	grab "$IMG" "$BATS_TEST_TMPDIR/after"
	zi="$BATS_TEST_TMPDIR/after/proc/zoneinfo"
	r="$BATS_TEST_TMPDIR/report"
	sum=0
	for zone in DMA DMA32 Normal; do
		free=$(report_zone "$r" $zone free)
		# the counter and the free lists, read apart, agree
		assert_equal "$(report_buddy "$r" $zone)" "$free"
		sum=$((sum + free))
		# what an OOM kill does not change is zoneinfo's, in kB
		for key in min low high present managed; do
			assert_equal "$(report_zone "$r" $zone $key)" \
				"$(($(zone_field "$zi" 0 $zone $key) * 4))"
		done
	done
	# no user page is ever in DMA: the kill left it as it was
	assert_equal "$(report_zone "$r" DMA free)" "$(($(zone_field "$zi" 0 DMA free) * 4))"
	summary=$(awk '$1 ~ /^free:/ { sub(/^free:/, "", $1); print $1 }' "$r")
	assert_equal "$((summary * 4))" "$sum"
	present=0
	reserved=0
	for zone in DMA DMA32 Normal; do
		p=$(zone_field "$zi" 0 $zone present)
		present=$((present + p))
		reserved=$((reserved + p - $(zone_field "$zi" 0 $zone managed)))
	done
	run grep -x "$present pages RAM" "$r"
	assert_success
	run grep -x "$reserved pages reserved" "$r"
	assert_success
	# the pool as the node's meminfo has it
	total=$(awk '$3 == "HugePages_Total:" { print $4 }' "$BATS_TEST_TMPDIR/after/sys/devices/system/node/node0/meminfo")
	assert_equal "$total" 8
	run grep -x "Node 0 hugepages_total=8 hugepages_free=8 hugepages_surp=0 hugepages_size=2048kB" "$r"
	assert_success
}

@test "a file read that cannot get memory after reclaim OOM-kills the biggest task and completes" {
	large=$(pid_of large)
	mmsim do "$IMG" file create /data 64M
	# the watermarks rise over what reclaim can free: the page cache
	# the read needs is only to be had from the OOM killer
	mmsim do "$IMG" sysctl vm.min_free_kbytes=1048576
	snap a
	run mmsim do "$IMG" file read /data
	assert_success
	snap b
	assert_equal "$(delta oom_kill a b)" 1
	# pgpgin counts KiB: all 64 MiB came from the disk
	[ "$(delta pgpgin a b)" -ge 65536 ]
	run pid_of large
	assert_failure
	run oom_report
	assert_line --index 0 --regexp '^mmsim invoked oom-killer: gfp_mask=0x140cca\(GFP_HIGHUSER_MOVABLE\|__GFP_COMP\), order=0, oom_score_adj=0$'
	assert_line --index 1 --regexp '^CPU: 0 UID: 0 PID: 0 Comm: mmsim Not tainted '
	assert_line --regexp '^ filemap_read\+0x[0-9a-f]+/0x[0-9a-f]+$'
	assert_line --regexp '^ ksys_read\+0x[0-9a-f]+/0x[0-9a-f]+$'
	assert_line --regexp "^Out of memory: Killed process $large \(large\) "
	run mmsim check "$IMG"
	assert_success
}

@test "writing a tmpfs file past free memory OOM-kills the biggest task and completes" {
	large=$(pid_of large)
	snap a
	run mmsim do "$IMG" file create /dev/shm/fill 1G
	assert_success
	snap b
	assert_equal "$(delta oom_kill a b)" 1
	[ "$(delta Shmem a b)" -ge 1048576 ]
	run pid_of large
	assert_failure
	run oom_report
	assert_line --index 0 --regexp '^mmsim invoked oom-killer: '
	assert_line --regexp '^ shmem_write_begin\+0x[0-9a-f]+/0x[0-9a-f]+$'
	run mmsim check "$IMG"
	assert_success
}

@test "mmap populate that meets the OOM killer goes on after the kill" {
	large=$(pid_of large)
	pid=$(mmsim do "$IMG" spawn filler)
	snap a
	run mmsim do "$IMG" mmap "$pid" 1G populate
	assert_success
	assert_output --regexp '^0x[0-9a-f]+$'
	snap b
	assert_equal "$(delta oom_kill a b)" 1
	run pid_of large
	assert_failure
	# every page of the mapping is resident
	rss=$(mx "$IMG" awk '$1 == "RssAnon:" { print $2 }' "/proc/$pid/status")
	[ "$rss" -ge 1048576 ]
	run oom_report
	assert_line --index 0 --regexp '^filler invoked oom-killer: '
	run mmsim check "$IMG"
	assert_success
}

@test "a populate whose own task is the worst is accepted and says the task was killed" {
	pid=$(mmsim do "$IMG" spawn glutton)
	run mmsim do "$IMG" mmap "$pid" 3G populate
	assert_success
	assert_output "mmap: $pid was killed (out of memory)"
	run pid_of glutton
	assert_failure
	run mmsim check "$IMG"
	assert_success
}

# pressure: the watermarks rise over what reclaim can free, so the next
# allocation that needs memory is only served after an OOM kill.
pressure() {
	mmsim do "$IMG" sysctl vm.min_free_kbytes=1048576
}

@test "a fork under memory pressure gets the OOM killer and goes on" {
	small=$(pid_of small)
	large=$(pid_of large)
	pressure
	run mmsim do "$IMG" fork "$small"
	assert_success
	assert_output --regexp '^[0-9]+$'
	assert_equal "$(mx "$IMG" cat "/proc/$output/comm")" small
	run pid_of large
	assert_failure
	run oom_report
	assert_line --index 0 --regexp '^small invoked oom-killer: gfp_mask=0x400dc0\(GFP_KERNEL_ACCOUNT\|__GFP_ZERO\), order=0, oom_score_adj=0$'
	assert_line --regexp '^ copy_process\+0x[0-9a-f]+/0x[0-9a-f]+$'
	assert_line --regexp "^Out of memory: Killed process $large \(large\) "
	run mmsim check "$IMG"
	assert_success
}

@test "a spawn under memory pressure gets the OOM killer and goes on" {
	pressure
	run mmsim do "$IMG" spawn newcomer
	assert_success
	assert_output --regexp '^[0-9]+$'
	assert_equal "$(pid_of newcomer)" "$output"
	run pid_of large
	assert_failure
	run mmsim check "$IMG"
	assert_success
}

@test "an exec under memory pressure gets the OOM killer at its safe point and goes on" {
	small=$(pid_of small)
	large=$(pid_of large)
	pressure
	run mmsim do "$IMG" exec "$small" sshd
	assert_success
	assert_output ''
	# the exec is done: the same PID runs the new program
	assert_equal "$(mx "$IMG" cat "/proc/$small/comm")" sshd
	run mx "$IMG" cat "/proc/$small/maps"
	assert_output --partial /usr/sbin/sshd
	run pid_of large
	assert_failure
	run oom_report
	assert_line --index 0 --regexp '^small invoked oom-killer: gfp_mask=0x400dc0\(GFP_KERNEL_ACCOUNT\|__GFP_ZERO\), order=0, oom_score_adj=0$'
	assert_line --regexp '^ alloc_bprm\+0x[0-9a-f]+/0x[0-9a-f]+$'
	assert_line --regexp "^Out of memory: Killed process $large \(large\) "
	run mmsim log "$IMG"
	assert_line --index $((${#lines[@]} - 1)) --regexp "^[0-9]+ exec $small sshd$"
	run mmsim check "$IMG"
	assert_success
}

@test "an exec whose own page faults meet the OOM killer is run again and completes" {
	# A small task on a 1 GiB machine without swap whose file cache is
	# mostly gone, and a victim holding most of the rest.  The exec's
	# safe point passes, but the new image's faults run memory out:
	# the OOM killer kills the victim in a fault, and the exec starts
	# over (execve_retry) and completes.  Where exactly memory runs out
	# depends on the model, so min_free_kbytes is raised a step at a
	# time, on a copy, until the exec meets the OOM killer.
	local img=$BATS_TEST_TMPDIR/x.img try=$BATS_TEST_TMPDIR/try.img
	new_image x.img --mem 1G
	local tiny victim addr
	tiny=$(mmsim do "$img" spawn tiny)
	victim=$(mmsim do "$img" spawn victim)
	addr=$(mmsim do "$img" mmap "$victim" 700M)
	mmsim do "$img" touch "$victim" "$addr" 700M write
	mmsim do "$img" sysctl vm.drop_caches=3
	local mfk found=
	for ((mfk = 600000; mfk <= 800000; mfk += 10000)); do
		cp "$img" "$try"
		mmsim do "$try" sysctl "vm.min_free_kbytes=$mfk"
		run --separate-stderr mmsim do "$try" exec "$tiny" sshd
		assert_success
		if [ "$(mx "$try" awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)" != 0 ]; then
			found=$mfk
			break
		fi
	done
	[ -n "$found" ] || fail "no min_free_kbytes up to 800000 brought the OOM killer"
	IMG=$try
	# the first kill was in a page fault of the new image, not at the
	# safe point (whose gfp_mask is GFP_KERNEL_ACCOUNT)
	run oom_report
	assert_line --index 0 --regexp '^sshd invoked oom-killer: gfp_mask=0x140cca\(GFP_HIGHUSER_MOVABLE\|__GFP_COMP\), order=0, oom_score_adj=0$'
	assert_line --regexp '^ do_user_addr_fault\+0x[0-9a-f]+/0x[0-9a-f]+$'
	assert_line --regexp "^Out of memory: Killed process $victim \(victim\) "
	assert_equal "$(mx "$try" dmesg -F /proc/kmsg | grep -c 'Out of memory: Killed process')" 1
	run mx "$try" pgrep -x victim
	assert_failure
	# the exec is done, whole: the new program, its text, heap and stack
	assert_equal "$(mx "$try" cat "/proc/$tiny/comm")" sshd
	run mx "$try" cat "/proc/$tiny/maps"
	assert_output --partial /usr/sbin/sshd
	assert_output --partial '[heap]'
	assert_output --partial '[stack]'
	run mmsim check "$try"
	assert_success
}

@test "a malloc whose header write meets the OOM killer goes on, and its chunk frees" {
	small=$(pid_of small)
	pressure
	snap a
	run mmsim do "$IMG" malloc "$small" 200M
	assert_success
	assert_output --regexp '^0x[0-9a-f]+$'
	addr=$output
	snap b
	assert_equal "$(delta oom_kill a b)" 1
	run oom_report
	assert_line --index 0 --regexp '^small invoked oom-killer: gfp_mask=0x140cca'
	run mmsim do "$IMG" free "$small" "$addr"
	assert_success
	run mmsim check "$IMG"
	assert_success
}

@test "a free whose header write faults from swap under pressure gets the OOM killer and completes" {
	# the chunk's header page goes out to swap, swap fills, and then
	# memory is short: free() must bring the page back to write the
	# free chunk's links, and only the OOM killer can make room
	local img=$BATS_TEST_TMPDIR/f.img
	new_image f.img --mem 1G --swap 256M
	local a x y b bm
	a=$(mmsim do "$img" spawn a)
	x=$(mmsim do "$img" malloc "$a" 64K)
	y=$(mmsim do "$img" malloc "$a" 64K)
	b=$(mmsim do "$img" spawn b)
	bm=$(mmsim do "$img" mmap "$b" 1100M)
	mmsim do "$img" touch "$b" "$bm" 1100M write
	IMG=$img
	[ "$(mx "$img" awk '$1 == "VmSwap:" { print $2 }' "/proc/$a/status")" -gt 0 ]
	mmsim do "$img" sysctl vm.min_free_kbytes=200000
	snap a
	run --separate-stderr mmsim do "$img" free "$a" "$x"
	assert_success
	assert_output ''
	snap b
	assert_equal "$(delta oom_kill a b)" 1
	[ "$(delta pgmajfault a b)" -gt 0 ]
	run oom_report
	assert_line --index 0 --regexp '^a invoked oom-killer: gfp_mask=0x140cca\(GFP_HIGHUSER_MOVABLE\|__GFP_COMP\), order=0, oom_score_adj=0$'
	assert_line --regexp "^Out of memory: Killed process $b \(b\) "
	run mx "$img" pgrep -x b
	assert_failure
	# the chunk is free: a second free is refused, the other one frees
	run --separate-stderr mmsim do "$img" free "$a" "$x"
	assert_failure 1
	assert_stderr_matches 'not an allocated chunk'
	run mmsim do "$img" free "$a" "$y"
	assert_success
	run mmsim check "$img"
	assert_success
}

@test "a free whose own task is the one killed is accepted and says so" {
	local img=$BATS_TEST_TMPDIR/f.img
	new_image f.img --mem 1G --swap 256M
	local a x b bm
	a=$(mmsim do "$img" spawn a)
	x=$(mmsim do "$img" malloc "$a" 64K)
	mmsim do "$img" malloc "$a" 64K >/dev/null
	b=$(mmsim do "$img" spawn b oom_score_adj=-1000)
	bm=$(mmsim do "$img" mmap "$b" 1100M)
	mmsim do "$img" touch "$b" "$bm" 1100M write
	# nothing else big enough to kill: the daemons go, then a itself
	mmsim do "$img" sysctl vm.min_free_kbytes=200000
	run --separate-stderr mmsim do "$img" free "$a" "$x"
	assert_success
	assert_output "free: $a was killed (out of memory)"
	run mx "$img" pgrep -x a
	assert_failure
	run mx "$img" pgrep -x b
	assert_success
	run mmsim check "$img"
	assert_success
}

@test "madvise willneed short of memory reads what it can: no error, no OOM kill" {
	local img=$BATS_TEST_TMPDIR/w.img
	new_image w.img --mem 1G --swap 256M
	mmsim do "$img" file create /data 64M
	local a fm b bm
	a=$(mmsim do "$img" spawn a)
	fm=$(mmsim do "$img" mmap "$a" 64M file=/data)
	b=$(mmsim do "$img" spawn b)
	bm=$(mmsim do "$img" mmap "$b" 1100M)
	mmsim do "$img" touch "$b" "$bm" 1100M write
	mmsim do "$img" sysctl vm.min_free_kbytes=200000
	IMG=$img
	snap a
	# readahead allocates with __GFP_NORETRY: it stops, madvise() is 0
	run --separate-stderr mmsim do "$img" madvise "$a" "$fm" 64M willneed
	assert_success
	snap b
	assert_equal "$(delta oom_kill a b)" 0
	run mx "$img" pgrep -x b
	assert_success
	run mmsim log "$img"
	assert_line --index $((${#lines[@]} - 1)) --regexp "^[0-9]+ madvise $a $fm 64M willneed$"
	run mmsim check "$img"
	assert_success
}

@test "when unreclaimable slab outgrows the LRU lists the report lists the caches" {
	for name in small medium large; do
		mmsim do "$IMG" kill "$(pid_of $name)" KILL
	done
	mmsim do "$IMG" slab alloc kmalloc-4k 700000
	pid=$(mmsim do "$IMG" spawn hog)
	addr=$(mmsim do "$IMG" mmap "$pid" 1536M)
	run mmsim do "$IMG" touch "$pid" "$addr" 1536M write
	assert_success
	run oom_report
	assert_line 'Unreclaimable slab info:'
	assert_line 'Name                      Used          Total'
	# kmalloc-4k as /proc/slabinfo counts it: the kill freed none of it
	read -r active total size < <(mx "$IMG" awk '$1 == "kmalloc-4k" { print $2, $3, $4 }' /proc/slabinfo)
	assert_line "$(printf '%-17s %10sKB %10sKB' kmalloc-4k $((active * size / 1024)) $((total * size / 1024)))"
	# reclaimable caches are not in it
	refute_line --regexp '^dentry '
	run mmsim check "$IMG"
	assert_success
}
