/*
 * The forge-independent part of discovery (crawler/forge/forge*.c) with a
 * fake forge: an ops table whose GET answers from a table of pages, no
 * network. What any forge plugged into the seam gets: pages walked in
 * order until the forge says there is no next one, the top N of a listing,
 * forks of forks, branch selection, and rows with errors for listings
 * that fail.
 *
 * A fake page is text, one entry a line: "owner/repo STARS FORKS" (forks
 * lists), "owner/repo CLONE_URL BRANCH STARS FORKS" (a repository) or a
 * branch name (branches lists); "!" anywhere makes the page malformed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "forge/forge_internal.h"

struct page {
	const char *url;
	const char *body; /* NULL: the GET fails with rc */
	const char *next; /* the URL the forge says comes next */
	int rc;
};

static const struct page *pages;
static char requested[32][128];
static size_t nrequested;

static int fake_get(fm_forge *forge, fm_http_conn *conn, fm_ctx *ctx,
		    const char *url, fm_http_resp *resp, fm_http_err *err)
{
	const struct page *p;

	(void)forge;
	(void)conn;
	(void)ctx;
	memset(resp, 0, sizeof(*resp));
	if (nrequested < 32)
		snprintf(requested[nrequested++], 128, "%s", url);
	for (p = pages; p->url; p++)
		if (strcmp(p->url, url) == 0)
			break;
	if (!p->url || !p->body) {
		err->code = p->url ? p->rc : FM_ENOTFOUND;
		err->status = 0;
		snprintf(err->msg, sizeof(err->msg), "GET %s: %s", url,
			 p->url ? "failed" : "404 Not Found");
		return err->code;
	}
	resp->status = 200;
	resp->body = strdup(p->body);
	resp->len = strlen(p->body);
	resp->url = strdup(url);
	resp->link = p->next ? strdup(p->next) : NULL;
	assert_non_null(resp->body);
	assert_non_null(resp->url);
	return 0;
}

static int fake_name_ok(const char *s)
{
	return strchr(s, '/') != NULL && !strchr(s, ' ');
}

static char *fake_repo_url(const char *name)
{
	return fm_forge_strdupf("/r/%s", name);
}

static char *fake_forks_url(const char *name)
{
	return fm_forge_strdupf("/f/%s", name);
}

static char *fake_branches_url(const char *name)
{
	return fm_forge_strdupf("/b/%s", name);
}

static int fake_next(const fm_http_resp *resp, char **out)
{
	*out = resp->link ? strdup(resp->link) : NULL;
	return resp->link && !*out ? FM_ENOMEM : 0;
}

/* Each line of the page to line(), which hands it to each. */
static int each_line(const fm_forge_page *page, char **why,
		     int (*line)(char *s, fm_forge_item_fn each, void *payload),
		     fm_forge_item_fn each, void *payload)
{
	char *text, *s, *save = NULL;
	int rc = 0;

	if (strchr(page->resp->body, '!')) {
		*why = fm_forge_strdupf("malformed page from GET %s",
					page->shown);
		return FM_EJSON;
	}
	text = strdup(page->resp->body);
	assert_non_null(text);
	for (s = strtok_r(text, "\n", &save); s;
	     s = strtok_r(NULL, "\n", &save)) {
		int r = line(s, each, payload);

		if (r <= 0) {
			rc = r < 0 ? FM_ENOMEM : 0;
			break;
		}
	}
	free(text);
	return rc;
}

static int repo_line(char *s, fm_forge_item_fn each, void *payload)
{
	char name[64], url[128], branch[64];
	fm_forge_entry e;

	memset(&e, 0, sizeof(e));
	assert_int_equal(sscanf(s, "%63s %127s %63s %ld %ld", name, url, branch,
				&e.stars, &e.forks_count),
			 5);
	e.full_name = name;
	e.clone_url = url;
	e.default_branch = branch;
	return each(&e, payload);
}

static int fork_line(char *s, fm_forge_item_fn each, void *payload)
{
	char name[64], url[128];
	fm_forge_entry e;

	memset(&e, 0, sizeof(e));
	assert_int_equal(
		sscanf(s, "%63s %ld %ld", name, &e.stars, &e.forks_count), 3);
	snprintf(url, sizeof(url), "https://fake.invalid/%s.git", name);
	e.full_name = name;
	e.clone_url = url;
	e.default_branch = "main";
	return each(&e, payload);
}

