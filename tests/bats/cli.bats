#!/usr/bin/env bats
# The command-line contract of CLI.md: help, versions, usage errors, create,
# do/run/play/log, info, check.

load helper

COMMANDS=(create info check do run play log mount umount exec shell snapshot)

setup() {
	IMG="$BATS_TEST_TMPDIR/t.img"
}

# --- help and version ------------------------------------------------------

@test "mmsim --help lists every command" {
	run --separate-stderr mmsim --help
	assert_success
	for c in "${COMMANDS[@]}"; do
		assert_output --regexp "(^|[^a-z])$c([^a-z]|$)"
	done
}

@test "mmsim --version prints a version" {
	run --separate-stderr mmsim --version
	assert_success
	assert_output --regexp 'mmsim.*[0-9]+\.[0-9]+'
}

@test "every command has --help naming it, and --version" {
	run --separate-stderr mmsim --version
	assert_success
	local version=$output
	for c in "${COMMANDS[@]}"; do
		run --separate-stderr mmsim "$c" --help
		assert_success
		assert_output --partial "$c"
		run --separate-stderr mmsim "$c" --version
		assert_success
		assert_output "$version"
	done
}

@test "create --help lists its options" {
	run --separate-stderr mmsim create --help
	assert_success
	for o in --mem --nodes --cpus --swap --seed --force; do
		assert_output --partial -- "$o"
	done
}

# --- usage errors exit 2 ---------------------------------------------------

@test "usage errors exit 2 with a message and change nothing" {
	new_image t.img
	local before
	before=$(sha "$IMG")
	local cases=(
		""
		"frobnicate"
		"--no-such-option"
		"create"
		"create $BATS_TEST_TMPDIR/a.img $BATS_TEST_TMPDIR/b.img"
		"create $BATS_TEST_TMPDIR/a.img --no-such-option"
		"create $BATS_TEST_TMPDIR/a.img --mem"
		"info"
		"info $IMG $IMG"
		"check"
		"do"
		"do $IMG"
		"run"
		"run $IMG"
		"run $IMG $BATS_TEST_TMPDIR/s.mmsim extra"
		"play"
		"play $IMG"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim extra"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim --speed"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim --speed 0"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim --speed fast"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim --no-such-option"
		"log"
		"log $IMG extra"
		"mount $IMG"
		"umount"
		"exec $IMG"
		"exec $IMG --"
		"shell"
		"snapshot $IMG"
		"info $IMG --no-such-option"
	)
	local c
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086
		run --separate-stderr mmsim $c
		if [ "$status" -ne 2 ]; then
			fail "mmsim $c: exit $status, expected 2 (stderr: $stderr)"
		fi
		[ -n "$stderr" ] || fail "mmsim $c: exit 2 but nothing on stderr"
		[ "${#stderr_lines[@]}" -le 2 ] || fail "mmsim $c: ${#stderr_lines[@]} lines on stderr: $stderr"
	done
	[ ! -e "$BATS_TEST_TMPDIR/a.img" ]
	[ ! -e "$BATS_TEST_TMPDIR/b.img" ]
	assert_equal "$(sha "$IMG")" "$before"
}

# --- create ----------------------------------------------------------------

@test "create makes a machine with CLI.md's defaults: 8G, 1 node, 4 CPUs, no swap" {
	run --separate-stderr mmsim create "$IMG"
	assert_success
	[ -s "$IMG" ]
	run mmsim check "$IMG"
	assert_success
	grab "$IMG" "$BATS_TEST_TMPDIR/m"
	local m=$BATS_TEST_TMPDIR/m
	local total
	total=$(field "$m/proc/meminfo" MemTotal)
	# a little under 8 GiB, as on real hardware
	((total > 7864320 && total < 8388608)) || fail "MemTotal $total kB"
	assert_equal "$(cat "$m/sys/devices/system/node/online")" 0
	assert_equal "$(cat "$m/sys/devices/system/cpu/possible")" 0-3
	assert_equal "$(cat "$m/sys/devices/system/cpu/online")" 0-3
	assert_equal "$(field "$m/proc/meminfo" SwapTotal)" 0
}

