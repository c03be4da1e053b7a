"""Settings read from the environment (COALITION_*), with one cached getter tests can reset."""

from __future__ import annotations

import getpass
from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


def _local_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry, e.g. in a minimal container
        return "local"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COALITION_")

    database_url: str = "sqlite:///./coalition.db"
    user: str = _local_user()  # the acting user when the CLI gets no --as
    # Structured log (JSON lines): a file path, "-" for stderr, or empty for the default
    # $XDG_STATE_HOME/coalition/coalition.log (~/.local/state/... when XDG_STATE_HOME is unset).
    log_file: str = ""
    log_level: str = "INFO"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