static int branch_line(char *s, fm_forge_item_fn each, void *payload)
{
	return each(s, payload);
}

static int fake_parse_repo(const fm_forge_page *page, fm_forge_item_fn each,
			   void *payload, char **why)
{
	return each_line(page, why, repo_line, each, payload);
}

static int fake_parse_forks(const fm_forge_page *page, fm_forge_item_fn each,
			    void *payload, char **why)
{
	return each_line(page, why, fork_line, each, payload);
}

static int fake_parse_branches(const fm_forge_page *page, fm_forge_item_fn each,
			       void *payload, char **why)
{
	return each_line(page, why, branch_line, each, payload);
}

static const struct fm_forge_ops fake_ops = {
	.name = "fake",
	.title = "Fake",
	.source = FM_SOURCE_GITHUB,
	.default_api = "http://fake.invalid",
	.name_ok = fake_name_ok,
	.repo_url = fake_repo_url,
	.forks_url = fake_forks_url,
	.branches_url = fake_branches_url,
	.next_page = fake_next,
	.parse_repo = fake_parse_repo,
	.parse_forks = fake_parse_forks,
	.parse_branches = fake_parse_branches,
	.get = fake_get,
};

#define UP "/r/up/p", "up/p https://fake.invalid/up/p.git master 9 5\n", NULL, 0

struct run {
	fm_ctx *ctx;
	fm_forge *forge;
	fm_fork_list forks;
	int rc;
};

static void discover(struct run *r, const struct page *table, int top,
		     int depth, const char *branches)
{
	fm_forge_discover_opts dopts = FM_FORGE_DISCOVER_OPTS_INIT;

	pages = table;
	nrequested = 0;
	memset(r, 0, sizeof(*r));
	assert_int_equal(fm_ctx_new(&r->ctx), 0);
	assert_int_equal(fm_forge_new_ops(r->ctx, &fake_ops, NULL, &r->forge),
			 0);
	dopts.top = top;
	dopts.depth = depth;
	dopts.branches = branches;
	r->rc = fm_forge_discover(r->ctx, r->forge, "up/p", &dopts, &r->forks);
}

static void done(struct run *r)
{
	fm_fork_list_clear(&r->forks);
	fm_forge_free(r->forge);
	fm_ctx_free(r->ctx);
}

static void assert_requested(const char *const *want, size_t n)
{
	size_t i;

	assert_int_equal(nrequested, n);
	for (i = 0; i < n; i++)
		assert_string_equal(requested[i], want[i]);
}

static void assert_row(const fm_fork *f, const char *name, const char *branch,
		       long stars, int depth)
{
	assert_string_equal(f->name, name);
	assert_string_equal(f->branch, branch);
	assert_null(f->error);
	assert_int_equal(f->stars, stars);
	assert_int_equal(f->depth, depth);
}

/* Five forks, most starred first, on three pages. */
static const struct page three_pages[] = {
	{UP},
	{"/f/up/p", "a/p 50 0\nb/p 40 0\n", "/f/up/p?page=2", 0},
	{"/f/up/p?page=2", "c/p 30 0\nd/p 20 0\n", "/f/up/p?page=3", 0},
	{"/f/up/p?page=3", "e/p 10 0\n", NULL, 0},
	{NULL, NULL, NULL, 0},
};

static void pages_walked_in_order_until_no_next(void **state)
{
	static const char *const want[] = {"/r/up/p", "/f/up/p",
					   "/f/up/p?page=2", "/f/up/p?page=3"};
	struct run r;

	(void)state;
	discover(&r, three_pages, 0, 1, NULL);
	assert_int_equal(r.rc, 0);
	assert_requested(want, 4);
	assert_int_equal(r.forks.count, 5);
	assert_row(&r.forks.items[0], "a/p", "main", 50, 1);
	assert_row(&r.forks.items[2], "c/p", "main", 30, 1);
	assert_row(&r.forks.items[4], "e/p", "main", 10, 1);
	assert_string_equal(r.forks.items[0].ref,
			    "refs/forkmap/github/a%2Fp/main");
	assert_string_equal(r.forks.items[0].url,
			    "https://fake.invalid/a/p.git");
	done(&r);
}

