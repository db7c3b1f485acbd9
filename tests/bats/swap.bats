#!/usr/bin/env bats
# Swap: swap areas as swapon(8), swapoff(8), /proc/swaps and free show
# them; anonymous pages going out under pressure and coming back on a
# fault (pswpout, pswpin, major faults, vmstat's si and so, VmSwap, smaps
# and pagemap); vm.swappiness choosing between anonymous memory and page
# cache as get_scan_count() does; swapoff bringing the pages back, or
# refusing when they cannot fit; and fork sharing the swapped pages.

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
}

# script: apply the operations on stdin to $IMG.
script() {
	mmsim run "$IMG" -
}

# The script behind `reading`: it runs under `mmsim exec`, so that all the
# figures of one reading come from one state of the machine.
read_swap_sh() {
	cat <<-'EOF'
		pid=$1 addr=$2 pages=$3
		awk '{ print $1, $2 }' /proc/vmstat
		awk '{ sub(/:$/, "", $1); print $1, $2 }' /proc/meminfo
		free -b | awk '$1 == "Swap:" {
			print "free_swap_total", $2
			print "free_swap_used", $3 }'
		awk 'NR > 1 { size += $3; used += $4 }
			END { print "swaps_size", size + 0; print "swaps_used", used + 0 }' /proc/swaps
		vmstat | awk 'NR == 2 { for (i = 1; i <= NF; i++) c[i] = $i }
			NR == 3 { for (i = 1; i <= NF; i++) print "vmstat_" c[i], $i }'
		[ -n "$pid" ] || exit 0
		awk '{ sub(/:$/, "", $1); print "status_" $1, $2 }' "/proc/$pid/status"
		awk '$1 == "Swap:" { s += $2 } $1 == "SwapPss:" { p += $2 }
			END { print "smaps_Swap", s + 0; print "smaps_SwapPss", p + 0 }' "/proc/$pid/smaps"
		awk '$1 == "Swap:" || $1 == "SwapPss:" { sub(/:$/, "", $1); print "rollup_" $1, $2 }' \
			"/proc/$pid/smaps_rollup"
		echo maj_flt $(ps -o maj_flt= -p "$pid")
		[ -n "$addr" ] || exit 0
		awk -v a="$(printf %x "$addr")" '$1 ~ "^" a "-" { on = 1; next }
			on && $1 == "Swap:" { print "vma_Swap", $2; exit }' "/proc/$pid/smaps"
		dd if="/proc/$pid/pagemap" iflag=skip_bytes,count_bytes bs=1M \
			skip=$((addr / 4096 * 8)) count=$((pages * 8)) status=none |
			od -An -v -w8 -tx8 | awk '{ n[substr($1, 1, 1)]++ }
			END {
				print "pagemap_swap", n["4"] + 0
				print "pagemap_present", n["8"] + n["a"] + 0
				print "pagemap_none", n["0"] + 0
			}'
	EOF
}

# reading NAME [PID [ADDR PAGES]]: one reading (one `mmsim exec`) kept for
# `rv`: the /proc/vmstat counters and meminfo fields by their names;
# free_swap_total and free_swap_used (bytes, `free -b`); swaps_size and
# swaps_used (kB, the sums of /proc/swaps); vmstat_si, vmstat_so... (the
# first report of vmstat, averages since boot).  With PID: its status
# fields (status_VmSwap...), the sums over its smaps (smaps_Swap,
# smaps_SwapPss), its smaps_rollup (rollup_Swap, rollup_SwapPss) and its
# maj_flt as ps shows it.  With ADDR: the Swap of the VMA at ADDR
# (vma_Swap), and of the PAGES pagemap entries from ADDR how many are
# swapped (pagemap_swap), present (pagemap_present) or neither
# (pagemap_none).
reading() {
	local name=$1
	read_swap_sh >"$BATS_TEST_TMPDIR/read_swap.sh"
	mx "$IMG" sh "$BATS_TEST_TMPDIR/read_swap.sh" "${2:-}" "${3:-}" "${4:-0}" \
		>"$BATS_TEST_TMPDIR/reading.$name"
}

# rv NAME KEY: KEY in reading NAME.
rv() {
	awk -v k="$2" '$1 == k { v = $2 } END { if (v == "") exit 1; print v }' \
		"$BATS_TEST_TMPDIR/reading.$1"
}

