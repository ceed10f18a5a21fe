"""Production serving: `check --deploy` clean under production settings, a Content-Security-
Policy on every page that no template breaks, static files served by WhiteNoise, the health
check, and scripts/serve.sh refusing an unsafe start."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parent.parent
BASH = shutil.which("bash") or "/bin/bash"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-for-the-deploy-check-only-9f8e7d6c5b4a39281706f5e4d3c2b1a0-ZYXWVU",
    "PII_ENCRYPTION_KEYS": "YmVuY2gtYW5kLXRlc3Qtb25seS1waWkta2V5LTMyYnk=",
    "PII_HASH_KEY": "a-hash-key-for-the-deploy-check-0123456789abcdef",
    "ALLOWED_HOSTS": "jxjy.hefei.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://jxjy.hefei.gov.cn",
    "REDIS_URL": "redis://127.0.0.1:6379/3",
}
# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright in this process; production
# never has it (check --deploy refuses it), so the subprocess must not inherit it either.
_STRIP = {
    "DEBUG",
    "SECRET_KEY",
    "PII_ENCRYPTION_KEYS",
    "PII_HASH_KEY",
    "ALLOWED_HOSTS",
    "PORT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _STRIP}
    env.update(changes)
    return env


def test_it_passes_check_deploy_with_no_warning_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env(**PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_turns_on_https_only_settings_when_debug_is_off():
    code = (
        "import hefei_cpe.settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.CELERY_TASK_ALWAYS_EAGER, "
        "s.DATABASES['default'].get('CONN_MAX_AGE'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_env(**PRODUCTION, DATABASE_URL="postgres://u@127.0.0.1:5432/x"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "False",
        "60",
    ]


TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "apps").glob("*/templates"))]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "an on…= handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


@pytest.mark.parametrize(
    "path",
    [p for d in TEMPLATE_DIRS for p in sorted(d.rglob("*.html")) if "/pdf/" not in str(p)],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_it_keeps_scripts_and_styles_out_of_the_page_templates(path):
    """The CSP allows scripts and styles from static files only (PDF templates never reach a
    browser, so they keep their styles)."""
    text = path.read_text()
    for pattern, what in INLINE:
        match = pattern.search(text)
        assert match is None, f"{path.name} has {what}: {match.group(0) if match else ''}"


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("anonymous", "accounts:login"),
        ("anonymous", "verification:check"),
        (Role.TRAINEE, "home"),
        (Role.TRAINEE, "credits:my_ledger"),
        (Role.DISTRICT_OFFICER, "verification:list"),
        (Role.DISTRICT_OFFICER, "jobs:list"),
        (Role.CITY_OFFICER, "admin:index"),
    ],
)
def test_it_sends_a_content_security_policy_on_every_page(personas, role, name):
    response = client_for(personas[role]).get(reverse(name))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_it_sends_the_policy_on_error_pages_too(client, db):
    response = client.get("/accounts/no-such-page/")
    assert response.status_code == 404
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_it_answers_the_health_check_without_a_session(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "Set-Cookie" not in response


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "1"}, "DEBUG=1"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"REDIS_URL": ""}, "REDIS_URL"),
        ({"DATABASE_URL": ""}, "DATABASE_URL"),
    ],
)
def test_it_refuses_to_start_the_production_stack_unsafely(env, message):
    full = _env(**PRODUCTION, DATABASE_URL="postgres://u@127.0.0.1:5432/x", PORT="8329")
    for key, value in env.items():
        if value:
            full[key] = value
        else:
            full.pop(key, None)
    result = subprocess.run(
        [BASH, "scripts/serve.sh", "--check-only"],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert message in result.stderr