static void top_n_stops_paging_once_known(void **state)
{
	static const char *const want[] = {"/r/up/p", "/f/up/p",
					   "/f/up/p?page=2"};
	struct run r;

	(void)state;
	discover(&r, three_pages, 3, 1, NULL);
	assert_int_equal(r.rc, 0);
	assert_requested(want, 3);
	assert_int_equal(r.forks.count, 3);
	assert_row(&r.forks.items[0], "a/p", "main", 50, 1);
	assert_row(&r.forks.items[1], "b/p", "main", 40, 1);
	assert_row(&r.forks.items[2], "c/p", "main", 30, 1);
	done(&r);
}

static void empty_page_ends_the_listing(void **state)
{
	static const struct page table[] = {
		{UP},
		{"/f/up/p", "a/p 50 0\n", "/f/up/p?page=2", 0},
		{"/f/up/p?page=2", "", "/f/up/p?page=3", 0},
		{"/f/up/p?page=3", "c/p 30 0\n", NULL, 0},
		{NULL, NULL, NULL, 0},
	};
	struct run r;

	(void)state;
	discover(&r, table, 0, 1, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(nrequested, 3);
	assert_int_equal(r.forks.count, 1);
	done(&r);
}

/*
 * A fork listed twice (on one page, or on two while stars change under
 * the paging, or by a server repeating itself) is one row: the first, in
 * any letter case of its name.
 */
static void duplicates_are_dropped_by_identity(void **state)
{
	static const struct page table[] = {
		{UP},
		{"/f/up/p", "a/p 50 0\na/p 50 0\n", "/f/up/p?page=2", 0},
		{"/f/up/p?page=2", "A/P 49 0\nb/p 40 0\n", NULL, 0},
		{NULL, NULL, NULL, 0},
	};
	struct run r;

	(void)state;
	discover(&r, table, 0, 1, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.forks.count, 2);
	assert_row(&r.forks.items[0], "a/p", "main", 50, 1);
	assert_row(&r.forks.items[1], "b/p", "main", 40, 1);
	done(&r);
}

/* Duplicates do not take the places of real forks in the top N. */
static void duplicates_do_not_push_forks_out_of_the_top(void **state)
{
	static const struct page table[] = {
		{UP},
		{"/f/up/p", "a/p 50 0\na/p 50 0\na/p 50 0\n", "/f/up/p?page=2",
		 0},
		{"/f/up/p?page=2", "a/p 50 0\nb/p 40 0\nc/p 30 0\n", NULL, 0},
		{NULL, NULL, NULL, 0},
	};
	struct run r;

	(void)state;
	discover(&r, table, 3, 1, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.forks.count, 3);
	assert_row(&r.forks.items[0], "a/p", "main", 50, 1);
	assert_row(&r.forks.items[1], "b/p", "main", 40, 1);
	assert_row(&r.forks.items[2], "c/p", "main", 30, 1);
	done(&r);
}

/*
 * A Link that points back at a page already read stops the walk at once
 * (not at the page cap) and fails the listing with a clear message.
 */
static void link_loop_stops_the_walk(void **state)
{
	static const struct page table[] = {
		{UP},
		{"/f/up/p", "a/p 50 0\n", "/f/up/p?page=2", 0},
		{"/f/up/p?page=2", "b/p 40 0\n", "/f/up/p?page=3", 0},
		{"/f/up/p?page=3", "c/p 30 0\n",
		 "http://fake.invalid/f/up/p?page=2", 0},
		{NULL, NULL, NULL, 0},
	};
	struct run r;

	(void)state;
	discover(&r, table, 0, 1, NULL);
	assert_int_equal(r.rc, FM_ELISTING);
	assert_int_equal(nrequested, 4);
	assert_string_equal(fm_ctx_errmsg(r.ctx),
			    "cannot list the forks of 'up/p': pagination loop: "
			    "the next page after GET /f/up/p?page=3 is "
			    "/f/up/p?page=2, a page already read");
	assert_int_equal(r.forks.count, 3);
	done(&r);
}

/* A fork listed under two parents (forks of forks) is one row. */
static void fork_under_two_parents_is_one_row(void **state)
{
	static const struct page table[] = {
		{UP},
		{"/f/up/p", "a/p 50 1\nb/p 40 1\n", NULL, 0},
		{"/f/a/p", "k/p 3 0\n", NULL, 0},
		{"/f/b/p", "K/p 3 0\nm/p 2 0\n", NULL, 0},
		{NULL, NULL, NULL, 0},
	};
	struct run r;

	(void)state;
	discover(&r, table, 0, 2, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.forks.count, 4);
	assert_row(&r.forks.items[0], "a/p", "main", 50, 1);
	assert_row(&r.forks.items[1], "b/p", "main", 40, 1);
	assert_row(&r.forks.items[2], "k/p", "main", 3, 2);
	assert_row(&r.forks.items[3], "m/p", "main", 2, 2);
	done(&r);
}

/* The same branch listed twice is one row. */
static void duplicate_branches_are_one_row(void **state)
{
	static const struct page table[] = {
		{UP},
		{"/f/up/p", "a/p 50 0\n", NULL, 0},
		{"/b/a/p", "main\nfeat\nmain\n", "/b/a/p?page=2", 0},
		{"/b/a/p?page=2", "feat\n", NULL, 0},
		{NULL, NULL, NULL, 0},
	};
	struct run r;

	(void)state;
	discover(&r, table, 0, 1, "all");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.forks.count, 2);
	assert_row(&r.forks.items[0], "a/p", "main", 50, 1);
	assert_row(&r.forks.items[1], "a/p", "feat", 50, 1);
	done(&r);
}

