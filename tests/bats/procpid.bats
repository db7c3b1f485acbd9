#!/usr/bin/env bats
# The per-process files of /proc (fs/proc/base.c, array.c, task_mmu.c):
# their Linux 6.18 layout, as a real 6.18 process shows it, their
# agreement with one another, and the real procps tools reading them.

load helper

# Field names and lines of a real Linux 6.18 process's files, in order.
SMAPS_LABELS='Size KernelPageSize MMUPageSize Rss Pss Pss_Dirty Shared_Clean Shared_Dirty Private_Clean Private_Dirty Referenced Anonymous KSM LazyFree AnonHugePages ShmemPmdMapped FilePmdMapped Shared_Hugetlb Private_Hugetlb Swap SwapPss Locked THPeligible VmFlags'
ROLLUP_LABELS='Rss Pss Pss_Dirty Pss_Anon Pss_File Pss_Shmem Shared_Clean Shared_Dirty Private_Clean Private_Dirty Referenced Anonymous KSM LazyFree AnonHugePages ShmemPmdMapped FilePmdMapped Shared_Hugetlb Private_Hugetlb Swap SwapPss Locked'
STATUS_KEYS='Name Umask State Tgid Ngid Pid PPid TracerPid Uid Gid FDSize Groups NStgid NSpid NSpgid NSsid Kthread VmPeak VmSize VmLck VmPin VmHWM VmRSS RssAnon RssFile RssShmem VmData VmStk VmExe VmLib VmPTE VmSwap HugetlbPages CoreDumping THP_enabled untag_mask Threads SigQ SigPnd ShdPnd SigBlk SigIgn SigCgt CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp Seccomp_filters Speculation_Store_Bypass SpeculationIndirectBranch Cpus_allowed Cpus_allowed_list Mems_allowed Mems_allowed_list voluntary_ctxt_switches nonvoluntary_ctxt_switches'
IO_KEYS='rchar wchar syscr syscw read_bytes write_bytes cancelled_write_bytes'
REF_MAPS='55c043052000-55c043053000 r--p 00000000 fe:00 18624                      /root/.pyenv/versions/3.11.7/bin/python3.11
7f6314b96000-7f6314cc9000 rw-p 00000000 00:00 0 
7f6310b96000-7f6314b96000 rw-s 00000000 00:01 1026                       /dev/zero (deleted)
7ffcd135f000-7ffcd1380000 rw-p 00000000 00:00 0                          [stack]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]'
REF_LIMITS='Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max file size             unlimited            unlimited            bytes     
Max data size             unlimited            unlimited            bytes     
Max stack size            8388608              unlimited            bytes     
Max core file size        0                    unlimited            bytes     
Max resident set          unlimited            unlimited            bytes     
Max processes             96365                96365                processes 
Max open files            20000                20000                files     
Max locked memory         8388608              8388608              bytes     
Max address space         unlimited            unlimited            bytes     
Max file locks            unlimited            unlimited            locks     
Max pending signals       96365                96365                signals   
Max msgqueue size         819200               819200               bytes     
Max nice priority         0                    0                    
Max realtime priority     0                    0                    
Max realtime timeout      unlimited            unlimited            us        '

setup() {
	IMG="$BATS_TEST_TMPDIR/p.img"
	D="$BATS_TEST_TMPDIR/d"
	mmsim create "$IMG" >/dev/null
}

# grab_pid PID: the files of /proc/PID, all read in one `mmsim exec`, into
# $D/PID/.
grab_pid() {
	mkdir -p "$D/$1"
	mx "$IMG" sh -c '
		set -e
		for f in maps smaps smaps_rollup status stat statm numa_maps \
			limits io cgroup oom_score oom_adj oom_score_adj cmdline \
			comm wchan; do
			# a kernel thread has no smaps_rollup
			cat "/proc/$1/$f" >"$2/$f" 2>/dev/null || rm "$2/$f"
		done' sh "$1" "$D/$1"
}

# kb FILE LABEL: the value of "LABEL:  N kB" (the first such line).
kb() {
	awk -v k="$2:" '$1 == k { print $2; exit }' "$1"
}

