#ifndef FM_HISTORY_NAMES_H
#define FM_HISTORY_NAMES_H
/*
 * Inside libforkmap only: how a reader's FORK argument names a row (log,
 * show): NAME, NAME:BRANCH or NAME/BRANCH (include/forkmap/history.h).
 */
#include <forkmap/census.h>

/* 1 when fork names row r. */
int fm_history_names_row(const char *fork, const fm_row *r);

#endif
