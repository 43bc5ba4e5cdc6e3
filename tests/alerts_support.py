"""Helpers for the alert tests: a config file on disk and announcements inserted through the models."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from db_support import session_scope
from sqlalchemy import select

from newswatch.config import Config, load_config
from newswatch.store.models import Announcement, AnnouncementSource, Article, Source, url_hash

REPO = Path(__file__).resolve().parents[1]
_counter = itertools.count(1)


def write_config(
    folder: Path,
    *,
    database_url: str,
    smtp_port: int | None = None,
    subscribers: list[dict[str, Any]] | None = None,
    webhooks: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Path:
    data: dict[str, Any] = {
        "database_url": database_url,
        "data_dir": str(folder / "data"),
        "mail": {
            "sender": "newswatch <alerts@newswatch.example.org>",
            "operator": "ops@newswatch.example.org",
            "outbox": "outbox",
        },
        "subscribers": subscribers
        if subscribers is not None
        else [{"name": "analyste", "email": "analyste@example.org", "frequency": "immediate"}],
        "webhooks": webhooks or [],
    }
    if smtp_port is not None:
        data["mail"]["smtp"] = {
            "host": "127.0.0.1",
            "port": smtp_port,
            "security": "none",
            "timeout_seconds": 5,
        }
    data.update(extra)
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load(path: Path) -> Config:
    return load_config(path, env={})


def add_announcement(
    database_url: str,
    investor: str = "Microsoft",
    *,
    amount_eur: float | None = 4e9,
    edition: int | None = 2024,
    sector: str | None = "cloud et intelligence artificielle",
    locations: list[str] | None = None,
    jobs: int | None = 250,
    evidence: str = "Microsoft va investir 4 milliards d'euros en France.",
    title: str | None = None,
    url: str | None = None,
    source: str = "maddyness",
    published: date | None = date(2024, 5, 13),
    first_seen_at: datetime | None = None,
    amount_text: str | None = None,
    currency: str | None = "EUR",
    extra_sources: int = 0,
) -> int:
    """Insert one announcement with its source article(s); returns the announcement id."""
    n = next(_counter)
    with session_scope(database_url) as session:
        src = session.scalar(select(Source).where(Source.name == source))
        if src is None:
            src = Source(name=source, home_url=f"http://127.0.0.1/{source}/")
            session.add(src)
            session.flush()
        announcement = Announcement(
            investor=investor,
            investor_key=investor.lower(),
            amount_eur=amount_eur,
            amount_text=amount_text or (f"{amount_eur:g} €" if amount_eur else None),
            currency=currency,
            locations=locations if locations is not None else ["Paris", "Mulhouse"],
            sector=sector,
            jobs=jobs,
            edition=edition,
            evidence=evidence,
            first_seen_at=first_seen_at or datetime.now(UTC),
        )
        session.add(announcement)
        session.flush()
        for k in range(1 + extra_sources):
            link = url or f"https://news.example.org/{source}/2024/05/13/article-{n}"
            link = link if k == 0 else f"{link}-autre-{k}"
            article = Article(
                url=link,
                url_hash=url_hash(link),
                fingerprint=url_hash(f"fp{n}-{k}"),
                source_id=src.id,
                title=title or f"{investor} annonce un investissement",
                text=evidence,
                published=published,
                language="fr",
            )
            session.add(article)
            session.flush()
            session.add(
                AnnouncementSource(announcement_id=announcement.id, article_id=article.id, evidence=evidence)
            )
        return announcement.id


def newswatch_cmd(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "newswatch", "--config", str(config), *args]


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    env.update({"NEWSWATCH_DATABASE_URL": database_url, "PYTHONPATH": str(REPO), **extra})
    return env


def ledger_rows(database_url: str, channel: str | None = None) -> list[dict[str, Any]]:
    from newswatch.store.models import Delivery

    with session_scope(database_url) as session:
        query = select(Delivery).order_by(Delivery.channel, Delivery.announcement_id)
        if channel:
            query = query.where(Delivery.channel == channel)
        return [
            {
                "channel": d.channel,
                "announcement_id": d.announcement_id,
                "state": d.state,
                "attempts": d.attempts,
                "last_error": d.last_error,
                "batch_id": d.batch_id,
            }
            for d in session.scalars(query)
        ]


def wait_until(condition: Callable[[], object], timeout: float = 10.0) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass; whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return bool(condition())


def claimed_by_a_dead_process(database_url: str, channel: str, announcement_ids: list[int]) -> None:
    """Rows left `sending` by a sender on this host that has since died, with an hour of lease left."""
    from newswatch.store import deliveries
    from newswatch.store.models import Delivery

    dead = subprocess.Popen(["true"])
    dead.wait()
    token = deliveries.new_token().split(deliveries.TOKEN_SEP)
    token[1] = str(dead.pid)
    now = datetime.now(UTC)
    with session_scope(database_url) as session:
        session.add_all(
            Delivery(
                channel=channel,
                announcement_id=a,
                state="sending",
                attempts=1,
                batch_id=deliveries.TOKEN_SEP.join(token),
                next_attempt_at=now + timedelta(hours=1),
                created_at=now,
            )
            for a in announcement_ids
        )
