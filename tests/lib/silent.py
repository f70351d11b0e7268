"""A silent host: a TCP server on 127.0.0.1 that accepts every connection
and never sends a byte, for tests of timeouts and interrupts (a git host
or an API that hangs after the handshake)::

    from silent import SilentHost

    with SilentHost() as host:
        url = "git://127.0.0.1:%d/x.git" % host.port
        ...
        host.accepted        # connections accepted so far

It reads and discards what clients send, and closes a connection when the
client does. It stops on leaving the `with` block, and by itself after
`lifetime` seconds in any case, so a test that dies cannot leave it behind.
"""

import selectors
import socket
import threading
import time

__all__ = ["SilentHost"]


class SilentHost:
    def __init__(self, lifetime=120.0):
        self.lifetime = lifetime
        self.accepted = 0
        self._stop = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.setblocking(False)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def url(self, scheme, path="x.git"):
        return "%s://127.0.0.1:%d/%s" % (scheme, self.port, path)

    def stop(self):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)

    def _serve(self):
        sel = selectors.DefaultSelector()
        sel.register(self._sock, selectors.EVENT_READ)
        conns = []
        end = time.monotonic() + self.lifetime
        try:
            while not self._stop.is_set() and time.monotonic() < end:
                for key, _ in sel.select(0.1):
                    if key.fileobj is self._sock:
                        try:
                            c, _ = self._sock.accept()
                        except OSError:
                            continue
                        c.setblocking(False)
                        self.accepted += 1
                        conns.append(c)
                        sel.register(c, selectors.EVENT_READ)
                        continue
                    c = key.fileobj
                    try:
                        data = c.recv(65536)
                    except BlockingIOError:
                        continue
                    except OSError:
                        data = b""
                    if not data:  # the client hung up
                        sel.unregister(c)
                        conns.remove(c)
                        c.close()
        finally:
            for c in conns:
                c.close()
            sel.close()
            self._sock.close()
