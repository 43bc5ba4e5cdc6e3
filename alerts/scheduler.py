"""`newswatch schedule`: crawls, digests and a retry sweep on their schedules, in one background service.

APScheduler 3.x with its job store in the newswatch database. Job ids are deterministic (`crawl`,
`sweep`, `digest:<subscriber>`) and reconciled with the config at start: stale jobs are removed,
changed ones replaced, unchanged ones kept with their next run time so a restart does not lose a
missed run (coalesced into one, within `schedule.misfire_grace_seconds`). Two schedulers must not
share a job store, so a lock (advisory lock on PostgreSQL, lock file beside a SQLite database;
see scheduler_lock.py) lets only one run per database, and tells `newswatch status` who runs. Crawls run in a child process (see crawl_process.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from newswatch.config import Config
from newswatch.store.db import Database

from .crawl_process import run_crawl_child
from .deliver import DeliveryOptions, DeliveryReport, deliver
from .scheduler_lock import SchedulerLock
from .schedules import crawl_trigger, describe_crawl_schedule, describe_digest_schedule, digest_trigger
from .stopping import StopOnSignals

logger = logging.getLogger(__name__)

JOBS_TABLE = "apscheduler_jobs"
JOB_CRAWL = "crawl"
JOB_SWEEP = "sweep"
DIGEST_PREFIX = "digest:"


# -- what the jobs run -------------------------------------------------------------------------------


@dataclass
class Runtime:
    """What the job functions need; jobs are stored by reference, so they find it here."""

    config: Config
    database: Database
    crawl_command: list[str] | None
    options: DeliveryOptions
    stop: threading.Event
    deliver_lock: threading.Lock = field(default_factory=threading.Lock)

    def deliver(self, only: frozenset[str] | None = None) -> DeliveryReport:
        # One delivery at a time in this process: the ledger would cope, the SMTP server need not.
        with self.deliver_lock:
            # The service's stop event: a SIGTERM ends a running delivery between two posts.
            options = DeliveryOptions(
                ledger=self.options.ledger, http=self.options.http, now=None, only=only, stop=self.stop
            )
            return deliver(self.config, self.database, options)


_RUNTIME: Runtime | None = None


def _logged(job_id: str, work: Callable[[Runtime], str]) -> None:
    """Run a job and write exactly one line about it, whatever happens."""
    runtime = _RUNTIME
    if runtime is None:
        logger.error("job %s skipped: the scheduler runtime is not set", job_id)
        return
    started = time.monotonic()
    try:
        summary = work(runtime)
    except Exception as exc:  # noqa: BLE001 - the service outlives any one failing job
        logger.error(
            "job %s failed in %.1fs: %s: %s", job_id, time.monotonic() - started, type(exc).__name__, exc
        )
        logger.debug("job %s failure details", job_id, exc_info=True)
        return
    logger.info("job %s done in %.1fs: %s", job_id, time.monotonic() - started, summary)


def crawl_job() -> None:
    def work(runtime: Runtime) -> str:
        result = run_crawl_child(
            runtime.crawl_command,
            time_limit_seconds=runtime.config.crawl.time_limit_minutes * 60,
            database_url=runtime.database.url,
            stop=runtime.stop,
        )
        if runtime.stop.is_set():
            return f"crawl {result.describe()}; delivery skipped (shutting down)"
        # Deliver even after a failed crawl: whatever it stored before failing is worth sending.
        return f"crawl {result.describe()}; deliver {runtime.deliver().summary()}"

    _logged(JOB_CRAWL, work)


def sweep_job() -> None:
    _logged(JOB_SWEEP, lambda runtime: f"deliver {runtime.deliver().summary()}")


def digest_job(subscriber: str) -> None:
    _logged(
        f"{DIGEST_PREFIX}{subscriber}",
        lambda runtime: f"deliver {runtime.deliver(frozenset({f'email:{subscriber}'})).summary()}",
    )


# -- the jobs the config asks for -------------------------------------------------------------------


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[..., None]
    trigger: BaseTrigger
    # Stored as the job's name; a different signature at start means the job is replaced.
    signature: str
    args: tuple[Any, ...] = ()
    run_at_first_start: bool = False


def desired_jobs(config: Config) -> list[JobSpec]:
    grace = config.schedule.misfire_grace_seconds
    specs = [
        JobSpec(
            JOB_CRAWL,
            crawl_job,
            crawl_trigger(config.schedule),
            f"crawl {describe_crawl_schedule(config.schedule)}, then deliver [grace {grace}s]",
            run_at_first_start=True,
        ),
        JobSpec(
            JOB_SWEEP,
            sweep_job,
            IntervalTrigger(minutes=config.schedule.retry_every_minutes),
            f"deliver every {config.schedule.retry_every_minutes} min (retries, immediate, webhooks) [grace {grace}s]",
        ),
    ]
    for subscriber in config.subscribers:
        trigger = digest_trigger(subscriber)
        if trigger is not None:
            specs.append(
                JobSpec(
                    f"{DIGEST_PREFIX}{subscriber.name}",
                    digest_job,
                    trigger,
                    f"digest {subscriber.name} {describe_digest_schedule(subscriber)} [grace {grace}s]",
                    args=(subscriber.name,),
                )
            )
    return specs


def _func_ref(func: Callable[..., None]) -> str:
    return f"{func.__module__}:{func.__qualname__}"


def reconcile(scheduler: BackgroundScheduler, specs: list[JobSpec]) -> dict[str, list[str]]:
    """Make the job store hold exactly `specs`; keep unchanged jobs as they are."""
    changes: dict[str, list[str]] = {"kept": [], "added": [], "replaced": [], "removed": []}
    wanted = {spec.id: spec for spec in specs}
    existing = {job.id: job for job in scheduler.get_jobs()}
    for job_id in existing:
        if job_id not in wanted:
            scheduler.remove_job(job_id)
            changes["removed"].append(job_id)
    for spec in specs:
        job = existing.get(spec.id)
        if (
            job is not None
            and job.name == spec.signature
            and job.func_ref == _func_ref(spec.func)
            and tuple(job.args) == spec.args
        ):
            changes["kept"].append(spec.id)
            continue
        extra: dict[str, Any] = {}
        if job is None and spec.run_at_first_start:
            extra["next_run_time"] = datetime.now(UTC)
        scheduler.add_job(
            spec.func,
            spec.trigger,
            id=spec.id,
            name=spec.signature,
            args=spec.args,
            replace_existing=True,
            **extra,
        )
        changes["replaced" if job is not None else "added"].append(spec.id)
    return changes


# -- the service ------------------------------------------------------------------------------------


def build_scheduler(config: Config, database: Database) -> BackgroundScheduler:
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=database.engine, tablename=JOBS_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": config.schedule.misfire_grace_seconds,
        },
        timezone=config.schedule.timezone,
    )


class SchedulerService:
    """Start, run until stopped, stop cleanly; `run()` is what `newswatch schedule` calls."""

    def __init__(
        self,
        config: Config,
        database: Database,
        *,
        crawl_command: list[str] | None,
        options: DeliveryOptions | None = None,
    ) -> None:
        self.config = config
        self.database = database
        self.stop_event = threading.Event()
        self.runtime = Runtime(config, database, crawl_command, options or DeliveryOptions(), self.stop_event)
        self.lock = SchedulerLock(config, database.url)
        self.scheduler: BackgroundScheduler | None = None

    def start(self) -> bool:
        """Take the lock and start the jobs; False (and nothing started) if another scheduler runs."""
        global _RUNTIME
        if not self.lock.acquire():
            logger.error(
                "scheduler not started: another scheduler holds the %s for this database",
                self.lock.describe(),
            )
            return False
        try:
            if logger.getEffectiveLevel() > logging.DEBUG:
                # Our one line per job run replaces APScheduler's "Running job"/"Added job" lines.
                logging.getLogger("apscheduler.scheduler").setLevel(logging.WARNING)
                logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
            _RUNTIME = self.runtime
            self.scheduler = build_scheduler(self.config, self.database)
            self.scheduler.start(paused=True)
            changes = reconcile(self.scheduler, desired_jobs(self.config))
            logger.info(
                "scheduler jobs: %s", ", ".join(f"{k}={','.join(v)}" for k, v in changes.items() if v)
            )
            for job in self.scheduler.get_jobs():
                logger.info("scheduler job %s next=%s: %s", job.id, job.next_run_time, job.name)
            self.scheduler.resume()
        except BaseException:
            self._teardown()
            raise
        logger.info("scheduler started (%s)", self.lock.describe())
        return True

    def stop(self) -> None:
        """Stop taking new runs, end running deliveries between two posts and a running crawl politely,
        wait for the jobs to return, release the lock."""
        self.stop_event.set()
        logger.info("scheduler stopping")
        self._teardown()
        logger.info("scheduler stopped")

    def _teardown(self) -> None:
        global _RUNTIME
        try:
            if self.scheduler is not None and self.scheduler.running:
                self.scheduler.shutdown(wait=True)
        finally:
            self.scheduler = None
            _RUNTIME = None
            self.lock.release()

    def run(self) -> int:
        """Block until SIGTERM or SIGINT; 0 after a clean stop, 1 if the service could not start."""
        with StopOnSignals(self.stop_event, "scheduler"):
            if not self.start():
                return 1
            while not self.stop_event.wait(0.5):
                pass
            self.stop()
            return 0


def next_runs(config: Config, database: Database) -> list[tuple[str, datetime | None, str]]:
    """(job id, next run, description) from the job store; empty if never started."""
    from sqlalchemy import inspect

    if not inspect(database.engine).has_table(JOBS_TABLE):
        return []
    store = SQLAlchemyJobStore(engine=database.engine, tablename=JOBS_TABLE)
    scheduler = BackgroundScheduler(timezone=config.schedule.timezone)
    store.start(scheduler, "default")
    return [(job.id, job.next_run_time, job.name) for job in store.get_all_jobs()]