# rdelta KEY A B: KEY in reading B minus KEY in reading A.
rdelta() {
	local a b
	a=$(rv "$2" "$1") && b=$(rv "$3" "$1") && echo $((b - a))
}

# pagemap PID ADDR [COUNT]: the 64-bit pagemap entries from ADDR, in hex,
# one a line.
pagemap() {
	mx "$IMG" dd if="/proc/$1/pagemap" iflag=skip_bytes,count_bytes \
		bs=64K skip=$(($2 / 4096 * 8)) count=$((${3:-1} * 8)) status=none |
		od -An -v -w8 -tx8 | tr -d ' '
}

# free_swap COLUMN: total, used or free of the Swap line of `free -b`.
free_swap() {
	mx "$IMG" free -b | awk -v k="$1" '
		$1 == "Swap:" { print (k == "total" ? $2 : k == "used" ? $3 : $4) }'
}

PM_PRESENT=$((1 << 63))
PM_SWAP=$((1 << 62))
PM_FILE=$((1 << 61))
PM_EXCLUSIVE=$((1 << 56))
PM_PFRAME_MASK=$(((1 << 55) - 1))

# A /proc/swaps line as swap_show() prints it: the name padded to 40
# columns, "file" followed by a tab to line up with "partition", a second
# tab after numbers below 10000000.
swaps_line() {
	local name=$1 type=$2 size=$3 used=$4 prio=$5
	[ "$type" = file ] && type=$'file\t'
	printf '%-40s%s\t%s\t%s%s\t%s%s\n' "$name" "$type" \
		"$size" "$( ((size < 10000000)) && printf '\t')" \
		"$used" "$( ((used < 10000000)) && printf '\t')" "$prio"
}

SWAPS_HEADER=$'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority'

# --- swap areas ------------------------------------------------------------

@test "swapon: a partition and a file in /proc/swaps, swapon --show and free" {
	new_image m.img --mem 1G --swap 1G
	script <<-'EOF'
		swapon /swapfile 256M prio=5
		swapon /dev/vdc 128M
	EOF
	run mx "$IMG" cat /proc/swaps
	assert_success
	assert_equal "$output" "$SWAPS_HEADER
$(swaps_line /dev/vdb partition 1048572 0 -2)
$(swaps_line /swapfile file 262140 0 5)
$(swaps_line /dev/vdc partition 131068 0 -3)"
	run mx "$IMG" swapon --show
	assert_success
	assert_output "NAME      TYPE       SIZE USED PRIO
/dev/vdb  partition 1024M   0B   -2
/swapfile file       256M   0B    5
/dev/vdc  partition  128M   0B   -3"
	run mx "$IMG" swapon --show --bytes --raw --noheadings
	assert_success
	assert_output "/dev/vdb partition 1073737728 0 -2
/swapfile file 268431360 0 5
/dev/vdc partition 134213632 0 -3"
	# each area less its header page
	assert_equal "$(free_swap total)" $(((1024 + 256 + 128) * 1048576 - 3 * 4096))
	assert_equal "$(free_swap used)" 0
	run mx "$IMG" awk '$1 == "SwapTotal:" || $1 == "SwapFree:" { print $2 }' /proc/meminfo
	assert_output "$(((1024 + 256 + 128) * 1024 - 12))
$(((1024 + 256 + 128) * 1024 - 12))"
	run mmsim check "$IMG"
	assert_success
}

@test "default priorities go down from -2; swapoff of one moves the lower ones up" {
	new_image m.img --mem 1G --swap 1G
	script <<-'EOF'
		swapon /dev/vdc 64M
		swapon /dev/vdd 64M
	EOF
	run mx "$IMG" swapon --show=NAME,PRIO --raw --noheadings
	assert_output "/dev/vdb -2
/dev/vdc -3
/dev/vdd -4"
	mmsim do "$IMG" swapoff /dev/vdb
	run mx "$IMG" swapon --show=NAME,PRIO --raw --noheadings
	assert_output "/dev/vdc -2
/dev/vdd -3"
	# the next default is below the lowest again; the free slot is reused
	mmsim do "$IMG" swapon /swapfile 64M
	run mx "$IMG" cat /proc/swaps
	assert_equal "$output" "$SWAPS_HEADER
$(swaps_line /swapfile file 65532 0 -4)
$(swaps_line /dev/vdc partition 65532 0 -2)
$(swaps_line /dev/vdd partition 65532 0 -3)"
	# an explicit priority is not moved
	mmsim do "$IMG" swapon /dev/vde 64M prio=7
	mmsim do "$IMG" swapoff /dev/vdc
	run mx "$IMG" swapon --show=NAME,PRIO --raw --noheadings
	assert_output "/swapfile -3
/dev/vdd -2
/dev/vde 7"
	assert_equal "$(free_swap total)" $((3 * (64 * 1048576 - 4096)))
	run mmsim check "$IMG"
	assert_success
}

