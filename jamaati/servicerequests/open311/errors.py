"""The one exception the Open311 views turn into the spec's error body."""

from __future__ import annotations


class Open311Error(Exception):
    """An answer in the spec's error format: an HTTP status and one description per problem."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(status, descriptions)
        self.status = status
        self.descriptions = [str(description) for description in descriptions]
