"""The wire format between llmprep and its worker: length-prefixed frames of torch.save'd documents.

A document holds only tensors, numbers, strings, bytes, lists and dicts, and is loaded with
`weights_only=True`, so a frame the submission forged or corrupted cannot execute code in
llmprep. This file imports nothing from llmprep: the worker loads it by path.
"""

from __future__ import annotations

import io
import os
import select
import struct
import time
from typing import Any

HEADER = struct.Struct("<Q")
MAX_FRAME_BYTES = 512 * 2**20


def encode_frame(document: Any) -> bytes:
    """A length-prefixed torch.save of a document."""
    import torch

    buffer = io.BytesIO()
    torch.save(document, buffer)
    payload = buffer.getvalue()
    return HEADER.pack(len(payload)) + payload


def decode_payload(payload: bytes) -> Any:
    """Load a frame's payload without executing code: weights_only refuses arbitrary pickles."""
    import torch

    return torch.load(io.BytesIO(payload), weights_only=True, map_location="cpu")


def write_frame(fd: int, document: Any) -> None:
    """Write one frame to a file descriptor (blocking until all of it is written)."""
    data = memoryview(encode_frame(document))
    while data:
        written = os.write(fd, data)
        data = data[written:]


def _read_exactly(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError("the channel closed early")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> Any:
    """Read one frame written by `write_frame` (blocking)."""
    (size,) = HEADER.unpack(_read_exactly(fd, HEADER.size))
    return decode_payload(_read_exactly(fd, size))


class FrameReader:
    """Reads dict frames from an untrusted writer, with a deadline and a size cap."""

    def __init__(self, fd: int):
        self.fd = fd
        self._buffer = b""

    def next(self, deadline: float) -> dict | None:
        """The next frame, or None at EOF; TimeoutError past `deadline` (a perf_counter time),
        ValueError for a frame that is too large or not a dict."""
        while True:
            if len(self._buffer) >= HEADER.size:
                (size,) = HEADER.unpack(self._buffer[:HEADER.size])
                if size > MAX_FRAME_BYTES:
                    raise ValueError(f"a frame of {size} bytes")
                end = HEADER.size + size
                if len(self._buffer) >= end:
                    payload, self._buffer = self._buffer[HEADER.size:end], self._buffer[end:]
                    document = decode_payload(payload)
                    if not isinstance(document, dict):
                        raise ValueError("a frame that is not a dict")
                    return document
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return None
            self._buffer += chunk
