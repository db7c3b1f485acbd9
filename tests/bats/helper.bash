# Shared set-up for the mmsim bats suites.  Load it with `load helper`.
#
# MMSIM names the mmsim binary under test (make check sets it); run by hand
# from the source tree, `bats tests/bats` uses ./mmsim of an in-tree build.

bats_require_minimum_version 1.5.0

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

if [ -z "${MMSIM:-}" ]; then
	MMSIM="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)/mmsim"
fi
export MMSIM

# Every command gets a deadline, so that a hang (a FUSE deadlock, a stuck
# lock) fails the test instead of the whole run.
MMSIM_TIMEOUT=${MMSIM_TIMEOUT:-120}

mmsim() {
	timeout -k 5 "$MMSIM_TIMEOUT" "$MMSIM" "$@"
}

# mx IMG CMD [ARG...]: CMD under `mmsim exec IMG`.
mx() {
	local img=$1
	shift
	mmsim exec "$img" -- "$@"
}

# new_image NAME [create options]: a fresh machine in this test's temp dir;
# prints nothing, fails the test if create fails.
new_image() {
	local name=$1
	shift
	mmsim create "$BATS_TEST_TMPDIR/$name" "$@" >/dev/null
}

sha() {
	sha256sum "$1" | cut -d' ' -f1
}

filesize() {
	stat -c %s "$1"
}

# flip_byte FILE OFFSET: invert every bit of one byte, in place.
flip_byte() {
	local f=$1 off=$2 b
	b=$(od -An -tu1 -j "$off" -N1 "$f" | tr -d ' \n')
	if [ -z "$b" ]; then
		echo "flip_byte: offset $off is past the end of $f" >&2
		return 1
	fi
	# shellcheck disable=SC2059
	printf "$(printf '\\%03o' $((b ^ 0xff)))" |
		dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}

