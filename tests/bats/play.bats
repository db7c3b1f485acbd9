#!/usr/bin/env bats
# mmsim play: a scenario script applied as run applies it, but live: each
# tick is cut into 1s steps, journaled one by one and applied as wall-clock
# time passes (--speed times faster).  Timings are only checked loosely.

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
	MNT="$BATS_TEST_TMPDIR/mnt"
	new_image m.img --mem 1G
}

teardown() {
	unmount_all "$MNT"
	if [ -n "${BG_PID:-}" ]; then
		kill "$BG_PID" 2>/dev/null || true
		wait "$BG_PID" 2>/dev/null || true
	fi
}

# uptime [FILE]: the machine's uptime in hundredths of a second, from
# /proc/uptime through `mmsim exec`, or from FILE (a mount's).
uptime() {
	local line
	if [ -n "${1:-}" ]; then
		line=$(cat "$1")
	else
		line=$(mx "$IMG" cat /proc/uptime)
	fi
	awk '{ split($1, t, "."); print t[1] * 100 + t[2] }' <<<"$line"
}

# now_ms: the monotonic-enough wall clock, in milliseconds.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

@test "play applies the script, prints results, and journals a tick as 1s steps" {
	cat >"$BATS_TEST_TMPDIR/s.mmsim" <<-'EOF'
		# a comment
		sysctl vm.swappiness=33
		h = alloc-pages 3 4
		spawn app
		tick 3s
		free-pages $h
	EOF
	local u0 t0 t1
	u0=$(uptime)
	t0=$(now_ms)
	run --separate-stderr mmsim play "$IMG" "$BATS_TEST_TMPDIR/s.mmsim" --speed 20
	t1=$(now_ms)
	assert_success
	assert_equal "$stderr" ""
	# spawn's PID, and nothing for the rest
	assert_equal "${#lines[@]}" 1
	assert_output --regexp '^[0-9]+$'
	# 3 s at 20x is at least 150 ms of waiting
	[ $((t1 - t0)) -ge 140 ] || fail "played in $((t1 - t0)) ms"
	run --separate-stderr mmsim log "$IMG"
	assert_success
	assert_equal "${#lines[@]}" 7
	assert_line --index 0 --regexp '^1 sysctl vm.swappiness=33$'
	assert_line --index 1 --regexp '^2 alloc-pages 3 4$'
	assert_line --index 2 --regexp '^3 spawn app$'
	assert_line --index 3 --regexp '^4 tick 1s$'
	assert_line --index 4 --regexp '^5 tick 1s$'
	assert_line --index 5 --regexp '^6 tick 1s$'
	assert_line --index 6 --regexp '^7 free-pages [0-9]+$'
	assert_equal $(($(uptime) - u0)) 300
	run mx "$IMG" cat /proc/sys/vm/swappiness
	assert_output 33
	run mmsim check "$IMG"
	assert_success
}

@test "play cuts a tick into whole seconds and a rest; a short tick is one step" {
	local u0
	u0=$(uptime)
	run --separate-stderr mmsim play "$IMG" - --speed 50 <<-'EOF'
		tick 2500ms
		tick 500ms
		tick 1s
		tick 1m
	EOF
	assert_success
	assert_output ""
	run mmsim log "$IMG"
	assert_equal "${#lines[@]}" 65
	assert_line --index 0 '1 tick 1s'
	assert_line --index 1 '2 tick 1s'
	assert_line --index 2 '3 tick 500ms'
	assert_line --index 3 '4 tick 500ms'
	assert_line --index 4 '5 tick 1s'
	assert_equal "$(grep -c ' tick 1s$' <<<"$output")" 63
	assert_equal $(($(uptime) - u0)) $(((2500 + 500 + 1000 + 60000) / 10))
	run mmsim check "$IMG"
	assert_success
}

@test "play without --speed keeps to wall-clock time" {
	local t0 t1
	t0=$(now_ms)
	run --separate-stderr mmsim play "$IMG" - <<<'tick 1s'
	t1=$(now_ms)
	assert_success
	[ $((t1 - t0)) -ge 950 ] || fail "a 1s tick played in $((t1 - t0)) ms"
	run mmsim log "$IMG"
	assert_output '1 tick 1s'
}

@test "play reads the script from stdin with -, and binds names as run does" {
	run --separate-stderr bash -c \
		'printf "p = spawn app\na = mmap \$p 4M\ntick 2s\nmunmap \$p \$a\n" |
		"$MMSIM" play "$1" - --speed 100' _ "$IMG"
	assert_success
	assert_output ""
	run mmsim log "$IMG"
	assert_equal "${#lines[@]}" 5
	assert_line --index 1 --regexp '^2 mmap [0-9]+ 4M$'
	assert_line --index 4 --regexp '^5 munmap [0-9]+ 0x[0-9a-f]+$'
	refute_output --partial '$'
}