static void failed_page_of_the_upstream_list_fails_with_elisting(void **state)
{
	static const struct page table[] = {
		{UP},
		{"/f/up/p", "a/p 50 0\n", "/f/up/p?page=2", 0},
		{"/f/up/p?page=2", NULL, NULL, FM_EHTTP},
		{NULL, NULL, NULL, 0},
	};
	struct run r;

	(void)state;
	discover(&r, table, 0, 1, NULL);
	assert_int_equal(r.rc, FM_ELISTING);
	assert_string_equal(fm_ctx_errmsg(r.ctx),
			    "cannot list the forks of 'up/p': GET "
			    "/f/up/p?page=2: failed");
	/* what was found is kept; no row stands for the failed list */
	assert_int_equal(r.forks.count, 1);
	assert_row(&r.forks.items[0], "a/p", "main", 50, 1);
	done(&r);
}

static void
malformed_page_of_the_upstream_list_fails_with_elisting(void **state)
{
	static const struct page table[] = {
		{UP},
		{"/f/up/p", "a/p 50 0\n!\n", NULL, 0},
		{NULL, NULL, NULL, 0},
	};
	struct run r;

	(void)state;
	discover(&r, table, 0, 1, NULL);
	assert_int_equal(r.rc, FM_ELISTING);
	assert_string_equal(fm_ctx_errmsg(r.ctx),
			    "cannot list the forks of 'up/p': malformed page "
			    "from GET /f/up/p");
	assert_int_equal(r.forks.count, 0);
	done(&r);
}

static void failed_list_of_a_forks_forks_is_a_row(void **state)
{
	static const struct page table[] = {
		{UP},
		{"/f/up/p", "a/p 50 2\nb/p 40 0\n", NULL, 0},
		{"/f/a/p", NULL, NULL, FM_EHTTP},
		{NULL, NULL, NULL, 0},
	};
	struct run r;
	const fm_fork *f;

	(void)state;
	discover(&r, table, 0, 2, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.forks.count, 3);
	assert_row(&r.forks.items[0], "a/p", "main", 50, 1);
	assert_row(&r.forks.items[1], "b/p", "main", 40, 1);
	f = &r.forks.items[2];
	assert_string_equal(f->name, "a/p");
	assert_string_equal(f->branch, "");
	assert_string_equal(f->error,
			    "cannot list forks of 'a/p': GET /f/a/p: failed");
	done(&r);
}

