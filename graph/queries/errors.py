"""The one error of the queries: a question that cannot be answered as asked.

Every query raises it the same way — which parameter (``field``), why, and whether the
thing asked for is unknown (404) or the question malformed (422) — so that one handler in the
API (:mod:`api.problems`) and one place in the CLI turn it into what a reader sees. The
status is kept here as data, not as HTTP: "not known" and "not valid" are what a question
can be, whichever way it was asked.

Examples
--------
>>> err = QuestionError("school", "school 99XX99 is not known", 404, ["00WO00"])
>>> err.field, err.not_found, str(err), err.suggestions
('school', True, 'school 99XX99 is not known', ['00WO00'])
"""

from __future__ import annotations


class QuestionError(ValueError):
    """A question that cannot be answered as asked: an unknown school, need or region
    (``status`` 404, with the closest ``suggestions`` when there are any) or a malformed
    code, postcode or search (422)."""

    def __init__(
        self, field: str, reason: str, status: int = 422, suggestions: list[str] | None = None
    ) -> None:
        self.field, self.status, self.suggestions = field, status, suggestions or []
        super().__init__(reason)

    @property
    def not_found(self) -> bool:
        """True when the question is well formed but asks for something the kaart does not know."""
        return self.status == 404
