#!/usr/bin/env bats
# Pressure stall information: /proc/pressure/memory counts the time tasks
# spent stalled in direct reclaim, in simulated time.  Thrashing the page
# cache of a small machine raises some and full, averages and totals;
# idle time lets the averages decay while the totals stay.  cpu and io
# read as the kernel's files of a machine without such stalls, and no
# file takes a trigger.

load helper

ZERO='some avg10=0.00 avg60=0.00 avg300=0.00 total=0
full avg10=0.00 avg60=0.00 avg300=0.00 total=0'

setup() {
	IMG="$BATS_TEST_TMPDIR/m.img"
	new_image m.img --mem 1G
}

script() {
	mmsim run "$IMG" -
}

# pressure NAME: keep /proc/pressure/memory and /proc/vmstat as NAME.
pressure() {
	mx "$IMG" cat /proc/pressure/memory /proc/vmstat >"$BATS_TEST_TMPDIR/psi.$1"
}

# pval NAME some|full KEY: avg10, avg60, avg300 or total of a line; the
# averages in hundredths of a percent, so that the shell can compare them.
pval() {
	awk -v l="$2" -v k="$3" '
		$1 == l {
			for (i = 2; i <= NF; i++) {
				split($i, kv, "=")
				if (kv[1] != k)
					continue
				v = kv[2]
				if (k != "total") {
					split(v, p, ".")
					v = p[1] * 100 + p[2]
				}
				print v
				exit
			}
		}' "$BATS_TEST_TMPDIR/psi.$1"
}

# vmstat_val NAME KEY: a /proc/vmstat counter in reading NAME.
vmstat_val() {
	awk -v k="$2" '$1 == k { print $2 }' "$BATS_TEST_TMPDIR/psi.$1"
}

@test "a fresh machine has no pressure, in the kernel's format and modes" {
	run mx "$IMG" cat /proc/pressure/memory
	assert_success
	assert_output "$ZERO"
	run mx "$IMG" cat /proc/pressure/io
	assert_output "$ZERO"
	run mx "$IMG" cat /proc/pressure/cpu
	assert_output "$ZERO"
	run mx "$IMG" stat -c '%a %n' /proc/pressure /proc/pressure/cpu \
		/proc/pressure/io /proc/pressure/memory
	assert_output "555 /proc/pressure
666 /proc/pressure/cpu
666 /proc/pressure/io
666 /proc/pressure/memory"
	run mx "$IMG" ls /proc/pressure
	assert_output "cpu
io
memory"
}

@test "thrashing the page cache stalls on direct reclaim; idle time decays the averages, not the totals" {
	script <<-'EOF'
		file create /data/a 1500M
		file read /data/a
		tick 2s
		file read /data/a
		tick 2s
		file read /data/a
		tick 2s
	EOF
	pressure a
	[ "$(vmstat_val a allocstall_dma32)" -gt 0 ]
	[ "$(vmstat_val a pgscan_direct)" -gt 0 ]
	run cat "$BATS_TEST_TMPDIR/psi.a"
	assert_line --index 0 --regexp '^some avg10=[0-9]+\.[0-9]{2} avg60=[0-9]+\.[0-9]{2} avg300=[0-9]+\.[0-9]{2} total=[0-9]+$'
	assert_line --index 1 --regexp '^full avg10=[0-9]+\.[0-9]{2} avg60=[0-9]+\.[0-9]{2} avg300=[0-9]+\.[0-9]{2} total=[0-9]+$'
	for l in some full; do
		[ "$(pval a $l avg10)" -gt 0 ]
		[ "$(pval a $l avg10)" -le 10000 ]
		[ "$(pval a $l avg60)" -gt 0 ]
		[ "$(pval a $l avg300)" -gt 0 ]
		# the recent window moves first
		[ "$(pval a $l avg10)" -gt "$(pval a $l avg60)" ]
		[ "$(pval a $l avg60)" -gt "$(pval a $l avg300)" ]
		# at least a microsecond a page scanned; no more than the 6 s
		[ "$(pval a $l total)" -ge $(($(vmstat_val a pgscan_direct) * 1)) ]
		[ "$(pval a $l total)" -le 6000000 ]
	done
	# one task stalled while the others sleep: some is full
	assert_equal "$(pval a full total)" "$(pval a some total)"
	assert_equal "$(pval a full avg10)" "$(pval a some avg10)"

	mmsim do "$IMG" tick 5m
	pressure b
	for l in some full; do
		assert_equal "$(pval b $l avg10)" 0
		[ "$(pval b $l avg60)" -lt "$(pval a $l avg60)" ]
		[ "$(pval b $l avg300)" -lt "$(pval a $l avg300)" ]
		assert_equal "$(pval b $l total)" "$(pval a $l total)"
	done
	# long enough, and everything is back to zero but the totals
	mmsim do "$IMG" tick 1h
	pressure c
	for l in some full; do
		for k in avg10 avg60 avg300; do
			assert_equal "$(pval c $l $k)" 0
		done
		assert_equal "$(pval c $l total)" "$(pval a $l total)"
	done
	run mx "$IMG" cat /proc/pressure/io /proc/pressure/cpu
	assert_output "$ZERO
$ZERO"
	run mmsim check "$IMG"
	assert_success
}

