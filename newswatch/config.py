"""The one place where config.yaml is read, expanded and validated.

Everything else receives a validated `Config`; nothing else opens the YAML. Errors come out as a
`ConfigError` whose message is one line naming the file, the field and, where known, the line.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Collection
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

ENV_CONFIG = "NEWSWATCH_CONFIG"
ENV_DATABASE_URL = "NEWSWATCH_DATABASE_URL"
DEFAULT_CONFIG_NAME = "config.yaml"
# Validation context key: the chat formats a webhook may name.
WEBHOOK_FORMATS = "webhook_formats"
DEFAULT_USER_AGENT = "newswatch/0.1 (+https://github.com/newswatch/newswatch; veille Choose France)"

# ${VAR} or ${VAR:-default}; $$ escapes a literal dollar.
ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
# The password part of scheme://user:password@host (the user may be empty).
URL_PASSWORD = re.compile(r"//([^:/@]*):[^@]*@")
# A Standard Webhooks secret: whsec_ and the base64 of the key (standard alphabet, padding optional).
WEBHOOK_SECRET = re.compile(r"^whsec_(?P<key>[A-Za-z0-9+/]+={0,2})$")
# The spec's advice for the key's length, in bytes.
WEBHOOK_KEY_BYTES = (24, 64)
WEBHOOK_SECRET_FIX = (
    'generate one with: python3 -c "import base64, secrets; '
    "print('whsec_' + base64.b64encode(secrets.token_bytes(32)).decode())\""
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ConfigError(Exception):
    """A configuration problem, already phrased as one line for the operator."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceConfig(_Strict):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)]
    home: AnyHttpUrl
    feeds: list[AnyHttpUrl] = []
    sitemaps: list[AnyHttpUrl] = []
    listings: list[AnyHttpUrl] = []
    allowed_domains: list[str] = []
    # Regex searched in an absolute URL; only matching links are treated as articles.
    article_pattern: str | None = None
    # Languages kept (ISO 639-1). Empty list keeps every language.
    languages: list[str] = ["fr"]
    max_pages: int | None = Field(default=None, ge=1)
    enabled: bool = True

    @field_validator("article_pattern")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _default_domains(self) -> SourceConfig:
        if not self.allowed_domains:
            host = (self.home.host or "").removeprefix("www.")
            object.__setattr__(self, "allowed_domains", [host])
        return self


class Crawl(_Strict):
    concurrency: int = Field(default=16, ge=1, le=256)
    per_domain_concurrency: int = Field(default=2, ge=1, le=64)
    download_delay: float = Field(default=0.5, ge=0)
    autothrottle: bool = True
    user_agent: str = DEFAULT_USER_AGENT
    obey_robots: bool = True
    max_pages_per_source: int = Field(default=300, ge=1)
    max_page_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    timeout_seconds: float = Field(default=30, gt=0)
    retries: int = Field(default=2, ge=0, le=10)
    # Processes that run extraction and detection off the reactor; 0 = in the crawl process.
    workers: int = Field(default=2, ge=0, le=64)
    # With a Redis URL, several crawl workers share one frontier (scrapy-redis).
    redis_url: str | None = None
    # Wall-clock limit for one crawl run started by the scheduler.
    time_limit_minutes: int = Field(default=45, ge=1)
    # A page an earlier run fetched that held no article (no article text, an HTTP error, not HTML,
    # too large) is asked for again after this many days, or sooner when its feed or sitemap dates it later.
    recheck_days: float = Field(default=7, ge=0)


class SMTP(_Strict):
    host: str
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    timeout_seconds: float = Field(default=30, gt=0)


class Mail(_Strict):
    sender: str = "newswatch <newswatch@example.org>"
    # Address shown in List-Unsubscribe and the footer.
    operator: EmailStr = "newswatch@example.org"
    smtp: SMTP | None = None
    outbox: Path = Path("outbox")


def _known_region(value: str) -> str:
    from newswatch.places import region_code, region_hint

    if region_code(value) is None:
        raise ValueError(f"unknown région{region_hint(value)}")
    return value


