#!/usr/bin/env bats
# Unmodified procps tools through `mmsim exec`, on the machine of issue 2:
# `mmsim create t.img --mem 8G --nodes 2 --cpus 4`.  The files must agree
# with one another exactly, as a real kernel's do.

load helper

setup() {
	IMG="$BATS_TEST_TMPDIR/t.img"
	M="$BATS_TEST_TMPDIR/m"
	new_image t.img --mem 8G --nodes 2 --cpus 4
	USERDIR=
}

teardown() {
	if [ -n "${USERDIR:-}" ]; then
		rm -rf "$USERDIR"
	fi
}

# Linux 6.18's /proc/sys/vm, with modes (from a real machine).
VM_KNOBS='-rw-r--r-- admin_reserve_kbytes
--w------- compact_memory
-rw-r--r-- compact_unevictable_allowed
-rw-r--r-- compaction_proactiveness
-rw-r--r-- defrag_mode
-rw-r--r-- dirty_background_bytes
-rw-r--r-- dirty_background_ratio
-rw-r--r-- dirty_bytes
-rw-r--r-- dirty_expire_centisecs
-rw-r--r-- dirty_ratio
-rw-r--r-- dirty_writeback_centisecs
-rw-r--r-- dirtytime_expire_seconds
--w------- drop_caches
-rw-r--r-- extfrag_threshold
-rw-r--r-- hugetlb_optimize_vmemmap
-rw-r--r-- hugetlb_shm_group
-rw-r--r-- laptop_mode
-rw-r--r-- legacy_va_layout
-rw-r--r-- lowmem_reserve_ratio
-rw-r--r-- max_map_count
-rw-r--r-- memfd_noexec
-rw-r--r-- min_free_kbytes
-rw-r--r-- min_slab_ratio
-rw-r--r-- min_unmapped_ratio
-rw-r--r-- mmap_min_addr
-rw------- mmap_rnd_bits
-rw------- mmap_rnd_compat_bits
-rw-r--r-- nr_hugepages
-rw-r--r-- nr_hugepages_mempolicy
-rw-r--r-- nr_overcommit_hugepages
-rw-r--r-- numa_stat
-rw-r--r-- numa_zonelist_order
-rw-r--r-- oom_dump_tasks
-rw-r--r-- oom_kill_allocating_task
-rw-r--r-- overcommit_kbytes
-rw-r--r-- overcommit_memory
-rw-r--r-- overcommit_ratio
-rw-r--r-- page-cluster
-rw-r--r-- page_lock_unfairness
-rw-r--r-- panic_on_oom
-rw-r--r-- percpu_pagelist_high_fraction
-rw-r--r-- shrink_inodes_with_pagecache
-rw-r--r-- stat_interval
-rw------- stat_refresh
-rw-r--r-- swappiness
-rw-r--r-- unprivileged_userfaultfd
-rw-r--r-- user_reserve_kbytes
-rw-r--r-- vfs_cache_pressure
-rw-r--r-- vfs_cache_pressure_denom
-rw-r--r-- watermark_boost_factor
-rw-r--r-- watermark_scale_factor
-rw-r--r-- zone_reclaim_mode'

# as_nobody CMD...: CMD as uid/gid 65534 with no capabilities.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all -- "$@"
}

# --- the tools run -----------------------------------------------------------

@test "free -b: the Mem and Swap lines are /proc/meminfo's, in bytes" {
	run --separate-stderr mx "$IMG" free -b
	assert_success
	local out=$output
	grab "$IMG" "$M"
	local total free
	total=$(field "$M/proc/meminfo" MemTotal)
	free=$(field "$M/proc/meminfo" MemFree)
	assert_equal "$(awk '$1 == "Mem:" { print $2 }' <<<"$out")" $((total * 1024))
	assert_equal "$(awk '$1 == "Mem:" { print $4 }' <<<"$out")" $((free * 1024))
	assert_equal "$(awk '$1 == "Swap:" { print $2, $3, $4 }' <<<"$out")" "0 0 0"
}

@test "free -h: a little under 8 GiB" {
	run --separate-stderr mx "$IMG" free -h
	assert_success
	assert_line --regexp '^Mem: +7\.[5-9]Gi '
	assert_line --regexp '^Swap: +0B +0B +0B'
}

