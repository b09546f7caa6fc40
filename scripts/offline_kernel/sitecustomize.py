"""Loaded by every kernel that scripts/run_notebooks.py starts: a notebook may not use the network, and
(figure_captions.py) each figure output records its caption.

Any Python-level connection to a non-loopback address raises, so a notebook that downloads a data
set or weights fails loudly here, not later on a reader's plane. (The kernel's own ZeroMQ channels
are native sockets on loopback and are not affected.)
"""
import socket

_connect = socket.socket.connect
_LOCAL = ("127.", "::1", "localhost")


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else str(address)
    if self.family in (socket.AF_INET, socket.AF_INET6) and not str(host).startswith(_LOCAL):
        raise OSError(f"network access is not allowed in a notebook (tried to connect to {host}); "
                      "use synthetic data, sklearn.datasets.load_digits or skimage.data")
    return _connect(self, address)


def _no_lookup(host, *args, **kwargs):
    if str(host).startswith(_LOCAL) or host in (None, ""):
        return _getaddrinfo(host, *args, **kwargs)
    raise OSError(f"network access is not allowed in a notebook (tried to resolve {host}); "
                  "use synthetic data, sklearn.datasets.load_digits or skimage.data")


_getaddrinfo = socket.getaddrinfo
socket.socket.connect = _guarded_connect
socket.getaddrinfo = _no_lookup

import figure_captions  # noqa: E402,F401  (each figure's output carries its caption, for the built page)