# keys FILE: the names before the colons, on one line.
keys() {
	cut -d: -f1 "$1" | tr '\n' ' ' | sed 's/ $//'
}

# columns: for each line, its length and the columns where its words start.
columns() {
	awk '{ s = length($0)
		for (i = 1; i <= length($0); i++)
			if (substr($0, i, 1) != " " && (i == 1 || substr($0, i - 1, 1) == " "))
				s = s " " i
		print s }'
}

# pagemap PID ADDR: the 64-bit pagemap entry of the page at ADDR, in hex.
pagemap() {
	mx "$IMG" dd if="/proc/$1/pagemap" bs=8 skip=$(($2 / 4096)) count=1 \
		status=none | od -An -tx8 | tr -d ' \n'
}

# app: a process with 8 MiB written into a 64 MiB mapping; sets PID, ADDR.
app() {
	PID=$(mmsim do "$IMG" spawn app)
	ADDR=$(mmsim do "$IMG" mmap "$PID" 64M)
	mmsim do "$IMG" touch "$PID" "$ADDR" 8M write
}

@test "maps: the 6.18 line layout, names in column 74, [vsyscall] last" {
	app
	grab_pid "$PID"
	local re='^[0-9a-f]{8,}-[0-9a-f]{8,} [r-][w-][x-][sp] [0-9a-f]{8,} [0-9a-f]{2}:[0-9a-f]{2} [0-9]+ '
	run grep -Evc "$re" "$D/$PID/maps"
	assert_output 0
	# every name starts where the reference's do: after 73 characters
	printf '%s\n' "$REF_MAPS" >"$BATS_TEST_TMPDIR/ref_maps"
	for f in "$BATS_TEST_TMPDIR/ref_maps" "$D/$PID/maps"; do
		run awk 'NF == 5 && substr($0, length($0)) != " " { bad++ }
			NF >= 6 && (substr($0, 73, 1) != " " || substr($0, 74, 1) == " ") { bad++ }
			END { print bad + 0 }' "$f"
		assert_output 0
	done
	assert_equal "$(tail -n 1 "$D/$PID/maps")" \
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]"
	# an anonymous mapping without a name ends in "0 "
	grep -q "^$(printf %x "$ADDR")-[0-9a-f]* rw-p 00000000 00:00 0 \$" "$D/$PID/maps"
	grep -q ' \[heap\]$' "$D/$PID/maps"
	grep -q ' \[stack\]$' "$D/$PID/maps"
	grep -q ' \[vdso\]$' "$D/$PID/maps"
	grep -Eq ' fe:00 [0-9]+ +/usr/lib/x86_64-linux-gnu/libc\.so\.6$' "$D/$PID/maps"
}

@test "smaps: every VMA has the reference's fields in its order" {
	app
	grab_pid "$PID"
	tr ' ' '\n' <<<"$SMAPS_LABELS" >"$BATS_TEST_TMPDIR/want"
	# each block of ours, its labels one per line
	awk -v want="$BATS_TEST_TMPDIR/want" '
		BEGIN { while ((getline l < want) > 0) w[n++] = l }
		/^[0-9a-f]+-[0-9a-f]+ / { if (i && i != n) bad++; i = 0; blocks++; next }
		{ sub(/:.*/, ""); if ($0 != w[i++]) bad++ }
		END { if (i != n) bad++; print blocks, bad + 0 }' "$D/$PID/smaps" >"$BATS_TEST_TMPDIR/got"
	assert_equal "$(cut -d' ' -f2 "$BATS_TEST_TMPDIR/got")" 0
	assert_equal "$(cut -d' ' -f1 "$BATS_TEST_TMPDIR/got")" "$(wc -l <"$D/$PID/maps")"
	# the numeric lines: 16 columns of label, 8 of value, one odd label
	run grep -Evc '^([A-Za-z_]+: +[0-9]+ kB|Private_Hugetlb: +[0-9]+ kB|THPeligible: +[01]|VmFlags:( [a-z?]{2})* |[0-9a-f]+-[0-9a-f]+ .*)$' "$D/$PID/smaps"
	assert_output 0
	run grep -Ec '^.{16}.{8} kB$' "$D/$PID/smaps"
	assert_equal "$output" "$(grep -c ' kB$' "$D/$PID/smaps")"
	# the written mapping
	run grep -A 24 "^$(printf %x "$ADDR")-" "$D/$PID/smaps"
	assert_line 'Size:              65536 kB'
	assert_line 'Rss:                8192 kB'
	assert_line 'Pss:                8192 kB'
	assert_line 'Private_Dirty:      8192 kB'
	assert_line 'Anonymous:          8192 kB'
	assert_line 'THPeligible:           0'
	assert_line 'VmFlags: rd wr mr mw me ac '
}

