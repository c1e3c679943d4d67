import pytest

from khs_crm import security


def test_hash_and_verify_round_trip():
    hashed = security.hash_password("correct horse battery")
    assert hashed.startswith("$2b$")
    assert security.verify_password("correct horse battery", hashed)
    assert not security.verify_password("correct horse batterz", hashed)


def test_long_unicode_passwords_are_not_truncated():
    # 80 characters of 3-byte UTF-8: 240 bytes, far past bcrypt's 72-byte limit.
    base = "密" * 80
    hashed = security.hash_password(base)
    assert security.verify_password(base, hashed)
    # A password that differs only after byte 72 must not verify.
    assert not security.verify_password(base[:-1] + "码", hashed)


def test_verify_never_raises_on_garbage_hash():
    assert security.verify_password("whatever-password", "not-a-hash") is False


@pytest.mark.parametrize("password", ["short", "123456789", " " * 12])
def test_password_rules(password):
    with pytest.raises(security.WeakPasswordError):
        security.check_password_rules(password)


def test_default_cost_is_twelve(monkeypatch):
    from khs_crm.settings import Settings

    monkeypatch.delenv("KHS_BCRYPT_ROUNDS")
    assert Settings().bcrypt_rounds == 12


def test_key_pair_is_generated_once(monkeypatch, tmp_path):
    from tests.support.databases import reset_caches

    monkeypatch.setenv("KHS_DATA_DIR", str(tmp_path))
    reset_caches()
    private, public = security.ensure_key_pair()
    first = private.read_bytes()
    assert b"PRIVATE KEY" in first and b"PUBLIC KEY" in public.read_bytes()
    assert (private.stat().st_mode & 0o777) == 0o600
    security.ensure_key_pair()
    assert private.read_bytes() == first
    reset_caches()


def test_the_first_tokens_of_a_new_install_all_verify(tmp_path, monkeypatch):
    """Several threads asking for the signing keys at once get one pair between them."""
    import threading

    from khs_crm import security
    from tests.support import databases

    monkeypatch.setenv("KHS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KHS_JWT_PRIVATE_KEY_PATH", raising=False)
    monkeypatch.delenv("KHS_JWT_PUBLIC_KEY_PATH", raising=False)
    databases.reset_caches()
    start, pairs = threading.Barrier(6), []

    def ask() -> None:
        start.wait()
        pairs.append(security.signing_keys()[0])

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    private, _public = security.ensure_key_pair()
    databases.reset_caches()
    assert len(pairs) == 6 and set(pairs) == {private.read_bytes()}