@test "vmstat: one line of numbers, free is MemFree" {
	run --separate-stderr mx "$IMG" vmstat
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 --partial 'procs'
	assert_line --index 1 --regexp 'swpd +free +buff +cache'
	grab "$IMG" "$M"
	assert_equal "$(awk 'NR == 3 { print $4 }' <<<"$output")" "$(field "$M/proc/meminfo" MemFree)"
	assert_equal "$(awk 'NR == 3 { print $3 }' <<<"$output")" 0
}

@test "vmstat -s: totals from meminfo" {
	run --separate-stderr mx "$IMG" vmstat -s
	assert_success
	grab "$IMG" "$M"
	assert_line --regexp "^ +$(field "$M/proc/meminfo" MemTotal) K total memory$"
	assert_line --regexp "^ +$(field "$M/proc/meminfo" MemFree) K free memory$"
	assert_line --regexp "^ +0 K total swap$"
	assert_line --regexp '^ +[0-9]+ K paged in$'
	assert_line --partial 'boot time'
}

@test "vmstat -a: active and inactive columns are meminfo's" {
	run --separate-stderr mx "$IMG" vmstat -a
	assert_success
	assert_equal "${#lines[@]}" 3
	grab "$IMG" "$M"
	local active inact
	active=$(awk 'NR == 2 { for (i = 1; i <= NF; i++) if ($i == "active") c = i } NR == 3 { print $c }' <<<"$output")
	inact=$(awk 'NR == 2 { for (i = 1; i <= NF; i++) if ($i == "inact") c = i } NR == 3 { print $c }' <<<"$output")
	assert_equal "$active" "$(field "$M/proc/meminfo" Active)"
	assert_equal "$inact" "$(field "$M/proc/meminfo" Inactive)"
}

@test "sysctl -a lists Linux 6.18's vm knobs" {
	run --separate-stderr mx "$IMG" sysctl -a
	assert_success
	local mode name
	while read -r mode name; do
		# write-only files are skipped by sysctl -a, as on Linux
		[[ $mode == ?r* ]] || continue
		[ "$name" = stat_refresh ] && continue
		assert_line --regexp "^vm\\.${name//./\\.} = "
	done <<<"$VM_KNOBS"
	assert_line 'vm.swappiness = 60'
	assert_line 'vm.watermark_scale_factor = 10'
	assert_line 'vm.overcommit_memory = 0'
	assert_line 'vm.overcommit_ratio = 50'
	refute_line --partial 'drop_caches'
}

@test "/proc/sys/vm holds exactly Linux 6.18's knobs, with its modes" {
	run --separate-stderr mx "$IMG" sh -c 'cd /proc/sys/vm && stat -c "%A %n" * | sort -k 2'
	assert_success
	assert_equal "$output" "$(sort -k 2 <<<"$VM_KNOBS")"
}

@test "sysctl vm.swappiness" {
	run --separate-stderr mx "$IMG" sysctl vm.swappiness
	assert_success
	assert_output 'vm.swappiness = 60'
}

@test "sysctl -w vm.swappiness=10: a later exec reads 10; the write is journaled" {
	run --separate-stderr mx "$IMG" sysctl -w vm.swappiness=10
	assert_success
	assert_output 'vm.swappiness = 10'
	run --separate-stderr mx "$IMG" sysctl -n vm.swappiness
	assert_success
	assert_output 10
	run mx "$IMG" cat /proc/sys/vm/swappiness
	assert_output 10
	run mmsim log "$IMG"
	assert_equal "${#lines[@]}" 1
	assert_line --partial 'sysctl vm.swappiness=10'
}

@test "swappiness takes 0 and 200 and a trailing newline" {
	mx "$IMG" sh -c 'echo 0 > /proc/sys/vm/swappiness'
	assert_equal "$(mx "$IMG" cat /proc/sys/vm/swappiness)" 0
	mx "$IMG" sh -c 'printf 200 > /proc/sys/vm/swappiness'
	assert_equal "$(mx "$IMG" cat /proc/sys/vm/swappiness)" 200
}

