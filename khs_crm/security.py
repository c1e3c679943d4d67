"""Passwords (bcrypt) and the RS256 key pair used for API tokens."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

import bcrypt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from khs_crm.settings import get_settings

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024


class WeakPasswordError(ValueError):
    """The password does not meet the rules."""


def _prehash(password: str) -> bytes:
    """bcrypt reads at most 72 bytes: longer passwords are first reduced with SHA-256.

    Without this, bcrypt 5 raises on long input and older versions silently truncate.
    The base64 digest is 44 bytes, below the limit, and has no NUL bytes.
    """
    import base64
    import hashlib

    raw = password.encode("utf-8")
    if len(raw) <= 72:
        return raw
    return base64.b64encode(hashlib.sha256(raw).digest())


def check_password_rules(password: str) -> None:
    """Raise WeakPasswordError when the password is too short, too long or blank."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPasswordError(f"Use at most {MAX_PASSWORD_LENGTH} characters.")
    if not password.strip():
        raise WeakPasswordError("The password cannot be only spaces.")


def hash_password(password: str) -> str:
    """Hash a password with bcrypt at the configured cost (12 by default)."""
    rounds = get_settings().bcrypt_rounds
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True when the password matches; never raises on odd input."""
    try:
        return bcrypt.checkpw(_prehash(password), password_hash.encode("ascii"))
    except (ValueError, TypeError):
        return False


@lru_cache
def dummy_hash() -> str:
    """A real hash to check against when the account does not exist, so timing does not tell."""
    return hash_password("not-a-real-password-at-all")


_KEYS_LOCK = threading.Lock()


def ensure_key_pair() -> tuple[Path, Path]:
    """Return the key paths, generating a pair into the data folder when none is configured.

    The first requests of a new install may ask at the same moment: one thread generates,
    the others wait for it (a token signed with a discarded key would never verify)."""
    with _KEYS_LOCK:
        return _ensure_key_pair()


def _ensure_key_pair() -> tuple[Path, Path]:
    settings = get_settings()
    private, public = settings.private_key_path, settings.public_key_path
    if private.exists() and public.exists():
        return private, public
    if not settings.generated_keys:
        raise FileNotFoundError(f"JWT key not found: {private}")
    private.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


@lru_cache
def signing_keys() -> tuple[bytes, bytes]:
    """The (private, public) PEM bytes for RS256."""
    private, public = ensure_key_pair()
    return private.read_bytes(), public.read_bytes()


def loaded_signing_keys() -> tuple[rsa.RSAPrivateKey, rsa.RSAPublicKey]:
    """The RS256 key pair, parsed once per process: parsing the private PEM (with its
    consistency checks) costs ~40 ms of CPU, far more than signing a token with it."""
    return _parsed(*signing_keys())


@lru_cache(maxsize=4)
def _parsed(private_pem: bytes, public_pem: bytes) -> tuple[rsa.RSAPrivateKey, rsa.RSAPublicKey]:
    private = serialization.load_pem_private_key(private_pem, password=None)
    public = serialization.load_pem_public_key(public_pem)
    if not isinstance(private, rsa.RSAPrivateKey) or not isinstance(public, rsa.RSAPublicKey):
        raise ValueError("The JWT signing keys must be an RSA key pair.")
    return private, public