@test "smaps_rollup is the sum of smaps, with the kernel's header" {
	app
	child=$(mmsim do "$IMG" fork "$PID")
	grab_pid "$PID"
	for f in Rss Shared_Clean Shared_Dirty Private_Clean Private_Dirty \
		Referenced Anonymous LazyFree AnonHugePages Swap Locked; do
		sum=$(awk -v k="$f:" '$1 == k { s += $2 } END { print s + 0 }' "$D/$PID/smaps")
		assert_equal "$f $(kb "$D/$PID/smaps_rollup" "$f")" "$f $sum"
	done
	# PSS is summed in fixed point, then cut to kB once
	sum=$(awk '$1 == "Pss:" { s += $2 } END { print s }' "$D/$PID/smaps")
	n=$(grep -c . "$D/$PID/maps")
	pss=$(kb "$D/$PID/smaps_rollup" Pss)
	[ "$pss" -ge "$sum" ] && [ "$pss" -le $((sum + n)) ]
	anon=$(kb "$D/$PID/smaps_rollup" Pss_Anon)
	file=$(kb "$D/$PID/smaps_rollup" Pss_File)
	shmem=$(kb "$D/$PID/smaps_rollup" Pss_Shmem)
	[ $((anon + file + shmem)) -le "$pss" ] && [ $((anon + file + shmem + 2)) -ge "$pss" ]
	first=$(head -n 1 "$D/$PID/maps" | cut -d- -f1)
	last=$(tail -n 2 "$D/$PID/maps" | head -n 1 | cut -d' ' -f1 | cut -d- -f2)
	assert_equal "$(head -n 1 "$D/$PID/smaps_rollup")" \
		"$(printf '%-72s [rollup]' "$first-$last ---p 00000000 00:00 0")"
	assert_equal "$(sed 1d "$D/$PID/smaps_rollup" | cut -d: -f1 | tr '\n' ' ')" \
		"$ROLLUP_LABELS "
}

@test "smaps: a forked child's shared pages count half in each PSS, whole again once copied" {
	app
	child=$(mmsim do "$IMG" fork "$PID")
	grab_pid "$PID"
	run grep -A 12 "^$(printf %x "$ADDR")-" "$D/$PID/smaps"
	assert_line 'Rss:                8192 kB'
	assert_line 'Pss:                4096 kB'
	assert_line 'Pss_Dirty:          4096 kB'
	assert_line 'Shared_Dirty:       8192 kB'
	assert_line 'Private_Dirty:         0 kB'
	mmsim do "$IMG" touch "$child" "$ADDR" 8M write
	grab_pid "$PID"
	run grep -A 12 "^$(printf %x "$ADDR")-" "$D/$PID/smaps"
	assert_line 'Pss:                8192 kB'
	assert_line 'Shared_Dirty:          0 kB'
	assert_line 'Private_Dirty:      8192 kB'
}

