"""One router per area of the pages."""