@test "the stall of operations shows only once time passes" {
	script <<-'EOF'
		file create /data/a 1500M
		file read /data/a
	EOF
	pressure a
	[ "$(vmstat_val a allocstall_dma32)" -gt 0 ]
	assert_equal "$(pval a some total)" 0
	assert_equal "$(pval a some avg10)" 0
	mmsim do "$IMG" tick 100ms
	pressure b
	# placed in the 100 ms that passed, and no more
	[ "$(pval b some total)" -gt 0 ]
	[ "$(pval b some total)" -le 100000 ]
	assert_equal "$(pval b full total)" "$(pval b some total)"
}

@test "reading and ticking without memory shortage is no pressure" {
	script <<-'EOF'
		file create /data/a 100M
		file read /data/a
		p = spawn app
		m = mmap $p 64M
		touch $p $m 64M write
		tick 30s
	EOF
	run mx "$IMG" cat /proc/pressure/memory
	assert_output "$ZERO"
}

@test "the files take no trigger: EOPNOTSUPP for a good one, EINVAL for a bad one" {
	mmsim run "$IMG" - <<-'EOF'
		file create /data/a 1500M
		file read /data/a
		tick 2s
	EOF
	before=$(mx "$IMG" cat /proc/pressure/memory)
	ops=$(mmsim log "$IMG" | wc -l)
	# bash names the write's errno (dash's printf says "I/O error")
	run mx "$IMG" bash -c 'printf "some 150000 2000000" >/proc/pressure/memory'
	assert_failure
	assert_output --partial 'Operation not supported'
	run mx "$IMG" bash -c 'echo "full 100000 1000000" >/proc/pressure/io'
	assert_failure
	assert_output --partial 'Operation not supported'
	for bad in 'most 1 2000000' 'some 0 2000000' 'some 3000000 2000000' \
		'full 1 20000000' 'some' ''; do
		run mx "$IMG" bash -c 'printf "%s\n" "$1" >/proc/pressure/memory' bash "$bad"
		assert_failure
		assert_output --partial 'Invalid argument'
	done
	# nothing was journaled, nothing changed
	assert_equal "$(mmsim log "$IMG" | wc -l)" "$ops"
	assert_equal "$(mx "$IMG" cat /proc/pressure/memory)" "$before"
}

@test "pressure survives a checkpoint, and replaying the history gives it again" {
	{
		echo 'file create /data/a 1500M'
		echo 'file read /data/a'
		echo 'tick 3s'
		# past the image's checkpoint interval, so that it opens from one
		for i in $(seq 1 600); do
			echo 'tick 10ms'
		done
	} | script
	pressure a
	[ "$(pval a some total)" -gt 0 ]
	[ "$(pval a some avg10)" -gt 0 ]
	# check replays the history from boot and compares it with the
	# checkpoints: the saved pressure state is the replayed one
	run mmsim check "$IMG"
	assert_success
}

# thrash_pass PID ADDR: one pass over the working set in a random order,
# then 2 s of simulated time for the stall to be accounted.
thrash_pass() {
	mmsim do "$IMG" touch "$1" "$2" 1200M read random
	mmsim do "$IMG" tick 2s
}

