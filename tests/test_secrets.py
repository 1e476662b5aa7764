"""Passwords are hashed with argon2id at production cost; any stored hash verifies."""

from __future__ import annotations

from typing import Any

from chalicelib.core import secrets


def test_production_hashes_use_argon2id_with_owasp_parameters(monkeypatch: Any) -> None:
    from chalicelib.core.config import reset_settings

    monkeypatch.delenv("ARGON2_MEMORY_KIB", raising=False)
    reset_settings()
    stored = secrets.hash_secret("Un-mot-de-passe#2031")
    assert stored.startswith("$argon2id$v=19$m=47104,t=1,p=1$")
    assert secrets.verify_secret(stored, "Un-mot-de-passe#2031")
    assert not secrets.verify_secret(stored, "un-mot-de-passe#2031")
    reset_settings()


def test_a_hash_made_with_other_parameters_still_verifies(monkeypatch: Any) -> None:
    from chalicelib.core.config import reset_settings

    monkeypatch.setenv("ARGON2_MEMORY_KIB", "1024")
    reset_settings()
    cheap = secrets.hash_secret("Passe-partout#77")
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "47104")
    reset_settings()
    assert secrets.verify_secret(cheap, "Passe-partout#77")
    reset_settings()


def test_nfkc_equivalent_passwords_verify() -> None:
    stored = secrets.hash_secret("ｍｏｔ-de-passe＃2031")  # full-width forms
    assert secrets.verify_secret(stored, "mot-de-passe#2031")


def test_unknown_accounts_cost_a_hash_and_never_match() -> None:
    assert secrets.verify_secret(None, "anything-at-all") is False
    assert secrets.verify_secret("not-a-hash", "anything-at-all") is False
