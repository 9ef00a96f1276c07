"""Endpoint errors: an HTTP status, a stable code and a message safe to show anyone."""

from __future__ import annotations


class EndpointError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def payload(self) -> dict[str, str]:
        return {"error": self.code, "message": self.message}
