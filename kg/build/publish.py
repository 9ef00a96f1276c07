"""Publish a release atomically: write to a staging folder, then swap one symlink.

``OUT/dist`` is a symlink to ``OUT/releases/<digest>``. A build writes everything into
``OUT/releases/.tmp-*``, checksums it, renames it to its digest and replaces the symlink
with ``os.replace`` (atomic on POSIX). Readers of ``OUT/dist/…`` therefore see the old
release or the new one, never a partial file; a failed or killed build leaves the last
good release untouched, and its leftover staging folder is removed by the next run.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

from kg.release import CHECKSUMS
from kg.release import sha256_file

Settled = dict[str, str]  # a file's name -> its SHA-256, for files on disk for good


def write_checksums(folder: Path, digests: Settled) -> Path:
    """``SHA256SUMS`` of the settled files in ``folder``, written and synced."""
    target = folder / CHECKSUMS
    target.write_text(
        "".join(f"{digests[name]}  {name}\n" for name in sorted(digests)), encoding="ascii"
    )
    _sync(target)
    return target


class BusyError(Exception):
    """Another build holds the output folder."""


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold ``OUT/.lock`` for a whole build: a second build on the same folder is refused
    at once rather than removing the first one's staging folder under it."""
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(
                f"{out}: another kg build is writing there; try again when it has ended"
            ) from None
        yield
    finally:
        os.close(fd)  # the lock goes with the descriptor


def publish(out: Path, write: Callable[[Path], Settled | None]) -> Path:
    """Run ``write(staging)``, then make the result the published release; return its path.

    ``write`` may return the files it has settled already (:func:`settle`): they are not
    read again for their checksums or synced again."""
    releases = out / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(releases)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=releases))
    staging.chmod(0o755)  # mkdtemp makes it private; a release is public
    try:
        settled = write(staging) or {}
        checksums = write_checksums(staging, settled | settle(staging, skip=settled))
        final = releases / hashlib.sha256(checksums.read_bytes()).hexdigest()[:16]
        if final.exists():
            shutil.rmtree(staging)  # the same bytes are already published
        else:
            os.rename(staging, final)
        _swap_link(out / "dist", final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _prune(releases, keep=final)
    return final


def _swap_link(link: Path, target: Path) -> None:
    if link.exists() and not link.is_symlink():
        raise RuntimeError(f"{link} exists and is not a symlink; move it away first")
    temporary = link.with_name(f".{link.name}-{os.getpid()}")
    if temporary.is_symlink():
        temporary.unlink()
    temporary.symlink_to(target.relative_to(link.parent))
    os.replace(temporary, link)


def settle(folder: Path, skip: Settled | None = None) -> Settled:
    """Sync and checksum the files ``folder`` holds now (but those in ``skip``), and say
    which: a build does this for its dumps while the validation still runs, rather than
    after it (at 1M facts, 0.9 s off the build's time; issue 23). A file must not change
    once settled."""
    settled = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name != CHECKSUMS and path.name not in (skip or {}):
            _sync(path)
            settled[path.name] = sha256_file(path)
    return settled


def _sync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _remove_leftovers(releases: Path) -> None:
    for path in releases.glob(".tmp-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in releases.parent.glob(".dist-*"):
        path.unlink(missing_ok=True)


def _prune(releases: Path, keep: Path) -> None:
    """Keep the current release and the newest previous ones (KG_KEEP_RELEASES in all):
    they stay downloadable and comparable at /releases."""
    others = sorted(
        (p for p in releases.iterdir() if p.is_dir() and p != keep and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    from kg.config import setting

    for old in others[max(int(setting("KG_KEEP_RELEASES")), 1) - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
