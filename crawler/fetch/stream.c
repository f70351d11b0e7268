/*
 * The socket stream of stream.h: libgit2's standard stream again (TCP,
 * one address after the other), but every wait is a poll() in short
 * slices that checks the calling thread's watch: its context's interrupt
 * and deadline, and the timeout of one wait without progress.
 *
 * Why a stream and not the transfer callbacks: those fire only when pack
 * data or sideband text arrives, never while connecting, sending the
 * request, reading the ref advertisement or negotiating, which is exactly
 * where a silent host leaves a fetch. Why not SO_RCVTIMEO: it cannot see
 * an interrupt, and connect() ignores it.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/stream.h>

#include "fetch/stream.h"

#define SLICE_MS 250 /* an interrupt is seen within a quarter second */

/*
 * The fetch of the calling thread (NULL: none, the socket waits as long
 * as it takes). Thread-local because libgit2 gives a stream no payload,
 * and a fetch runs on one thread.
 */
static _Thread_local struct fm_stream_watch *watch;

/*
 * The first members are those of libgit2's own git_socket_stream, in its
 * order: libgit2 1.5's ssh transport takes the socket out of the standard
 * stream by that layout (GIT_CONTAINER_OF(io, git_socket_stream, parent)
 * then ->s) to hand it to libssh2.
 */
struct sock_stream {
	git_stream parent;
	char *host;
	char *port;
	int s;
};

void fm_stream_watch_begin(struct fm_stream_watch *w, fm_ctx *ctx, long timeout)
{
	memset(w, 0, sizeof(*w));
	w->ctx = ctx;
	w->timeout = timeout;
	watch = w;
}

void fm_stream_watch_end(struct fm_stream_watch *w)
{
	if (watch == w)
		watch = NULL;
}

int fm_stream_watch_check(struct fm_stream_watch *w)
{
	if (w && fm_ctx_interrupted(w->ctx)) {
		w->interrupted = 1;
		return -1;
	}
	return 0;
}

static double since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void net_error(const char *what)
{
	git_error_set(GIT_ERROR_NET, "%s: %s", what, strerror(errno));
}

/*
 * Wait until fd is ready for events (or in error: the next call says
 * which). 0, or -1 with the libgit2 error set when the watch stops it.
 */
static int wait_ready(int fd, short events)
{
	struct fm_stream_watch *w = watch;
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd p;
		int n;

		if (fm_stream_watch_check(w) < 0) {
			git_error_set_str(GIT_ERROR_NET, "interrupted");
			return -1;
		}
		if (w && w->timeout > 0 &&
		    since(&start) >= (double)w->timeout) {
			w->timed_out = 1;
			git_error_set(GIT_ERROR_NET, "no progress for %ld s",
				      w->timeout);
			return -1;
		}
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		n = poll(&p, 1, SLICE_MS);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR) {
			net_error("cannot wait on the socket");
			return -1;
		}
	}
}

static int set_blocking(int fd, int blocking)
{
	int flags = fcntl(fd, F_GETFL, 0);

	if (flags < 0)
		return -1;
	flags = blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK;
	return fcntl(fd, F_SETFL, flags);
}

/*
 * Connect one address without blocking: 0 connected, 1 refused or
 * unreachable (try the next), -1 stopped by the watch (error set).
 */
static int connect_one(int fd, const struct addrinfo *a)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (set_blocking(fd, 0) < 0)
		return 1;
	if (connect(fd, a->ai_addr, a->ai_addrlen) < 0) {
		if (errno != EINPROGRESS && errno != EINTR)
			return 1;
		if (wait_ready(fd, POLLOUT) < 0)
			return -1;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ||
		    err != 0) {
			errno = err;
			return 1;
		}
	}
	/*
	 * Blocking again, as libgit2's sockets are: libssh2 and anyone else
	 * handed the descriptor expect it; our own reads and writes pass
	 * MSG_DONTWAIT.
	 */
	return set_blocking(fd, 1) < 0 ? 1 : 0;
}

static int sock_connect(git_stream *stream)
{
	struct sock_stream *st = (struct sock_stream *)stream;
	struct addrinfo hints, *info = NULL, *a;
	int rc, fd = -1, saved = ECONNREFUSED;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_family = AF_UNSPEC;
	if ((rc = getaddrinfo(st->host, st->port, &hints, &info)) != 0) {
		git_error_set(GIT_ERROR_NET,
			      "failed to resolve address for %s: %s", st->host,
			      gai_strerror(rc));
		return -1;
	}
	for (a = info; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC,
			    a->ai_protocol);
		if (fd < 0)
			continue;
		rc = connect_one(fd, a);
		if (rc == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
		if (rc < 0) {
			freeaddrinfo(info);
			return -1;
		}
	}
	freeaddrinfo(info);
	if (fd < 0) {
		errno = saved;
		git_error_set(GIT_ERROR_NET, "failed to connect to %s: %s",
			      st->host, strerror(errno));
		return -1;
	}
	st->s = fd;
	return 0;
}

/* One read (out 0) or write (out 1) of at most len bytes, as send/recv. */
static ssize_t sock_io(git_stream *stream, void *buf, size_t len, int out)
{
	struct sock_stream *st = (struct sock_stream *)stream;

	for (;;) {
		ssize_t n =
			out ? send(st->s, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL)
			    : recv(st->s, buf, len, MSG_DONTWAIT);

		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			net_error(out ? "error sending data to socket"
				      : "error receiving data from socket");
			return -1;
		}
		if (wait_ready(st->s, out ? POLLOUT : POLLIN) < 0)
			return -1;
	}
}

static ssize_t sock_read(git_stream *stream, void *data, size_t len)
{
	return sock_io(stream, data, len, 0);
}

static ssize_t sock_write(git_stream *stream, const char *data, size_t len,
			  int flags)
{
	(void)flags; /* libgit2 passes 0 */
	return sock_io(stream, (void *)data, len, 1);
}

static int sock_close(git_stream *stream)
{
	struct sock_stream *st = (struct sock_stream *)stream;
	int rc = 0;

	if (st->s >= 0)
		rc = close(st->s);
	st->s = -1;
	return rc;
}

static void sock_free(git_stream *stream)
{
	struct sock_stream *st = (struct sock_stream *)stream;

	if (!st)
		return;
	if (st->s >= 0)
		close(st->s);
	free(st->host);
	free(st->port);
	free(st);
}

static int sock_new(git_stream **out, const char *host, const char *port)
{
	struct sock_stream *st = calloc(1, sizeof(*st));

	*out = NULL;
	if (!st || !(st->host = strdup(host)) ||
	    !(st->port = strdup(port ? port : ""))) {
		if (st)
			free(st->host);
		free(st);
		git_error_set_oom();
		return -1;
	}
	st->s = -1;
	st->parent.version = GIT_STREAM_VERSION;
	st->parent.connect = sock_connect;
	st->parent.read = sock_read;
	st->parent.write = sock_write;
	st->parent.close = sock_close;
	st->parent.free = sock_free;
	*out = &st->parent;
	return 0;
}

int fm_stream_register(void)
{
	git_stream_registration reg;

	memset(&reg, 0, sizeof(reg));
	reg.version = GIT_STREAM_VERSION;
	reg.init = sock_new;
	return git_stream_register(GIT_STREAM_STANDARD, &reg);
}
