"""Schemathesis hooks for scripts/schemathesis.sh: the two binary uploads get bodies of their
kind (a recording must look like audio, a PDF must start with %PDF-), as their routes demand."""

from hypothesis import strategies as st

import schemathesis

WAV = (
    b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00"
    b"\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"
)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

schemathesis.openapi.media_type("audio/*", st.sampled_from([WAV, b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" * 8]))
schemathesis.openapi.media_type("application/pdf", st.sampled_from([PDF]))