@test "status, statm, stat, smaps_rollup and pmap -x agree on the sizes" {
	app
	grab_pid "$PID"
	s="$D/$PID/status"
	rss=$(kb "$s" VmRSS)
	assert_equal "$rss" $(($(kb "$s" RssAnon) + $(kb "$s" RssFile) + $(kb "$s" RssShmem)))
	assert_equal "$(kb "$D/$PID/smaps_rollup" Rss)" "$rss"
	assert_equal "$(kb "$D/$PID/smaps_rollup" Anonymous)" "$(kb "$s" RssAnon)"
	read -r size resident shared text lib data dt <"$D/$PID/statm"
	assert_equal $((resident * 4)) "$rss"
	assert_equal $((size * 4)) "$(kb "$s" VmSize)"
	assert_equal $((shared * 4)) $(($(kb "$s" RssFile) + $(kb "$s" RssShmem)))
	assert_equal $((data * 4)) $(($(kb "$s" VmData) + $(kb "$s" VmStk)))
	assert_equal "$lib $dt" "0 0"
	assert_equal $(($(cut -d' ' -f24 "$D/$PID/stat") * 4)) "$rss"
	assert_equal $(($(cut -d' ' -f23 "$D/$PID/stat") / 1024)) "$(kb "$s" VmSize)"
	# the sizes of the VMAs add up to VmSize
	vmas=$(awk '$1 == "Size:" { s += $2 } END { print s }' "$D/$PID/smaps")
	assert_equal "$vmas" $(($(kb "$s" VmSize) + 4))
	run --separate-stderr mx "$IMG" pmap -x "$PID"
	assert_success
	assert_equal "$stderr" ""
	assert_line --regexp "^total kB +$((vmas)) +$rss +[0-9]+\$"
	assert_line --index 0 "$PID:   /usr/bin/app"
}

@test "status has Linux 6.18's fields in order; a kernel thread's lack the memory block" {
	app
	grab_pid "$PID"
	grab_pid 2
	assert_equal "$(keys "$D/$PID/status")" "$STATUS_KEYS"
	assert_equal "$(keys "$D/2/status")" \
		"$(sed 's/ VmPeak .* untag_mask / /' <<<"$STATUS_KEYS")"
	run grep -Ec $'^[A-Za-z]+:\t +[0-9]+ kB$' "$D/$PID/status"
	assert_output 16
	run grep -Ec $'^[A-Za-z]+:\t.{8} kB$' "$D/$PID/status"
	assert_output 16
	grep -qx $'Name:\tapp' "$D/$PID/status"
	grep -qx $'Kthread:\t1' "$D/2/status"
	grep -qx $'SigIgn:\tffffffffffffffff' "$D/2/status"
}

@test "stat has 52 fields; a kernel thread's memory fields are 0" {
	app
	grab_pid "$PID"
	grab_pid 2
	run awk '{ print NF }' "$D/$PID/stat"
	assert_output 52
	run awk '{ print NF }' "$D/2/stat"
	assert_output 52
	assert_regex "$(cat "$D/$PID/stat")" "^$PID \\(app\\) S 1 $PID $PID 0 -1 4194304 "
	assert_regex "$(cat "$D/2/stat")" '^2 \(kthreadd\) S 0 0 0 0 -1 '
	assert_equal "$(cut -d' ' -f23-28 "$D/2/stat")" "0 0 18446744073709551615 0 0 0"
	assert_equal "$(cat "$D/2/statm")" "0 0 0 0 0 0 0"
	# start_code < end_code < start_data, and the heap above them
	read -r sc ec <<<"$(cut -d' ' -f26,27 "$D/$PID/stat")"
	read -r sd ed sb <<<"$(cut -d' ' -f45-47 "$D/$PID/stat")"
	[ "$sc" -lt "$ec" ] && [ "$ec" -le "$sd" ] && [ "$sd" -lt "$ed" ] && [ "$ed" -lt "$sb" ]
}

@test "kernel threads: empty maps, smaps and numa_maps; no smaps_rollup, environ or pagemap" {
	run mx "$IMG" sh -c 'wc -c </proc/2/maps; wc -c </proc/2/smaps; wc -c </proc/2/numa_maps; wc -c </proc/2/cmdline'
	assert_success
	assert_output $'0\n0\n0\n0'
	for f in smaps_rollup environ pagemap; do
		run --separate-stderr mx "$IMG" cat "/proc/2/$f"
		assert_failure
		assert_stderr_matches 'No such process'
	done
}

