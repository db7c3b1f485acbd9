#!/usr/bin/env bats
# The image file: damaged images are refused by every command, with the
# reason, and left as they were; kill -9 at any moment leaves a sound image
# holding every completed operation; the file grows with what the machine
# holds, not with its RAM.

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/t.img"
	MNT="$BATS_TEST_TMPDIR/mnt"
	mkdir -p "$MNT"
}

teardown() {
	unmount_all "$MNT"
}

# An image with a checkpoint and a journal of a few operations.
make_journaled_image() {
	new_image t.img --mem 4G --nodes 2 --seed 3
	mmsim do "$IMG" sysctl vm.swappiness=20 >/dev/null
	mmsim do "$IMG" alloc-pages 2 64 >/dev/null
	mmsim do "$IMG" tick 5s >/dev/null
	mmsim do "$IMG" alloc-pages 0 10 type=reclaimable >/dev/null
}

# refused BAD REGEX [full [WHAT [COMMANDS]]]: every command refuses BAD with
# one line on stderr matching REGEX, and BAD is left byte for byte as it
# was.  With "full", mount, exec and run are tried too.  COMMANDS are the
# reading commands tried (info check log unless given).
refused() {
	local bad=$1 re=$2 full=${3:-} before c
	before=$(sha "$bad")
	for c in ${5:-info check log}; do
		run --separate-stderr mmsim "$c" "$bad"
		[ "$status" -ne 0 ] || fail "mmsim $c accepted the damaged image ($4)"
		assert_err "$re"
	done
	run --separate-stderr mmsim do "$bad" sysctl vm.swappiness=1
	[ "$status" -ne 0 ] || fail "mmsim do accepted the damaged image"
	assert_err "$re"
	assert_equal "$(sha "$bad")" "$before"
	[ -n "$full" ] || return 0

	run --separate-stderr bash -c 'echo "tick 1s" | "$MMSIM" run "$1" -' _ "$bad"
	assert_err "$re"
	run --separate-stderr mmsim exec "$bad" -- touch "$BATS_TEST_TMPDIR/ran"
	assert_err "$re"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ] || fail "exec ran its command on a damaged image"
	run --separate-stderr mmsim mount "$bad" "$MNT"
	assert_err "$re"
	! mountpoint -q "$MNT" || fail "mount mounted a damaged image"
	assert_equal "$(sha "$bad")" "$before"
}

# What a message about damage may say (it must say something of the kind).
CHECKSUM_RE='checksum|crc|corrupt|damaged|magic|version|truncat|short|size'
FRAME_RE='checksum|crc|corrupt|damaged|bad |truncat|journal|checkpoint|record'

# The header (libmm/image.c, mmsim-image(5)): 128 bytes, the magic
# "MMSIMIMG" at 0, the format version (le32) at 8, and at 124 the crc32c of
# bytes 0..123.
HDR_VERSION_OFF=8
HDR_CRC_OFF=124

# set_future_version IMG: a well-formed header of the next format version.
set_future_version() {
	local v
	v=$(get_le "$1" "$HDR_VERSION_OFF" 4)
	put_le "$1" "$HDR_VERSION_OFF" 4 $((v + 1))
	put_le "$1" "$HDR_CRC_OFF" 4 "$(crc32c "$1" 0 "$HDR_CRC_OFF")"
}

@test "the sound image opens: the baseline for the damage tests" {
	make_journaled_image
	run mmsim check "$IMG"
	assert_success
	run mmsim info "$IMG"
	assert_success
}

@test "a flipped byte in the header is refused by every command" {
	make_journaled_image
	cp "$IMG" "$BATS_TEST_TMPDIR/good.img"
	local off
	for ((off = 0; off < 64; off++)); do
		cp "$BATS_TEST_TMPDIR/good.img" "$IMG"
		flip_byte "$IMG" "$off"
		refused "$IMG" "$CHECKSUM_RE" "" "offset $off"
	done
	cp "$BATS_TEST_TMPDIR/good.img" "$IMG"
	flip_byte "$IMG" 20
	refused "$IMG" "$CHECKSUM_RE" full
}

@test "a flipped byte anywhere in the checkpoint or the journal is refused" {
	make_journaled_image
	cp "$IMG" "$BATS_TEST_TMPDIR/good.img"
	local size off n=0 k
	size=$(filesize "$IMG")
	# 48 offsets spread over the whole file past the first 64 bytes, and the
	# last 8 bytes (inside the last journal record)
	local offs=()
	# (no loop variable named i: bats' run clobbers it)
	for ((k = 0; k < 48; k++)); do
		offs+=($((64 + (size - 72) * k / 48)))
	done
	for ((off = size - 8; off < size; off++)); do
		offs+=("$off")
	done
	for off in "${offs[@]}"; do
		cp "$BATS_TEST_TMPDIR/good.img" "$IMG"
		flip_byte "$IMG" "$off"
		refused "$IMG" "$FRAME_RE" "" "offset $off"
		n=$((n + 1))
	done
	# the message says where
	cp "$BATS_TEST_TMPDIR/good.img" "$IMG"
	flip_byte "$IMG" $((size / 2))
	run --separate-stderr mmsim check "$IMG"
	assert_stderr_matches 'offset|at [0-9]+|record'
	refused "$IMG" "$FRAME_RE" full
}

