"""The settings module fails loudly on malformed environment values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hefei_cpe.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "PII_ENCRYPTION_KEYS",
            "PII_HASH_KEY",
            "ALLOWED_HOSTS",
        }
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import hefei_cpe.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_uses_sqlite_when_database_url_is_unset():
    result = _load_settings()
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_it_uses_postgresql_when_database_url_says_so():
    result = _load_settings(DATABASE_URL="postgres://u:p@127.0.0.1:5432/hefei")
    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is malformed"),
        ({"DEBUG": "maybe"}, "is not a boolean"),
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "s" * 50}, "PII_ENCRYPTION_KEYS and PII_HASH_KEY"),
        ({"ALLOWED_HOSTS": "a.example,,b"}, "empty item"),
    ],
)
def test_it_fails_loudly_on_malformed_values(env, message):
    result = _load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


_PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "s" * 50,
    "PII_ENCRYPTION_KEYS": "ZGV2LW9ubHktcGlpLWtleS1oZWZlaS1jcGUtMzJieXQ=",
    "PII_HASH_KEY": "h" * 32,
}


def _installed(**env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEMO", *_PRODUCTION}}
    result = subprocess.run(
        [sys.executable, "-c", "import hefei_cpe.settings as s; print(*s.INSTALLED_APPS)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_it_installs_the_demo_in_development_only_unless_asked():
    assert "apps.demo" in _installed()
    assert "apps.demo" not in _installed(**_PRODUCTION)
    assert "apps.demo" in _installed(**_PRODUCTION, DEMO="1")
    assert "apps.demo" not in _installed(DEMO="0")


def test_it_parses_strict_booleans(monkeypatch):
    monkeypatch.setenv("X", " Yes ")
    assert env_bool("X", default=False) is True
    monkeypatch.setenv("X", "off")
    assert env_bool("X", default=True) is False
    monkeypatch.setenv("X", "2")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X", default=True)


def test_it_parses_lists_and_integers(monkeypatch):
    monkeypatch.setenv("L", "a.example, b.example")
    assert env_list("L", []) == ["a.example", "b.example"]
    monkeypatch.setenv("N", "x")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 1)
    monkeypatch.setenv("N", "0")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 1, minimum=1)


def test_it_runs_in_chinese_and_shanghai_time(settings):
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == (
        "zh-hans",
        "Asia/Shanghai",
        True,
    )


def test_it_runs_the_suite_on_the_database_of_database_url(db):
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


_PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "s" * 50,
    "PII_ENCRYPTION_KEYS": "Tmg0cl9wcm9kdWN0aW9uLWtleS1vZi0zMi1ieXRlcyE=",
    "PII_HASH_KEY": "h" * 40,
}
_DEV_ENCRYPTION_KEY = "ZGV2LW9ubHktcGlpLWtleS1oZWZlaS1jcGUtMzJieXQ="


def test_it_starts_with_production_secrets():
    result = _load_settings(**_PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"PII_ENCRYPTION_KEYS": "not-a-key"}, "PII_ENCRYPTION_KEYS: item 1 is not a Fernet key"),
        (
            {"PII_ENCRYPTION_KEYS": _PRODUCTION["PII_ENCRYPTION_KEYS"] + ",short"},
            "PII_ENCRYPTION_KEYS: item 2 is not a Fernet key",
        ),
        ({"PII_ENCRYPTION_KEYS": _DEV_ENCRYPTION_KEY}, "PII_ENCRYPTION_KEYS holds the development"),
        (
            {"PII_ENCRYPTION_KEYS": _PRODUCTION["PII_ENCRYPTION_KEYS"] + "," + _DEV_ENCRYPTION_KEY},
            "PII_ENCRYPTION_KEYS holds the development",
        ),
        ({"PII_HASH_KEY": "dev-only-pii-hash-key"}, "PII_HASH_KEY is the development key"),
        ({"PII_HASH_KEY": "k"}, "PII_HASH_KEY is 1 characters long"),
        (
            {"SECRET_KEY": "dev-only-insecure-secret-key-hefei-cpe-change-me"},
            "SECRET_KEY is the development key",
        ),
        ({"SECRET_KEY": "k" * 12}, "SECRET_KEY is 12 characters long"),
    ],
)
def test_it_refuses_weak_or_malformed_secrets_when_debug_is_off(override, message):
    result = _load_settings(**{**_PRODUCTION, **override})
    assert result.returncode != 0
    assert message in result.stderr
