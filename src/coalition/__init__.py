"""Coalition: coordinate security assistance among many donors."""

__version__ = "0.1.0"
