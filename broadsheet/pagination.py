"""Numbered pages over a list that the caller has already counted and sliced."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def numbers(self, around: int = 2) -> Iterator[int | None]:
        """Page numbers to link, with None where a run is elided: 1 … 4 5 6 … 20."""
        last = None
        for n in range(1, self.pages + 1):
            if n in (1, self.pages) or abs(n - self.number) <= around:
                if last is not None and n - last > 1:
                    yield None
                yield n
                last = n
