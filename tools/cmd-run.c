// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim run IMAGE SCRIPT: apply a scenario script, one operation a line.
 *
 *   # a comment (a '#' that starts a word starts a comment)
 *   redis = spawn redis-server        bind the result (trimmed) to a name
 *   heap = mmap $redis 4G populate    use it: $NAME or ${NAME}
 *
 * The whole script is read and checked first (syntax, names bound before
 * use, operations well formed where they do not depend on a result), so a
 * typo on line 50 applies nothing.  Then each line is applied and
 * committed in turn; the first that fails stops the run, with the lines
 * before it applied.
 *
 * mmsim play (cmd-play.c) shares all of this through script_load() and
 * script_apply(), which hand each line to a function of its choosing.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-common.h"
#include "image.h"
#include "ops.h"
#include "seq_buf.h"

struct var {
	char *name;
	char *value; /* NULL until bound, in the checking pass */
};

struct script {
	const char *name; /* for messages */
	char **lines;
	size_t nr_lines;
	struct var *vars;
	size_t nr_vars;
};

/* One line taken apart: "NAME = OP" or "OP"; both NULL for a blank line. */
struct stmt {
	char *bind;
	char *op; /* words joined by single spaces */
};

static int is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

static int read_script(const char *path, struct script *s)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, **lines;
	size_t cap = 0, size = 0;
	ssize_t n;
	int ret = 0;

	if (!f)
		return -errno;
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (s->nr_lines == size) {
			size = size ? 2 * size : 64;
			lines = realloc(s->lines, size * sizeof(*lines));
			if (!lines) {
				ret = -ENOMEM;
				break;
			}
			s->lines = lines;
		}
		s->lines[s->nr_lines++] = line;
		line = NULL;
		cap = 0;
	}
	if (!ret && ferror(f))
		ret = -EIO;
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

/* Cut the comment, find a binding, and normalise the spaces. */
static int parse_stmt(const char *raw, struct stmt *st, struct seq_buf *why)
{
	const char *p = raw, *name, *word;
	struct seq_buf op;
	size_t name_len = 0;

	memset(st, 0, sizeof(*st));
	while (isspace((unsigned char)*p))
		p++;
	if (!*p || *p == '#')
		return 0;
	/* "NAME =": no operation starts with a word followed by '='. */
	name = p;
	if (is_ident_start((unsigned char)*p)) {
		while (is_ident((unsigned char)*p))
			p++;
		name_len = (size_t)(p - name);
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '=') {
			p++;
		} else {
			p = name;
			name_len = 0;
		}
	}

	seq_buf_init(&op);
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		word = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (op.len)
			seq_putc(&op, ' ');
		seq_write(&op, word, (size_t)(p - word));
	}
	if (seq_buf_error(&op)) {
		seq_buf_free(&op);
		return -ENOMEM;
	}
	if (name_len && !op.len) {
		seq_printf(why, "nothing to bind to %.*s", (int)name_len, name);
		seq_buf_free(&op);
		return -EINVAL;
	}
	if (name_len) {
		st->bind = strndup(name, name_len);
		if (!st->bind) {
			seq_buf_free(&op);
			return -ENOMEM;
		}
	}
	st->op = seq_buf_detach(&op, NULL);
	return 0;
}

static struct var *find_var(struct script *s, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < s->nr_vars; i++)
		if (strlen(s->vars[i].name) == len &&
		    !strncmp(s->vars[i].name, name, len))
			return &s->vars[i];
	return NULL;
}

static int set_var(struct script *s, const char *name, const char *value)
{
	struct var *v = find_var(s, name, strlen(name)), *vars;
	char *copy = NULL;

	if (value) {
		copy = strdup(value);
		if (!copy)
			return -ENOMEM;
	}
	if (v) {
		free(v->value);
		v->value = copy;
		return 0;
	}
	vars = realloc(s->vars, (s->nr_vars + 1) * sizeof(*vars));
	if (!vars)
		goto nomem;
	s->vars = vars;
	v = &s->vars[s->nr_vars];
	v->name = strdup(name);
	if (!v->name)
		goto nomem;
	v->value = copy;
	s->nr_vars++;
	return 0;
nomem:
	free(copy);
	return -ENOMEM;
}

/*
 * Replace $NAME and ${NAME} in @op.  With @out NULL only check that every
 * name is bound (the checking pass); *@dollar says whether any were used.
 */
static int substitute(struct script *s, const char *op, struct seq_buf *out,
		      int *dollar, struct seq_buf *why)
{
	const char *p = op, *name;
	struct var *v;
	size_t len;
	int brace;

	*dollar = 0;
	while (*p) {
		brace = p[0] == '$' && p[1] == '{';
		name = p + 1 + brace;
		if (p[0] != '$' || !is_ident_start((unsigned char)*name)) {
			if (out)
				seq_putc(out, *p);
			p++;
			continue;
		}
		for (len = 0; is_ident((unsigned char)name[len]); len++)
			;
		if (brace && name[len] != '}') {
			seq_printf(why, "unterminated ${%.*s", (int)len, name);
			return -EINVAL;
		}
		v = find_var(s, name, len);
		if (!v) {
			seq_printf(why, "unknown variable $%.*s", (int)len,
				   name);
			return -EINVAL;
		}
		*dollar = 1;
		if (out)
			seq_puts(out, v->value ? v->value : "");
		p = name + len + brace;
	}
	return out ? seq_buf_error(out) : 0;
}

