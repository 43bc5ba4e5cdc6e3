"""`newswatch serve`: the read-only web view, served by uvicorn, beside `schedule` or on its own."""

from __future__ import annotations

import re
import socket
import sys

import click

from newswatch.cli.app import AppContext, pass_app

# uvicorn's default backlog, which it keeps when it starts serving on this socket.
LISTEN_BACKLOG = 2048


def _masked(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]+@", r"//\1:***@", url)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port), opened before uvicorn starts so the real URL is known.
    It listens at once: a client that reads the printed URL and connects before uvicorn is up waits in
    the backlog instead of being refused."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(LISTEN_BACKLOG)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def view_url(host: str, port: int) -> str:
    shown = (
        "127.0.0.1" if host in ("0.0.0.0", "") else (f"[{host}]" if ":" in host and "[" not in host else host)
    )
    return f"http://{shown}:{port}/"


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on (default: web.host, 127.0.0.1).")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Port (default: web.port, 8000; 0 takes any free port).",
)
@pass_app
def serve(app: AppContext, host: str | None, port: int | None) -> None:
    """Serve the web view: announcements, charts, crawl health, Atom feed, JSON API, /healthz, /metrics.

    \b
    Read-only over the same database as the other commands (SQLite or PostgreSQL); the one write
    is the signed one-click unsubscribe POST. Runs beside `newswatch schedule` or alone; Ctrl-C or
    SIGTERM stops it.
    """
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from newswatch.geo import geography
    from web.app import create_app

    config = app.config
    host = host or config.web.host
    port = config.web.port if port is None else port
    try:
        app.open_database()
    except SQLAlchemyError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        click.echo(f"newswatch: database error ({_masked(app.database_url)}): {first}", err=True)
        sys.exit(1)
    geography()  # loaded now rather than on the first request
    try:
        sock = bind(host, port)
    except OSError as exc:
        click.echo(f"newswatch: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    url = view_url(host, sock.getsockname()[1])
    click.echo(f"newswatch: web view on {url} (database {_masked(app.database_url)}; Ctrl-C to stop)")
    sys.stdout.flush()
    # The unsubscribe links are checked against the subscribers of the file as it is then.
    web = create_app(config, app.database, reload=app.read_config)
    server = uvicorn.Server(
        uvicorn.Config(web, log_config=None, server_header=False, timeout_graceful_shutdown=10)
    )
    server.run(sockets=[sock])


COMMANDS = [serve]