@test "swapon and swapoff refuse bad input and change nothing" {
	new_image m.img --mem 1G --swap 1G
	local log sum op
	log=$(mmsim log "$IMG")
	sum=$(sha "$IMG")
	for op in "swapon /dev/vdb 64M|in use" \
		"swapon /s 36K|40K" \
		"swapon /s 0|40K" \
		"swapon /s 1M prio=40000|priority" \
		"swapon /s 1M prio=-2|priority" \
		"swapon /s 1M prio=x|priority" \
		"swapon /s 1M fast|unexpected" \
		"swapon relative 1M|absolute" \
		"swapon /s 1Q|size" \
		"swapoff /dev/vdz|not a swap area" \
		"swapoff /s|not a swap area"; do
		# shellcheck disable=SC2086
		run --separate-stderr mmsim do "$IMG" ${op%%|*}
		assert_err "${op#*|}"
		assert_equal "$(mmsim log "$IMG")" "$log"
		assert_equal "$(sha "$IMG")" "$sum"
	done
	run mx "$IMG" cat /proc/swaps
	assert_equal "$output" "$SWAPS_HEADER
$(swaps_line /dev/vdb partition 1048572 0 -2)"
	# the limits themselves are fine: 40K is a header and nine pages
	mmsim do "$IMG" swapon /s 40K prio=32767
	run mx "$IMG" swapon --show=NAME,SIZE,PRIO --bytes --raw --noheadings
	assert_output "/dev/vdb 1073737728 -2
/s 36864 32767"
	run mmsim check "$IMG"
	assert_success
}

# --- swap-out and swap-in ----------------------------------------------------

@test "2.5 GiB written on a 2 GiB machine with 1 GiB of swap: out and back in" {
	new_image m.img --mem 2G --swap 1G
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 2560M anon private)
	mmsim do "$IMG" touch "$pid" "$addr" 2560M write
	mmsim do "$IMG" tick 1s
	reading a "$pid" "$addr" 655360
	assert_equal "$(mx "$IMG" pgrep -x app)" "$pid"
	assert_equal "$(rv a oom_kill)" 0
	[ "$(rv a pswpout)" -gt 0 ]
	[ "$(rv a free_swap_used)" -gt 0 ]
	# /proc/swaps and free agree
	assert_equal "$(rv a swaps_used)" $(($(rv a free_swap_used) / 1024))
	[ "$(rv a vmstat_so)" -gt 0 ]
	swap=$(rv a status_VmSwap)
	[ "$swap" -gt 0 ]
	# the process's pages: in memory or in swap, all 2.5 GiB of them
	[ $(($(rv a status_RssAnon) + swap)) -ge $((2560 * 1024)) ]
	# smaps sees the same swap entries, each this process's alone
	assert_equal "$(rv a smaps_Swap)" "$swap"
	assert_equal "$(rv a smaps_SwapPss)" "$swap"
	assert_equal "$(rv a rollup_Swap)" "$swap"
	assert_equal "$(rv a rollup_SwapPss)" "$swap"
	# most of it is the big mapping's (the rest: the heap, the stack...)
	vma_swap=$(rv a vma_Swap)
	[ "$vma_swap" -le "$swap" ] && [ "$vma_swap" -gt $((swap / 2)) ]
	# pagemap: a swap entry for each page smaps counts in Swap, the others
	# present
	assert_equal $(($(rv a pagemap_swap) * 4)) "$vma_swap"
	assert_equal $(($(rv a pagemap_swap) + $(rv a pagemap_present))) 655360
	assert_equal "$(rv a pagemap_none)" 0
	# the oldest page went first: its entry is swapped, not present, not
	# exclusive, type 0 (/dev/vdb) in bits 0-4, a slot past the header in
	# bits 5-54
	e=$((0x$(pagemap "$pid" "$addr")))
	[ $((e & PM_SWAP)) -ne 0 ]
	[ $((e & PM_PRESENT)) -eq 0 ]
	[ $((e & PM_EXCLUSIVE)) -eq 0 ]
	[ $((e & PM_FILE)) -eq 0 ]
	assert_equal $((e & 31)) 0
	offset=$(((e & PM_PFRAME_MASK) >> 5))
	[ "$offset" -ge 1 ] && [ "$offset" -lt 262144 ]
	# different pages, different slots
	run pagemap "$pid" "$addr" 64
	assert_equal "$(sort -u <<<"$output" | wc -l)" 64
	run mmsim check "$IMG"
	assert_success

	# reading everything back faults the swapped pages in
	mmsim do "$IMG" touch "$pid" "$addr" 2560M read
	reading b "$pid"
	[ "$(rdelta pswpin a b)" -gt 0 ]
	[ "$(rdelta pgmajfault a b)" -gt 0 ]
	[ "$(rv b vmstat_si)" -gt 0 ]
	[ "$(rdelta maj_flt a b)" -gt 0 ]
	[ "$(rdelta pgmajfault a b)" -ge "$(rdelta maj_flt a b)" ]
	assert_equal "$(rv b smaps_Swap)" "$(rv b status_VmSwap)"
	assert_equal "$(rv b swaps_used)" $(($(rv b free_swap_used) / 1024))
	run mmsim check "$IMG"
	assert_success
}