@test "ps aux and ps -eo show the boot daemons with the memory of their files" {
	app
	grab_pid 1
	run --separate-stderr mx "$IMG" ps aux
	assert_success
	assert_equal "$stderr" ""
	assert_line --regexp '^root +1 .* Ss .*/usr/lib/systemd/systemd$'
	assert_line --regexp '^root +2 .* \[kthreadd\]$'
	assert_line --regexp '^root +[0-9]+ .* /usr/sbin/sshd$'
	assert_line --regexp '^root +[0-9]+ .* /usr/sbin/cron$'
	assert_line --regexp "^root +$PID .* /usr/bin/app\$"
	run --separate-stderr mx "$IMG" ps -eo pid,rss,vsz,min_flt,maj_flt,comm
	assert_success
	assert_equal "$stderr" ""
	assert_line --regexp "^ +1 +$(kb "$D/1/status" VmRSS) +$(kb "$D/1/status" VmSize) +$(cut -d' ' -f10 "$D/1/stat") +$(cut -d' ' -f12 "$D/1/stat") systemd\$"
	assert_line --regexp "^ +$PID +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ app\$"
	run --separate-stderr mx "$IMG" ps -o pid,wchan:20,comm -p 1,2
	assert_success
	assert_line --regexp '^ +1 do_epoll_wait +systemd$'
	assert_line --regexp '^ +2 kthreadd +kthreadd$'
}

@test "top -b -n 1 runs and lists init with its resident memory" {
	grab_pid 1
	run --separate-stderr mx "$IMG" top -b -n 1
	assert_success
	assert_equal "$stderr" ""
	assert_line --regexp "^ +1 root +20 +0 +$(kb "$D/1/status" VmSize) +$(kb "$D/1/status" VmRSS) +[0-9]+ S .* systemd\$"
}

@test "pmap -X and -XX read smaps; their totals are smaps' sums" {
	app
	grab_pid "$PID"
	run --separate-stderr mx "$IMG" pmap -X "$PID"
	assert_success
	assert_equal "$stderr" ""
	rss=$(kb "$D/$PID/status" VmRSS)
	size=$(awk '$1 == "Size:" { s += $2 } END { print s }' "$D/$PID/smaps")
	pss=$(awk '$1 == "Pss:" { s += $2 } END { print s }' "$D/$PID/smaps")
	assert_line --regexp "^ +$size +$rss +$pss +[0-9 ]+ KB \$"
	run --separate-stderr mx "$IMG" pmap -XX "$PID"
	assert_success
	assert_equal "$stderr" ""
	assert_line --partial 'rd wr mr mw me ac'
}

@test "pagemap: written pages present and exclusive, read ones the zero page, others empty" {
	app
	mmsim do "$IMG" touch "$PID" $((ADDR + 16 * 1048576)) 8K read
	present=$((1 << 63)) exclusive=$((1 << 56)) file=$((1 << 61))
	pfnmask=$(((1 << 55) - 1))
	e=$((0x$(pagemap "$PID" "$ADDR")))
	[ $((e & present)) -ne 0 ] && [ $((e & exclusive)) -ne 0 ] && [ $((e & file)) -eq 0 ]
	[ $((e & pfnmask)) -ne 0 ]
	# both read pages map the one zero page, shared, without a struct page
	z1=$((0x$(pagemap "$PID" $((ADDR + 16 * 1048576)))))
	z2=$((0x$(pagemap "$PID" $((ADDR + 16 * 1048576 + 4096)))))
	assert_equal "$z1" "$z2"
	[ $((z1 & present)) -ne 0 ] && [ $((z1 & exclusive)) -eq 0 ] && [ $((z1 & file)) -eq 0 ]
	assert_equal "$(pagemap "$PID" $((ADDR + 32 * 1048576)))" 0000000000000000
	# a library's text: page cache, shared by every process
	lib=$(mx "$IMG" awk '/r-xp .*libc\.so\.6$/ { split($1, a, "-"); print a[1]; exit }' "/proc/$PID/maps")
	l=$((0x$(pagemap "$PID" $((0x$lib)))))
	[ $((l & present)) -ne 0 ] && [ $((l & file)) -ne 0 ] && [ $((l & exclusive)) -eq 0 ]
	# after fork the written page is shared: no longer exclusive
	mmsim do "$IMG" fork "$PID" >/dev/null
	e2=$((0x$(pagemap "$PID" "$ADDR")))
	assert_equal $((e2 & pfnmask)) $((e & pfnmask))
	[ $((e2 & exclusive)) -eq 0 ]
	# entries are 8 bytes: anything else is EINVAL; the file ends with
	# the last page below TASK_SIZE (0x7ffffffff000)
	run --separate-stderr mx "$IMG" dd if="/proc/$PID/pagemap" bs=4 count=1 status=none
	assert_failure
	assert_stderr_matches 'Invalid argument'
	run mx "$IMG" sh -c "dd if=/proc/$PID/pagemap bs=8 skip=$(((1 << 47) / 4096 - 2)) count=2 status=none | wc -c"
	assert_output 8
}

