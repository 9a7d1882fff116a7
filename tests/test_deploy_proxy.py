"""The reverse proxy the project ships for the compose deployment (deploy/nginx.conf) parses, limits
the request body like the app, and sends the client address the way TRUSTED_PROXY_COUNT=1 expects;
compose trusts exactly that one proxy and lets nothing else reach gunicorn (issue 8, items 2 and 5)."""

import re
from pathlib import Path

import crossplane
import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
NGINX = ROOT / "deploy" / "nginx.conf"
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _parse(site_config: Path, tmp_path: Path) -> dict:
    """nginx's own structure: the site file is included in `http {}` like /etc/nginx/conf.d/*.conf."""
    main = tmp_path / "nginx.conf"
    main.write_text(f"events {{}}\nhttp {{ include {site_config}; }}\n")
    return crossplane.parse(str(main), combine=True, strict=True)  # unknown directives are errors


def _directives(block: list[dict]):
    for directive in block:
        yield directive
        yield from _directives(directive.get("block", []))


@pytest.fixture
def nginx(tmp_path):
    parsed = _parse(NGINX, tmp_path)
    assert parsed["status"] == "ok", parsed["errors"]
    return list(_directives(parsed["config"][0]["parsed"]))


def test_a_broken_config_does_not_parse(tmp_path):
    broken = tmp_path / "broken.conf"
    broken.write_text(NGINX.read_text().replace("client_max_body_size", "client_max_bodysize"))
    assert _parse(broken, tmp_path)["status"] == "failed"


def test_the_proxy_limits_the_body_like_the_app(nginx):
    sizes = [d["args"] for d in nginx if d["directive"] == "client_max_body_size"]
    assert sizes == [[f"{settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)}m"]]


def test_the_proxy_replaces_x_forwarded_for_and_sends_the_scheme(nginx):
    headers = {d["args"][0]: d["args"][1] for d in nginx if d["directive"] == "proxy_set_header"}
    assert headers["X-Forwarded-For"] == "$remote_addr"  # nothing the client wrote survives
    assert headers["X-Forwarded-Proto"] == "$scheme"  # SECURE_PROXY_SSL_HEADER
    assert headers["Host"] == "$host"
    upstream = next(d for d in nginx if d["directive"] == "upstream")
    assert [d["args"] for d in upstream["block"] if d["directive"] == "server"] == [["127.0.0.1:8000"]]


def test_compose_trusts_one_proxy_and_binds_gunicorn_to_loopback():
    environment = COMPOSE["x-app"]["environment"]
    assert re.fullmatch(r"\$\{TRUSTED_PROXY_COUNT:-1\}", environment["TRUSTED_PROXY_COUNT"])
    assert COMPOSE["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]
