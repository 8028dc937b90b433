"""One function run in a forked child while this process goes on, its answer read when wanted.

Work that only needs a file's text (checking a large YAML spec's schema store, the fixer's style
survey) can use the second core while this process lints. The child runs the function, sends
its answer back through a pipe as ``marshal`` data (plain values only) and leaves at once with
``os._exit``, running none of this process's cleanup. Any failure in the child, a child that
dies, or an answer that does not read back, is simply no answer: the caller then does the work
itself, so a fork can only save time, never change a result.
"""

from __future__ import annotations

import gc
import marshal
import os
import signal
import threading
from collections.abc import Callable
from typing import Any, NoReturn

#: What ``Forked.result`` gives for a child that answered nothing usable.
NO_ANSWER: Any = None


class Forked:
    """A child at work on one call; ``result()`` waits for its answer (once), ``cancel()`` stops
    it. Either reaps the child."""

    def __init__(self, pid: int, read_fd: int) -> None:
        self._pid = pid
        self._read_fd = read_fd
        self._done = False
        self._answer: Any = NO_ANSWER

    @classmethod
    def start(cls, function: Callable[..., Any], *args: Any) -> Forked | None:
        """``function(*args)`` in a forked child; None where this platform or process cannot
        fork safely (no ``fork``, or other threads, whose locks the child would inherit held)."""
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:
            _child(function, args, read_fd, write_fd)
        os.close(write_fd)
        return cls(pid, read_fd)

    def result(self) -> Any:
        """The child's answer, waiting for it the first time; ``NO_ANSWER`` if it failed, died
        or sent something that does not read back."""
        if not self._done:
            self._done = True
            chunks = []
            try:
                while chunk := os.read(self._read_fd, 1 << 16):
                    chunks.append(chunk)
            except BaseException:  # Ctrl-C while waiting: stop the child, or the wait below hangs
                os.kill(self._pid, signal.SIGKILL)
                raise
            finally:
                os.close(self._read_fd)
                _, status = os.waitpid(self._pid, 0)
            try:
                answer = marshal.loads(b"".join(chunks))
            except (EOFError, ValueError, TypeError):
                return NO_ANSWER
            if os.waitstatus_to_exitcode(status) == 0:
                self._answer = answer
        return self._answer

    def cancel(self) -> None:
        """Stop the child if it is still at work, and reap it."""
        if not self._done:
            os.kill(self._pid, signal.SIGKILL)
            self.result()


def _child(
    function: Callable[..., Any], args: tuple[Any, ...], read_fd: int, write_fd: int
) -> NoReturn:
    """In the forked child: answer, then leave without running any of the parent's cleanup.
    Exit status 0 means the answer was sent whole."""
    code = 1
    try:
        gc.disable()  # a collection would touch the parent's objects and copy their pages
        os.close(read_fd)
        view = memoryview(marshal.dumps(function(*args)))
        while view:
            view = view[os.write(write_fd, view) :]
        code = 0
    finally:
        os._exit(code)
