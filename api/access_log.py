"""The access log, written in batches by a thread of its own.

One line per request (method, path, status: never the query string, which may be a pupil's
question) is what an operator needs. Handing each line to :mod:`logging` as the request ends
cost about 40 µs of CPU, a fifth of a bare route's whole answer: a record made, formatted,
queued, and written and flushed by another thread, each taking the interpreter lock from the
event loop. So a request only appends three values to a deque (:meth:`AccessLog.note`), and a
thread wakes a few times a second to write what has gathered: in the server
(``sociale-kaart serve``, which calls :meth:`AccessLog.write_to`) as one write of ready lines
in the log's own format, otherwise (an app embedded elsewhere, the tests) as records of the
``sociale_kaart.api`` logger. A line may so appear up to :data:`EVERY` seconds after its
answer; :meth:`AccessLog.flush` (at the app's shutdown, and at exit) writes what is left.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import deque
from typing import TextIO
from urllib.parse import quote

#: seconds between two writes of the gathered lines
EVERY = 0.2
#: lines kept waiting at most; beyond it a line is counted as dropped, and the count logged
MAX_WAITING = 100_000


def printable(path: str) -> str:
    """The path as one line of the log: anything that is not printable (a newline, a
    carriage return, an escape, U+2028) percent-encoded, so that a path cannot end the line
    and start a forged one. Almost every path is printable: that case costs one C call.

    >>> printable("/a\\nforged 200")
    '/a%0Aforged 200'
    """
    if path.isprintable():
        return path
    return "".join(c if c.isprintable() else quote(c, safe="") for c in path)


class AccessLog:
    """Access lines gathered by requests and written by one thread."""

    def __init__(self, log: logging.Logger) -> None:
        self.log = log
        self.stream: TextIO | None = None
        self.lines: deque[tuple[str, str, int]] = deque()
        self.dropped = 0
        self._writer: threading.Thread | None = None
        self._start = threading.Lock()
        self._write = threading.Lock()

    def note(self, method: str, path: str, status: int) -> None:
        """One request's line, to be written soon; nothing at all when INFO is off."""
        if not self.log.isEnabledFor(logging.INFO):
            return
        if len(self.lines) >= MAX_WAITING:
            self.dropped += 1
            return
        self.lines.append((method, path, status))
        if self._writer is None:
            self._start_writer()

    def write_to(self, stream: TextIO) -> None:
        """Write lines straight to ``stream`` (``INFO sociale_kaart.api: GET /pad 200``), the
        format of the server's log, instead of as records of the logger."""
        self.stream = stream

    def flush(self) -> None:
        """Write every gathered line now (and the count of lines dropped, if any)."""
        with self._write:
            lines, log, stream = self.lines, self.log, self.stream
            if stream is None:
                while lines:
                    method, path, status = lines.popleft()
                    log.info("%s %s %s", method, printable(path), status)
            elif lines:
                head = f"INFO {log.name}: "
                text = []
                while lines:
                    method, path, status = lines.popleft()
                    text.append(f"{head}{method} {printable(path)} {status}\n")
                stream.write("".join(text))
                stream.flush()
            if self.dropped:
                dropped, self.dropped = self.dropped, 0
                log.warning("%d regels van het toegangslog overgeslagen: het schrijven liep achter", dropped)

    def _start_writer(self) -> None:
        with self._start:
            if self._writer is None:
                self._writer = threading.Thread(target=self._run, name="access-log", daemon=True)
                self._writer.start()

    def _run(self) -> None:
        while True:
            time.sleep(EVERY)
            self.flush()


log = logging.getLogger("sociale_kaart.api")
#: the process's one access log
ACCESS = AccessLog(log)
atexit.register(ACCESS.flush)
