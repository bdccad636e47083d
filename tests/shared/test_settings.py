"""With DEBUG off the site refuses to start on a default or empty secret."""

import os
import subprocess
import sys

import pytest

CHECK = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='xuncha.settings'; django.setup(); print('started')"


def run_with(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("secret", ["", "xuncha-development-only-not-secret", "short"])
def test_refuses_to_start_without_a_real_secret(secret):
    result = run_with({"DEBUG": "0", "SECRET_KEY": secret})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_starts_with_a_real_secret():
    result = run_with({"DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "example.org"})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_refuses_to_start_without_a_database_url():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DEBUG"] = "1"
    result = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "DATABASE_URL is not set" in result.stderr