@test "create --mem 8G --nodes 2 --cpus 4" {
	run --separate-stderr mmsim create "$IMG" --mem 8G --nodes 2 --cpus 4
	assert_success
	grab "$IMG" "$BATS_TEST_TMPDIR/m"
	local m=$BATS_TEST_TMPDIR/m
	assert_equal "$(cat "$m/sys/devices/system/node/online")" 0-1
	assert_equal "$(cat "$m/sys/devices/system/node/possible")" 0-1
	assert_equal "$(cat "$m/sys/devices/system/cpu/possible")" 0-3
	# the CPUs are shared out between the nodes, each CPU on one node
	run cat "$m"/sys/devices/system/node/node0/cpulist "$m"/sys/devices/system/node/node1/cpulist
	assert_success
	[ -s "$m/sys/devices/system/node/node0/cpulist" ]
	[ -s "$m/sys/devices/system/node/node1/cpulist" ]
	local total
	total=$(field "$m/proc/meminfo" MemTotal)
	((total > 7864320 && total < 8388608)) || fail "MemTotal $total kB"
	# both nodes have memory
	local n0 n1
	n0=$(awk '$3 == "MemTotal:" { print $4 }' "$m/sys/devices/system/node/node0/meminfo")
	n1=$(awk '$3 == "MemTotal:" { print $4 }' "$m/sys/devices/system/node/node1/meminfo")
	((n0 > 3 * 1024 * 1024 && n1 > 3 * 1024 * 1024)) || fail "node MemTotal $n0 + $n1 kB"
}

@test "create --mem takes bytes or K/M/G/T, all meaning the same size" {
	mmsim create "$BATS_TEST_TMPDIR/a.img" --mem 2G --seed 7
	mmsim create "$BATS_TEST_TMPDIR/b.img" --mem 2048M --seed 7
	mmsim create "$BATS_TEST_TMPDIR/c.img" --mem 2147483648 --seed 7
	mmsim create "$BATS_TEST_TMPDIR/d.img" --mem 2097152K --seed 7
	local a
	a=$(mx "$BATS_TEST_TMPDIR/a.img" cat /proc/meminfo /proc/buddyinfo)
	local other
	for i in b c d; do
		other=$(mx "$BATS_TEST_TMPDIR/$i.img" cat /proc/meminfo /proc/buddyinfo)
		assert_equal "$other" "$a"
	done
	local total
	total=$(awk '$1 == "MemTotal:" { print $2 }' <<<"$a")
	((total > 1900000 && total < 2097152)) || fail "MemTotal $total kB for 2G"
}

@test "create --swap gives the machine a swap device" {
	mmsim create "$IMG" --swap 1G
	run mx "$IMG" cat /proc/meminfo
	assert_success
	local st
	st=$(awk '$1 == "SwapTotal:" { print $2 }' <<<"$output")
	# 1 GiB less the swap header page, as swapon shows it
	((st >= 1048000 && st <= 1048576)) || fail "SwapTotal $st kB"
	run mx "$IMG" cat /proc/swaps
	assert_success
	assert_equal "${#lines[@]}" 2
}

@test "the same seed and operations give the same machine" {
	mmsim create "$BATS_TEST_TMPDIR/a.img" --mem 4G --nodes 2 --seed 42
	mmsim create "$BATS_TEST_TMPDIR/b.img" --mem 4G --nodes 2 --seed 42
	for i in a b; do
		mmsim do "$BATS_TEST_TMPDIR/$i.img" alloc-pages 2 100 >/dev/null
		mmsim do "$BATS_TEST_TMPDIR/$i.img" tick 10s >/dev/null
	done
	local a b
	a=$(mx "$BATS_TEST_TMPDIR/a.img" cat /proc/meminfo /proc/buddyinfo /proc/zoneinfo /proc/vmstat)
	b=$(mx "$BATS_TEST_TMPDIR/b.img" cat /proc/meminfo /proc/buddyinfo /proc/zoneinfo /proc/vmstat)
	[ -n "$a" ]
	assert_equal "$b" "$a"
}

@test "create refuses an existing file unless --force" {
	new_image t.img --mem 1G
	local before
	before=$(sha "$IMG")
	run --separate-stderr mmsim create "$IMG" --mem 2G
	assert_err 'exist'
	assert_equal "$(sha "$IMG")" "$before"

	# not only images: any file
	echo precious >"$BATS_TEST_TMPDIR/notes.txt"
	run --separate-stderr mmsim create "$BATS_TEST_TMPDIR/notes.txt"
	assert_err 'exist'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/notes.txt")" precious

	run --separate-stderr mmsim create "$IMG" --mem 2G --force
	assert_success
	[ "$(sha "$IMG")" != "$before" ]
	run mmsim check "$IMG"
	assert_success
}

