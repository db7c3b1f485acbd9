// SPDX-License-Identifier: GPL-2.0
/*
 * proc/sys/ (fs/proc/proc_sysctl.c): directories and files made from the
 * sysctl table.  Paths here are relative to proc/sys ("vm/swappiness",
 * "vm", "" for proc/sys itself).  Reads go to the knob's handler; a write
 * becomes a "sysctl KEY=VALUE" operation that the handler validates when
 * it is applied.
 */
#include <errno.h>
#include <linux/capability.h>
#include <string.h>

#include "internal.h"

/* The longest write taken; the kernel's handlers read at most a page. */
#define SYSCTL_WRITE_MAX 4000

/*
 * The name of the entry of directory @dir that leads to @path, if @path
 * is below @dir: "vm" for ("", "vm/swappiness").  0 and the name's
 * length in *@len, or -ENOENT.
 */
static int child_name(const char *dir, const char *path, const char **name,
		      size_t *len)
{
	size_t dlen = strlen(dir);
	const char *slash;

	if (dlen) {
		if (strncmp(path, dir, dlen) || path[dlen] != '/')
			return -ENOENT;
		path += dlen + 1;
	}
	slash = strchr(path, '/');
	*name = path;
	*len = slash ? (size_t)(slash - path) : strlen(path);
	return 0;
}

/* Whether the table entry with index @i is the first to lead to @name. */
static int first_to_child(const char *dir, size_t i, const char *name,
			  size_t len)
{
	const struct ctl_entry *e;
	const char *other;
	size_t j, olen;

	for (j = 0; j < i; j++) {
		e = sysctl_entry(j);
		if (child_name(dir, e->path, &other, &olen))
			continue;
		if (olen == len && !memcmp(other, name, len))
			return 0;
	}
	return 1;
}

static int sysctl_dir_exists(const char *rel)
{
	return !*rel || sysctl_is_dir(rel);
}

static int sysctl_write_cap(enum sysctl_cap cap)
{
	switch (cap) {
	case SYSCTL_CAP_SYS_ADMIN:
		return CAP_SYS_ADMIN;
	case SYSCTL_CAP_SYS_RAWIO:
		return CAP_SYS_RAWIO;
	case SYSCTL_CAP_NONE:
		break;
	}
	return -1;
}

/* proc_sys inodes: directories 0555 with one link, files by the table. */
int sysctl_pfs_getattr(const struct machine *m __maybe_unused, const char *rel,
		       struct pfs_stat *st)
{
	const struct ctl_entry *e;

	memset(st, 0, sizeof(*st));
	st->write_cap = -1;
	st->nlink = 1;
	if (sysctl_dir_exists(rel)) {
		st->type = PFS_DIR;
		st->mode = 0555;
		return 0;
	}
	e = sysctl_lookup(rel);
	if (!e)
		return -ENOENT;
	st->type = PFS_FILE;
	st->mode = e->mode;
	st->write_cap = sysctl_write_cap(e->cap);
	return 0;
}

int sysctl_pfs_readdir(const struct machine *m, const char *rel,
		       pfs_fill_fn fill, void *ctx)
{
	char child[256];
	const struct ctl_entry *e;
	struct pfs_stat st;
	const char *name;
	size_t i, len, end;
	int err;

	if (!sysctl_dir_exists(rel))
		return sysctl_lookup(rel) ? -ENOTDIR : -ENOENT;
	for (i = 0; (e = sysctl_entry(i)); i++) {
		if (child_name(rel, e->path, &name, &len))
			continue;
		if (!first_to_child(rel, i, name, len))
			continue;
		/* The child's path below proc/sys, for its attributes. */
		end = (size_t)(name - e->path) + len;
		if (end >= sizeof(child))
			continue;
		memcpy(child, e->path, end);
		child[end] = '\0';
		err = sysctl_pfs_getattr(m, child, &st);
		if (err)
			return err;
		err = fill(ctx, child + (name - e->path), &st);
		if (err)
			return err;
	}
	return 0;
}

int sysctl_pfs_render(const struct machine *m, const char *rel,
		      struct seq_buf *out)
{
	if (sysctl_dir_exists(rel))
		return -EISDIR;
	if (!sysctl_lookup(rel))
		return -ENOENT;
	return sysctl_read(m, rel, out);
}

/* The blanks of isspace() in the C locale. */
static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

/*
 * The value as one journal line: the handlers skip blanks between
 * numbers, so line breaks and tabs become spaces and trailing blanks go.
 */
static void append_sysctl_value(struct seq_buf *op_line, const char *buf,
				size_t len)
{
	size_t i;

	while (len && is_blank(buf[len - 1]))
		len--;
	for (i = 0; i < len; i++)
		seq_putc(op_line, is_blank(buf[i]) ? ' ' : buf[i]);
}

int sysctl_pfs_write_op(const struct machine *m __maybe_unused, const char *rel,
			const char *buf, size_t len, struct seq_buf *op_line)
{
	const struct ctl_entry *e;
	size_t i;

	if (sysctl_dir_exists(rel))
		return -EISDIR;
	e = sysctl_lookup(rel);
	if (!e)
		return -ENOENT;
	/* proc_sys_permission(): the owner bits are what root gets. */
	if (!(e->mode & 0200))
		return -EACCES;
	if (len > SYSCTL_WRITE_MAX || (len && memchr(buf, '\0', len)))
		return -EINVAL;

	seq_puts(op_line, "sysctl ");
	for (i = 0; rel[i]; i++)
		seq_putc(op_line, rel[i] == '/' ? '.' : rel[i]);
	seq_putc(op_line, '=');
	append_sysctl_value(op_line, buf, len);
	return 0;
}
