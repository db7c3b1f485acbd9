/* SPDX-License-Identifier: GPL-2.0 */
/* Memory compaction: what vm.compact_memory and nodeN/compact start. */
#ifndef MMSIM_COMPACTION_H
#define MMSIM_COMPACTION_H

struct machine;

void compact_node(struct machine *m, int nid);
void compact_nodes(struct machine *m);

#endif
