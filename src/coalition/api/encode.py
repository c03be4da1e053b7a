"""Service results (dataclasses, Decimals, dates) as JSON values."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse


def _number(value: float) -> float | None:
    # JSON has no infinity or NaN (an unknown solver bound is one); say "unknown" as null.
    return value if math.isfinite(value) else None


def plain(value: Any) -> Any:
    """JSON-ready: money stays exact as text, non-finite floats become null."""
    return jsonable_encoder(value, custom_encoder={Decimal: str, float: _number})


def document(value: Any) -> dict[str, Any]:
    """A JSON object (a service's dict or dataclass turned plain)."""
    result = plain(value)
    if not isinstance(result, dict):
        raise TypeError(f"expected a JSON object, got {type(result).__name__}")
    return result


def job_accepted(job_id: str, api_prefix: str = "/api/v1") -> JSONResponse:
    """202 for a job started in the background, with Location to follow it."""
    where = f"{api_prefix}/jobs/{job_id}"
    return JSONResponse(
        {"job_id": job_id, "location": where}, status_code=202, headers={"Location": where}
    )
