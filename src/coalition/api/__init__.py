"""The REST API: a thin interface over the services, like the CLI (`coalition serve`)."""

from coalition.api.app import create_app

__all__ = ["create_app"]