@test "abc, 201 and -1 to swappiness fail with EINVAL and change nothing" {
	local before v
	before=$(sha "$IMG")
	for v in abc 201 -1; do
		run mx "$IMG" bash -c "echo $v > /proc/sys/vm/swappiness"
		assert_failure
		assert_output --partial 'Invalid argument'
	done
	run mx "$IMG" sysctl -w vm.swappiness=201
	assert_failure
	assert_output --partial 'Invalid argument'
	run mx "$IMG" cat /proc/sys/vm/swappiness
	assert_output 60
	run mmsim log "$IMG"
	assert_output ''
	assert_equal "$(sha "$IMG")" "$before"
}

@test "drop_caches: reading is denied, 1..4 are taken, 0 and 5 are EINVAL" {
	run mx "$IMG" cat /proc/sys/vm/drop_caches
	assert_failure
	assert_output --partial 'Permission denied'
	run mx "$IMG" bash -c 'echo 5 > /proc/sys/vm/drop_caches'
	assert_failure
	assert_output --partial 'Invalid argument'
	run mx "$IMG" bash -c 'echo 0 > /proc/sys/vm/drop_caches'
	assert_failure
	assert_output --partial 'Invalid argument'
	run mx "$IMG" bash -c 'echo 3 > /proc/sys/vm/drop_caches'
	assert_success
}

@test "pagetypeinfo is 0400: root reads it, others are denied" {
	run mx "$IMG" stat -c %a /proc/pagetypeinfo
	assert_output 400
	run mx "$IMG" cat /proc/pagetypeinfo
	assert_success
	assert_line --partial 'Free pages count per migrate type at order'
	run mx "$IMG" setpriv --reuid=65534 --regid=65534 --clear-groups cat /proc/pagetypeinfo
	assert_failure
	assert_output --partial 'Permission denied'
}

# --- watermarks -----------------------------------------------------------

# check_watermarks ZONEINFO MIN_FREE_KBYTES WATERMARK_SCALE_FACTOR: every
# zone's min/low/high/promo as __setup_per_zone_wmarks() computes them.
check_watermarks() {
	awk -v mfk="$2" -v wsf="$3" '
		$1 == "Node" { z = $2 $4; zones[++n] = z; next }
		$1 == "min" || $1 == "low" || $1 == "high" || $1 == "promo" || $1 == "managed" {
			if (!((z, $1) in v)) v[z, $1] = $2
		}
		END {
			pages_min = int(mfk / 4)
			for (i = 1; i <= n; i++) if (zones[i] !~ /Movable/) lowmem += v[zones[i], "managed"]
			for (i = 1; i <= n; i++) {
				z = zones[i]; m = v[z, "managed"]
				tmp = int(pages_min * m / lowmem)
				want = tmp
				if (z ~ /Movable/) {
					# capped to a small value: managed/1024 within [32, 128]
					want = int(m / 1024)
					if (want < 32) want = 32
					if (want > 128) want = 128
				}
				step = int(tmp / 4); s2 = int(m * wsf / 10000); if (s2 > step) step = s2
				if (v[z, "min"] != want || v[z, "low"] != want + step ||
				    v[z, "high"] != want + 2 * step || v[z, "promo"] != want + 3 * step) {
					printf "zone %s managed %d: min/low/high/promo %d/%d/%d/%d, want %d/%d/%d/%d\n",
						z, m, v[z, "min"], v[z, "low"], v[z, "high"], v[z, "promo"],
						want, want + step, want + 2 * step, want + 3 * step
					bad = 1
				}
			}
			if (n == 0) { print "no zones"; bad = 1 }
			exit bad
		}' "$1"
}

