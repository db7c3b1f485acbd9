#!/usr/bin/env bats
# The kernel log as DIR/proc/kmsg, read by util-linux `dmesg -F FILE` (which
# mmaps the file: its size is the text's length, unlike the real one).

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/t.img"
	MNT="$BATS_TEST_TMPDIR/mnt"
	mkdir -p "$MNT"
	new_image t.img --mem 8G --nodes 2 --cpus 4
	mmsim mount "$IMG" "$MNT"
	K="$MNT/proc/kmsg"
}

teardown() {
	unmount_all "$MNT"
}

@test "dmesg -F shows the boot's memory lines, the banner first" {
	run dmesg -F "$K"
	assert_success
	assert_line --index 0 "[    0.000000] $(cat "$MNT/proc/version")"
	assert_line --regexp '^\[    0\.000000\] Command line: BOOT_IMAGE=/boot/vmlinuz-6\.18\.0-mmsim root=/dev/vda1 ro quiet$'
	assert_line '[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable'
	assert_line '[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x000000023fffffff] usable'
	assert_line '[    0.000000] Zone ranges:'
	assert_line '[    0.000000]   DMA      [mem 0x0000000000001000-0x0000000000ffffff]'
	assert_line '[    0.000000]   DMA32    [mem 0x0000000001000000-0x00000000ffffffff]'
	assert_line '[    0.000000]   Normal   [mem 0x0000000100000000-0x000000023fffffff]'
	assert_line '[    0.000000]   Device   empty'
	assert_line '[    0.000000] Movable zone start for each node'
	assert_line '[    0.000000]   node   0: [mem 0x0000000000001000-0x000000000009efff]'
	assert_line --regexp '^\[    0\.000000\]   node   1: \[mem 0x[0-9a-f]{16}-0x000000023fffffff\]$'
	assert_line '[    0.000000] On node 0, zone DMA: 97 pages in unavailable ranges'
	# two CPUs a node: a 2 MiB allocation of two 1 MiB units for each
	assert_line '[    0.000000] percpu: Embedded 48 pages/cpu s158536 r8192 d29880 u1048576'
	assert_line --regexp '^\[    0\.000000\] Built 2 zonelists, mobility grouping on\.  Total pages: [0-9]+$'
	assert_line '[    0.000000] Policy zone: Normal'
	assert_line --regexp '^\[ +[0-9]+\.[0-9]{6}\] Memory: [0-9]+K/[0-9]+K available \(.*, [0-9]+K reserved, 0K cma-reserved\)$'
	assert_line --regexp '^\[ +[1-9][0-9]*\.[0-9]{6}\] Freeing unused kernel image \(initmem\) memory: [0-9]+K$'
}

@test "the zones' page counts agree with zoneinfo" {
	local present total
	present=$(awk '$1 == "present" { s += $2 } END { print s }' "$MNT/proc/zoneinfo")
	run dmesg -F "$K"
	assert_success
	assert_line --regexp "Total pages: $present\$"
	total=$(sed -n 's|.*Memory: [0-9]*K/\([0-9]*\)K available.*|\1|p' <<<"$output")
	assert_equal "$total" "$((present * 4))"
}

@test "timestamps never go back, and the boot takes simulated time" {
	run awk -F'[][]' '
		{ t = $2 + 0; if (NR > 1 && t < prev) { print "line " NR " goes back"; bad = 1 }; prev = t }
		END { if (prev <= 0) { print "no time passed"; bad = 1 }; exit bad }' <(dmesg -F "$K")
	assert_success
}

@test "the Memory: line agrees with MemTotal once the init memory is freed" {
	local line total reserved freed memtotal
	line=$(dmesg -F "$K" | grep -m1 ' Memory: ')
	total=$(sed 's|.*K/\([0-9]*\)K available.*|\1|' <<<"$line")
	reserved=$(sed 's|.* \([0-9]*\)K reserved.*|\1|' <<<"$line")
	# what is freed to the allocator afterwards joins the managed pages
	freed=$(dmesg -F "$K" | sed -n '/ Memory: /,$ s|.* Freeing .* memory: \([0-9]*\)K$|\1|p' |
		awk '{ s += $1 } END { print s + 0 }')
	memtotal=$(field "$MNT/proc/meminfo" MemTotal)
	assert_equal "$((total - reserved + freed))" "$memtotal"
}

@test "levels: --level and -x see the kernel's levels and facility" {
	run dmesg -F "$K" --level=notice
	assert_success
	assert_line --index 0 --partial '] Linux version 6.18.0-mmsim '
	assert_line --index 1 --partial '] Kernel command line: BOOT_IMAGE='
	assert_equal "${#lines[@]}" 2
	run dmesg -F "$K" --level=debug
	assert_success
	assert_line --index 0 '[    0.000000] e820: update [mem 0x00000000-0x00000fff] usable ==> reserved'
	run dmesg -F "$K" --level=err,warn
	assert_success
	assert_output ''
	run dmesg -F "$K" -x
	assert_success
	assert_line --index 0 --regexp '^kern  :notice: \[    0\.000000\] Linux version '
	assert_line --regexp '^kern  :info  : \[    0\.000000\] Zone ranges:$'
}

@test "the file is the raw syslog buffer: dmesg -r gives it back, and its size is its length" {
	run diff <(dmesg -F "$K" -r) "$K"
	assert_success
	assert_equal "$(stat -c %s "$K")" "$(wc -c <"$K")"
	run grep -c '^<6>\[    0\.000000\] ' "$K"
	assert_success
	[ "$output" -gt 20 ]
	run bash -c 'dmesg -F "$1" | grep -c "unavailable ranges"' _ "$K"
	assert_output 2
}

@test "proc/kmsg is 0400: root reads it, others are denied" {
	assert_equal "$(stat -c %a "$K")" 400
	unmount_all "$MNT"
	run mx "$IMG" dmesg -F /proc/kmsg
	assert_success
	assert_line --index 0 --partial 'Linux version 6.18.0-mmsim'
	run mx "$IMG" setpriv --reuid=65534 --regid=65534 --clear-groups dmesg -F /proc/kmsg
	assert_failure
	assert_output --partial 'Permission denied'
}
