/* Patch ids with git's equality (see patchid.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "measure/patchid.h"
#include "measure/lines.h"

/* git's isspace() for remove_space(): space, tab, LF, CR. */
static int git_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/*
 * What git's header-only patch id holds for one file: the path without
 * whitespace, and "new"/"deleted" with the mode or both modes when they
 * differ. Summed over files so the order of the walk does not matter.
 */
static int header_change(const fm_tree_change *c, void *payload)
{
	uint64_t *sum = payload, h = 0xcbf29ce484222325ULL;
	uint32_t modes[3] = {0, 0, 0};
	size_t i;

	for (i = 0; i < c->pathlen; i++)
		if (!git_space(c->path[i]))
			h = fnv1a(h, &c->path[i], 1);
	if (!c->old_mode) {
		modes[0] = 1;
		modes[1] = c->new_mode;
	} else if (!c->new_mode) {
		modes[0] = 2;
		modes[1] = c->old_mode;
	} else if (c->old_mode != c->new_mode) {
		modes[0] = 3;
		modes[1] = c->old_mode;
		modes[2] = c->new_mode;
	}
	h = fnv1a(h, modes, sizeof(modes));
	*sum += mix64(h);
	return 0;
}

int fm_patch_header_id(git_repository *repo, const git_oid *old_tree,
		       const git_oid *new_tree, uint64_t *out)
{
	uint64_t sum = 0;
	int rc = fm_tree_diff(repo, old_tree, new_tree, header_change, &sum);

	*out = sum;
	return rc;
}

static int put_nospace(fm_buf *b, const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i == n || git_space(s[i])) {
			if (i > start &&
			    fm_buf_put(b, s + start, i - start) < 0)
				return -1;
			start = i + 1;
		}
	}
	return 0;
}

struct full {
	git_repository *repo;
	fm_buf text;
};

static int full_lines(struct full *f, git_patch *patch)
{
	size_t h, l, nh = git_patch_num_hunks(patch);

	for (h = 0; h < nh; h++) {
		int nl = git_patch_num_lines_in_hunk(patch, h);

		for (l = 0; nl > 0 && l < (size_t)nl; l++) {
			const git_diff_line *line;
			char origin;
			int rc = git_patch_get_line_in_hunk(&line, patch, h, l);

			if (rc < 0)
				return rc;
			origin = line->origin;
			/* "\ No newline at end of file" is not hashed. */
			if (origin != '+' && origin != '-' && origin != ' ')
				continue;
			if (origin != ' ' && fm_buf_putc(&f->text, origin) < 0)
				return GIT_ERROR;
			if (put_nospace(&f->text, line->content,
					line->content_len) < 0)
				return GIT_ERROR;
		}
	}
	return 0;
}

/*
 * The information git's diff_get_patch_id() hashes for one file, in an
 * equivalent form: path, mode lines, then the blob ids for a binary file or
 * the diff lines (3 lines of context) without whitespace.
 */
static int full_change(const fm_tree_change *c, void *payload)
{
	struct full *f = payload;
	git_diff_options opts;
	git_patch *patch = NULL;
	fm_side_data a, b;
	int rc;

	if (fm_buf_put(&f->text, "\ndiff:", 6) < 0 ||
	    put_nospace(&f->text, c->path, c->pathlen) < 0)
		return GIT_ERROR;
	if (!c->old_mode)
		rc = fm_buf_printf(&f->text, "\nnew%06o",
				   (unsigned)c->new_mode);
	else if (!c->new_mode)
		rc = fm_buf_printf(&f->text, "\ndeleted%06o",
				   (unsigned)c->old_mode);
	else if (c->old_mode != c->new_mode)
		rc = fm_buf_printf(&f->text, "\nold%06o",
				   (unsigned)c->old_mode) |
		     fm_buf_printf(&f->text, "\nnew%06o",
				   (unsigned)c->new_mode);
	else
		rc = 0;
	if (rc < 0 || fm_buf_put(&f->text, "\n", 1) < 0)
		return GIT_ERROR;
	if ((rc = fm_side_load(f->repo, c->old_oid, c->old_mode, &a)) < 0)
		return rc;
	if ((rc = fm_side_load(f->repo, c->new_oid, c->new_mode, &b)) < 0) {
		fm_side_free(&a);
		return rc;
	}
	if (fm_buffer_is_binary(a.data, a.len) ||
	    fm_buffer_is_binary(b.data, b.len)) {
		char hex[2 * GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, GIT_OID_HEXSZ + 1, c->old_oid);
		git_oid_tostr(hex + GIT_OID_HEXSZ, GIT_OID_HEXSZ + 1,
			      c->new_oid);
		rc = fm_buf_put(&f->text, hex, 2 * GIT_OID_HEXSZ);
	} else {
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		opts.flags = GIT_DIFF_FORCE_TEXT;
		opts.context_lines = 3;
		rc = git_patch_from_buffers(&patch, a.data, a.len, NULL, b.data,
					    b.len, NULL, &opts);
		if (rc == 0)
			rc = full_lines(f, patch);
		git_patch_free(patch);
	}
	fm_side_free(&a);
	fm_side_free(&b);
	return rc;
}

int fm_patch_full_id(git_repository *repo, const git_oid *old_tree,
		     const git_oid *new_tree, git_oid *out)
{
	struct full f = {repo, FM_BUF_INIT};
	int rc = fm_tree_diff(repo, old_tree, new_tree, full_change, &f);

	if (rc == 0)
		rc = git_odb_hash(out, fm_buf_str(&f.text), f.text.len,
				  GIT_OBJECT_BLOB);
	fm_buf_clear(&f.text);
	return rc;
}
