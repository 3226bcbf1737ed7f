from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional


SELF = "@"  # a provision part given as "this" (Điều này, khoản này, điểm này): filled from the context


@dataclass(frozen=True, order=True)
class Provision:
    """One unit cited: article, clause, point (each None when not cited)."""

    article: Optional[str] = None
    clause: Optional[str] = None
    point: Optional[str] = None

    def key(self) -> str:
        parts = []
        if self.article:
            parts.append(f"art{self.article}")
        if self.clause:
            parts.append(f"cl{self.clause}")
        if self.point:
            parts.append(f"pt{self.point}")
        return ".".join(parts)

    def overlaps(self, other: "Provision") -> bool:
        """One unit contains the other, or they are the same (Article 27 <-> clause 5 of it). A reference
        to a whole document (no article) overlaps every unit of it."""
        if not self.article or not other.article:
            return True
        if self.article != other.article:
            return False
        if self.clause and other.clause and self.clause != other.clause:
            return False
        return not (self.point and other.point and self.point != other.point)


@dataclass
class DocRef:
    kind: str  # "number" | "alias" | "self" | "short" ("Nghị định 282/2025") | "title" (unknown, by shape)
    text: str = ""
    number: Optional[str] = None  # as written (NFC, dashes normalised)
    doc_type: Optional[str] = None  # registry type ("Luật", "Nghị định", …)
    alias: Optional[str] = None
    year: Optional[int] = None
    date: Optional[dt.date] = None
    title: Optional[str] = None  # kind "title": the title as written ("Luật Dẫn độ")
    uncertain: bool = False  # kind "title": read word by word and long, its end may be wrong


@dataclass
class ArticleRange:
    first: str
    last: str


@dataclass
class Citation:
    start: int
    end: int
    text: str
    lang: str
    provisions: list[Provision] = field(default_factory=list)
    ranges: list[ArticleRange] = field(default_factory=list)  # article ranges, expanded by resolve
    doc: Optional[DocRef] = None
    self_article: bool = False  # "Điều này" / "this Article" / "khoản này" (a provision holds SELF)
    historical: Optional[dt.date] = None  # "(hết hiệu lực từ …)"
    historical_text: Optional[str] = None
    problem: Optional[str] = None  # a parse-level problem code (malformed)
    problem_params: dict = field(default_factory=dict)
    # filled by resolve
    document: object = None  # registry Document
    in_heading: bool = False
    no_article: bool = False  # "at Point b Clause 1" with no article (parse(orphans=True)): article SELF, filled by scan
    in_link: bool = False
    suspicious: list = field(default_factory=list)  # [(offset, char)] zero-width or look-alike characters
    ignored: bool = False  # a short form ("Nghị định 282") that names no registry document: not a citation
    unknown: Optional[str] = None  # resolve: the document as written when the registry does not hold it

    @property
    def is_document_only(self) -> bool:
        return not self.provisions and not self.ranges and not self.self_article
