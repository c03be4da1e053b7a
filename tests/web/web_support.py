"""Helpers for the web tests: a browser-like client on a seeded ledger that can log in."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.api_support import PASSWORD
from coalition.asgi import create_app

LOGIN_TOKEN = re.compile(r'name="login_token" value="([^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Browser:
    """One browser: its own cookies (session), following no redirects by itself."""

    client: TestClient

    def log_in(self, user: str, password: str = PASSWORD) -> httpx.Response:
        form = self.client.get("/login")
        token = LOGIN_TOKEN.search(form.text)
        assert token, form.text
        return self.client.post(
            "/login",
            data={"username": user, "password": password, "login_token": token.group(1)},
        )

    def csrf(self, path: str = "/") -> str:
        page = self.client.get(path)
        found = CSRF.search(page.text)
        assert found, page.text
        return found.group(1)

    def post(self, path: str, data: dict[str, str], csrf_from: str = "/") -> httpx.Response:
        return self.client.post(path, data={**data, "csrf_token": self.csrf(csrf_from)})


def browser(engine: Engine) -> Browser:
    client = TestClient(create_app(engine), raise_server_exceptions=False, follow_redirects=False)
    return Browser(client)


def assert_page(response: httpx.Response, status: int = 200) -> str:
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    return response.text
