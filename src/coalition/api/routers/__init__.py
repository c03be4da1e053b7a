"""One router per area; `coalition.api.app` mounts them under /api/v1."""