@test "swap thrashing: a working set larger than RAM, read pass after pass, raises the pressure; idle time decays it" {
	IMG="$BATS_TEST_TMPDIR/s.img"
	new_image s.img --mem 1G --swap 1G
	local pid addr
	pid=$(mmsim do "$IMG" spawn thrash)
	addr=$(mmsim do "$IMG" mmap "$pid" 1200M)
	# the working set is written once: most of it goes out to swap
	mmsim do "$IMG" touch "$pid" "$addr" 1200M write
	mmsim do "$IMG" tick 2s
	pressure w
	[ "$(vmstat_val w pswpout)" -gt 0 ]
	# then read over and over: every pass brings pages back from swap,
	# promotes the ones used twice and ages the active list back
	local i prev=w
	for i in 1 2 3 4; do
		thrash_pass "$pid" "$addr"
		pressure "p$i"
		for k in pswpin pswpout pgmajfault pgactivate; do
			[ "$(vmstat_val "p$i" $k)" -gt "$(vmstat_val $prev $k)" ] ||
				fail "pass $i: $k did not grow"
		done
		# pressure builds up: some avg10 and total grow with every pass
		[ "$(pval "p$i" some avg10)" -gt "$(pval $prev some avg10)" ] ||
			fail "pass $i: some avg10 $(pval "p$i" some avg10) after $(pval $prev some avg10)"
		[ "$(pval "p$i" some total)" -gt "$(pval $prev some total)" ] ||
			fail "pass $i: some total did not grow"
		prev=p$i
	done
	[ "$(vmstat_val p4 pgdeactivate)" -gt "$(vmstat_val w pgdeactivate)" ]
	# the faults of the passes were major ones, from swap (swap
	# readahead may bring a few pages in without a fault of their own)
	local majflt=$(($(vmstat_val p4 pgmajfault) - $(vmstat_val w pgmajfault)))
	local swpin=$(($(vmstat_val p4 pswpin) - $(vmstat_val w pswpin)))
	[ "$swpin" -gt 300000 ] || fail "pswpin grew by $swpin"
	[ "$majflt" -ge $((swpin * 9 / 10)) ] || fail "$majflt major faults for $swpin swap-ins"
	# real thresholds: over the 8 s of passes the task was stalled at
	# least 1 s, and never longer than the time that passed; some avg10
	# is at least 10 %
	local stalled=$(($(pval p4 some total) - $(pval w some total)))
	[ "$stalled" -ge 1000000 ] || fail "stalled $stalled us in 8 s of thrashing"
	[ "$stalled" -le 8000000 ] || fail "stalled $stalled us in 8 s"
	[ "$(pval p4 some avg10)" -ge 1000 ] || fail "some avg10 $(pval p4 some avg10)/100 %"
	[ "$(pval p4 some avg10)" -le 10000 ]
	[ "$(pval p4 some avg10)" -gt "$(pval p4 some avg60)" ]
	[ "$(pval p4 some avg60)" -gt "$(pval p4 some avg300)" ]
	[ "$(pval p4 some avg300)" -gt 0 ]
	# one task: all of it is full stall as well
	assert_equal "$(pval p4 full total)" "$(pval p4 some total)"
	assert_equal "$(pval p4 full avg10)" "$(pval p4 some avg10)"

	# idle: avg10 decays (a 10 s window), the totals stay
	mmsim do "$IMG" tick 10s
	pressure i1
	[ "$(pval i1 some avg10)" -lt "$(pval p4 some avg10)" ]
	[ "$(pval i1 some avg10)" -gt 0 ]
	assert_equal "$(pval i1 some total)" "$(pval p4 some total)"
	mmsim do "$IMG" tick 1m
	pressure i2
	[ "$(pval i2 some avg10)" -lt 100 ] || fail "some avg10 $(pval i2 some avg10)/100 % after 70 s idle"
	[ "$(pval i2 some avg60)" -lt "$(pval p4 some avg60)" ]
	assert_equal "$(pval i2 some total)" "$(pval p4 some total)"
	assert_equal "$(vmstat_val i2 pswpin)" "$(vmstat_val p4 pswpin)"
	run mmsim check "$IMG"
	assert_success
}

@test "the same passes over a working set that fits in RAM are no pressure" {
	IMG="$BATS_TEST_TMPDIR/s.img"
	new_image s.img --mem 1G --swap 1G
	local pid addr i
	pid=$(mmsim do "$IMG" spawn fits)
	addr=$(mmsim do "$IMG" mmap "$pid" 400M)
	mmsim do "$IMG" touch "$pid" "$addr" 400M write
	mmsim do "$IMG" tick 2s
	for i in 1 2 3 4; do
		mmsim do "$IMG" touch "$pid" "$addr" 400M read random
		mmsim do "$IMG" tick 2s
	done
	pressure a
	assert_equal "$(vmstat_val a pswpin)" 0
	run mx "$IMG" cat /proc/pressure/memory
	assert_output "$ZERO"
}
