/*
 * crawler/measure/dag.c, the commit graph of a census: every commit
 * reachable from the roots is loaded with the parents and committer dates
 * git has for it, generation numbers are 1 + the largest of the parents',
 * a commit missing from the object store becomes an FM_DAG_MISSING node
 * instead of a failure, marks are forgotten in O(1) by a new stamp, and
 * unknown oids are not found.
 */
#include "gitfix.h"

#include <forkmap/common.h>

#include "measure/dag.h"

static int group_setup(void **state)
{
	(void)state;
	if (gitfix_init("dag") < 0)
		return -1;
	/* c1 - c2 - c3 ------ m - c4	(main)
	 *	 \	      /
	 *	  s1 - s2 ---'		(side)		and an unrelated root */
	gitfix_commit("c1");
	gitfix_commit("c2");
	gitfix_sh("git branch side");
	gitfix_commit("c3");
	gitfix_sh("git checkout -q side");
	gitfix_commit("s1");
	gitfix_commit("s2");
	gitfix_sh("git checkout -q main");
	gitfix_tick();
	gitfix_sh("git merge -q --no-ff -m m side");
	setenv("GIT_COMMITTER_DATE", "1700000000 +0130", 1);
	gitfix_sh("git commit -q --allow-empty -m c4");
	gitfix_sh("git checkout -q --orphan lone && git commit -q "
		  "--allow-empty -m lone && git checkout -q main");
	return 0;
}

struct fx {
	fm_ctx *ctx;
	git_repository *repo;
	fm_dag g;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx || fm_ctx_new(&fx->ctx) < 0)
		return -1;
	fx->repo = gitfix_open();
	fm_dag_init(&fx->g);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	fm_dag_clear(&fx->g);
	git_repository_free(fx->repo);
	fm_ctx_free(fx->ctx);
	free(fx);
	return 0;
}

static uint32_t load(struct fx *fx, const char *spec)
{
	git_oid root;
	uint32_t n;

	gitfix_oid(&root, spec);
	assert_int_equal(fm_dag_load(fx->ctx, &fx->g, fx->repo, &root, 1, &n),
			 0);
	assert_true(git_oid_equal(fm_dag_oid(&fx->g, n), &root));
	return n;
}

static void test_loads_every_reachable_commit_with_its_parents(void **state)
{
	struct fx *fx = *state;
	char list[8192], *line, *save = NULL;
	size_t lines = 0;

	load(fx, "main");
	/* "<commit> <parent>..." for every commit of main, as git has it. */
	gitfix_out(list, sizeof(list), "git rev-list --parents main");
	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		char *tok, *s2 = NULL;
		git_oid oid;
		uint32_t n, k = 0;

		tok = strtok_r(line, " ", &s2);
		assert_int_equal(git_oid_fromstr(&oid, tok), 0);
		n = fm_dag_find(&fx->g, &oid);
		assert_int_not_equal(n, FM_DAG_NONE);
		assert_int_equal(fx->g.nodes[n].state, FM_DAG_LOADED);
		while ((tok = strtok_r(NULL, " ", &s2))) {
			assert_int_equal(git_oid_fromstr(&oid, tok), 0);
			assert_true(k < fx->g.nodes[n].npar);
			assert_int_equal(fm_dag_parents(&fx->g, n)[k],
					 fm_dag_find(&fx->g, &oid));
			k++;
		}
		assert_int_equal(k, fx->g.nodes[n].npar);
	}
	assert_int_equal(lines, 7);
	assert_int_equal(fx->g.count, 7); /* the orphan root is not reached */
}

static void test_reads_the_committer_date(void **state)
{
	struct fx *fx = *state;
	uint32_t n = load(fx, "main");
	char ct[64];

	gitfix_out(ct, sizeof(ct), "git log -1 --format=%%ct main");
	assert_int_equal(fx->g.nodes[n].time, atoll(ct));
	assert_int_equal(fx->g.nodes[n].time, 1700000000);
	assert_int_equal(fx->g.nodes[n].offset, 90);
	assert_int_equal(fm_dag_date(&fx->g.nodes[n]).offset, 90);
}

static void test_generation_is_one_more_than_the_highest_parent(void **state)
{
	struct fx *fx = *state;
	uint32_t i, j, tip = load(fx, "main");
	git_oid oid;

	for (i = 0; i < fx->g.count; i++) {
		uint32_t max = 0;

		for (j = 0; j < fx->g.nodes[i].npar; j++) {
			uint32_t p = fm_dag_parents(&fx->g, i)[j];

			if (fx->g.nodes[p].gen > max)
				max = fx->g.nodes[p].gen;
		}
		assert_int_equal(fx->g.nodes[i].gen, max + 1);
	}
	/* c1 c2 c3|s1 s2 m c4: the merge is above the longer side. */
	assert_int_equal(fx->g.nodes[tip].gen, 6);
	gitfix_oid(&oid, "main~1");
	assert_int_equal(fx->g.nodes[fm_dag_find(&fx->g, &oid)].gen, 5);
	gitfix_oid(&oid, "main~2");
	assert_int_equal(fx->g.nodes[fm_dag_find(&fx->g, &oid)].gen, 3);
}