# reseal_checkpoint IMG: after an edit inside the latest checkpoint's
# state, its checksums made right again (the state's in the header at 96,
# the frame's after the state, the header's at 124), so that only the
# loader's own checks stand between the edit and the machine.  Perl, as
# bash takes seconds a checksum of this size.
reseal_checkpoint() {
	perl -e '
		my @t = map { my $c = $_; $c = $c & 1 ? ($c >> 1) ^ 0x82F63B78 : $c >> 1 for 1 .. 8; $c } 0 .. 255;
		sub crc { my $c = 0xffffffff; $c = $t[($c ^ $_) & 0xff] ^ ($c >> 8) for unpack "C*", $_[0]; $c ^ 0xffffffff }
		open my $f, "+<:raw", $ARGV[0] or die;
		local $/; my $img = <$f>;
		my ($frame, $len) = unpack "Q<Q<", substr $img, 72, 16;
		my $state = crc(substr $img, $frame + 24, $len);
		substr($img, 96, 4) = pack "L<", $state;
		substr($img, $frame + 24 + $len, 4) = pack "L<", crc(substr $img, $frame, 24 + $len);
		substr($img, 124, 4) = pack "L<", crc(substr $img, 0, 124);
		seek $f, 0, 0; print $f $img; close $f or die;
	' "$1"
}

@test "a checkpoint that contradicts itself under sound checksums is refused with the section's reason" {
	command -v perl >/dev/null || skip "no perl to reseal the checkpoint"
	new_image t.img --mem 256M --seed 5
	# memory.max of 2^50 pages: eight bytes in the memcg section that no
	# other number there has; then enough operations for a checkpoint
	{
		echo 'cgroup set / cgroup.subtree_control +memory'
		echo 'cgroup create pod'
		echo 'cgroup set pod memory.max 4611686018427387904'
		for ((k = 0; k < 512; k++)); do echo 'tick 1ms'; done
	} | mmsim run "$IMG" - >/dev/null
	(($(get_le "$IMG" 88 8) > 0)) || fail "no checkpoint was written"
	local frame len hits
	frame=$(get_le "$IMG" 72 8)
	len=$(get_le "$IMG" 80 8)
	# LEB128 of 2^50: seven 0x80 and 0x02
	hits=$(LC_ALL=C grep -obaP '\x80{7}\x02' "$IMG" | cut -d: -f1 |
		awk -v lo=$((frame + 24)) -v hi=$((frame + 24 + len)) '$1 >= lo && $1 < hi')
	[ "$(wc -w <<<"$hits")" -eq 1 ] || fail "memory.max found at: $hits"
	cp "$IMG" "$BATS_TEST_TMPDIR/good.img"

	# resealed unchanged, it opens: the resealing is right
	reseal_checkpoint "$IMG"
	run mmsim check "$IMG"
	assert_success

	# 2^52 pages: past PAGE_COUNTER_MAX, which memory.max never holds
	put_le "$IMG" $((hits + 7)) 1 8
	reseal_checkpoint "$IMG"
	# log reads only the journal; check replays the history from boot
	# first, and sees it differ
	refused "$IMG" 'checkpoint: the memory cgroups are malformed' full "" info
	run --separate-stderr mmsim check "$IMG"
	assert_err 'memory cgroups are malformed|does not give the checkpoint'
}

@test "a flipped byte in the last journal record is refused" {
	make_journaled_image
	local size0 size1 off
	size0=$(filesize "$IMG")
	mmsim do "$IMG" sysctl vm.swappiness=77 >/dev/null
	size1=$(filesize "$IMG")
	((size1 > size0)) || fail "the journal did not grow ($size0 -> $size1)"
	cp "$IMG" "$BATS_TEST_TMPDIR/good.img"
	for ((off = size0; off < size1; off += 1 + (size1 - size0) / 16)); do
		cp "$BATS_TEST_TMPDIR/good.img" "$IMG"
		flip_byte "$IMG" "$off"
		refused "$IMG" "$FRAME_RE" "" "offset $off"
	done
}

@test "a truncated image is refused by every command" {
	make_journaled_image
	cp "$IMG" "$BATS_TEST_TMPDIR/good.img"
	local size len
	size=$(filesize "$IMG")
	for len in 0 1 7 32 $((size / 3)) $((size / 2)) $((size - 100)) $((size - 1)); do
		((len >= 0)) || continue
		cp "$BATS_TEST_TMPDIR/good.img" "$IMG"
		truncate -s "$len" "$IMG"
		refused "$IMG" "$CHECKSUM_RE|empty|end of file|eof" "" "length $len"
	done
	cp "$BATS_TEST_TMPDIR/good.img" "$IMG"
	truncate -s $((size - 1)) "$IMG"
	refused "$IMG" "$CHECKSUM_RE|end of file|eof" full
}

