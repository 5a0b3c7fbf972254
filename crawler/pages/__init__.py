"""Page objects: pure functions of (url, body) to records, tested against saved pages."""
