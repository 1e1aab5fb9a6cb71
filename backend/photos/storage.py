"""Where photo bytes live. A local folder by default; an S3-compatible store can
implement the same two methods."""

import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from backend.config import get_settings


class PhotoStorage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes | None: ...


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError("photo keys are alphanumeric")
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)  # atomic: a reader never sees half a photo

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None


@lru_cache
def get_storage() -> PhotoStorage:
    return LocalStorage(get_settings().photo_dir)