@test "numa_maps: one line per VMA, pages by kind and node, heap and stack marked" {
	app
	grab_pid "$PID"
	assert_equal "$(wc -l <"$D/$PID/numa_maps")" $(($(wc -l <"$D/$PID/maps") - 1))
	line=$(grep "^$(printf %x "$ADDR") " "$D/$PID/numa_maps")
	assert_regex "$line" '^[0-9a-f]+ default anon=2048 dirty=2048 (active=[0-9]+ )?(N[0-9]+=[0-9]+ )+kernelpagesize_kB=4$'
	assert_equal "$(tr ' ' '\n' <<<"$line" | awk -F= '/^N[0-9]+=/ { s += $2 } END { print s }')" 2048
	grep -Eq '^[0-9a-f]+ default heap anon=[0-9]+ dirty=[0-9]+ ' "$D/$PID/numa_maps"
	grep -Eq '^[0-9a-f]+ default stack anon=[0-9]+ dirty=[0-9]+ ' "$D/$PID/numa_maps"
	grep -Eq '^[0-9a-f]+ default file=/usr/lib/x86_64-linux-gnu/libc\.so\.6 mapped=[0-9]+ mapmax=[0-9]+ ' "$D/$PID/numa_maps"
	# [vvar] has no pages with a struct page: no counts at all
	grep -Eq "^$(grep '\[vvar\]$' "$D/$PID/maps" | cut -d- -f1) default\$" "$D/$PID/numa_maps"
}

@test "THP: eligible with MADV_HUGEPAGE and a whole 2 MiB; a fault maps 2 MiB at once" {
	PID=$(mmsim do "$IMG" spawn app)
	big=$(mmsim do "$IMG" mmap "$PID" 8M)
	# read-only, so that it never merges with the other
	small=$(mmsim do "$IMG" mmap "$PID" 1M prot=r)
	mmsim do "$IMG" madvise "$PID" "$big" 8M hugepage
	mmsim do "$IMG" madvise "$PID" "$small" 1M hugepage
	grab_pid "$PID"
	thp() {
		grep -A 24 "^$(printf %x "$1")-" "$D/$PID/smaps" | awk '$1 == "THPeligible:" { print $2 }'
	}
	assert_equal "$(thp "$big")" 1
	assert_equal "$(thp "$small")" 0
	grep -A 25 "^$(printf %x "$big")-" "$D/$PID/smaps" | grep -qx 'VmFlags: rd wr mr mw me ac hg '
	# a write fault there maps a whole huge page with one PMD
	mmsim do "$IMG" touch "$PID" "$big" 4K write
	grab_pid "$PID"
	run grep -A 24 "^$(printf %x "$big")-" "$D/$PID/smaps"
	assert_line 'Rss:                2048 kB'
	assert_line 'AnonHugePages:      2048 kB'
	assert_equal "$(kb "$D/$PID/smaps_rollup" AnonHugePages)" 2048
	grep -Eq "^$(printf %x "$big") default anon=512 dirty=512 " "$D/$PID/numa_maps"
	e0=$((0x$(pagemap "$PID" "$big")))
	e1=$((0x$(pagemap "$PID" $((big + 2 * 1048576 - 4096)))))
	assert_equal $((e1 - e0)) 511
	[ $((e0 >> 63)) -ne 0 ] && [ $(((e0 >> 56) & 1)) -eq 1 ]
	mmsim do "$IMG" madvise "$PID" "$big" 8M nohugepage
	grab_pid "$PID"
	assert_equal "$(thp "$big")" 0
}