@test "create rejects bad sizes and counts, and creates nothing" {
	local bad=(
		"--mem 8X" "--mem abc" "--mem -8G" "--mem 0" "--mem 8GG" "--mem G"
		"--mem 4K" "--mem 99999999999999T"
		"--swap 1Q" "--swap -1G"
		"--nodes 0" "--nodes -1" "--nodes two" "--nodes 100000"
		"--cpus 0" "--cpus x" "--seed abc"
	)
	local b
	for b in "${bad[@]}"; do
		# shellcheck disable=SC2086
		run --separate-stderr mmsim create "$IMG" $b
		[ "$status" -ne 0 ] || fail "create $b: exit 0"
		[ -n "$stderr" ] || fail "create $b: no message"
		# the message names the option or the value
		local opt=${b%% *} val=${b#* }
		grep -Fq -e "$val" -e "${opt#--}" <<<"$stderr" || fail "create $b: message names neither: $stderr"
		[ ! -e "$IMG" ] || fail "create $b: left $IMG behind"
	done
}

@test "commands on a missing image fail with one line naming it" {
	local c
	for c in info check log; do
		run --separate-stderr mmsim "$c" "$BATS_TEST_TMPDIR/nope.img"
		assert_err 'nope\.img|no such file'
	done
	run --separate-stderr mmsim do "$BATS_TEST_TMPDIR/nope.img" tick 1s
	assert_err 'nope\.img|no such file'
	[ ! -e "$BATS_TEST_TMPDIR/nope.img" ]
}

@test "a file that is not an image is refused" {
	printf 'just some text, not a machine\n' >"$IMG"
	run --separate-stderr mmsim info "$IMG"
	assert_err 'magic|not an? (mmsim )?image'
	run --separate-stderr mmsim check "$IMG"
	assert_failure
	assert_equal "$(cat "$IMG")" 'just some text, not a machine'
}

# --- do, run, log ----------------------------------------------------------

@test "a fresh image has an empty log" {
	new_image t.img
	run --separate-stderr mmsim log "$IMG"
	assert_success
	assert_output ''
}

@test "do sysctl is journaled and shows in the log" {
	new_image t.img
	run --separate-stderr mmsim do "$IMG" sysctl vm.swappiness=10
	assert_success
	run --separate-stderr mmsim log "$IMG"
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_line --index 0 --partial 'sysctl vm.swappiness=10'
	run mx "$IMG" cat /proc/sys/vm/swappiness
	assert_success
	assert_output 10
}

@test "sysctl takes slashes as well as dots" {
	new_image t.img
	run --separate-stderr mmsim do "$IMG" sysctl vm/watermark_scale_factor=200
	assert_success
	run mx "$IMG" cat /proc/sys/vm/watermark_scale_factor
	assert_output 200
}

@test "the log keeps the operations in order" {
	new_image t.img
	mmsim do "$IMG" sysctl vm.swappiness=11 >/dev/null
	mmsim do "$IMG" tick 2s >/dev/null
	mmsim do "$IMG" alloc-pages 1 3 >/dev/null
	mmsim do "$IMG" sysctl vm.swappiness=12 >/dev/null
	run --separate-stderr mmsim log "$IMG"
	assert_success
	assert_equal "${#lines[@]}" 4
	assert_line --index 0 --partial 'sysctl vm.swappiness=11'
	assert_line --index 1 --partial 'tick 2s'
	assert_line --index 2 --partial 'alloc-pages 1 3'
	assert_line --index 3 --partial 'sysctl vm.swappiness=12'
}

@test "a rejected operation exits non-zero, says why, and is not journaled" {
	new_image t.img
	mmsim do "$IMG" sysctl vm.swappiness=10 >/dev/null
	local before
	before=$(sha "$IMG")
	local bad=(
		"sysctl vm.swappiness=201"
		"sysctl vm.swappiness=-1"
		"sysctl vm.swappiness=abc"
		"sysctl vm.no_such_knob=1"
		"alloc-pages 11"
		"alloc-pages -1"
		"alloc-pages x"
		"alloc-pages 0 1 node=5"
		"alloc-pages 0 1 zone=Nowhere"
		"alloc-pages 0 1 type=sticky"
		"free-pages 987654321"
		"tick soon"
		"frobnicate 1 2 3"
	)
	local b
	for b in "${bad[@]}"; do
		# shellcheck disable=SC2086
		run --separate-stderr mmsim do "$IMG" $b
		[ "$status" -ne 0 ] || fail "do $b: exit 0"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "do $b: expected one line on stderr: $stderr"
		assert_equal "$(sha "$IMG")" "$before"
	done
	run --separate-stderr mmsim do "$IMG" sysctl vm.swappiness=201
	assert_stderr_matches 'swappiness|201|invalid'
	run mmsim log "$IMG"
	assert_equal "${#lines[@]}" 1
	refute_output --partial 201
	run mx "$IMG" cat /proc/sys/vm/swappiness
	assert_output 10
}

@test "do: words that make no operation are a usage error (2) with the usage; a refusal is a failure (1)" {
	new_image t.img
	local before
	before=$(sha "$IMG")
	# words that do not parse: exit 2, one line with the op's synopsis
	local -A usage=(
		["tick"]='tick DURATION'
		["tick soon"]='tick DURATION'
		["tick 1 2"]='tick DURATION'
		["alloc-pages x"]='alloc-pages ORDER'
		["alloc-pages 0 1 type=sticky"]='alloc-pages ORDER'
		["spawn"]='spawn COMM'
		["fork abc"]='fork PID'
		["exec 1"]='exec PID COMM'
		["mmap 1 0"]='mmap PID SIZE'
		["touch 1 0x1000 4K sideways"]='touch PID ADDR SIZE'
		["free 1"]='free PID ADDR'
		["sysctl vm.no_such_knob=1"]='sysctl KEY=VALUE'
		["sync now"]='sync'
		["frobnicate 1 2 3"]='mmsim do IMAGE OP'
	)
	local b
	for b in "${!usage[@]}"; do
		# shellcheck disable=SC2086
		run --separate-stderr mmsim do "$IMG" $b
		[ "$status" -eq 2 ] || fail "do $b: exit $status, expected 2 (stderr: $stderr)"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "do $b: expected one line on stderr: $stderr"
		[[ $stderr == *"${usage[$b]}"* ]] || fail "do $b: no '${usage[$b]}' in: $stderr"
	done
	# the words are checked before the image is opened
	run --separate-stderr mmsim do "$BATS_TEST_TMPDIR/nope.img" tick soon
	assert_failure 2
	# well-formed words the machine refuses: exit 1, no usage
	local refused=(
		"free-pages 987654321"
		"alloc-pages 0 1 node=5"
		"exec 99999 bash"
		"kill 99999"
		"free 1 0x1000"
		"sysctl vm.swappiness=201"
	)
	for b in "${refused[@]}"; do
		# shellcheck disable=SC2086
		run --separate-stderr mmsim do "$IMG" $b
		[ "$status" -eq 1 ] || fail "do $b: exit $status, expected 1 (stderr: $stderr)"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "do $b: expected one line on stderr: $stderr"
		[[ $stderr != *usage:* ]] || fail "do $b: a refusal is not a usage error: $stderr"
	done
	assert_equal "$(sha "$IMG")" "$before"
	run mmsim log "$IMG"
	assert_output ''
}

@test "alloc-pages prints a handle that free-pages takes once" {
	new_image t.img
	run --separate-stderr mmsim do "$IMG" alloc-pages 2 8
	assert_success
	assert_equal "${#lines[@]}" 1
	local h=$output
	[[ $h =~ ^[0-9a-zA-Zx]+$ ]] || fail "handle '$h'"
	run --separate-stderr mmsim do "$IMG" free-pages "$h"
	assert_success
	local before
	before=$(sha "$IMG")
	run --separate-stderr mmsim do "$IMG" free-pages "$h"
	assert_failure
	assert_equal "$(sha "$IMG")" "$before"
	run mmsim log "$IMG"
	assert_equal "${#lines[@]}" 2
}

@test "run applies a script: comments, blank lines, NAME = OP and \$NAME" {
	new_image t.img
	cat >"$BATS_TEST_TMPDIR/s.mmsim" <<-'EOF'
		# a comment line

		sysctl vm.swappiness=33   # a trailing comment
		blk = alloc-pages 3 4
		two = alloc-pages 0 16 type=reclaimable
		tick 1s
		free-pages $blk
		free-pages $two
	EOF
	run --separate-stderr mmsim run "$IMG" "$BATS_TEST_TMPDIR/s.mmsim"
	assert_success
	run --separate-stderr mmsim log "$IMG"
	assert_success
	assert_equal "${#lines[@]}" 6
	assert_line --index 0 --partial 'sysctl vm.swappiness=33'
	assert_line --index 1 --partial 'alloc-pages 3 4'
	assert_line --index 3 --partial 'tick 1s'
	assert_line --index 4 --regexp 'free-pages [^$ ]+'
	refute_output --partial '$'
	refute_output --partial '#'
	run mx "$IMG" cat /proc/sys/vm/swappiness
	assert_output 33
}

@test "run's handles are the ones alloc-pages printed" {
	new_image t.img
	local h
	h=$(mmsim do "$IMG" alloc-pages 0 1)
	printf 'free-pages %s\n' "$h" | mmsim run "$IMG" -
	run mmsim log "$IMG"
	assert_line --index 1 --partial "free-pages $h"
}

@test "run reads the script from stdin with -" {
	new_image t.img
	run --separate-stderr bash -c 'printf "sysctl vm.swappiness=44\ntick 1s\n" | "$MMSIM" run "$1" -' _ "$IMG"
	assert_success
	run mmsim log "$IMG"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --partial 'sysctl vm.swappiness=44'
}

@test "run stops at a bad line, which is not journaled" {
	new_image t.img
	printf 'sysctl vm.swappiness=20\nsysctl vm.swappiness=201\nsysctl vm.swappiness=21\n' >"$BATS_TEST_TMPDIR/s.mmsim"
	run --separate-stderr mmsim run "$IMG" "$BATS_TEST_TMPDIR/s.mmsim"
	assert_failure
	assert_stderr_matches 'swappiness|201|line 2|:2'
	run mmsim log "$IMG"
	refute_output --partial 'swappiness=201'
	refute_output --partial 'swappiness=21'
	run mmsim check "$IMG"
	assert_success
}

@test "run rejects an undefined \$NAME" {
	new_image t.img
	local before
	before=$(sha "$IMG")
	run --separate-stderr bash -c 'echo "free-pages \$nothing" | "$MMSIM" run "$1" -' _ "$IMG"
	assert_failure
	assert_stderr_matches 'nothing'
	assert_equal "$(sha "$IMG")" "$before"
}

@test "run on a missing script fails" {
	new_image t.img
	run --separate-stderr mmsim run "$IMG" "$BATS_TEST_TMPDIR/none.mmsim"
	assert_err 'none\.mmsim|no such file'
}

# --- info and check --------------------------------------------------------

@test "info says what the machine is in a few lines" {
	new_image t.img --mem 8G --nodes 2 --cpus 4
	run --separate-stderr mmsim info "$IMG"
	assert_success
	((${#lines[@]} >= 2 && ${#lines[@]} <= 30)) || fail "${#lines[@]} lines"
	assert_output --regexp '8 ?G|8192 ?M|7\.[0-9]+ ?G'
	assert_output --regexp '(2 nodes|[Nn]odes:? *2)'
	assert_output --regexp '(4 CPUs|[Cc][Pp][Uu]s:? *4)'
}

@test "check passes on sound images, with and without a journal" {
	new_image t.img
	run --separate-stderr mmsim check "$IMG"
	assert_success
	mmsim do "$IMG" alloc-pages 4 10 >/dev/null
	mmsim do "$IMG" sysctl vm.min_free_kbytes=100000 >/dev/null
	mmsim do "$IMG" tick 1m >/dev/null
	run --separate-stderr mmsim check "$IMG"
	assert_success
}

@test "read-only commands leave the image alone" {
	new_image t.img
	mmsim do "$IMG" alloc-pages 0 5 >/dev/null
	local before
	before=$(sha "$IMG")
	mmsim info "$IMG" >/dev/null
	mmsim check "$IMG" >/dev/null
	mmsim log "$IMG" >/dev/null
	mx "$IMG" cat /proc/meminfo >/dev/null
	assert_equal "$(sha "$IMG")" "$before"
}
