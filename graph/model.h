#ifndef FM_GRAPH_MODEL_H
#define FM_GRAPH_MODEL_H
/*
 * The fork network as the figure shows it, before graphviz sees it: which
 * nodes exist, which node each hangs from, and every size, width and colour
 * already normalised. render.c only turns this into a graph; tests check
 * the numbers here.
 *
 *	fm_model *m;
 *
 *	if (fm_model_build(ctx, census, &opts, &m) < 0)
 *		return -1;
 *	for (i = 0; i < m->nnodes; i++) ... m->nodes[i] ...
 *	fm_model_free(m);
 *
 * Strings in nodes are borrowed from the census, which must outlive the
 * model.
 */
#include <stdint.h>
#include <forkmap/fate.h>
#include <forkmap/render.h>

#define FM_MODEL_NONE ((size_t)-1)

/* Sizes, inches and points. */
#define FM_NODE_WIDTH_MIN 0.32	 /* diameter of the smallest node */
#define FM_NODE_WIDTH_MAX 1.0	 /* diameter of the largest node */
#define FM_NODE_WIDTH_TRUNK 0.8	 /* trunk nodes whose size is unknown */
#define FM_NODE_WIDTH_POINT 0.18 /* fork points on the trunk */
#define FM_PEN_FORK_MIN 1.0	 /* fork edge widths */
#define FM_PEN_FORK_MAX 9.0
#define FM_PEN_TRUNK_MIN 3.0 /* trunk edge widths */
#define FM_PEN_TRUNK_MAX 12.0
#define FM_COLOR_UNKNOWN 0x9e9e9eu /* fill of nodes without a date */

typedef enum fm_node_kind {
	FM_NODE_RELEASE = 0,
	FM_NODE_TIP = 1,
	FM_NODE_FORK = 2,
	/* where forks left the trunk: between two releases, at their merge
	 * bases ("after v1.6.0-alpha..."); part of the trunk */
	FM_NODE_POINT = 3,
} fm_node_kind;

/* What node area stands for. */
typedef enum fm_size_basis {
	/* lines in the tree: tree_lines of a release or the tip; for a fork
	 * its base's tree_lines + insertions - deletions */
	FM_SIZE_TREE_LINES = 0,
	/* tree_lines unknown (CSV input): forks show insertions + deletions
	 * (commits ahead when both are 0), trunk nodes a fixed size */
	FM_SIZE_LINES_CHANGED = 1,
} fm_size_basis;

/* What trunk edge width stands for. */
typedef enum fm_trunk_basis {
	FM_TRUNK_LINES = 0, /* |tree_lines(next) - tree_lines(prev)| */
	FM_TRUNK_DAYS = 1,  /* days between the two (when lines are unknown
			       or equal for some step) */
} fm_trunk_basis;

typedef struct fm_node {
	fm_node_kind kind;
	const char *name;   /* tag, upstream branch, or fork name; fork
			       points: the tag they come after (NULL: before
			       the next release, `branch`) */
	const char *branch; /* forks: the fork's branch, else NULL */
	const fm_row *row;  /* forks: the census row, else NULL */
	fm_date date;	    /* release date, tip date, fork head_date */
	long tree_lines;    /* trunk nodes: lines in the tree, 0 unknown */
	size_t parent;	    /* the node this hangs from; trunk nodes: the
			       previous trunk node; FM_MODEL_NONE for the
			       first */
	double weight;	    /* raw weight of the edge to parent */
	double penwidth;    /* its width, points */
	double value;	    /* what the area shows; 0: fixed size */
	double width;	    /* diameter, inches */
	double t;	    /* date on the colour scale, [0, 1]; -1 none */
	uint32_t fill;	    /* 0xRRGGBB */
	uint32_t text;	    /* label colour on that fill */
	fm_fate fate;	    /* forks: what became of it */
} fm_node;

typedef struct fm_model {
	fm_node *nodes; /* trunk first (date order), then forks */
	size_t nnodes;
	size_t ntrunk;	/* nodes[0 .. ntrunk) form the trunk */
	size_t tip;	/* index of the tip node or FM_MODEL_NONE */
	size_t nforks;	/* fork nodes shown */
	size_t npoints; /* fork points on the trunk */
	size_t fates[FM_FATE_COUNT]; /* shown forks of each fate */
	size_t nmeasured;	     /* rows without error or skip reason */
	size_t hidden_since;	     /* hidden by opts->since */
	size_t hidden_top;	     /* hidden by opts->top, or the cap */
	int capped;	  /* no top given: FM_LIMIT_RENDER_FORKS drawn */
	int has_dates;	  /* some node has a date */
	int64_t date_min; /* the colour scale, epoch seconds */
	int64_t date_max;
	fm_size_basis size_basis;
	double value_max; /* largest value shown (size legend) */
	fm_trunk_basis trunk_basis;
	double trunk_weight_max; /* largest trunk edge weight (legend) */
	fm_render_weight weight;
	double weight_max; /* largest fork weight (edge legend) */
	char *title;	   /* owned */
} fm_model;

/* Build the model; FM_EINVAL for bad options. */
int fm_model_build(fm_ctx *ctx, const fm_census *census,
		   const fm_render_opts *opts, fm_model **out);
void fm_model_free(fm_model *model);

/* A fork row's weight under w (negative counts read as 0). */
double fm_model_row_weight(const fm_row *row, fm_render_weight w);
/* What a weight counts, in words ("commits ahead", "distinct patches"). */
const char *fm_model_weight_words(fm_render_weight w);

/* Diameter (inches) for a value, area proportional, clamped. */
double fm_model_width(double value, double value_max);

/* Edge width (points) for a weight, proportional, clamped. */
double fm_model_penwidth(double weight, double weight_max, double min,
			 double max);

#endif