static void test_missing_commit_is_a_node_not_a_failure(void **state)
{
	struct fx *fx = *state;
	char tree[64], hex[64], body[512];
	git_oid roots[2], ghost;
	uint32_t n[2], c;

	/* A commit whose parent is nowhere, and a root that is nowhere. */
	gitfix_out(tree, sizeof(tree), "git hash-object -t tree -w /dev/null");
	snprintf(body, sizeof(body),
		 "tree %s\nparent %s\nauthor T <t@example.org> 1600000000 "
		 "+0000\ncommitter T <t@example.org> 1600000000 +0000\n\nx\n",
		 tree, "1111111111111111111111111111111111111111");
	gitfix_out(hex, sizeof(hex),
		   "printf '%s' | git hash-object -t commit -w --stdin", body);
	assert_int_equal(git_oid_fromstr(&roots[0], hex), 0);
	assert_int_equal(
		git_oid_fromstr(&roots[1],
				"2222222222222222222222222222222222222222"),
		0);
	assert_int_equal(fm_dag_load(fx->ctx, &fx->g, fx->repo, roots, 2, n),
			 0);
	assert_int_equal(fx->g.nodes[n[0]].state, FM_DAG_LOADED);
	assert_int_equal(fx->g.nodes[n[0]].npar, 1);
	assert_int_equal(fx->g.nodes[n[1]].state, FM_DAG_MISSING);
	assert_int_equal(fx->g.nodes[n[1]].npar, 0);
	assert_int_equal(
		git_oid_fromstr(&ghost,
				"1111111111111111111111111111111111111111"),
		0);
	c = fm_dag_find(&fx->g, &ghost);
	assert_int_equal(c, fm_dag_parents(&fx->g, n[0])[0]);
	assert_int_equal(fx->g.nodes[c].state, FM_DAG_MISSING);
	assert_int_equal(fx->g.nodes[c].gen, 1);
	assert_int_equal(fx->g.nodes[n[0]].gen, 2);
}

static void test_marks_are_forgotten_by_a_new_stamp(void **state)
{
	struct fx *fx = *state;
	fm_dag_marks m = {0};
	uint32_t stamp, i;

	load(fx, "main");
	assert_int_equal(fm_dag_marks_init(&m, &fx->g), 0);
	for (i = 0; i < fx->g.count; i++)
		assert_int_not_equal(m.mark[i], m.stamp);
	m.mark[0] = m.mark[3] = m.stamp;
	stamp = m.stamp;
	fm_dag_marks_next(&m);
	/* O(1): only the stamp moved, the array was not touched. */
	assert_int_equal(m.stamp, stamp + 1);
	assert_int_equal(m.mark[0], stamp);
	for (i = 0; i < fx->g.count; i++)
		assert_int_not_equal(m.mark[i], m.stamp);
	fm_dag_marks_clear(&m);
	assert_null(m.mark);
}

static void test_find_returns_none_for_unknown_oids(void **state)
{
	struct fx *fx = *state;
	git_oid lone, zero;

	memset(&zero, 0, sizeof(zero));
	assert_int_equal(fm_dag_find(&fx->g, &zero), FM_DAG_NONE);
	load(fx, "main");
	gitfix_oid(&lone, "lone");
	assert_int_equal(fm_dag_find(&fx->g, &lone), FM_DAG_NONE);
	assert_int_equal(fm_dag_find(&fx->g, &zero), FM_DAG_NONE);
}

static void test_list_grows_and_keeps_order(void **state)
{
	fm_dag_list l = {0};
	uint32_t i;

	(void)state;
	for (i = 0; i < 5000; i++)
		assert_int_equal(fm_dag_list_push(&l, i * 7), 0);
	assert_int_equal(l.count, 5000);
	for (i = 0; i < 5000; i++)
		assert_int_equal(l.items[i], i * 7);
	fm_dag_list_clear(&l);
	assert_int_equal(l.count, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_loads_every_reachable_commit_with_its_parents),
		T(test_reads_the_committer_date),
		T(test_generation_is_one_more_than_the_highest_parent),
		T(test_missing_commit_is_a_node_not_a_failure),
		T(test_marks_are_forgotten_by_a_new_stamp),
		T(test_find_returns_none_for_unknown_oids),
		T(test_list_grows_and_keeps_order),
	};

	return cmocka_run_group_tests(tests, group_setup, gitfix_teardown);
}
