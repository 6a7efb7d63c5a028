"""VAPID keys for Web Push, kept in the data dir (private key readable by the owner only)."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings


@dataclass(frozen=True)
class VapidKeys:
    private_key_path: Path
    public_key: str  # base64url, uncompressed P-256 point: the browser's applicationServerKey


def key_dir() -> Path:
    return Path(settings.DATA_DIR) / "vapid"


def _public_of(private: ec.EllipticCurvePrivateKey) -> str:
    raw = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def load() -> VapidKeys | None:
    path = key_dir() / "private_key.pem"
    if not path.exists():
        return None
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    return VapidKeys(path, _public_of(private))


def create(*, replace: bool = False) -> tuple[VapidKeys, bool]:
    """The keys, created when missing (or when ``replace``); True when they are new.

    Replacing keys invalidates every browser subscription: they were made for the old key.
    """
    existing = load()
    if existing is not None and not replace:
        return existing, False
    directory = key_dir()
    directory.mkdir(parents=True, exist_ok=True)
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = directory / "private_key.pem"
    temporary = directory / "private_key.pem.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    temporary.replace(path)
    public = _public_of(private)
    (directory / "public_key.txt").write_text(public + "\n")
    return VapidKeys(path, public), True


def subject() -> str:
    """The contact the push services may write to (``mailto:`` or ``https:``)."""
    configured = settings.GOVEM_NOTIFY["VAPID_SUBJECT"]
    if configured:
        return configured
    sender = settings.DEFAULT_FROM_EMAIL
    address = sender.split("<")[-1].rstrip(">").strip()
    return f"mailto:{address}"