static void fatal_page_stops_and_keeps_what_was_found(void **state)
{
	static const struct page table[] = {
		{UP},
		{"/f/up/p", "a/p 50 0\n", "/f/up/p?page=2", 0},
		{"/f/up/p?page=2", NULL, NULL, FM_EAUTH},
		{NULL, NULL, NULL, 0},
	};
	struct run r;

	(void)state;
	discover(&r, table, 0, 1, NULL);
	assert_int_equal(r.rc, FM_EAUTH);
	assert_string_equal(fm_ctx_errmsg(r.ctx), "GET /f/up/p?page=2: failed");
	assert_int_equal(r.forks.count, 1);
	assert_row(&r.forks.items[0], "a/p", "main", 50, 1);
	done(&r);
}

static void forks_of_forks_only_where_there_are_some(void **state)
{
	static const struct page table[] = {
		{UP},
		{"/f/up/p", "a/p 50 2\nb/p 40 0\n", NULL, 0},
		{"/f/a/p", "k/p 3 0\n", NULL, 0},
		{NULL, NULL, NULL, 0},
	};
	static const char *const want[] = {"/r/up/p", "/f/up/p", "/f/a/p"};
	struct run r;

	(void)state;
	discover(&r, table, 0, 2, NULL);
	assert_int_equal(r.rc, 0);
	assert_requested(want, 3);
	assert_int_equal(r.forks.count, 3);
	assert_row(&r.forks.items[0], "a/p", "main", 50, 1);
	assert_row(&r.forks.items[1], "b/p", "main", 40, 1);
	assert_row(&r.forks.items[2], "k/p", "main", 3, 2);
	done(&r);
}

static void branches_glob_makes_a_row_per_match(void **state)
{
	static const struct page table[] = {
		{UP},
		{"/f/up/p", "a/p 50 0\n", NULL, 0},
		{"/b/a/p", "main\nfeat-x\n", "/b/a/p?page=2", 0},
		{"/b/a/p?page=2", "fix\nfeat-y\n", NULL, 0},
		{NULL, NULL, NULL, 0},
	};
	struct run r;

	(void)state;
	discover(&r, table, 0, 1, "feat*");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.forks.count, 2);
	assert_row(&r.forks.items[0], "a/p", "feat-x", 50, 1);
	assert_row(&r.forks.items[1], "a/p", "feat-y", 50, 1);
	done(&r);
}

static void unknown_upstream_fails_with_enotfound(void **state)
{
	static const struct page table[] = {{NULL, NULL, NULL, 0}};
	struct run r;

	(void)state;
	discover(&r, table, 0, 1, NULL);
	assert_int_equal(r.rc, FM_ENOTFOUND);
	assert_string_equal(fm_ctx_errmsg(r.ctx),
			    "Fake has no repository 'up/p' (GET /r/up/p: 404 "
			    "Not Found)");
	assert_int_equal(r.forks.count, 0);
	assert_string_equal(fm_forge_name(r.forge), "fake");
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pages_walked_in_order_until_no_next),
		cmocka_unit_test(top_n_stops_paging_once_known),
		cmocka_unit_test(empty_page_ends_the_listing),
		cmocka_unit_test(duplicates_are_dropped_by_identity),
		cmocka_unit_test(duplicates_do_not_push_forks_out_of_the_top),
		cmocka_unit_test(link_loop_stops_the_walk),
		cmocka_unit_test(duplicate_branches_are_one_row),
		cmocka_unit_test(fork_under_two_parents_is_one_row),
		cmocka_unit_test(
			failed_page_of_the_upstream_list_fails_with_elisting),
		cmocka_unit_test(
			malformed_page_of_the_upstream_list_fails_with_elisting),
		cmocka_unit_test(failed_list_of_a_forks_forks_is_a_row),
		cmocka_unit_test(fatal_page_stops_and_keeps_what_was_found),
		cmocka_unit_test(forks_of_forks_only_where_there_are_some),
		cmocka_unit_test(branches_glob_makes_a_row_per_match),
		cmocka_unit_test(unknown_upstream_fails_with_enotfound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