@test "oom_score follows oom_badness; oom_score_adj and oom_adj writes become operations" {
	app
	grab_pid "$PID"
	total=$(($(mx "$IMG" awk '$1 == "MemTotal:" || $1 == "SwapTotal:" { s += $2 } END { print s }' /proc/meminfo) / 4))
	points=$(($(kb "$D/$PID/status" VmRSS) / 4 + $(kb "$D/$PID/status" VmSwap) / 4 + $(kb "$D/$PID/status" VmPTE) / 4))
	assert_equal "$(cat "$D/$PID/oom_score")" $(((1000 + points * 1000 / total) * 2 / 3))
	assert_equal "$(cat "$D/$PID/oom_score_adj") $(cat "$D/$PID/oom_adj")" "0 0"
	run mx "$IMG" sh -c "echo 500 >/proc/$PID/oom_score_adj && cat /proc/$PID/oom_score_adj /proc/$PID/oom_adj /proc/$PID/oom_score"
	assert_success
	assert_line --index 0 500
	assert_line --index 1 8
	assert_line --index 2 $(((1000 + (points + 500 * (total / 1000)) * 1000 / total) * 2 / 3))
	run mmsim log "$IMG"
	assert_line --partial "oom_score_adj $PID 500"
	# the legacy scale: 15 is the maximum, -17 disables (lowering needs
	# CAP_SYS_RESOURCE: the administrator's operation starts each low)
	run mx "$IMG" sh -c "echo 15 >/proc/$PID/oom_adj && cat /proc/$PID/oom_score_adj"
	assert_output 1000
	mmsim do "$IMG" oom_score_adj "$PID" -1000
	run mx "$IMG" sh -c "echo 5 >/proc/$PID/oom_adj && cat /proc/$PID/oom_score_adj"
	assert_output 294
	mmsim do "$IMG" oom_score_adj "$PID" -1000
	run mx "$IMG" sh -c "echo -17 >/proc/$PID/oom_adj && cat /proc/$PID/oom_score_adj /proc/$PID/oom_adj /proc/$PID/oom_score"
	assert_success
	assert_output $'-1000\n-17\n0'
	# kstrtoint() on the stripped text: hex and octal, and the kernel's errors
	run mx "$IMG" bash -c "printf ' 0x10\n' >/proc/$PID/oom_score_adj && cat /proc/$PID/oom_score_adj"
	assert_output 16
	for bad in abc 1001 -1001 5x 16; do
		run --separate-stderr mx "$IMG" bash -c "echo $bad >/proc/$PID/oom_score_adj"
		[ "$bad" = 16 ] && run --separate-stderr mx "$IMG" bash -c "echo $bad >/proc/$PID/oom_adj"
		assert_failure
		assert_stderr_matches 'Invalid argument'
	done
	run --separate-stderr mx "$IMG" bash -c "echo 99999999999 >/proc/$PID/oom_score_adj"
	assert_failure
	assert_stderr_matches 'Numerical result out of range'
	# init and kernel threads are never chosen
	assert_equal "$(mx "$IMG" cat /proc/1/oom_score /proc/2/oom_score)" $'0\n0'
}

