// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/cpuinfo (arch/x86/kernel/cpu/proc.c): one block per CPU.  The
 * CPU itself is a fixed virtual AMD Zen 4 part; the topology (package =
 * NUMA node, cores per package) comes from the machine.
 */
#include "internal.h"

#define CPU_VENDOR "AuthenticAMD"
#define CPU_FAMILY 25
#define CPU_MODEL 17
#define CPU_MODEL_NAME "mmsim virtual CPU"
#define CPU_STEPPING 1
#define CPU_KHZ 2600000
#define CPU_CACHE_KB 1024
#define CPU_CPUID_LEVEL 16
#define CPU_TLB_4K_ENTRIES 3584
#define CPU_CLFLUSH_SIZE 64
#define CPU_PHYS_BITS 48
#define CPU_VIRT_BITS 48

static const char cpu_flags[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
	"pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt "
	"pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc "
	"cpuid extd_apicid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid "
	"sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx "
	"f16c rdrand hypervisor lahf_lm cmp_legacy cr8_legacy abm sse4a "
	"misalignsse 3dnowprefetch osvw topoext vmmcall fsgsbase tsc_adjust "
	"bmi1 avx2 smep bmi2 erms invpcid avx512f avx512dq rdseed adx smap "
	"avx512ifma clflushopt clwb avx512cd sha_ni avx512bw avx512vl "
	"xsaveopt xsavec xgetbv1 xsaves avx512_bf16 clzero xsaveerptr arat "
	"avx512vbmi umip avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni "
	"avx512_bitalg avx512_vpopcntdq rdpid fsrm";

static const char cpu_bugs[] =
	"sysret_ss_attrs null_seg spectre_v1 spectre_v2 spec_store_bypass "
	"srso spectre_v2_user";

/* The CPU's place among the CPUs of its node. */
static int core_id_in_node(const struct machine *m, int cpu)
{
	int nid = m->cpu_to_node[cpu];
	int core = 0, i;

	for (i = 0; i < cpu; i++)
		if (m->cpu_to_node[i] == nid)
			core++;
	return core;
}

static void show_cpuinfo(const struct machine *m, int cpu, struct seq_buf *s)
{
	int nid = m->cpu_to_node[cpu];
	int cores = nr_cpus_node(m, nid);
	/* BogoMIPS is twice the clock in MHz, as the TSC calibration gives. */
	unsigned long bogo_hundredths = CPU_KHZ / 5;

	seq_printf(s, "processor\t: %d\n", cpu);
	seq_printf(s, "vendor_id\t: %s\n", CPU_VENDOR);
	seq_printf(s, "cpu family\t: %d\n", CPU_FAMILY);
	seq_printf(s, "model\t\t: %d\n", CPU_MODEL);
	seq_printf(s, "model name\t: %s\n", CPU_MODEL_NAME);
	seq_printf(s, "stepping\t: %d\n", CPU_STEPPING);
	seq_printf(s, "cpu MHz\t\t: %d.%03d\n", CPU_KHZ / 1000, CPU_KHZ % 1000);
	seq_printf(s, "cache size\t: %d KB\n", CPU_CACHE_KB);
	seq_printf(s, "physical id\t: %d\n", nid);
	seq_printf(s, "siblings\t: %d\n", cores);
	seq_printf(s, "core id\t\t: %d\n", core_id_in_node(m, cpu));
	seq_printf(s, "cpu cores\t: %d\n", cores);
	seq_printf(s, "apicid\t\t: %d\n", cpu);
	seq_printf(s, "initial apicid\t: %d\n", cpu);
	seq_puts(s, "fpu\t\t: yes\n");
	seq_puts(s, "fpu_exception\t: yes\n");
	seq_printf(s, "cpuid level\t: %d\n", CPU_CPUID_LEVEL);
	seq_puts(s, "wp\t\t: yes\n");
	seq_printf(s, "flags\t\t: %s\n", cpu_flags);
	seq_printf(s, "bugs\t\t: %s\n", cpu_bugs);
	seq_printf(s, "bogomips\t: %lu.%02lu\n", bogo_hundredths / 100,
		   bogo_hundredths % 100);
	seq_printf(s, "TLB size\t: %d 4K pages\n", CPU_TLB_4K_ENTRIES);
	seq_printf(s, "clflush size\t: %d\n", CPU_CLFLUSH_SIZE);
	seq_printf(s, "cache_alignment\t: %d\n", CPU_CLFLUSH_SIZE);
	seq_printf(s, "address sizes\t: %d bits physical, %d bits virtual\n",
		   CPU_PHYS_BITS, CPU_VIRT_BITS);
	/* No power management features; a blank line ends the block. */
	seq_puts(s, "power management:\n\n");
}

int cpuinfo_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	int cpu;

	for (cpu = 0; cpu < ctx->m->nr_cpu_ids; cpu++)
		show_cpuinfo(ctx->m, cpu, s);
	return 0;
}
