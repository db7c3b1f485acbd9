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
