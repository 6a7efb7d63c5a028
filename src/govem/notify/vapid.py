"""VAPID keys for Web Push, kept in the Govem storage (``private/vapid/private_key.pem``):
every node's worker signs with the same key the browsers subscribed to. On the local storage
the file is 0600 like every stored file; a key left by older versions in
``DATA_DIR/vapid/`` is moved into the storage on first use."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

from govem.files import store as files

KEY_NAME = "private/vapid/private_key.pem"


@dataclass(frozen=True)
class VapidKeys:
    private_pem: bytes
    public_key: str  # base64url, uncompressed P-256 point: the browser's applicationServerKey
    stored_as: str = KEY_NAME

    def signer(self) -> Any:
        """The key as pywebpush's ``vapid_private_key`` (a py_vapid instance)."""
        # py_vapid (and its cryptography backend) only when a web push is signed
        from py_vapid import Vapid

        return Vapid.from_pem(self.private_pem)


def legacy_dir() -> Path:
    return Path(settings.DATA_DIR) / "vapid"


def _public_of(private: ec.EllipticCurvePrivateKey) -> str:
    raw = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _keys(pem: bytes) -> VapidKeys:
    private = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    return VapidKeys(pem, _public_of(private))


def load() -> VapidKeys | None:
    pem = files.read(KEY_NAME)
    if pem is None:
        legacy = legacy_dir() / "private_key.pem"
        if not legacy.exists():
            return None
        pem = legacy.read_bytes()
        files.put(KEY_NAME, pem)
    return _keys(pem)


def create(*, replace: bool = False) -> tuple[VapidKeys, bool]:
    """The keys, created when missing (or when ``replace``); True when they are new.

    Replacing keys invalidates every browser subscription: they were made for the old key.
    """
    existing = load()
    if existing is not None and not replace:
        return existing, False
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    files.put(KEY_NAME, pem)
    (legacy_dir() / "private_key.pem").unlink(missing_ok=True)
    return _keys(pem), True


def subject() -> str:
    """The contact the push services may write to (``mailto:`` or ``https:``)."""
    configured: str = settings.GOVEM_NOTIFY["VAPID_SUBJECT"]
    if configured:
        return configured
    sender = settings.DEFAULT_FROM_EMAIL
    address = sender.split("<")[-1].rstrip(">").strip()
    return f"mailto:{address}"