static int script_error(const struct script *s, size_t i,
			const struct seq_buf *why, int ret)
{
	size_t len = why->len ? strcspn(why->buf, "\n") : 0;

	if (len)
		mmsim_error("%s:%zu: %.*s", s->name, i + 1, (int)len, why->buf);
	else
		mmsim_error("%s:%zu: %s", s->name, i + 1, strerror(-ret));
	return 1;
}

/* The checking pass: nothing is applied. */
static int check_script(struct script *s)
{
	struct seq_buf why;
	struct stmt st;
	size_t i;
	int dollar, ret = 0;

	seq_buf_init(&why);
	for (i = 0; i < s->nr_lines && !ret; i++) {
		ret = parse_stmt(s->lines[i], &st, &why);
		if (!ret && st.op)
			ret = substitute(s, st.op, NULL, &dollar, &why);
		if (!ret && st.op && !dollar)
			ret = op_validate(st.op, &why);
		if (!ret && st.bind)
			ret = set_var(s, st.bind, NULL);
		if (ret)
			script_error(s, i, &why, ret);
		free(st.bind);
		free(st.op);
	}
	seq_buf_free(&why);
	return ret;
}

static char *trim(char *str)
{
	char *end = str + strlen(str);

	while (isspace((unsigned char)*str))
		str++;
	while (end > str && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return str;
}

static void print_result(const struct seq_buf *result)
{
	if (!result->len)
		return;
	fwrite(result->buf, 1, result->len, stdout);
	if (result->buf[result->len - 1] != '\n')
		putchar('\n');
}

int script_apply(struct script *s, struct image *img,
		 int (*apply)(struct image *img, const char *line,
			      struct seq_buf *result, struct seq_buf *err,
			      void *arg),
		 void *arg)
{
	struct seq_buf line, result, why;
	struct stmt st;
	size_t i;
	int dollar, ret = 0;

	seq_buf_init(&line);
	seq_buf_init(&result);
	seq_buf_init(&why);
	for (i = 0; i < s->nr_lines && !ret; i++) {
		seq_buf_reset(&line);
		seq_buf_reset(&result);
		ret = parse_stmt(s->lines[i], &st, &why);
		if (ret || !st.op)
			goto next;
		ret = substitute(s, st.op, &line, &dollar, &why);
		if (ret)
			goto next;
		if (apply)
			ret = apply(img, line.buf, &result, &why, arg);
		else
			ret = image_apply(img, line.buf, &result, &why);
		if (ret)
			goto next;
		if (!st.bind) {
			print_result(&result);
		} else if (!*trim(result.buf ? result.buf : (char *)"")) {
			seq_printf(&why,
				   "'%s' has no result to bind to %s (it was "
				   "applied)",
				   line.buf, st.bind);
			ret = -EINVAL;
		} else {
			ret = set_var(s, st.bind, trim(result.buf));
		}
	next:
		if (ret)
			script_error(s, i, &why, ret);
		free(st.bind);
		free(st.op);
	}
	seq_buf_free(&line);
	seq_buf_free(&result);
	seq_buf_free(&why);
	return ret;
}

static void clear_vars(struct script *s)
{
	size_t i;

	for (i = 0; i < s->nr_vars; i++) {
		free(s->vars[i].name);
		free(s->vars[i].value);
	}
	s->nr_vars = 0;
}

void script_free(struct script *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nr_lines; i++)
		free(s->lines[i]);
	free(s->lines);
	clear_vars(s);
	free(s->vars);
	free(s);
}

int script_load(const char *cmd, const char *path, struct script **out)
{
	struct script *s;
	int ret;

	s = calloc(1, sizeof(*s));
	if (!s) {
		mmsim_error("%s: %s", cmd, strerror(ENOMEM));
		return -ENOMEM;
	}
	s->name = strcmp(path, "-") ? path : "<stdin>";
	ret = read_script(path, s);
	if (ret) {
		mmsim_error("%s: %s: %s", cmd, s->name, strerror(-ret));
		goto fail;
	}
	ret = check_script(s);
	if (ret)
		goto fail;
	clear_vars(s);
	*out = s;
	return 0;
fail:
	script_free(s);
	return ret;
}

int cmd_run(int argc, const char **argv)
{
	struct script *s = NULL;
	struct mmsim_args a;
	struct image *img;
	struct seq_buf err;
	int ret;

	ret = mmsim_parse("run", argc, argv, NULL, 0, 2, 2, &a);
	if (ret >= 0)
		return ret;
	seq_buf_init(&err);
	if (script_load("run", a.argv[1], &s)) {
		ret = 1;
		goto out;
	}
	ret = image_open(a.argv[0], IMAGE_RDWR, &img, &err);
	if (ret) {
		ret = mmsim_fail("run", &err, ret);
		goto out;
	}
	ret = script_apply(s, img, NULL, NULL) ? 1 : 0;
	image_close(img);
out:
	script_free(s);
	seq_buf_free(&err);
	mmsim_args_free(&a);
	return ret;
}
