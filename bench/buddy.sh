#!/bin/sh
# bench/buddy.sh [MMSIM]: figures for the buddy allocator and the image.
#
#   buddy allocations and frees per second (through `mmsim run`: each
#   operation is parsed, applied and journaled; the open is subtracted)
#   create and open (`mmsim info`) times and file sizes for a 64 GiB and a
#   1 TiB machine
#
# Prints plain lines "name: value unit".  Uses only the mmsim binary.
set -eu

MMSIM=${1:-${MMSIM:-./mmsim}}
case $MMSIM in */*) MMSIM=$(cd "$(dirname "$MMSIM")" && pwd)/$(basename "$MMSIM") ;; esac
[ -x "$MMSIM" ] || { echo "bench: no mmsim at $MMSIM (build first, or pass its path)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

now() { date +%s%N; }

# ms START END: elapsed milliseconds, with 3 decimals
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e6 }'; }

# best3 CMD...: the fastest of 3 runs, in ns (prints nothing else)
best3() {
	best=
	for _ in 1 2 3; do
		t0=$(now)
		"$@" >/dev/null
		t1=$(now)
		d=$((t1 - t0))
		if [ -z "$best" ] || [ "$d" -lt "$best" ]; then best=$d; fi
	done
	echo "$best"
}

rate() { awk -v n="$1" -v ns="$2" 'BEGIN { if (ns <= 0) ns = 1; printf "%.0f", n / (ns / 1e9) }'; }

# --- create and open -------------------------------------------------------
for mem in 64G 1T; do
	img=$tmp/m-$mem.img
	create_ns=$(best3 "$MMSIM" create "$img" --mem "$mem" --force)
	open_ns=$(best3 "$MMSIM" info "$img")
	check_ns=$(best3 "$MMSIM" check "$img")
	echo "create_${mem}: $(ms 0 "$create_ns") ms"
	echo "open_${mem}: $(ms 0 "$open_ns") ms"
	echo "check_${mem}: $(ms 0 "$check_ns") ms"
	echo "size_${mem}: $(stat -c %s "$img") bytes"
done

# --- buddy allocations and frees ----------------------------------------------
# A 64 GiB machine; NOPS operations of COUNT blocks of one order, then the
# same blocks freed.  Times are of `mmsim run`, less the time to open.
base=$tmp/m-64G.img
open_ns=$(best3 "$MMSIM" info "$base")

bench_order() {
	order=$1 count=$2 nops=$3
	allocs=$tmp/allocs-$order.mmsim
	both=$tmp/both-$order.mmsim
	: >"$allocs"
	i=0
	while [ "$i" -lt "$nops" ]; do
		echo "h$i = alloc-pages $order $count" >>"$allocs"
		i=$((i + 1))
	done
	cp "$allocs" "$both"
	i=0
	while [ "$i" -lt "$nops" ]; do
		echo "free-pages \$h$i" >>"$both"
		i=$((i + 1))
	done

	# the fastest of 3 runs, each on a fresh copy of the machine
	a_best= b_best=
	for _ in 1 2 3; do
		cp "$base" "$tmp/a.img"
		t0=$(now); "$MMSIM" run "$tmp/a.img" "$allocs" >/dev/null; t1=$(now)
		if [ -z "$a_best" ] || [ $((t1 - t0)) -lt "$a_best" ]; then a_best=$((t1 - t0)); fi
		cp "$base" "$tmp/b.img"
		t0=$(now); "$MMSIM" run "$tmp/b.img" "$both" >/dev/null; t1=$(now)
		if [ -z "$b_best" ] || [ $((t1 - t0)) -lt "$b_best" ]; then b_best=$((t1 - t0)); fi
	done
	alloc_ns=$((a_best - open_ns))
	[ "$alloc_ns" -gt 0 ] || alloc_ns=1
	free_ns=$((b_best - a_best))
	[ "$free_ns" -gt 0 ] || free_ns=1

	blocks=$((nops * count))
	echo "alloc_order${order}_blocks_per_s: $(rate "$blocks" "$alloc_ns") blocks/s"
	echo "alloc_order${order}_pages_per_s: $(rate $((blocks << order)) "$alloc_ns") pages/s"
	echo "free_order${order}_blocks_per_s: $(rate "$blocks" "$free_ns") blocks/s"
	echo "alloc_order${order}_ops_per_s: $(rate "$nops" "$alloc_ns") ops/s"
	echo "free_order${order}_ops_per_s: $(rate "$nops" "$free_ns") ops/s"
	echo "image_after_order${order}: $(stat -c %s "$tmp/b.img") bytes"
}

bench_order 0 1024 200
bench_order 3 256 200
bench_order 9 8 100
