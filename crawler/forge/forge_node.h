#ifndef FM_FORGE_NODE_H
#define FM_FORGE_NODE_H
/*
 * Inside crawler/forge only: the repositories a discovery found, as a
 * tree (the upstream at the root, its forks as kids, their forks below),
 * before they become fork rows (forge_rows.c).
 */
#include <stddef.h>

typedef struct fm_forge_node fm_forge_node;

typedef struct fm_forge_nodes {
	fm_forge_node **v;
	size_t n;
	size_t alloc;
} fm_forge_nodes;

#define FM_FORGE_NODES_INIT \
	{                   \
		NULL, 0, 0  \
	}

struct fm_forge_node {
	char *full_name; /* NULL: an entry without a usable name */
	char *branch;	 /* default branch */
	char *clone_url;
	long stars;
	long forks_count;
	long id; /* the forge's repository id; 0: unknown */
	int depth;
	int never_pushed;   /* not pushed since created: a skipped row */
	size_t order;	    /* in its listing (for a stable sort) */
	char *error;	    /* the entry itself is unusable */
	char *list_error;   /* listing its forks failed */
	char *branch_error; /* listing its branches failed */
	char **branches;    /* with branches "all" or a glob */
	size_t nbranches;
	fm_forge_nodes kids; /* its forks (depth + 1) */
};

/* Frees nd and every node below it. */
void fm_forge_node_free(fm_forge_node *nd);
/* Append nd (not owned: the tree owns its nodes); FM_ENOMEM or 0. */
int fm_forge_nodes_push(fm_forge_nodes *l, fm_forge_node *nd);
/* Append a copy of name to nd->branches; FM_ENOMEM or 0. */
int fm_forge_node_add_branch(fm_forge_node *nd, const char *name);

#endif