class Filters(_Strict):
    min_amount_eur: float | None = Field(default=None, ge=0)
    editions: list[int] = []
    sectors: list[str] = []
    # Régions by name (any case and accents), former name lying wholly in one, usual abbreviation or INSEE code.
    regions: list[Annotated[str, AfterValidator(_known_region)]] = []
    investors: list[str] = []
    keywords: list[str] = []

    def region_codes(self) -> frozenset[str]:
        """The INSEE codes of the régions followed (validated at load, so each has one)."""
        from newswatch.places import region_code

        return frozenset(c for c in (region_code(v) for v in self.regions) if c)


class Subscriber(_Strict):
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
    email: EmailStr
    frequency: Literal["immediate", "daily", "weekly", "cron"] = "daily"
    at: time = time(8, 0)
    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    cron: str | None = None
    timezone: str = "Europe/Paris"
    language: Literal["fr", "en"] = "fr"
    filters: Filters = Filters()
    send_empty: bool = False

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        if value is not None:
            check_cron(value)
        return value

    @model_validator(mode="after")
    def _cron_needs_expression(self) -> Subscriber:
        if self.frequency == "cron" and not self.cron:
            raise ValueError("frequency 'cron' needs a 'cron' expression")
        return self


class Webhook(_Strict):
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
    # Checked against the formats the alerts register (alerts/formats/registry.py), which the
    # caller of load_config hands over: this module knows no format by name.
    format: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=32)]
    # The URL often embeds a token (Slack, Discord): it is a secret.
    url: SecretStr
    secret: SecretStr | None = None
    mode: Literal["per_announcement", "per_run"] = "per_announcement"
    language: Literal["fr", "en"] = "fr"
    filters: Filters = Filters()
    timeout_seconds: float = Field(default=10, gt=0)

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get(WEBHOOK_FORMATS)
        if known is not None and value not in known:
            raise ValueError(f"unknown format {value!r}; expected one of: {', '.join(known)}")
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: SecretStr) -> SecretStr:
        if not re.match(r"^https?://[^\s/]+", value.get_secret_value()):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("secret")
    @classmethod
    def _standard_webhooks_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None:
            return None
        if info.data.get("format", "json") != "json":
            raise ValueError(
                f"only `json` posts are signed; a {info.data['format']} webhook would ignore it "
                "(remove it, or use format: json)"
            )
        # Surrounding white space (a trailing newline from a secrets file) is no part of the key.
        secret = value.get_secret_value().strip()
        check_webhook_secret(secret)
        return SecretStr(secret)


class Schedule(_Strict):
    crawl_every_minutes: int = Field(default=60, ge=1)
    crawl_cron: str | None = None
    retry_every_minutes: int = Field(default=5, ge=1)
    timezone: str = "Europe/Paris"
    misfire_grace_seconds: int = Field(default=600, ge=1)

    @field_validator("crawl_cron")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        if value is not None:
            check_cron(value)
        return value


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


class Web(_Strict):
    """`newswatch serve` and the links digests carry to it."""

    host: str = "127.0.0.1"
    # 0 takes any free port (the URL is printed at start).
    port: int = Field(default=8000, ge=0, le=65535)
    # The public address of the web view: digests put their one-click unsubscribe link under it, the
    # Atom feed its entry links. https://, or http:// on this machine only (a demo, a test).
    base_url: AnyHttpUrl | None = None
    # Signs the unsubscribe links (HMAC-SHA256); keep it in the environment: ${NEWSWATCH_WEB_SECRET}.
    secret: SecretStr | None = None
    page_size: int = Field(default=50, ge=1, le=500)

    @field_validator("base_url")
    @classmethod
    def _https_or_loopback(cls, value: AnyHttpUrl | None) -> AnyHttpUrl | None:
        if value is not None and value.scheme != "https" and value.host not in LOOPBACK_HOSTS:
            raise ValueError(
                "must be an https:// URL (mail providers accept one-click unsubscribe over HTTPS "
                "only; http:// is allowed for 127.0.0.1 and localhost)"
            )
        return value

    @field_validator("secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (e.g. the output of `openssl rand -hex 32`)")
        return value

    @model_validator(mode="after")
    def _links_need_a_secret(self) -> Web:
        if self.base_url is not None and self.secret is None:
            raise ValueError(
                "base_url is set but secret is not: digests sign their unsubscribe links "
                "with it (secret: ${NEWSWATCH_WEB_SECRET})"
            )
        return self

    def url(self) -> str | None:
        """base_url without its trailing slash, or None."""
        return str(self.base_url).rstrip("/") if self.base_url is not None else None


