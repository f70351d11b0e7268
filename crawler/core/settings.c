/* The table behind include/forkmap/settings.h. */
#include <forkmap/settings.h>

static const fm_setting_info settings[FM_SET_COUNT] = {
	[FM_SET_TOP] = {"--top", "github.top", 50, 1, 100000},
	[FM_SET_DEPTH] = {"--depth", "github.depth", 1, 1, 10},
	[FM_SET_MAX_WAIT] = {"--max-wait", "github.maxWait", 3600, 0,
			     7 * 86400},
	[FM_SET_CONCURRENCY] = {"--concurrency", "github.concurrency", 1, 1,
				16},
	[FM_SET_FETCH_PARALLEL] = {"--fetch-parallel", "fetch.parallel", 4, 1,
				   32},
	/* measuring runs on worker processes and threads: past 64 they only
	 * contend for the same pack */
	[FM_SET_THREADS] = {"--threads", NULL, 0, 0, 64},
	[FM_SET_HTTP_TIMEOUT] = {"--timeout", NULL, 60, 1, 3600},
};

const fm_setting_info *fm_setting_get(fm_setting id)
{
	if ((int)id < 0 || id >= FM_SET_COUNT)
		return NULL;
	return &settings[id];
}

int fm_setting_check(fm_ctx *ctx, fm_setting id, long long v)
{
	const fm_setting_info *s = fm_setting_get(id);

	if (!s)
		return fm_error_set(ctx, FM_EINVAL, "unknown setting %d",
				    (int)id);
	if (v < s->min || v > s->max)
		return fm_error_set(ctx, FM_EINVAL,
				    "%s wants a whole number from %lld to "
				    "%lld, not %lld",
				    s->option, s->min, s->max, v);
	return 0;
}
