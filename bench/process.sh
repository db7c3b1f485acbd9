#!/bin/sh
# bench/process.sh [DIR]: figures for the process model, and the real
# kernel's for comparison.
#
#   DIR/bench_fault   the simulator through op_apply(): simulated page
#                     faults per second (4 GiB written), fork of a 4 GiB
#                     process, TLB references per second, invariant check
#   DIR/real_faults   this host's kernel: minor faults per second (1 GiB
#                     written, THP off for that mapping only)
#
# DIR defaults to ./bench (where `make` builds them).  Prints the programs'
# lines, then how the simulated fault rate compares with the real one.
set -eu

DIR=${1:-${BENCHDIR:-./bench}}
for prog in bench_fault real_faults; do
	[ -x "$DIR/$prog" ] || {
		echo "bench: no $prog in $DIR (make bench/$prog first, or pass its directory)" >&2
		exit 1
	}
done

out=$(mktemp)
trap 'rm -f "$out" "$out.1"' EXIT INT TERM

# each program's lines as it finishes; a failing one stops the script
for prog in bench_fault real_faults; do
	"$DIR/$prog" >"$out.1"
	cat "$out.1"
	cat "$out.1" >>"$out"
done

# rate PREFIX: the number after "PREFIX: " in the output
rate() { sed -n "s/^$1: \([0-9][0-9]*\).*/\1/p" "$out"; }
sim=$(rate 'simulated page faults per second (4 GiB, write)')
real=$(rate 'real kernel page faults per second (1 GiB, write)')
if [ -n "$sim" ] && [ -n "$real" ] && [ "$real" -gt 0 ]; then
	awk -v s="$sim" -v r="$real" 'BEGIN {
		printf "simulated / real fault rate: %.2f\n", s / r
	}'
fi
