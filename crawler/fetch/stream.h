#ifndef FM_FETCH_STREAM_H
#define FM_FETCH_STREAM_H
/*
 * Inside libforkmap only: the socket under every network fetch, with a
 * limit and an interrupt. libgit2 1.5 has no connect or I/O timeout and
 * calls back into us only when pack data or sideband text arrives, so a
 * host that accepts and then says nothing (or never accepts) holds a fetch
 * forever, deaf to SIGINT. fm_stream_register replaces libgit2's standard
 * socket stream (git_stream_register(GIT_STREAM_STANDARD)) by one that
 * waits in poll() slices of a quarter second and gives up when the
 * watched fetch is interrupted (fm_ctx_interrupted: a signal or the
 * deadline) or when one connect, read or write has waited `timeout`
 * seconds without a byte moving.
 *
 * Covered: git:// (libgit2's git transport opens the standard stream),
 * http:// (its HTTP client does too) and https:// (libgit2 1.5's mbedTLS
 * and OpenSSL streams make their socket with git_socket_stream_new, which
 * takes the registered standard stream, and read and write through it).
 * ssh:// gets the same connect limit; libssh2 then reads the socket itself,
 * without a limit. file:// opens no socket. Name resolution
 * (getaddrinfo) cannot be interrupted: it blocks until the resolver gives
 * up.
 *
 * libgit2 makes a stream from a host and a port only, so the fetch a
 * socket belongs to is the calling thread's: a fetch runs on one thread
 * from start to end (fm_fetch_refspecs), and sets its watch for the
 * thread around its libgit2 calls.
 *
 *	struct fm_stream_watch w;
 *
 *	fm_stream_register();
 *	fm_stream_watch_begin(&w, ctx, timeout);
 *	... git_remote_connect, git_remote_fetch ...
 *	fm_stream_watch_end(&w);
 *	if (w.timed_out) ... "no progress for N s"
 */
#include <forkmap/common.h>

struct fm_stream_watch {
	fm_ctx *ctx;	 /* borrowed: the interrupt flag and deadline */
	long timeout;	 /* seconds one wait may last; <= 0: no limit */
	int timed_out;	 /* set when a wait reached the timeout */
	int interrupted; /* set when a wait saw fm_ctx_interrupted */
};

/*
 * Make libgit2 open its sockets through this stream (idempotent, cheap;
 * every fetch calls it, as git_libgit2_shutdown may forget it). 0, or a
 * libgit2 error code with git_error_last set.
 */
int fm_stream_register(void);

/* Watch the calling thread's sockets with w (borrowed until _end). */
void fm_stream_watch_begin(struct fm_stream_watch *w, fm_ctx *ctx,
			   long timeout);
void fm_stream_watch_end(struct fm_stream_watch *w);

/*
 * For libgit2's progress callbacks, which run on the fetching thread:
 * -1 (and w->interrupted set) once the context is interrupted, else 0.
 */
int fm_stream_watch_check(struct fm_stream_watch *w);

#endif
