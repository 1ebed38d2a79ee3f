"""One writer per run folder: an exclusive OS lock on `RUN/.lock`.

`fcntl.flock` locks belong to the open file, so the OS releases them when
the process dies, however it dies (kill -9 included): a killed run never
blocks the next one, and no stale-lock heuristics are needed. The holder's
process id is written inside, only to name it in the refusal.
"""

import contextlib
import fcntl
import os

from tfgan_zoo.reliability import files

LOCK_NAME = ".lock"


class RunLockedError(ValueError):
    """Another live process trains in this run folder."""


@contextlib.contextmanager
def run_lock(folder):
    """Holds the exclusive lock of run folder `folder` (created if needed) for the `with` body.

    Raises:
        RunLockedError: another process holds it (the message names its PID).
        RunIOError: the folder cannot be created or written.
    """
    path = os.path.join(folder, LOCK_NAME)
    with files.clear_os_errors("create the run folder and its lock"):
        os.makedirs(folder, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode(errors="replace").strip() or "unknown"
            raise RunLockedError(
                f"{folder} is in use by another process (PID {holder}), which is training in it; wait for it to "
                f"finish or stop it, or choose another --out. Received: out={folder!r}"
            ) from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        # Closing releases the lock; the file stays (removing it would race a waiting process).
        os.close(handle)