# --- swappiness --------------------------------------------------------------

# cache_then_anon SWAPPINESS READS: a 1200M file read READS times, then
# 1 GiB and then 400 MiB more of anonymous memory written; snapshots a (before
# the anonymous memory), b (after 1 GiB) and c (after 1.4 GiB).
cache_then_anon() {
	local sw=$1 reads=$2 pid addr
	new_image m.img --mem 2G --swap 1G
	{
		echo "sysctl vm.swappiness=$sw"
		echo "file create /data/big 1200M"
		for ((i = 0; i < reads; i++)); do
			echo "file read /data/big"
		done
	} | script
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 1424M)
	snap a
	mmsim do "$IMG" touch "$pid" "$addr" 1G write
	snap b
	mmsim do "$IMG" touch "$pid" $((addr + 1024 * 1048576)) 400M write
	snap c
}

@test "swappiness=0: a cache read twice (active) is reclaimed and nothing swapped" {
	cache_then_anon 0 2
	[ "$(val a 'Active(file)')" -gt $((1000 * 1024)) ]
	assert_equal "$(delta pswpout a c)" 0
	assert_equal "$(delta pgscan_anon a c)" 0
	assert_equal "$(val c SwapFree)" "$(val c SwapTotal)"
	# the file cache paid for all of it, and there is plenty left
	[ "$(delta pgsteal_file a c)" -gt 0 ]
	[ "$(val c Cached)" -gt $((300 * 1024)) ]
	assert_equal "$(delta oom_kill a c)" 0
	run mmsim check "$IMG"
	assert_success
}

@test "swappiness=100: a cache read twice (active) and anonymous memory share the reclaim" {
	cache_then_anon 100 2
	[ "$(val a 'Active(file)')" -gt $((1000 * 1024)) ]
	# SCAN_FRACT: both lists scanned, both give pages
	[ "$(delta pswpout a c)" -gt 0 ]
	[ "$(delta pgscan_anon a c)" -gt 0 ]
	[ "$(delta pgsteal_anon a c)" -gt 0 ]
	[ "$(delta pgsteal_file a c)" -gt 0 ]
	[ "$(delta Cached c a)" -gt 0 ]
	[ "$(val c SwapFree)" -lt "$(val c SwapTotal)" ]
	assert_equal "$(delta oom_kill a c)" 0
	run mmsim check "$IMG"
	assert_success
}

