"""Content-addressed blob store: `DATA_DIR/blobs/ab/cdef…` holds the bytes whose sha256 is abcdef….

The same bytes are stored once; writes go to a temporary file first and are renamed into place,
so a reader never sees a partial blob.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from backend.settings import get_settings

SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1024 * 1024


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if not SHA256_PATTERN.match(sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:]

    def exists(self, sha256: str) -> bool:
        return SHA256_PATTERN.match(sha256) is not None and self.path(sha256).is_file()

    def put_bytes(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.exists(sha256):
            self._write(sha256, [data])
        return sha256

    def put_file(self, source: Path) -> str:
        """Store a file's content (hashing it while reading); returns its sha256."""
        digest = hashlib.sha256()
        with open(source, "rb") as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
        sha256 = digest.hexdigest()
        if not self.exists(sha256):
            target = self.path(sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            os.close(fd)
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
        return sha256

    def put_verified(self, sha256: str, chunks: Iterable[bytes]) -> int:
        """Store bytes that must hash to `sha256`; raises ValueError (nothing kept) if they do
        not."""
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    handle.write(chunk)
            if digest.hexdigest() != sha256:
                raise ValueError(
                    f"the bytes hash to {digest.hexdigest()}, not to {sha256}: blob refused"
                )
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return size

    def read_bytes(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def _write(self, sha256: str, chunks: Iterable[bytes]) -> None:
        self.put_verified(sha256, chunks)


def blob_store() -> BlobStore:
    return BlobStore(get_settings().blobs_dir)
