"""What the stand-in cameras share: going away the way a real camera does."""

import contextlib
import socket


def close(server, lock, clients):
    """Stop `server` (a socketserver, or None) and cut every connection in `clients` (read under `lock`)."""
    if server is not None:
        server.shutdown()
        server.server_close()
    with lock:
        connected = list(clients)
    for sock in connected:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