@test "swappiness=100: plenty of inactive cache without refaults is trimmed first" {
	# read once: the cache is on the inactive list and nothing refaults,
	# so cache_trim_mode scans the file lists only
	cache_then_anon 100 1
	[ "$(val a 'Inactive(file)')" -gt $((1000 * 1024)) ]
	assert_equal "$(delta workingset_refault_file a c)" 0
	assert_equal "$(delta pswpout a c)" 0
	assert_equal "$(delta pgscan_anon a c)" 0
	[ "$(delta pgsteal_file a c)" -gt 0 ]
	assert_equal "$(val c SwapFree)" "$(val c SwapTotal)"
	run mmsim check "$IMG"
	assert_success
}

@test "swappiness=0 still swaps once the page cache is nearly gone, rather than kill" {
	# get_scan_count(): file_is_tiny scans anonymous memory whatever the
	# swappiness, so global reclaim swaps before it would run out
	new_image m.img --mem 2G --swap 1G
	mmsim do "$IMG" sysctl vm.swappiness=0
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 2300M)
	snap a
	mmsim do "$IMG" touch "$pid" "$addr" 2300M write
	snap b
	assert_equal "$(delta oom_kill a b)" 0
	[ "$(delta pswpout a b)" -gt 0 ]
	[ "$(val b SwapFree)" -lt "$(val b SwapTotal)" ]
	run mmsim check "$IMG"
	assert_success
}

# --- swapoff -----------------------------------------------------------------

# two_apps: on a 2 GiB machine with 1 GiB of swap, app writes 1600M and
# then hog 800M, which pushes part of app's memory out; sets APP, HOG.
two_apps() {
	new_image m.img --mem 2G --swap 1G
	APP=$(mmsim do "$IMG" spawn app)
	HOG=$(mmsim do "$IMG" spawn hog)
	script <<-EOF
		a = mmap $APP 1600M
		touch $APP \$a 1600M write
		h = mmap $HOG 800M
		touch $HOG \$h 800M write
	EOF
}

@test "swapoff brings the swapped pages back into memory" {
	two_apps
	mmsim do "$IMG" exit "$HOG"
	reading a "$APP"
	swap=$(rv a status_VmSwap)
	[ "$swap" -gt 0 ]
	run --separate-stderr mmsim do "$IMG" swapoff /dev/vdb
	assert_success
	reading b "$APP"
	assert_equal "$(rv b SwapTotal)" 0
	assert_equal "$(rv b SwapFree)" 0
	assert_equal "$(rv b free_swap_total)" 0
	assert_equal "$(rv b swaps_size)" 0
	assert_equal "$(rv b status_VmSwap)" 0
	assert_equal "$(rv b smaps_Swap)" 0
	# every page that was out is mapped again
	[ "$(rdelta status_VmRSS a b)" -ge "$swap" ]
	# what was not in the swap cache is read from the area
	[ "$(rdelta pswpin a b)" -gt 0 ]
	run mx "$IMG" sh -c 'cat /proc/swaps; swapon --show'
	assert_output "$SWAPS_HEADER"
	run mmsim check "$IMG"
	assert_success
}

@test "swapoff when the pages cannot fit fails with ENOMEM and changes nothing" {
	two_apps
	reading a "$APP"
	[ "$(rv a status_VmSwap)" -gt 0 ]
	local log sum swaps
	log=$(mmsim log "$IMG")
	sum=$(sha "$IMG")
	swaps=$(mx "$IMG" cat /proc/swaps)
	run --separate-stderr mmsim do "$IMG" swapoff /dev/vdb
	assert_err 'memory|ENOMEM'
	assert_equal "$(mmsim log "$IMG")" "$log"
	assert_equal "$(sha "$IMG")" "$sum"
	reading b "$APP"
	assert_equal "$(mx "$IMG" cat /proc/swaps)" "$swaps"
	assert_equal "$(rv b status_VmSwap)" "$(rv a status_VmSwap)"
	assert_equal "$(rv b status_VmRSS)" "$(rv a status_VmRSS)"
	assert_equal "$(rv b SwapFree)" "$(rv a SwapFree)"
	run mmsim check "$IMG"
	assert_success
}

# --- fork --------------------------------------------------------------------

