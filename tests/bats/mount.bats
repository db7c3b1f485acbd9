#!/usr/bin/env bats
# mmsim mount / umount: the FUSE view of an image as DIR/proc and DIR/sys.

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/t.img"
	MNT="$BATS_TEST_TMPDIR/mnt"
	mkdir -p "$MNT"
	new_image t.img --mem 4G --nodes 2
}

teardown() {
	unmount_all "$MNT"
	if [ -n "${FG_PID:-}" ]; then
		kill "$FG_PID" 2>/dev/null || true
		wait "$FG_PID" 2>/dev/null || true
	fi
}

@test "mount shows DIR/proc and DIR/sys; umount takes them away" {
	run --separate-stderr mmsim mount "$IMG" "$MNT"
	assert_success
	mountpoint -q "$MNT"
	[ -d "$MNT/proc" ]
	[ -d "$MNT/sys" ]
	[ -d "$MNT/proc/sys/vm" ]
	[ -d "$MNT/sys/devices/system/node/node1" ]
	run cat "$MNT/proc/meminfo"
	assert_success
	assert_line --regexp '^MemTotal: +[0-9]+ kB$'
	run --separate-stderr mmsim umount "$MNT"
	assert_success
	! mountpoint -q "$MNT"
	[ ! -e "$MNT/proc/meminfo" ]
}

@test "mount takes relative paths for the image and the directory" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr mmsim mount t.img mnt
	assert_success
	run cat mnt/proc/meminfo
	assert_success
	assert_line --regexp '^MemTotal: +[0-9]+ kB$'
	# and it keeps following the image
	mmsim do t.img sysctl vm.swappiness=31 >/dev/null
	run cat mnt/proc/sys/vm/swappiness
	assert_output 31
	mmsim umount mnt
}

@test "mount -f stays in the foreground until unmounted" {
	"$MMSIM" mount "$IMG" "$MNT" -f &
	FG_PID=$!
	local i
	for ((i = 0; i < 100; i++)); do
		[ -e "$MNT/proc/meminfo" ] && break
		sleep 0.1
	done
	[ -e "$MNT/proc/meminfo" ] || fail "not mounted after 10 s"
	kill -0 "$FG_PID" # still running
	mmsim umount "$MNT"
	for ((i = 0; i < 100; i++)); do
		kill -0 "$FG_PID" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$FG_PID" 2>/dev/null || fail "mount -f still running after umount"
	wait "$FG_PID"
	FG_PID=
}

@test "sizes are procfs's 0 and sysfs's 4096, and files are read whole" {
	mmsim mount "$IMG" "$MNT"
	local f
	assert_equal "$(stat -c %s "$MNT/sys/devices/system/node/node0/meminfo")" 4096
	for f in proc/meminfo proc/vmstat proc/buddyinfo proc/zoneinfo proc/sys/vm/swappiness \
		sys/devices/system/node/node0/meminfo; do
		[[ $f == sys/* ]] || assert_equal "$(stat -c %s "$MNT/$f")" 0
		run cat "$MNT/$f"
		assert_success
		[ -n "$output" ] || fail "$f is empty"
	done
	# read in small pieces, the text is the same as read at once
	local whole pieces
	whole=$(cat "$MNT/proc/zoneinfo")
	pieces=$(dd if="$MNT/proc/zoneinfo" bs=7 status=none)
	assert_equal "$pieces" "$whole"
}

@test "modes are Linux's: pagetypeinfo 0400, drop_caches 0200, swappiness 0644" {
	mmsim mount "$IMG" "$MNT"
	assert_equal "$(stat -c %a "$MNT/proc/pagetypeinfo")" 400
	assert_equal "$(stat -c %a "$MNT/proc/meminfo")" 444
	assert_equal "$(stat -c %a "$MNT/proc/buddyinfo")" 444
	assert_equal "$(stat -c %a "$MNT/proc/sys/vm/drop_caches")" 200
	assert_equal "$(stat -c %a "$MNT/proc/sys/vm/compact_memory")" 200
	assert_equal "$(stat -c %a "$MNT/proc/sys/vm/swappiness")" 644
	assert_equal "$(stat -c %a "$MNT/proc/sys/vm/mmap_rnd_bits")" 600
	assert_equal "$(stat -c %U "$MNT/proc/meminfo")" root
}

@test "a file opened after another mmsim do shows its effect; an open one keeps its text" {
	mmsim mount "$IMG" "$MNT"
	local free0 free1 held
	free0=$(field "$MNT/proc/meminfo" MemFree)
	# (not fd 3: bats reports through it)
	exec 7<"$MNT/proc/meminfo"
	mmsim do "$IMG" alloc-pages 4 32 >/dev/null
	# the handle opened before keeps the text made at its open
	held=$(awk '$1 == "MemFree:" { print $2 }' <&7)
	exec 7<&-
	assert_equal "$held" "$free0"
	free1=$(field "$MNT/proc/meminfo" MemFree)
	assert_equal "$free1" $((free0 - 32 * 16 * 4))

	mmsim do "$IMG" sysctl vm.swappiness=22 >/dev/null
	assert_equal "$(cat "$MNT/proc/sys/vm/swappiness")" 22
}

@test "a write through the mount is a journaled operation" {
	mmsim mount "$IMG" "$MNT"
	echo 15 >"$MNT/proc/sys/vm/swappiness"
	assert_equal "$(cat "$MNT/proc/sys/vm/swappiness")" 15
	run mmsim log "$IMG"
	assert_line --partial 'sysctl vm.swappiness=15'
	mmsim umount "$MNT"
	run mx "$IMG" cat /proc/sys/vm/swappiness
	assert_output 15
}

@test "many readers at once each see whole, consistent files" {
	mmsim mount "$IMG" "$MNT"
	local i j f p pids=()
	# a writer applies operations while readers read
	(for ((i = 0; i < 20; i++)); do "$MMSIM" do "$IMG" alloc-pages 0 7 >/dev/null; done) &
	local w=$!
	for ((i = 0; i < 8; i++)); do
		(for ((j = 0; j < 25; j++)); do
			f=$(cat "$MNT/proc/buddyinfo" "$MNT/proc/meminfo")
			# each meminfo read is whole: first and last field present
			grep -q '^MemTotal:' <<<"$f" && grep -q '^DirectMap' <<<"$f" || exit 1
		done) &
		pids+=($!)
	done
	wait "$w"
	for p in "${pids[@]}"; do
		wait "$p" || fail "a reader saw a torn file"
	done
}

@test "mount refuses a missing image and a missing directory" {
	run --separate-stderr mmsim mount "$BATS_TEST_TMPDIR/none.img" "$MNT"
	assert_err 'none\.img|no such file'
	! mountpoint -q "$MNT"
	run --separate-stderr mmsim mount "$IMG" "$BATS_TEST_TMPDIR/nodir"
	assert_err 'nodir|no such file|directory'
}

@test "umount of something not mounted fails" {
	run --separate-stderr mmsim umount "$MNT"
	assert_err 'mnt|not mounted|mount'
}