# put_bytes FILE OFFSET STRING: overwrite bytes in place.
put_bytes() {
	printf '%s' "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# get_le FILE OFFSET SIZE(1|2|4|8): an unsigned little-endian integer.
get_le() {
	od -An -tu"$3" -j "$2" -N"$3" --endian=little "$1" | tr -d ' \n'
}

# put_le FILE OFFSET SIZE VALUE: write an unsigned little-endian integer.
put_le() {
	local f=$1 off=$2 size=$3 v=$4 i s=""
	for ((i = 0; i < size; i++)); do
		s+=$(printf '\\%03o' $(((v >> (8 * i)) & 0xff)))
	done
	# shellcheck disable=SC2059
	printf "$s" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}

# crc32c FILE OFFSET LENGTH: CRC-32C (Castagnoli) of a byte range, in
# decimal; to re-seal a header after editing a field.
crc32c() {
	local f=$1 off=$2 len=$3 crc=$((0xffffffff)) b i
	if [ -z "${_CRC32C_TABLE[255]:-}" ]; then
		local n c k
		_CRC32C_TABLE=()
		for ((n = 0; n < 256; n++)); do
			c=$n
			for ((k = 0; k < 8; k++)); do
				if ((c & 1)); then
					c=$(((c >> 1) ^ 0x82F63B78))
				else
					c=$((c >> 1))
				fi
			done
			_CRC32C_TABLE[n]=$c
		done
	fi
	for b in $(od -An -v -tu1 -j "$off" -N"$len" "$f"); do
		crc=$((_CRC32C_TABLE[(crc ^ b) & 0xff] ^ (crc >> 8)))
	done
	echo $((crc ^ 0xffffffff))
}

# assert_err REGEX: after `run --separate-stderr`, the command failed with
# exactly one line on stderr that matches REGEX (extended, case-insensitive).
assert_err() {
	local re=$1
	if [ "$status" -eq 0 ]; then
		fail "expected failure, got exit 0 (stdout: $output)"
	fi
	if [ "${#stderr_lines[@]}" -ne 1 ]; then
		fail "expected one line on stderr, got ${#stderr_lines[@]}: $stderr"
	fi
	if ! grep -Eqi -- "$re" <<<"$stderr"; then
		fail "stderr does not match /$re/: $stderr"
	fi
}

# assert_stderr_matches REGEX: stderr (of `run --separate-stderr`) matches.
assert_stderr_matches() {
	if ! grep -Eqi -- "$1" <<<"$stderr"; then
		fail "stderr does not match /$1/: $stderr"
	fi
}

# field FILE NAME: the number after "NAME:" in a meminfo-style file.
field() {
	awk -v k="$2:" '$1 == k { print $2; found = 1; exit } END { exit !found }' "$1"
}

# grab IMG DIR: copy the simulated machine's files into DIR (one `mmsim exec`,
# so that they all come from one state): DIR/proc/..., DIR/sys/...
grab() {
	local img=$1 dir=$2
	mkdir -p "$dir"
	mx "$img" sh -c '
		set -e
		d=$1
		for f in /proc/meminfo /proc/vmstat /proc/buddyinfo /proc/zoneinfo \
			/proc/pagetypeinfo /proc/swaps \
			/sys/devices/system/node/online /sys/devices/system/node/possible \
			/sys/devices/system/node/has_memory \
			/sys/devices/system/cpu/possible /sys/devices/system/cpu/online \
			/sys/devices/system/cpu/present \
			/sys/devices/system/node/node*/meminfo \
			/sys/devices/system/node/node*/vmstat \
			/sys/devices/system/node/node*/numastat \
			/sys/devices/system/node/node*/cpulist \
			/sys/devices/system/node/node*/distance; do
			mkdir -p "$d${f%/*}"
			cat "$f" >"$d$f"
		done' sh "$dir"
}

# buddy_kb BUDDYINFO [NODE]: kB in the free blocks listed (of one node).
buddy_kb() {
	awk -v node="${2:-}" '
		$1 == "Node" && (node == "" || $2 == node ",") {
			for (i = 5; i <= NF; i++) s += $i * 2 ^ (i - 5)
		}
		END { printf "%.0f\n", s * 4 }' "$1"
}

# zone_field ZONEINFO NODE ZONE NAME: a zone's line "NAME value" (the
# first, e.g. "min", "managed", "pages free" as NAME=free).
zone_field() {
	awk -v node="$2" -v zone="$3" -v name="$4" '
		$1 == "Node" { cur = ($2 == node "," && $4 == zone) ; next }
		cur && name == "free" && $1 == "pages" && $2 == "free" { print $3; exit }
		cur && $1 == name { print $2; exit }' "$1"
}

# unmount_all DIR: take away whatever is still mounted on DIR (a test that
# failed half-way), by mountinfo rather than by stat, which a broken FUSE
# daemon answers with EIO or ENOTCONN.
unmount_all() {
	local dir=$1 n
	for n in 1 2 3; do
		awk -v d="$dir" '$5 == d { found = 1 } END { exit !found }' /proc/self/mountinfo || return 0
		"$MMSIM" umount "$dir" >/dev/null 2>&1 ||
			fusermount3 -uz "$dir" >/dev/null 2>&1 ||
			umount -l "$dir" >/dev/null 2>&1 || true
	done
}

# Readings of one machine, for the suites that compare before and after.
# They use $IMG.
# snap NAME [FILE...]: one reading (one `mmsim exec`) of `free -b`,
# /proc/meminfo, /proc/vmstat and the FILEs, kept for `val`.
snap() {
	local name=$1
	shift
	mx "$IMG" sh -c 'free -b && cat /proc/meminfo /proc/vmstat "$@"' sh "$@" \
		>"$BATS_TEST_TMPDIR/snap.$name"
}

# val NAME KEY: KEY in snapshot NAME: used, shared or cache (buff/cache)
# of `free -b` in bytes; a meminfo or status field (kB); a vmstat counter.
val() {
	awk -v k="$2" '
		$1 == "Mem:" && k == "used" { v = $3 }
		$1 == "Mem:" && k == "shared" { v = $5 }
		$1 == "Mem:" && k == "cache" { v = $6 }
		$1 == k || $1 == k ":" { v = $2 }
		END { if (v == "") exit 1; print v }' "$BATS_TEST_TMPDIR/snap.$1"
}

# pods [POD...]: in $IMG, the kubepods group and kubepods/POD for each
# POD, with memory handed down to them (one `mmsim run`).
pods() {
	local pod
	{
		echo 'cgroup set / cgroup.subtree_control +memory'
		echo 'cgroup create /kubepods'
		echo 'cgroup set /kubepods cgroup.subtree_control +memory'
		for pod in "$@"; do
			echo "cgroup create /kubepods/$pod"
		done
	} | mmsim run "$IMG" -
}

# delta KEY A B: KEY in snapshot B minus KEY in snapshot A.
delta() {
	local a b
	a=$(val "$2" "$1") && b=$(val "$3" "$1") && echo $((b - a))
}