@test "fork shares the swapped pages: the child's VmSwap is the parent's, SwapPss half" {
	new_image m.img --mem 1G --swap 1G
	pid=$(mmsim do "$IMG" spawn app)
	addr=$(mmsim do "$IMG" mmap "$pid" 1200M)
	mmsim do "$IMG" touch "$pid" "$addr" 1200M write
	reading a "$pid"
	swap=$(rv a status_VmSwap)
	[ "$swap" -gt 0 ]
	child=$(mmsim do "$IMG" fork "$pid")
	reading p "$pid"
	reading c "$child"
	assert_equal "$(rv c status_VmSwap)" "$swap"
	assert_equal "$(rv p status_VmSwap)" "$swap"
	# the slots are shared, not copied
	assert_equal "$(rv c swaps_used)" "$(rv a swaps_used)"
	# each slot has two page tables naming it: half of it is each one's
	assert_equal "$(rv p rollup_Swap)" "$swap"
	assert_equal "$(rv c rollup_Swap)" "$swap"
	assert_equal "$(rv p rollup_SwapPss)" $((swap / 2))
	assert_equal "$(rv c rollup_SwapPss)" $((swap / 2))
	assert_equal "$(rv c smaps_SwapPss)" $((swap / 2))
	# both name the same slot for the same page
	assert_equal "$(pagemap "$child" "$addr" 16)" "$(pagemap "$pid" "$addr" 16)"
	run mmsim check "$IMG"
	assert_success

	mmsim do "$IMG" exit "$child"
	reading e "$pid"
	assert_equal "$(rv e status_VmSwap)" "$swap"
	assert_equal "$(rv e rollup_SwapPss)" "$swap"
	assert_equal "$(rv e swaps_used)" "$(rv a swaps_used)"
	run mmsim check "$IMG"
	assert_success
}

# --- swap readahead ----------------------------------------------------------

# ra_setup: on a 2 GiB machine with 1 GiB of swap, app writes 1600M at ADDR
# and hog 800M, which pushes the older part of app's memory out; hog exits,
# leaving room to read it back.  Sets APP and ADDR.
ra_setup() {
	local hog
	new_image m.img --mem 2G --swap 1G
	APP=$(mmsim do "$IMG" spawn app)
	hog=$(mmsim do "$IMG" spawn hog)
	ADDR=$(mmsim do "$IMG" mmap "$APP" 1600M)
	script <<-EOF
		touch $APP $ADDR 1600M write
		h = mmap $hog 800M
		touch $hog \$h 800M write
		exit $hog
	EOF
}

@test "swap readahead: a fault reads its neighbours into the swap cache, the next one finds its page there" {
	ra_setup
	reading a "$APP"
	[ "$(rv a status_VmSwap)" -gt 0 ]
	assert_equal "$(rv a swap_ra)" 0
	# the oldest page went out first: its fault reads the ones around it
	mmsim do "$IMG" touch "$APP" "$ADDR" 4K read
	reading b "$APP"
	ra=$(rv b swap_ra)
	[ "$ra" -gt 0 ] && [ "$ra" -lt 8 ]
	assert_equal "$(rdelta pswpin a b)" $((ra + 1))
	assert_equal "$(rdelta pgmajfault a b)" 1
	assert_equal "$(rdelta maj_flt a b)" 1
	# read ahead, they are in the swap cache and nobody maps them (the
	# faulting page may stay there too, unless swap is over half full)
	cached=$(rdelta SwapCached a b)
	[ "$cached" -ge $((ra * 4)) ] && [ "$cached" -le $(((ra + 1) * 4)) ]
	assert_equal "$(rdelta AnonPages a b)" 4
	assert_equal "$(rdelta status_RssAnon a b)" 4
	assert_equal "$(rdelta status_VmSwap a b)" -4
	# the next page was one of them: a minor fault, a readahead hit
	mmsim do "$IMG" touch "$APP" $((ADDR + 4096)) 4K read
	reading c "$APP"
	assert_equal "$(rdelta swap_ra_hit b c)" 1
	assert_equal "$(rdelta pswpin b c)" 0
	assert_equal "$(rdelta pgmajfault b c)" 0
	assert_equal "$(rdelta maj_flt b c)" 0
	assert_equal "$(rdelta pgfault b c)" 1
	cached=$(rdelta SwapCached b c)
	[ "$cached" -le 0 ] && [ "$cached" -ge -4 ]
	assert_equal "$(rdelta AnonPages b c)" 4
	run mmsim check "$IMG"
	assert_success
}