@test "play usage errors exit 2 and change nothing" {
	local before c
	echo 'tick 1s' >"$BATS_TEST_TMPDIR/s.mmsim"
	before=$(sha "$IMG")
	local cases=(
		"play"
		"play $IMG"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim extra"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim --speed"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim --speed 0"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim --speed -2"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim --speed fast"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim --speed 10x"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim --speed nan"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim --speed inf"
		"play $IMG $BATS_TEST_TMPDIR/s.mmsim --no-such-option"
	)
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086
		run --separate-stderr mmsim $c
		if [ "$status" -ne 2 ]; then
			fail "mmsim $c: exit $status, expected 2 (stderr: $stderr)"
		fi
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "mmsim $c: stderr: $stderr"
	done
	assert_equal "$(sha "$IMG")" "$before"
	run --separate-stderr mmsim play --help
	assert_success
	assert_output --partial 'play IMAGE SCRIPT'
	assert_output --partial '--speed'
}

@test "play takes a fractional --speed" {
	run --separate-stderr mmsim play "$IMG" - --speed 2.5 <<<'tick 500ms'
	assert_success
	run mmsim log "$IMG"
	assert_output '1 tick 500ms'
}

@test "play checks the whole script first, as run does" {
	local before
	before=$(sha "$IMG")
	run --separate-stderr mmsim play "$IMG" - --speed 100 <<-'EOF'
		sysctl vm.swappiness=20
		tick 1s
		frobnicate 3
	EOF
	assert_err '<stdin>:3:.*frobnicate'
	assert_equal "$(sha "$IMG")" "$before"
	run --separate-stderr mmsim play "$IMG" - <<<'tick $nope'
	assert_err '<stdin>:1:.*unknown variable \$nope'
	run --separate-stderr mmsim play "$IMG" - <<<'tick 2y'
	assert_err '<stdin>:1:.*bad duration'
	run --separate-stderr mmsim play "$IMG" "$BATS_TEST_TMPDIR/none.mmsim"
	assert_err 'play: .*none\.mmsim.*no such file'
	assert_equal "$(sha "$IMG")" "$before"
}

@test "an operation that fails stops play as it stops run, with the same report" {
	new_image r.img --mem 1G
	cat >"$BATS_TEST_TMPDIR/s.mmsim" <<-'EOF'
		sysctl vm.swappiness=20
		p = spawn app
		a = mmap $p 4M
		tick 2s
		sysctl vm.swappiness=$a
		sysctl vm.swappiness=40
	EOF
	run --separate-stderr mmsim run "$BATS_TEST_TMPDIR/r.img" "$BATS_TEST_TMPDIR/s.mmsim"
	assert_failure 1
	local run_out=$output run_err=$stderr
	run --separate-stderr mmsim play "$IMG" "$BATS_TEST_TMPDIR/s.mmsim" --speed 100
	assert_failure 1
	assert_equal "$output" "$run_out"
	assert_equal "$stderr" "$run_err"
	assert_err 's\.mmsim:5:.*swappiness'
	run mmsim log "$IMG"
	assert_equal "${#lines[@]}" 5
	assert_line --index 3 '4 tick 1s'
	assert_line --index 4 '5 tick 1s'
	refute_output --partial 'swappiness=40'
	run mx "$IMG" cat /proc/sys/vm/swappiness
	assert_output 20
	run mmsim check "$IMG"
	assert_success
}

@test "SIGINT stops play between two steps; what was applied stays" {
	printf 'sysctl vm.swappiness=20\ntick 1m\nsysctl vm.swappiness=40\n' \
		>"$BATS_TEST_TMPDIR/s.mmsim"
	# job control, so that the background job does not ignore SIGINT
	set -m
	"$MMSIM" play "$IMG" "$BATS_TEST_TMPDIR/s.mmsim" --speed 10 \
		2>"$BATS_TEST_TMPDIR/err" &
	BG_PID=$!
	set +m
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(mmsim log "$IMG" | grep -c 'tick 1s')" -ge 2 ] && break
		sleep 0.1
	done
	kill -INT "$BG_PID"
	local rc=0
	wait "$BG_PID" || rc=$?
	BG_PID=
	assert_equal "$rc" 130
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output --regexp '^mmsim: .*s\.mmsim:2: interrupted after [0-9]+s of .tick 1m.$'
	run mmsim log "$IMG"
	assert_line --index 0 '1 sysctl vm.swappiness=20'
	refute_output --partial 'swappiness=40'
	local n
	n=$(grep -c ' tick 1s$' <<<"$output")
	[ "$n" -ge 2 ] && [ "$n" -lt 60 ] || fail "$n ticks applied"
	assert_equal "${#lines[@]}" $((n + 1))
	run mmsim check "$IMG"
	assert_success
}

@test "a mount of the image sees the ticks as they are played" {
	mkdir -p "$MNT"
	mmsim mount "$IMG" "$MNT"
	local u0 u seen=0 i
	u0=$(uptime "$MNT/proc/uptime")
	"$MMSIM" play "$IMG" - --speed 2 <<<'tick 4s' >/dev/null &
	BG_PID=$!
	# 2 s of wall time; a step every 0.5 s
	for ((i = 0; i < 300; i++)); do
		u=$(uptime "$MNT/proc/uptime")
		if ((u > u0 && u < u0 + 400)); then
			seen=1
		fi
		kill -0 "$BG_PID" 2>/dev/null || break
		sleep 0.05
	done
	wait "$BG_PID"
	BG_PID=
	[ "$seen" = 1 ] || fail "saw no uptime between $u0 and $((u0 + 400))"
	assert_equal "$(uptime "$MNT/proc/uptime")" $((u0 + 400))
	mmsim umount "$MNT"
}
