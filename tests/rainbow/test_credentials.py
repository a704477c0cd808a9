"""The login headers, checked against the documented formula (Rainbow auth API 1.104.0, GET /login)."""

import base64
import hashlib

from pydantic import SecretStr

from bot.rainbow.credentials import Redactor, Secret, app_auth_header, basic_auth_header


def test_app_auth_header_matches_documented_formula() -> None:
    app_id, app_secret, password = "app-123", "s3cr3t-app", "P@ss:wörd"
    digest = hashlib.sha256(("s3cr3t-app" + "P@ss:wörd").encode()).hexdigest()
    expected = "Basic " + base64.b64encode(f"app-123:{digest}".encode()).decode()

    assert app_auth_header(app_id, Secret(app_secret), Secret(password)) == expected


def test_app_auth_digest_is_lowercase_hex_without_separator() -> None:
    header = app_auth_header("id", Secret("secret"), Secret("pw"))
    decoded = base64.b64decode(header.removeprefix("Basic ")).decode()
    app_id, digest = decoded.split(":")

    assert app_id == "id"
    assert digest == hashlib.sha256(b"secretpw").hexdigest()
    assert digest == digest.lower() and len(digest) == 64


def test_basic_auth_header() -> None:
    expected = "Basic " + base64.b64encode(b"bot@reseller.example.com:pw:with:colons").decode()
    assert basic_auth_header("bot@reseller.example.com", Secret("pw:with:colons")) == expected


def test_secret_accepts_pydantic_secretstr_and_hides_itself() -> None:
    secret = Secret(SecretStr("hunter2"))

    assert secret.reveal() == "hunter2"
    assert "hunter2" not in repr(secret)
    assert "hunter2" not in str(secret)


def test_redactor_scrubs_secrets_and_jwts() -> None:
    redact = Redactor(Secret("hunter2"), Secret("app-secret"))
    jwt_like = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjoxfQ.c2lnbmF0dXJl"

    cleaned = redact(f"bad password hunter2 for app-secret with token {jwt_like}")

    assert cleaned is not None
    assert "hunter2" not in cleaned
    assert "app-secret" not in cleaned
    assert jwt_like not in cleaned


def test_basic_auth_is_latin1_like_the_official_sdk() -> None:
    """Rainbow-Node-SDK: btoa(login + ":" + password), npm btoa = Buffer.from(str, "binary") = Latin-1."""
    expected = "Basic " + base64.b64encode("bot@reseller.example.com:pässwörd".encode("latin-1")).decode()

    assert basic_auth_header("bot@reseller.example.com", Secret("pässwörd")) == expected