@test "swap readahead: reading swapped memory back in order takes far fewer major faults than pages" {
	ra_setup
	reading a "$APP"
	[ "$(rv a status_VmSwap)" -gt 0 ]
	mmsim do "$IMG" touch "$APP" "$ADDR" 1600M read
	reading b "$APP"
	run mx "$IMG" grep -E '^(swap_ra|swap_ra_hit|pswpin|pgmajfault) ' /proc/vmstat
	assert_success
	ra=$(awk '$1 == "swap_ra" { print $2 }' <<<"$output")
	hit=$(awk '$1 == "swap_ra_hit" { print $2 }' <<<"$output")
	assert_equal "$ra" "$(rv b swap_ra)"
	assert_equal "$hit" "$(rv b swap_ra_hit)"
	[ "$ra" -gt 0 ] && [ "$hit" -gt 0 ] && [ "$hit" -le "$ra" ]
	pages=$(rdelta pswpin a b)
	maj=$(rdelta pgmajfault a b)
	[ "$pages" -gt 0 ]
	# each page read came in for its own fault (major) or ahead of one
	assert_equal "$pages" $((maj + ra))
	# the window grows with the hits to 8 pages: about one fault in 8
	# waits for the disk
	[ "$maj" -lt "$pages" ]
	[ $((maj * 4)) -lt "$pages" ]
	assert_equal "$(rdelta maj_flt a b)" "$maj"
	[ "$(rv b vmstat_si)" -gt 0 ]
	run mmsim check "$IMG"
	assert_success
}

@test "swap readahead: vm.page-cluster=0 reads one page a fault, nothing ahead" {
	ra_setup
	run --separate-stderr mx "$IMG" sysctl -w vm.page-cluster=0
	assert_success
	assert_equal "$(mx "$IMG" cat /proc/sys/vm/page-cluster)" 0
	reading a "$APP"
	mmsim do "$IMG" touch "$APP" "$ADDR" 1600M read
	reading b "$APP"
	run mx "$IMG" grep -E '^swap_ra' /proc/vmstat
	assert_output "swap_ra 0
swap_ra_hit 0"
	pages=$(rdelta pswpin a b)
	[ "$pages" -gt 0 ]
	# every page read is a major fault of its own
	assert_equal "$(rdelta pgmajfault a b)" "$pages"
	assert_equal "$(rdelta maj_flt a b)" "$pages"
	run mmsim check "$IMG"
	assert_success
}

@test "vma_ra_enabled: true by default, takes kstrtobool's words journaled, EINVAL for garbage; false reads the slot cluster" {
	ra_setup
	local f=/sys/kernel/mm/swap/vma_ra_enabled n
	run mx "$IMG" stat -c '%A %U' $f
	assert_output "-rw-r--r-- root"
	run mx "$IMG" cat $f
	assert_output true
	n=$(mmsim log "$IMG" | wc -l)
	run mx "$IMG" bash -c "echo garbage > $f"
	assert_failure
	assert_output --partial "Invalid argument"
	run mx "$IMG" bash -c "echo o > $f"
	assert_failure
	assert_equal "$(mmsim log "$IMG" | wc -l)" "$n"
	run --separate-stderr mmsim do "$IMG" sysfs kernel/mm/swap/vma_ra_enabled=perhaps
	assert_failure 2
	assert_err "not a boolean"
	# only the first characters count: "Off" and "nope" are false
	run mx "$IMG" bash -c "echo Off > $f && cat $f && echo yes > $f && cat $f && echo nope > $f && cat $f"
	assert_success
	assert_output "false
true
false"
	run mmsim log "$IMG"
	assert_line --index -1 --partial "sysfs kernel/mm/swap/vma_ra_enabled=false"
	assert_line --index -2 --partial "sysfs kernel/mm/swap/vma_ra_enabled=true"
	# cluster readahead now: what a fault reads is its page and what it
	# read ahead (test_swap_ra checks the window itself)
	reading a "$APP"
	mmsim do "$IMG" touch "$APP" "$ADDR" 4K read
	reading b "$APP"
	assert_equal "$(rdelta pswpin a b)" $((1 + $(rdelta swap_ra a b)))
	assert_equal "$(rdelta pgmajfault a b)" 1
	run mx "$IMG" cat $f
	assert_output false
	run mmsim check "$IMG"
	assert_success
}
