"""REST API benchmark: 50 concurrent clients on 127.0.0.1 against list, detail and If-Match update.

Run: .venv/bin/python bench/api.py [--clients 50] [--requests 40] [--cap 60] [--backend both]

For each backend (SQLite in a temporary folder; PostgreSQL in a fresh schema of the server
named by COALITION_BENCH_POSTGRES_URL, default the test server at 127.0.0.1:5432/test) it
builds the demo database (`coalition demo`), adds an admin and a token, starts a real uvicorn
on 127.0.0.1 at a free port serving `coalition.api.app:create_app()` with one trivial endpoint
added (`GET /bench/ping`: the ceiling, the same server and middleware, measured in the same
run), and drives the clients with one asyncio `httpx.AsyncClient`: each client sends a fixed
number of requests to one endpoint at a time, and every phase stops at the time cap anyway.
The update phase gives each client its own offer (GET for the ETag, then PATCH with If-Match),
so it measures the update path, not contention (that is a test's job: 412 for every loser).

The table: requests/s, p50 and p99 latency per endpoint, and the answers that were not 2xx.
The issue's target: p99 < 50 ms at 50 clients on SQLite. Latencies include the client's own
scheduling (client and server share the machine), so they are an upper bound.

While `coalition.api` is not in the tree, only the ceiling is measured and the API's rows say
so. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
API = "/api/v1"
PING = "/bench/ping"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ADMIN = "bench-admin"


# --- the server (runs in its own process: `bench/api.py serve PORT`) ----------------------------


def build_app() -> Any:
    from fastapi import FastAPI

    try:
        from coalition.api.app import create_app
    except ImportError:
        app = FastAPI()
    else:
        app = create_app()

    async def ping() -> dict[str, bool]:
        return {"ok": True}

    app.add_api_route(PING, ping, methods=["GET"])
    return app


def serve(port: int) -> None:
    import uvicorn

    uvicorn.run(build_app(), host=HOST, port=port, log_level="warning", access_log=False)


# --- set-up --------------------------------------------------------------------------------------


def api_available() -> bool:
    try:
        import coalition.api.app  # noqa: F401
    except ImportError:
        return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def database(backend: str, folder: Path) -> Iterator[tuple[str, dict[str, str]] | None]:
    """(URL, environment) of a database for the backend, or None when it cannot be reached.

    PostgreSQL: a fresh schema, chosen through libpq's PGOPTIONS (a search_path in the URL would
    have to be %-encoded, which Alembic's configuration cannot hold)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}", {}
        return
    from sqlalchemy import create_engine, text

    base = os.environ.get("COALITION_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        print(f"PostgreSQL at {base} not reachable ({type(error).__name__}): skipped")
        yield None
        return
    options = f"-csearch_path={schema}"
    wanted = os.environ.get("PGOPTIONS")
    os.environ["PGOPTIONS"] = options  # for this process's own engine (the admin token)
    try:
        yield base, {"PGOPTIONS": options}
    finally:
        if wanted is None:
            os.environ.pop("PGOPTIONS", None)
        else:
            os.environ["PGOPTIONS"] = wanted
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def build_demo(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "coalition", "demo"], env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def token_and_offers(url: str, clients: int) -> tuple[str, list[str]]:
    """An admin's API token, and one offer key per client (for its updates)."""
    from coalition.domain.access import Principal, Role
    from coalition.registries.kinds import OFFERS
    from coalition.services import accounts
    from coalition.services.database import engine_for, reading, writing

    engine = engine_for(url)
    admin = Principal(ADMIN, Role.ADMIN)
    with writing(admin, engine) as uow:  # the demo's own accounts are left as they are
        accounts.add_user(uow, ADMIN, "admin", None, secrets.token_urlsafe(24))
    with writing(admin, engine) as uow:
        token = accounts.issue_token(uow, ADMIN, 1)
    with reading(admin, engine) as uow:
        keys = [OFFERS.key_of(r) for r in uow.records(OFFERS).find()][:clients]
    engine.dispose()
    return token, keys


@contextmanager
def server(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, __file__, "serve", str(port)], env=env)
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the API server stopped at start-up (exit {process.returncode})")
        try:
            if httpx.get(base + PING, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("the API server did not answer within 60 s")


# --- the load ------------------------------------------------------------------------------------


@dataclass
class Result:
    endpoint: str
    latencies: list[float] = field(default_factory=list)
    not_ok: dict[int, int] = field(default_factory=dict)
    wall: float = 0.0
    note: str = ""

    def row(self) -> list[str]:
        if self.note:
            return [self.endpoint, "-", "-", "-", "-", self.note]
        n = len(self.latencies)
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive") if n > 1 else []
        p50 = statistics.median(self.latencies) if n else float("nan")
        p99 = cuts[98] if cuts else p50
        failures = ", ".join(f"{status}×{count}" for status, count in sorted(self.not_ok.items()))
        return [
            self.endpoint,
            str(n),
            f"{n / self.wall:,.0f}" if self.wall else "-",
            f"{1000 * p50:.1f}",
            f"{1000 * p99:.1f}",
            failures or "none",
        ]


Request = Callable[[Any, int, int], Awaitable[int]]


async def phase(
    base: str, headers: dict[str, str], name: str, request: Request, clients: int,
    per_client: int, cap_s: float,
) -> Result:  # fmt: skip
    import httpx

    assert base.startswith(f"http://{HOST}:"), "the benchmark only talks to 127.0.0.1"
    result = Result(name)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as c:
        for k in range(min(clients, 5)):  # warm-up: connections, caches
            await request(c, k, -1)
        deadline = time.perf_counter() + cap_s

        async def client(k: int) -> None:
            for i in range(per_client):
                if time.perf_counter() > deadline:
                    return
                start = time.perf_counter()
                status = await request(c, k, i)
                result.latencies.append(time.perf_counter() - start)
                if not 200 <= status < 300:
                    result.not_ok[status] = result.not_ok.get(status, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(client(k) for k in range(clients)))
        result.wall = time.perf_counter() - began
    return result


def requests_for(keys: list[str]) -> dict[str, Request]:
    async def ping(c: Any, k: int, i: int) -> int:
        return int((await c.get(PING)).status_code)

    async def listing(c: Any, k: int, i: int) -> int:
        return int((await c.get(f"{API}/offers", params={"limit": 50})).status_code)

    async def detail(c: Any, k: int, i: int) -> int:
        return int((await c.get(f"{API}/offers/{keys[k % len(keys)]}")).status_code)

    etags: dict[int, tuple[str, int]] = {}

    async def update(c: Any, k: int, i: int) -> int:
        # Each client updates its own offer: read its ETag once, then PATCH with If-Match,
        # taking the new ETag from each answer (a 412 means someone else wrote: read again).
        key = keys[k % len(keys)]
        if k not in etags:
            got = await c.get(f"{API}/offers/{key}")
            etags[k] = (got.headers.get("etag", ""), int(got.json().get("quantity", 1)))
        etag, quantity = etags[k]
        quantity = quantity + 1 if i % 2 == 0 else max(1, quantity - 1)
        answer = await c.patch(
            f"{API}/offers/{key}", json={"quantity": str(quantity)}, headers={"If-Match": etag}
        )
        if answer.status_code < 300:
            etags[k] = (answer.headers.get("etag", etag), quantity)
        else:
            etags.pop(k, None)
        return int(answer.status_code)

    return {
        f"GET {PING} (ceiling)": ping,
        f"GET {API}/offers?limit=50": listing,
        f"GET {API}/offers/{{key}}": detail,
        f"PATCH {API}/offers/{{key}} If-Match": update,
    }


def run_backend(backend: str, args: argparse.Namespace) -> list[Result] | None:
    with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp)) as found:
        if found is None:
            return None
        url, extra = found
        env = {
            **os.environ,
            **extra,
            "COALITION_DATABASE_URL": url,
            "COALITION_LOG_FILE": str(Path(tmp) / "coalition.log"),
        }
        print(f"[{backend}] building the demo database…", flush=True)
        build_demo(env)
        token, keys = token_and_offers(url, args.clients)
        headers = {"Authorization": f"Bearer {token}"}
        available = api_available()
        results = []
        with server(env) as base:
            for name, request in requests_for(keys).items():
                if not available and not name.endswith("(ceiling)"):
                    results.append(Result(name, note="not measured: coalition.api not in tree"))
                    continue
                print(f"[{backend}] {name}…", flush=True)
                results.append(
                    asyncio.run(
                        phase(base, headers, name, request, args.clients, args.requests, args.cap)
                    )
                )
        return results


def render(backend: str, results: list[Result], args: argparse.Namespace) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"{backend}: {args.clients} clients × {args.requests} requests "
        f"(cap {args.cap:g} s per endpoint)"
    )
    for column in ("endpoint", "requests", "req/s", "p50 ms", "p99 ms", "not 2xx"):
        table.add_column(column, justify="left" if column in ("endpoint", "not 2xx") else "right")
    for result in results:
        table.add_row(*result.row())
    Console(width=120).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="requests per client")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds per endpoint at most")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    figures: dict[str, list[list[str]]] = {}
    for backend in backends:
        results = run_backend(backend, args)
        if results is not None:
            render(backend, results, args)
            figures[backend] = [r.row() for r in results]
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        main()
