"""Temporary files that name their writer, stale ones removed, OS errors as one line."""

import contextlib
import errno
import glob
import json
import os
import re
import secrets

# `<stem>.tmp-<pid>-<random><suffix>`: two writers never share a temporary
# file, and a later run can tell whether the writer is still alive.
_TEMPORARY = re.compile(r"\.tmp-(\d+)-[0-9a-f]+")


class RunIOError(ValueError):
    """A file of a run could not be read or written (a ValueError: the CLI prints it as one line)."""


def temporary_name(path):
    """A unique temporary name next to `path`, carrying this process's id (`model.tmp-<pid>-<hex>.keras`)."""
    stem, suffix = os.path.splitext(path)
    return f"{stem}.tmp-{os.getpid()}-{secrets.token_hex(4)}{suffix}"


def pid_alive(pid):
    """Whether a process with this id exists (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def writer_pid(path):
    """The process id a temporary name carries, or None for other names."""
    match = _TEMPORARY.search(os.path.basename(path))
    return int(match.group(1)) if match else None


def remove_stale_temporaries(folder):
    """Removes temporary files in `folder` left by processes that are gone.

    Also removes `*.tmp.keras` and `*.tmp` files of the fixed names earlier
    versions used (their writer cannot be known; call this only while holding
    the run's lock, so no live writer of this run exists). Returns the removed paths.
    """
    removed = []
    for path in glob.glob(os.path.join(glob.escape(folder), "*.tmp*")):
        pid = writer_pid(path)
        if pid is None and not (path.endswith(".tmp.keras") or path.endswith(".tmp")):
            continue
        if pid is not None and pid != os.getpid() and pid_alive(pid):
            continue
        remove_quietly(path)
        removed.append(path)
    return removed


def write_json_atomically(path, values):
    """Writes JSON through a temporary file of this process (removed on failure), then renames it into place."""
    temporary = temporary_name(path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    try:
        with open(temporary, "w") as handle:
            json.dump(values, handle, indent=2)
        os.replace(temporary, path)
    finally:
        remove_quietly(temporary)


def remove_quietly(path):
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def describe(error):
    """`'<path>: <OS message>'` of an OSError, e.g. `'/runs/x/model.keras: No space left on device'`."""
    path = error.filename or ""
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC:
        reason += " (the disk is full: free space, then rerun; nothing partial was kept)"
    elif error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason += " (choose a writable --out)"
    elif error.errno in (errno.ENOTDIR, errno.EEXIST):
        reason += " (a file stands where a folder is needed: choose another --out)"
    return f"{path}: {reason}" if path else reason


@contextlib.contextmanager
def clear_os_errors(action):
    """Turns an OSError raised inside into a `RunIOError` naming the path and the OS error."""
    try:
        yield
    except OSError as error:
        raise RunIOError(f"Could not {action}: {describe(error)}. Received: errno={error.errno}") from error
