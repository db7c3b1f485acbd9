#!/bin/sh
# bench/pressure.sh [MMSIM]: how long memory pressure takes to simulate,
# through the mmsim command (journal fsyncs included):
#   - direct reclaim: 1.2 GiB of anonymous memory written on a 2 GiB
#     machine whose page cache holds 1.5 GiB;
#   - the OOM scenario of issue 5: three processes of 0.5, 1 and 1.5 GiB
#     on 4 GiB without swap, and a fourth that writes 1 GiB;
#   - a 10 GiB swap-out: 14 GiB written on an 4 GiB machine with 12 GiB
#     of swap, then read back (swap-in major faults).
# MMSIM defaults to ./mmsim.
set -eu

MMSIM=${1:-./mmsim}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM

now_ms() {
	date +%s%3N
}

# run_timed LABEL IMAGE: the scenario on stdin, its wall time printed
run_timed() {
	t0=$(now_ms)
	"$MMSIM" run "$2" - >/dev/null
	t1=$(now_ms)
	printf '%-58s %6d ms\n' "$1" $((t1 - t0))
}

"$MMSIM" create "$dir/r.img" --mem 2G
"$MMSIM" run "$dir/r.img" - >/dev/null <<'S'
file create /data/big 1500M
file read /data/big
S
run_timed "direct reclaim: 1.2 GiB written over 1.5 GiB of cache" \
	"$dir/r.img" <<'S'
p = spawn app
a = mmap $p 1200M
touch $p $a 1200M write
S

"$MMSIM" create "$dir/o.img" --mem 4G
run_timed "OOM scenario: 0.5+1+1.5 GiB, then 1 GiB more (one kill)" \
	"$dir/o.img" <<'S'
a = spawn small
am = mmap $a 512M
touch $a $am 512M write
b = spawn medium
bm = mmap $b 1G
touch $b $bm 1G write
c = spawn large
cm = mmap $c 1536M
touch $c $cm 1536M write
d = spawn hog
dm = mmap $d 1G
touch $d $dm 1G write
S
"$MMSIM" exec "$dir/o.img" -- grep -E '^(oom_kill|pgsteal_direct|allocstall_normal) ' /proc/vmstat

"$MMSIM" create "$dir/s.img" --mem 4G --swap 12G
pid=$("$MMSIM" do "$dir/s.img" spawn big)
addr=$("$MMSIM" do "$dir/s.img" mmap "$pid" 14G)
run_timed "swap-out: 14 GiB written on 4 GiB RAM (10 GiB to swap)" \
	"$dir/s.img" <<S
touch $pid $addr 14G write
S
run_timed "swap-in: the same 14 GiB read back" "$dir/s.img" <<S
touch $pid $addr 14G read
S
"$MMSIM" exec "$dir/s.img" -- grep -E '^(pswpin|pswpout|pgmajfault|swap_ra|swap_ra_hit) ' /proc/vmstat
