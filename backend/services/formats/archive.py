"""Reading an uploaded zip safely, and writing a zip as a stream.

Reading: every member name must be a relative path without '..', drive letters or backslashes;
links, encrypted members and more than ``max_members`` members are refused; each member is read
with a byte limit (a zip's declared sizes can lie) and all members together may not expand past
``max_expanded`` bytes, so a zip bomb stops at the limit. Nothing in an archive is executed or
unpickled.

Writing: :class:`ZipStream` writes members one after another into a zip whose bytes are yielded
as they are made (no seeking: sizes go in data descriptors), so an export of any size streams
with little memory.
"""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterator
from typing import IO

from backend.services.errors import TooLarge
from backend.services.formats import ImportRefused, Problem
from backend.services.sizes import human_size, over_limit


class Archive:
    """The members of an uploaded zip (or one lone file), read on demand within limits."""

    def __init__(self, members: dict[str, zipfile.ZipInfo], zf: zipfile.ZipFile | None) -> None:
        self.members = members
        self._zip = zf
        self._lone: dict[str, bytes] = {}
        self.expanded = 0
        self.max_expanded = 0

    @classmethod
    def lone(cls, name: str, data: bytes) -> Archive:
        archive = cls({}, None)
        archive._lone[name] = data
        archive.members = {name: zipfile.ZipInfo(name)}
        return archive

    @property
    def names(self) -> list[str]:
        return list(self.members)

    def read(self, name: str, limit: int) -> bytes:
        """A member's bytes; TooLarge past ``limit`` or past the archive's expansion budget."""
        if name in self._lone:
            return self._lone[name]
        assert self._zip is not None
        info = self.members[name]
        if info.file_size > limit:
            raise TooLarge(f"{name}: {over_limit(info.file_size, limit)}")
        with self._zip.open(info) as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(f"{name}: over the limit of {human_size(limit)}")
        self.expanded += len(data)
        if self.expanded > self.max_expanded:
            raise TooLarge(
                f"the archive expands past {human_size(self.max_expanded)} (zip bomb?); "
                "split it into smaller imports"
            )
        return data


def open_zip(handle: IO[bytes], max_members: int, max_expanded: int) -> Archive:
    """The safe members of a zip (folders left out); ImportRefused naming each unsafe one."""
    try:
        zf = zipfile.ZipFile(handle)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportRefused([Problem("the archive", f"not a readable zip file: {error}")]) from None
    if len(infos) > max_members:
        raise TooLarge(f"the archive has {len(infos)} members, over the limit of {max_members}")
    problems: list[Problem] = []
    members: dict[str, zipfile.ZipInfo] = {}
    declared = 0
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        reason = unsafe_name(name)
        if reason is None and stat.S_ISLNK(info.external_attr >> 16):
            reason = "a symbolic link; only plain files are read"
        if reason is None and info.flag_bits & 0x1:
            reason = "encrypted; encrypted members are not read"
        if reason is None and name in members:
            reason = "appears twice in the archive"
        if reason is not None:
            problems.append(Problem(name, reason))
            continue
        if name.startswith("__MACOSX/") or name.rsplit("/", 1)[-1].startswith("._"):
            continue  # macOS resource forks
        declared += info.file_size
        members[name] = info
    if problems:
        raise ImportRefused(problems)
    if declared > max_expanded:
        raise TooLarge(f"the archive expands to {over_limit(declared, max_expanded)}")
    archive = Archive(members, zf)
    archive.max_expanded = max_expanded
    return archive


def unsafe_name(name: str) -> str | None:
    """Why a member name is refused, or None."""
    if "\\" in name:
        return "a path with backslashes is refused"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "an absolute path is refused"
    if any(part == ".." for part in name.split("/")):
        return "a path with '..' is refused (path traversal)"
    if any(ord(c) < 32 for c in name):
        return "a name with control characters is refused"
    return None


class _Sink:
    """A write-only stream whose bytes are collected until taken."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


class ZipStream:
    """A zip written member by member; ``write`` and ``close`` return the bytes made so far."""

    CHUNK = 1 << 20

    def __init__(self) -> None:
        self._sink = _Sink()
        self._zip = zipfile.ZipFile(self._sink, "w", compression=zipfile.ZIP_DEFLATED)

    def write(self, name: str, data: bytes, compress: bool = True) -> Iterator[bytes]:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        with self._zip.open(info, "w", force_zip64=len(data) > (1 << 31)) as out:
            for start in range(0, len(data), self.CHUNK):
                out.write(data[start : start + self.CHUNK])
                chunk = self._sink.take()
                if chunk:
                    yield chunk
        chunk = self._sink.take()
        if chunk:
            yield chunk

    def close(self) -> bytes:
        self._zip.close()
        return self._sink.take()
