"""Decoding a body a step at a time (pure): what servers really send, fed in any chunking."""

from __future__ import annotations

import zlib

import pytest

from checks.bodies import BodyReader, UnreadableBody


def packed(data: bytes, wbits: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("header", "wbits"),
    [("gzip", zlib.MAX_WBITS | 16), ("deflate", zlib.MAX_WBITS), ("deflate", -zlib.MAX_WBITS)],
    ids=["gzip", "zlib-deflate", "raw-deflate"],
)
@pytest.mark.parametrize("chunk", [1, 7, 1 << 16])
def test_bodies_decode_in_any_chunking(header: str, wbits: int, chunk: int) -> None:
    body = b'{"status": "ok"}' * 50
    wire = packed(body, wbits)
    reader = BodyReader(header)
    for start in range(0, len(wire), chunk):
        reader.feed(wire[start : start + chunk])
    assert reader.body == body


def test_the_limit_counts_decoded_bytes() -> None:
    reader = BodyReader("gzip", limit=1000)
    with pytest.raises(UnreadableBody, match="larger than 1000 bytes when decoded"):
        reader.feed(packed(bytes(1001), zlib.MAX_WBITS | 16))
    exact = BodyReader("gzip", limit=1000)
    exact.feed(packed(bytes(1000), zlib.MAX_WBITS | 16))
    assert exact.body == bytes(1000)


def test_identity_is_kept_as_sent() -> None:
    reader = BodyReader("identity")
    reader.feed(b"ok")
    assert reader.body == b"ok"
