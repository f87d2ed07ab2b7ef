"""The one exception the package raises: the server's message, its HTTP status, and every field issue of a spec."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Optional


@dataclass(frozen=True)
class FieldIssue:
    """One problem of a refused job spec: the field path (``training.phases[0].optimizer``) and what is wrong."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class PINNError(Exception):
    """A request the server refused, or could not be reached for.

    ``status`` is the HTTP status (``None`` when the server could not be reached), ``message`` the server's own
    message, ``issues`` every field issue of an invalid spec (all at once, as the server reports them),
    ``retry_after`` the seconds a ``429``/``503``/``507`` asked to wait, and ``method``/``url`` the request.
    """

    def __init__(self, message: str, *, status: Optional[int] = None, issues: Optional[List[FieldIssue]] = None,
                 method: Optional[str] = None, url: Optional[str] = None,
                 retry_after: Optional[float] = None) -> None:
        self.message = message
        self.status = status
        self.issues: List[FieldIssue] = list(issues or [])
        self.method = method
        self.url = url
        self.retry_after = retry_after
        super().__init__(str(self))

    @property
    def fields(self) -> List[str]:
        """The field paths of every issue, in the server's order."""
        return [issue.field for issue in self.issues]

    def __str__(self) -> str:
        where = f" ({self.method} {self.url}" + (f" → HTTP {self.status})" if self.status else ")") \
            if self.method else (f" (HTTP {self.status})" if self.status else "")
        lines = [self.message + where] + [f"  {issue}" for issue in self.issues]
        return "\n".join(lines)

    @classmethod
    def from_body(cls, status: int, body: Any, *, method: str, url: str, text: str = "",
                  retry_after: Optional[float] = None) -> "PINNError":
        """The error an answer carries: ``{"error": {"status", "message", "issues": [{"field", "message"}]}}``;
        a body of another shape (a proxy's HTML page, say) keeps the start of its text as the message."""
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            issues = [FieldIssue(str(issue.get("field", "")), str(issue.get("message", "")))
                      for issue in error.get("issues") or [] if isinstance(issue, dict)]
            return cls(error["message"], status=status, issues=issues, method=method, url=url,
                       retry_after=retry_after)
        snippet = " ".join(text.split())[:200] or "no message"
        return cls(f"HTTP {status}: {snippet}", status=status, method=method, url=url, retry_after=retry_after)