@test "watermarks follow min_free_kbytes and watermark_scale_factor, at once" {
	grab "$IMG" "$M"
	local mfk
	mfk=$(mx "$IMG" cat /proc/sys/vm/min_free_kbytes)
	((mfk >= 128 && mfk <= 262144)) || fail "min_free_kbytes $mfk"
	run check_watermarks "$M/proc/zoneinfo" "$mfk" 10
	assert_success
	local min0
	min0=$(zone_field "$M/proc/zoneinfo" 1 Normal min)

	mx "$IMG" sysctl -q -w vm.min_free_kbytes=$((mfk * 3))
	grab "$IMG" "$M"
	run check_watermarks "$M/proc/zoneinfo" $((mfk * 3)) 10
	assert_success
	local min1
	min1=$(zone_field "$M/proc/zoneinfo" 1 Normal min)
	((min1 > 2 * min0)) || fail "node 1 Normal min $min0 -> $min1"

	mx "$IMG" sysctl -q -w vm.watermark_scale_factor=200
	grab "$IMG" "$M"
	run check_watermarks "$M/proc/zoneinfo" $((mfk * 3)) 200
	assert_success
	run mmsim log "$IMG"
	assert_equal "${#lines[@]}" 2
}

@test "min_free_kbytes and watermark_scale_factor reject bad values" {
	run mx "$IMG" bash -c 'echo -5 > /proc/sys/vm/min_free_kbytes'
	assert_failure
	assert_output --partial 'Invalid argument'
	run mx "$IMG" bash -c 'echo 0 > /proc/sys/vm/watermark_scale_factor'
	assert_failure
	assert_output --partial 'Invalid argument'
	run mx "$IMG" bash -c 'echo 3001 > /proc/sys/vm/watermark_scale_factor'
	assert_failure
	assert_output --partial 'Invalid argument'
}

# --- the invariants ---------------------------------------------------------

@test "MemTotal is a little under 8 GiB; nodes, CPUs and zones are laid out" {
	grab "$IMG" "$M"
	local total
	total=$(field "$M/proc/meminfo" MemTotal)
	((total > 7864320 && total < 8388608)) || fail "MemTotal $total kB"
	assert_equal "$(cat "$M/sys/devices/system/node/online")" 0-1
	assert_equal "$(cat "$M/sys/devices/system/node/has_memory")" 0-1
	assert_equal "$(cat "$M/sys/devices/system/cpu/present")" 0-3
	# node 0 starts at 0: DMA and DMA32; node 1 lies above 4 GiB: Normal only
	assert_equal "$(awk '$2 == "1," { print $4 }' "$M/proc/buddyinfo" | tr '\n' ' ')" "Normal "
	grep -q '^Node 0, zone *DMA ' "$M/proc/buddyinfo"
	grep -q '^Node 0, zone *DMA32 ' "$M/proc/buddyinfo"
	# distances: 10 to itself, more to the other
	assert_equal "$(awk '{ print $1 }' "$M/sys/devices/system/node/node0/distance")" 10
	assert_equal "$(cut -d' ' -f1 "$M/sys/devices/system/node/node1/distance")" \
		"$(cut -d' ' -f2 "$M/sys/devices/system/node/node0/distance")"
	# a booted machine: the free memory is spread over the orders, not a
	# few big blocks per zone
	local orders
	orders=$(awk '$1 == "Node" { for (i = 5; i <= NF; i++) if ($i > 0) used[i] = 1 } END { print length(used) }' "$M/proc/buddyinfo")
	((orders >= 6)) || fail "free blocks in only $orders orders"
	local used
	used=$(($(field "$M/proc/meminfo" MemTotal) - $(field "$M/proc/meminfo" MemFree)))
	((used > 20000)) || fail "a booted kernel uses only $used kB"
}

@test "buddyinfo's blocks add up to MemFree, overall and per node" {
	grab "$IMG" "$M"
	assert_equal "$(buddy_kb "$M/proc/buddyinfo")" "$(field "$M/proc/meminfo" MemFree)"
	local n
	for n in 0 1; do
		assert_equal "$(buddy_kb "$M/proc/buddyinfo" "$n")" \
			"$(awk '$3 == "MemFree:" { print $4 }' "$M/sys/devices/system/node/node$n/meminfo")"
	done
}

@test "vmstat nr_free_pages x 4 == MemFree == zoneinfo's free pages" {
	grab "$IMG" "$M"
	local free nr zi
	free=$(field "$M/proc/meminfo" MemFree)
	nr=$(awk '$1 == "nr_free_pages" { print $2 }' "$M/proc/vmstat")
	assert_equal $((nr * 4)) "$free"
	zi=$(awk '$1 == "pages" && $2 == "free" { s += $3 } END { print s }' "$M/proc/zoneinfo")
	assert_equal "$zi" "$nr"
}

