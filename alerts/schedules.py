"""When is a subscriber's digest due? The triggers shared by the delivery run and the scheduler."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from newswatch.config import Schedule, Subscriber

ONE_MICROSECOND = timedelta(microseconds=1)


def digest_trigger(subscriber: Subscriber) -> CronTrigger | None:
    """The subscriber's digest times in their own time zone; None for `immediate` (every run)."""
    zone = ZoneInfo(subscriber.timezone)
    if subscriber.frequency == "immediate":
        return None
    if subscriber.frequency == "daily":
        return CronTrigger(hour=subscriber.at.hour, minute=subscriber.at.minute, timezone=zone)
    if subscriber.frequency == "weekly":
        return CronTrigger(
            day_of_week=subscriber.day, hour=subscriber.at.hour, minute=subscriber.at.minute, timezone=zone
        )
    assert subscriber.cron is not None  # the config validator guarantees it
    return CronTrigger.from_crontab(subscriber.cron, timezone=zone)


def describe_digest_schedule(subscriber: Subscriber) -> str:
    if subscriber.frequency == "immediate":
        return "immediate (every delivery run)"
    if subscriber.frequency == "daily":
        return f"daily {subscriber.at:%H:%M} {subscriber.timezone}"
    if subscriber.frequency == "weekly":
        return f"weekly {subscriber.day} {subscriber.at:%H:%M} {subscriber.timezone}"
    return f"cron '{subscriber.cron}' {subscriber.timezone}"


def next_digest_time(subscriber: Subscriber, after: datetime) -> datetime | None:
    """The first digest time strictly after `after`."""
    trigger = digest_trigger(subscriber)
    if trigger is None:
        return after
    fire_time: datetime | None = trigger.get_next_fire_time(None, after + ONE_MICROSECOND)
    return fire_time


def digest_due(
    subscriber: Subscriber, *, last_sent_at: datetime | None, first_seen: datetime, now: datetime
) -> bool:
    """Due when a digest time has passed since the last digest or, before the first one, since the
    channel was first seen: a new subscriber's first digest comes at its next scheduled time, never
    at the moment the subscriber appears."""
    if subscriber.frequency == "immediate":
        return True
    following = next_digest_time(subscriber, last_sent_at or first_seen)
    return following is not None and following <= now


def crawl_trigger(schedule: Schedule) -> BaseTrigger:
    zone = ZoneInfo(schedule.timezone)
    if schedule.crawl_cron:
        return CronTrigger.from_crontab(schedule.crawl_cron, timezone=zone)
    return IntervalTrigger(minutes=schedule.crawl_every_minutes, timezone=zone)


def describe_crawl_schedule(schedule: Schedule) -> str:
    if schedule.crawl_cron:
        return f"cron '{schedule.crawl_cron}' {schedule.timezone}"
    return f"every {schedule.crawl_every_minutes} min"