@test "lowering oom_score_adj or oom_adj needs CAP_SYS_RESOURCE (EACCES); raising does not" {
	app
	mmsim do "$IMG" oom_score_adj "$PID" 100
	local nores=(setpriv --inh-caps=-sys_resource --bounding-set=-sys_resource)
	run mx "$IMG" "${nores[@]}" bash -c "echo 300 >/proc/$PID/oom_score_adj && echo 100 >/proc/$PID/oom_score_adj"
	assert_failure
	assert_output --partial 'Permission denied'
	run mx "$IMG" "${nores[@]}" bash -c "echo 300 >/proc/$PID/oom_score_adj"
	assert_success
	run mx "$IMG" "${nores[@]}" bash -c "echo 5 >/proc/$PID/oom_adj"
	assert_failure
	assert_output --partial 'Permission denied'
	run mx "$IMG" cat "/proc/$PID/oom_score_adj"
	assert_output 300
	# the refused writes are not journaled: only the administrator's 100
	assert_equal "$(mmsim log "$IMG" | grep -c "oom_score_adj $PID 100")" 1
	assert_equal "$(mmsim log "$IMG" | grep -c "oom_score_adj $PID 300")" 2
	# the administrator's operation is not checked
	mmsim do "$IMG" oom_score_adj "$PID" -500
	run mx "$IMG" cat "/proc/$PID/oom_score_adj"
	assert_output -500
	# with the capability (bit 24), where this host gives it to root
	eff=$(awk '$1 == "CapEff:" { print $2 }' /proc/self/status)
	if [ $((0x$eff >> 24 & 1)) -eq 0 ]; then
		skip "root has no CAP_SYS_RESOURCE here"
	fi
	run mx "$IMG" bash -c "echo -900 >/proc/$PID/oom_score_adj && cat /proc/$PID/oom_score_adj"
	assert_success
	assert_output -900
}

@test "limits, io, cgroup, comm, cmdline and environ" {
	app
	grab_pid "$PID"
	# the columns of the reference: where each word starts, and the padding
	assert_equal "$(columns <"$D/$PID/limits")" "$(columns <<<"$REF_LIMITS")"
	assert_equal "$(keys "$D/$PID/io")" "$IO_KEYS"
	assert_equal "$(cat "$D/$PID/cgroup")" "0::/"
	assert_equal "$(cat "$D/$PID/comm")" app
	assert_equal "$(od -An -c "$D/$PID/cmdline" | tr -s ' ')" " / u s r / b i n / a p p \\0"
	run mx "$IMG" sh -c "tr '\\0' '\\n' </proc/$PID/environ"
	assert_line --regexp '^PATH=/'
	run --separate-stderr mx "$IMG" bash -c "echo x >/proc/$PID/comm"
	assert_failure
	assert_stderr_matches 'Invalid argument'
	run mx "$IMG" stat -c '%a %n' /proc/1/environ /proc/1/pagemap /proc/1/io \
		/proc/1/oom_score_adj /proc/1/comm /proc/1/smaps
	assert_output $'400 /proc/1/environ\n400 /proc/1/pagemap\n400 /proc/1/io\n644 /proc/1/oom_score_adj\n644 /proc/1/comm\n444 /proc/1/smaps'
}

@test "kernel.pid_max and kernel.osrelease, which ps and top read" {
	run mx "$IMG" cat /proc/sys/kernel/pid_max /proc/sys/kernel/osrelease
	assert_success
	assert_line --index 0 --regexp '^[0-9]+$'
	assert_line --index 1 6.18.0-mmsim
	run mx "$IMG" sysctl -w kernel.pid_max=65536
	assert_success
	assert_equal "$(mx "$IMG" cat /proc/sys/kernel/pid_max)" 65536
	run --separate-stderr mx "$IMG" bash -c 'echo 100 >/proc/sys/kernel/pid_max'
	assert_failure
	run --separate-stderr mx "$IMG" bash -c 'echo 7.0 >/proc/sys/kernel/osrelease'
	assert_failure
}

@test "task/TID holds the same files as the process" {
	app
	run mx "$IMG" sh -c "ls /proc/$PID/task; cmp /proc/$PID/smaps /proc/$PID/task/$PID/smaps && cmp /proc/$PID/status /proc/$PID/task/$PID/status && echo same"
	assert_success
	assert_output "$PID"$'\nsame'
}