@test "the nodes' meminfo files add up to /proc/meminfo" {
	grab "$IMG" "$M"
	run awk '
		FILENAME ~ /node[0-9]+\/meminfo$/ { k = $3; sub(/:$/, "", k); node[k] += $4; next }
		{ k = $1; sub(/:$/, "", k); glob[k] = $2 }
		END {
			for (k in node) if (k in glob) {
				n++
				if (node[k] != glob[k]) { printf "%s: nodes %d, meminfo %d\n", k, node[k], glob[k]; bad = 1 }
			}
			printf "compared %d\n", n
			exit bad
		}' "$M"/sys/devices/system/node/node*/meminfo "$M/proc/meminfo"
	assert_success
	# MemTotal, MemFree, Active..., Slab..., HugePages_*: 30 or more in 6.18
	local n=${output##*compared }
	((n >= 30)) || fail "only $n fields shared: $output"
	# and each node's MemUsed is its MemTotal - MemFree
	run awk '$3 == "MemTotal:" { t = $4 } $3 == "MemFree:" { f = $4 } $3 == "MemUsed:" { u = $4 }
		END { exit !(u == t - f) }' "$M/sys/devices/system/node/node1/meminfo"
	assert_success
}

@test "the nodes' vmstat files add up to /proc/vmstat" {
	grab "$IMG" "$M"
	run awk '
		FILENAME ~ /node[0-9]+\/vmstat$/ { node[$1] += $2; next }
		{ glob[$1] = $2 }
		END {
			for (k in node) if (k in glob) {
				n++
				if (node[k] != glob[k]) { printf "%s: nodes %d, vmstat %d\n", k, node[k], glob[k]; bad = 1 }
			}
			printf "compared %d\n", n
			exit bad
		}' "$M"/sys/devices/system/node/node*/vmstat "$M/proc/vmstat"
	assert_success
	local n=${output##*compared }
	((n >= 20)) || fail "only $n fields shared: $output"
}

@test "pagetypeinfo's free counts per migrate type add up to buddyinfo" {
	grab "$IMG" "$M"
	run awk '
		FILENAME ~ /pagetypeinfo$/ && $1 == "Node" && $5 == "type" {
			for (i = 7; i <= NF; i++) pt[$2 $4, i - 7] += $i
			next
		}
		FILENAME ~ /buddyinfo$/ && $1 == "Node" {
			z = $2 $4 ","
			nz++
			for (i = 5; i <= NF; i++)
				if (pt[z, i - 5] != $i) { printf "%s order %d: pagetypeinfo %d, buddyinfo %d\n", z, i - 5, pt[z, i - 5], $i; bad = 1 }
		}
		END { if (nz < 4) { print "zones:", nz; bad = 1 } exit bad }' "$M/proc/pagetypeinfo" "$M/proc/buddyinfo"
	assert_success
	# the five migrate types of the issue, in the kernel's order
	run awk '$1 == "Node" && $5 == "type" && $2 == "0," && $4 == "DMA," { printf "%s ", $6 }' "$M/proc/pagetypeinfo"
	assert_output 'Unmovable Movable Reclaimable HighAtomic Isolate '
}

@test "/proc/cpuinfo, stat, uptime, loadavg and swaps fit the machine" {
	run mx "$IMG" sh -c 'grep -c ^processor /proc/cpuinfo'
	assert_output 4
	run mx "$IMG" sh -c 'grep -c "^cpu[0-9]" /proc/stat'
	assert_output 4
	run mx "$IMG" cat /proc/uptime
	assert_output --regexp '^[0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2}$'
	run mx "$IMG" cat /proc/loadavg
	assert_output --regexp '^[0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2} [0-9]+/[0-9]+ [0-9]+$'
	run mx "$IMG" cat /proc/swaps
	assert_line --index 0 --regexp '^Filename[[:space:]]+Type[[:space:]]+Size[[:space:]]+Used[[:space:]]+Priority$'
	assert_equal "${#lines[@]}" 1
}

@test "tick advances the simulated clock in /proc/uptime" {
	local u0 u1
	u0=$(mx "$IMG" cat /proc/uptime | cut -d' ' -f1)
	mmsim do "$IMG" tick 1m >/dev/null
	u1=$(mx "$IMG" cat /proc/uptime | cut -d' ' -f1)
	assert_equal "$(awk -v a="$u0" -v b="$u1" 'BEGIN { printf "%.2f", b - a }')" 60.00
}

# --- allocations ------------------------------------------------------------

@test "alloc-pages takes exactly its pages; free-pages restores buddyinfo" {
	grab "$IMG" "$M"
	local buddy0 free0 h1 h2
	buddy0=$(cat "$M/proc/buddyinfo")
	free0=$(field "$M/proc/meminfo" MemFree)
	h1=$(mmsim do "$IMG" alloc-pages 4 3)
	h2=$(mmsim do "$IMG" alloc-pages 9 2 node=1)
	grab "$IMG" "$M"
	assert_equal "$(field "$M/proc/meminfo" MemFree)" $((free0 - 3 * 16 * 4 - 2 * 512 * 4))
	assert_equal "$(buddy_kb "$M/proc/buddyinfo")" "$(field "$M/proc/meminfo" MemFree)"
	[ "$(cat "$M/proc/buddyinfo")" != "$buddy0" ]
	mmsim do "$IMG" free-pages "$h2" >/dev/null
	mmsim do "$IMG" free-pages "$h1" >/dev/null
	grab "$IMG" "$M"
	assert_equal "$(cat "$M/proc/buddyinfo")" "$buddy0"
	assert_equal "$(field "$M/proc/meminfo" MemFree)" "$free0"
}

@test "alloc-pages node=1 takes from node 1 only" {
	grab "$IMG" "$M"
	local n0 n1
	n0=$(awk '$3 == "MemFree:" { print $4 }' "$M/sys/devices/system/node/node0/meminfo")
	n1=$(awk '$3 == "MemFree:" { print $4 }' "$M/sys/devices/system/node/node1/meminfo")
	mmsim do "$IMG" alloc-pages 5 10 node=1 >/dev/null
	grab "$IMG" "$M"
	assert_equal "$(awk '$3 == "MemFree:" { print $4 }' "$M/sys/devices/system/node/node0/meminfo")" "$n0"
	assert_equal "$(awk '$3 == "MemFree:" { print $4 }' "$M/sys/devices/system/node/node1/meminfo")" $((n1 - 10 * 32 * 4))
}

@test "many small allocations and frees keep every invariant" {
	cat >"$BATS_TEST_TMPDIR/s.mmsim" <<-'EOF'
		a = alloc-pages 0 3000
		b = alloc-pages 1 500 type=reclaimable
		c = alloc-pages 3 200 zone=DMA32
		d = alloc-pages 0 1000 node=1 type=unmovable
		free-pages $b
		e = alloc-pages 10 3 type=movable
		free-pages $a
		f = alloc-pages 2 700
		free-pages $d
	EOF
	mmsim run "$IMG" "$BATS_TEST_TMPDIR/s.mmsim" >/dev/null
	grab "$IMG" "$M"
	assert_equal "$(buddy_kb "$M/proc/buddyinfo")" "$(field "$M/proc/meminfo" MemFree)"
	assert_equal $(($(awk '$1 == "nr_free_pages" { print $2 }' "$M/proc/vmstat") * 4)) "$(field "$M/proc/meminfo" MemFree)"
	run mmsim check "$IMG"
	assert_success
}

# --- permissions ------------------------------------------------------------

@test "an unprivileged writer gets EACCES (and can still read)" {
	run mx "$IMG" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
		cat /proc/sys/vm/swappiness /proc/meminfo
	assert_success
	assert_line --index 0 60
	run mx "$IMG" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
		bash -c 'echo 10 > /proc/sys/vm/swappiness'
	assert_failure
	assert_output --regexp 'Permission denied|Operation not permitted'
	run mx "$IMG" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
		sysctl -w vm.swappiness=10
	assert_failure
	run mx "$IMG" cat /proc/sys/vm/swappiness
	assert_output 60
	run mmsim log "$IMG"
	assert_output ''
}

@test "root without CAP_SYS_RAWIO gets EPERM writing mmap_min_addr" {
	run mx "$IMG" bash -c 'echo 65536 > /proc/sys/vm/mmap_min_addr'
	assert_success
	run mx "$IMG" setpriv --inh-caps=-sys_rawio --bounding-set=-sys_rawio \
		bash -c 'echo 4096 > /proc/sys/vm/mmap_min_addr'
	assert_failure
	assert_output --partial 'Operation not permitted'
	run mx "$IMG" cat /proc/sys/vm/mmap_min_addr
	assert_output 65536
}

@test "an ordinary user runs mmsim exec through a user namespace" {
	# FUSE for ordinary users needs /dev/fuse open to them (0666 on Debian;
	# some containers keep it 0600)
	if ! as_nobody sh -c 'exec 9<>/dev/fuse' 2>/dev/null; then
		skip "an ordinary user cannot open /dev/fuse here (mode $(stat -c %a /dev/fuse))"
	fi
	local d
	# outside BATS_TEST_TMPDIR, whose parents only root may enter
	d=$(mktemp -d /tmp/mmsim-user.XXXXXX)
	USERDIR=$d
	chmod 755 "$d"
	cp "$IMG" "$d/u.img"
	chown 65534:65534 "$d/u.img"
	run as_nobody env HOME=/tmp timeout 60 "$MMSIM" exec "$d/u.img" -- free -b
	assert_success
	assert_line --regexp '^Mem: +[0-9]+'
	# inside, the user is not the machine's root: writes are refused
	run as_nobody env HOME=/tmp timeout 60 "$MMSIM" exec "$d/u.img" -- sh -c 'echo 10 > /proc/sys/vm/swappiness'
	assert_failure
	assert_output --regexp 'Permission denied|Operation not permitted'
}

# --- huge pages and compaction ------------------------------------------------

@test "sysctl vm.nr_hugepages builds a real pool: MemFree falls by its size" {
	grab "$IMG" "$M"
	local free0
	free0=$(field "$M/proc/meminfo" MemFree)
	run mx "$IMG" sysctl -w vm.nr_hugepages=64
	assert_success
	grab "$IMG" "$M"
	assert_equal "$(field "$M/proc/meminfo" HugePages_Total)" 64
	assert_equal "$(field "$M/proc/meminfo" Hugetlb)" $((64 * 2048))
	assert_equal "$(field "$M/proc/meminfo" MemFree)" $((free0 - 64 * 2048))
	assert_equal "$(buddy_kb "$M/proc/buddyinfo")" "$(field "$M/proc/meminfo" MemFree)"
	# spread over both nodes
	assert_equal "$(awk '$3 == "HugePages_Total:" { s += $4 } END { print s }' \
		"$M"/sys/devices/system/node/node*/meminfo)" 64
	run mx "$IMG" sysctl -w vm.nr_hugepages=0
	assert_success
	grab "$IMG" "$M"
	assert_equal "$(field "$M/proc/meminfo" MemFree)" "$free0"
}

@test "vm.compact_memory migrates the boot's movable pages, keeping MemFree" {
	local free0
	grab "$IMG" "$M"
	free0=$(field "$M/proc/meminfo" MemFree)
	assert_equal "$(awk '$1 == "pgmigrate_success" { print $2 }' "$M/proc/vmstat")" 0
	run mx "$IMG" bash -c 'echo 1 > /proc/sys/vm/compact_memory'
	assert_success
	run mx "$IMG" bash -c 'echo 2 > /proc/sys/vm/compact_memory'
	assert_failure
	assert_output --partial "Invalid argument"
	grab "$IMG" "$M"
	(($(awk '$1 == "pgmigrate_success" { print $2 }' "$M/proc/vmstat") > 0)) ||
		fail "compaction moved no page"
	(($(awk '$1 == "compact_free_scanned" { print $2 }' "$M/proc/vmstat") > 0)) ||
		fail "the free scanner found nothing"
	assert_equal "$(field "$M/proc/meminfo" MemFree)" "$free0"
	assert_equal "$(buddy_kb "$M/proc/buddyinfo")" "$free0"
	run mmsim check "$IMG"
	assert_success
}