@test "a wrong magic is refused as such" {
	make_journaled_image
	put_bytes "$IMG" 0 'NOTMMSIM'
	refused "$IMG" 'magic|not an? (mmsim )?image' full
}

@test "an image from a future version is refused as such" {
	make_journaled_image
	set_future_version "$IMG"
	refused "$IMG" 'version' full
	# and the same header with the old version number is sound again: only
	# the version was wrong
	put_le "$IMG" "$HDR_VERSION_OFF" 4 1
	put_le "$IMG" "$HDR_CRC_OFF" 4 "$(crc32c "$IMG" 0 "$HDR_CRC_OFF")"
	run mmsim check "$IMG"
	assert_success
}

@test "an empty file and garbage are refused" {
	: >"$IMG"
	refused "$IMG" 'empty|short|truncat|magic|size|not an? (mmsim )?image'
	head -c 100000 /dev/urandom >"$IMG"
	refused "$IMG" 'magic|not an? (mmsim )?image'
}

# --- crash safety ----------------------------------------------------------

@test "kill -9 of mmsim do at random moments: check passes, no operation lost or half-applied" {
	new_image t.img --mem 4G --seed 9
	local done_file=$BATS_TEST_TMPDIR/done iter l0 l1 c pid
	for ((iter = 0; iter < 30; iter++)); do
		l0=$(mmsim log "$IMG" | wc -l)
		: >"$done_file"
		# each completed `mmsim do` leaves a line in done_file
		setsid bash -c 'while :; do "$0" do "$1" alloc-pages 0 50 >/dev/null 2>&1 && echo >>"$2"; done' \
			"$MMSIM" "$IMG" "$done_file" &
		pid=$!
		sleep "$(printf '0.%03d' $((RANDOM % 250 + 1)))"
		kill -9 -- "-$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true

		run --separate-stderr mmsim check "$IMG"
		[ "$status" -eq 0 ] || fail "iteration $iter: check failed: $stderr"
		l1=$(mmsim log "$IMG" | wc -l)
		c=$(wc -l <"$done_file")
		# the killed one may have committed before it could report
		((l1 - l0 == c || l1 - l0 == c + 1)) ||
			fail "iteration $iter: $c operations completed, the log grew by $((l1 - l0))"
	done

	# The state is exactly that after the logged operations: replaying them
	# on a fresh machine gives the same files.
	local n
	n=$(mmsim log "$IMG" | wc -l)
	((n > 0)) || fail "no operation ever completed"
	mmsim create "$BATS_TEST_TMPDIR/replay.img" --mem 4G --seed 9 >/dev/null
	local k
	for ((k = 0; k < n; k++)); do
		echo 'alloc-pages 0 50'
	done | mmsim run "$BATS_TEST_TMPDIR/replay.img" - >/dev/null
	local a b
	a=$(mx "$IMG" cat /proc/meminfo /proc/buddyinfo /proc/vmstat)
	b=$(mx "$BATS_TEST_TMPDIR/replay.img" cat /proc/meminfo /proc/buddyinfo /proc/vmstat)
	[ -n "$a" ]
	assert_equal "$a" "$b"
}

# --- size ------------------------------------------------------------------

@test "a fresh 1 TiB machine is a small file, and opens" {
	run --separate-stderr mmsim create "$IMG" --mem 1T --nodes 4
	assert_success
	local size
	size=$(filesize "$IMG")
	((size < 1048576)) || fail "a fresh 1 TiB image takes $size bytes"
	run --separate-stderr mmsim info "$IMG"
	assert_success
	run --separate-stderr mmsim check "$IMG"
	assert_success
	run --separate-stderr mmsim do "$IMG" alloc-pages 10 16
	assert_success
	size=$(filesize "$IMG")
	((size < 1048576)) || fail "after one operation the image takes $size bytes"
	run mx "$IMG" cat /proc/meminfo
	assert_success
	local total
	total=$(awk '$1 == "MemTotal:" { print $2 }' <<<"$output")
	((total > 1020054732 && total < 1073741824)) || fail "MemTotal $total kB for 1 TiB"
}

@test "the image does not grow with RAM size" {
	new_image small.img --mem 1G
	new_image big.img --mem 256G
	local s b
	s=$(filesize "$BATS_TEST_TMPDIR/small.img")
	b=$(filesize "$BATS_TEST_TMPDIR/big.img")
	((b < 1048576)) || fail "a 256 GiB machine takes $b bytes"
	# not proportional: 256x the RAM, far less than 256x the file
	((b < 32 * s)) || fail "1G: $s bytes, 256G: $b bytes"
}