class Config(_Strict):
    database_url: str = "sqlite:///data/newswatch.db"
    data_dir: Path = Path("data")
    crawl: Crawl = Crawl()
    sources: list[SourceConfig] = []
    mail: Mail = Mail()
    subscribers: list[Subscriber] = []
    webhooks: list[Webhook] = []
    schedule: Schedule = Schedule()
    web: Web = Web()
    # Where the file came from; relative paths in the config resolve against its folder.
    base_dir: Path = Field(default=Path("."), exclude=True)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        check_database_url(value)
        return value

    def path(self, value: Path) -> Path:
        """Resolve a configured folder against the data dir's base."""
        return value if value.is_absolute() else (self.base_dir / value)

    @property
    def data_path(self) -> Path:
        return self.path(self.data_dir)

    @property
    def outbox_path(self) -> Path:
        outbox = self.mail.outbox
        return outbox if outbox.is_absolute() else self.data_path / outbox

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"unknown source {name!r} (configured: {known})")

    def resolved_database_url(self) -> str:
        """SQLite paths are relative to the config's folder, not the current directory."""
        url = self.database_url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
            return prefix + str((self.base_dir / url[len(prefix) :]).resolve())
        return url


def check_database_url(url: str) -> None:
    """Raise ValueError unless SQLAlchemy can parse the URL (the driver is looked up only when used)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise ValueError(
            f"{mask_url(url)!r} is not a database URL (sqlite:///FILE or postgresql+psycopg://USER@HOST/DB)"
        ) from None


def check_webhook_secret(secret: str) -> None:
    """Raise ValueError unless `secret` is whsec_ and the base64 of a 24- to 64-byte key (the secret
    itself is never put in the message)."""
    import base64
    import binascii

    match = WEBHOOK_SECRET.match(secret)
    problem = "must be whsec_ followed by base64 (the Standard Webhooks form)"
    if match is not None:
        key = match.group("key")
        try:
            size = len(base64.b64decode(key + "=" * (-len(key) % 4), validate=True))
        except (binascii.Error, ValueError):
            size = -1
        low, high = WEBHOOK_KEY_BYTES
        if low <= size <= high:
            return
        if size >= 0:
            problem = f"its key is {size} bytes; Standard Webhooks keys are {low} to {high} bytes"
    raise ValueError(f"{problem}; {WEBHOOK_SECRET_FIX}")


def check_cron(expression: str) -> None:
    """Raise ValueError unless APScheduler accepts this 5-field crontab expression."""
    from apscheduler.triggers.cron import CronTrigger

    if len(expression.split()) != 5:
        raise ValueError(f"cron expression {expression!r} must have 5 fields (minute hour day month weekday)")
    try:
        CronTrigger.from_crontab(expression)
    except ValueError as exc:
        raise ValueError(f"invalid cron expression {expression!r}: {exc}") from None


def default_config_path() -> Path:
    return Path(os.environ.get(ENV_CONFIG) or DEFAULT_CONFIG_NAME)


def load_config(
    path: str | Path | None = None,
    *,
    env: dict[str, str] | None = None,
    webhook_formats: Collection[str] | None = None,
) -> Config:
    """Read, expand ${VAR} references and validate a config file.

    A missing default file yields the embedded defaults, so `newswatch` runs with no set-up;
    a missing file that was asked for by name is an error. `webhook_formats`: the names a webhook's
    `format` may take (the command line passes the registered chat formats; None checks none).
    """
    env = dict(os.environ if env is None else env)
    explicit = path is not None or bool(env.get(ENV_CONFIG))
    config_path = Path(path) if path is not None else Path(env.get(ENV_CONFIG) or DEFAULT_CONFIG_NAME)
    if not config_path.exists():
        if explicit:
            raise ConfigError(f"{config_path}: config file not found")
        return _apply_env(Config(base_dir=Path.cwd()), env)
    try:
        text = config_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config_path}: cannot read config file: {exc}") from None
    return parse_config(text, config_path, env=env, webhook_formats=webhook_formats)


def parse_config(
    text: str,
    origin: Path,
    *,
    env: dict[str, str] | None = None,
    webhook_formats: Collection[str] | None = None,
) -> Config:
    env = dict(os.environ if env is None else env)
    try:
        raw = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark is not None and mark is not None and context_mark.line != mark.line:
            problem += f" ({context} started at line {context_mark.line + 1})"
        raise ConfigError(f"{origin}{where}: YAML syntax error: {problem}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin}, line 1: the top level must be a mapping of settings")
    expanded = _expand_env(raw, (), origin, root, env)
    try:
        # Kept as given, not copied: the caller's collection may read the names only when a webhook asks.
        context = {WEBHOOK_FORMATS: webhook_formats} if webhook_formats is not None else None
        config = Config.model_validate({**expanded, "base_dir": origin.resolve().parent}, context=context)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, origin, root)) from None
    _check_unique_names(config, origin, root)
    return _apply_env(config, env)


def _check_unique_names(config: Config, origin: Path, root: Any) -> None:
    # Names key the ledger and the crawl history: two entries with one name would share them.
    for kind in ("sources", "subscribers", "webhooks"):
        seen: set[str] = set()
        for index, item in enumerate(getattr(config, kind)):
            if item.name in seen:
                loc = (kind, index, "name")
                raise ConfigError(
                    f"{origin}{_line_suffix(root, loc)}: {_dotted(loc)}: name {item.name!r} is used twice"
                )
            seen.add(item.name)


def _apply_env(config: Config, env: dict[str, str]) -> Config:
    url = env.get(ENV_DATABASE_URL)
    if not url:
        return config
    try:
        check_database_url(url)
    except ValueError as exc:
        raise ConfigError(f"{ENV_DATABASE_URL}: {exc}") from None
    return config.model_copy(update={"database_url": url})


def _expand_env(value: Any, loc: tuple[Any, ...], origin: Path, root: Any, env: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _expand_env(v, (*loc, k), origin, root, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_env(v, (*loc, i), origin, root, env) for i, v in enumerate(value)]
    if isinstance(value, str) and "${" in value:

        def substitute(match: re.Match[str]) -> str:
            name, default = match.group(1), match.group(2)
            if name in env:
                return env[name]
            if default is not None:
                return default
            raise ConfigError(
                f"{origin}{_line_suffix(root, loc)}: {_dotted(loc)}: environment variable {name} is not set"
            )

        return ENV_REF.sub(substitute, value)
    return value


def _describe(exc: ValidationError, origin: Path, root: Any) -> str:
    """One line for the first error: file, line, dotted field and what is wrong."""
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        parent, key = loc[:-1], loc[-1]
        allowed = _allowed_keys(parent)
        guess = difflib.get_close_matches(str(key), allowed, n=1)
        hint = (
            f"; did you mean {guess[0]!r}?"
            if guess
            else (f"; expected one of: {', '.join(allowed)}" if allowed else "")
        )
        message = f"unknown key {key!r}{hint}"
    elif error["type"] == "missing":
        message = f"required field {loc[-1]!r} is missing"
    else:
        given = error.get("input")
        if (
            isinstance(given, str | int | float | bool)
            and "secret" not in _dotted(loc).lower()
            and "password" not in _dotted(loc).lower()
            and not _dotted(loc).endswith("url")
        ):
            message = f"{message} (got {given!r})"
    field = _dotted(loc) or "(top level)"
    return f"{origin}{_line_suffix(root, loc)}: {field}: {message}"


def _allowed_keys(parent: tuple[Any, ...]) -> list[str]:
    model: Any = Config
    for part in parent:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        candidates = [annotation, *args]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return []
    return [name for name in model.model_fields if name != "base_dir"]


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_suffix(root: Any, loc: tuple[Any, ...]) -> str:
    """Find the YAML node for a field path and return ', line N' (or '' if not found)."""
    node, best = root, None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                break
            best, node = match[0], match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = best = node.value[part]
        else:
            break
    target = best if best is not None else node
    return (
        f", line {target.start_mark.line + 1}" if target is not None and hasattr(target, "start_mark") else ""
    )


def mask_url(url: str) -> str:
    """The URL with its password replaced by '***' (`redis://:secret@host` included), fit to print."""
    return URL_PASSWORD.sub(r"//\1:***@", url)


def masked_dump(config: Config) -> dict[str, Any]:
    """The config as plain data with every secret replaced by '***' (for `newswatch check`)."""
    data = config.model_dump(mode="json", exclude={"base_dir"})
    data["database_url"] = mask_url(config.resolved_database_url())
    return data
