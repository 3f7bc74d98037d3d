"""How many papers were accepted, against how many have a page on this site.

A workshop often publishes pages for a few papers (the talks) while the rest
stay on OpenReview: the papers page must say so instead of presenting the
papers it has as all there are.  The organizers state the accepted counts by
presentation type (``proceedings_accepted``); this module pairs them with the
counts of papers read from ``papers/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sphinx_proceedings.core.model import PRESENTATION_LABELS, PRESENTATIONS, Problem, Source
from sphinx_proceedings.core.problems import ProblemKind


@dataclass(frozen=True)
class AcceptedGroup:
    """One presentation type: accepted in all, and how many of those have pages here."""

    kind: str
    label: str  # plural, lower case: "spotlights"
    accepted: int
    here: int

    @property
    def all_here(self) -> bool:
        return self.here >= self.accepted

    @property
    def none_here(self) -> bool:
        return self.here == 0


def accepted_groups(accepted: Mapping[str, int], here: Mapping[str, int]) -> list[AcceptedGroup]:
    """The stated counts in listing order; a type with pages here but no stated count
    counts its pages (a site never claims fewer papers than it shows)."""
    kinds = [k for k in PRESENTATIONS if k in accepted or k in here]
    kinds += [k for k in accepted if k not in kinds]
    groups = []
    for kind in kinds:
        label = PRESENTATION_LABELS.get(kind, kind.title()).lower()
        total = max(int(accepted.get(kind, 0)), here.get(kind, 0))
        if total:
            groups.append(AcceptedGroup(kind, label + ("s" if total != 1 else ""), total,
                                        here.get(kind, 0)))
    return groups


def elsewhere_label(url: str) -> str:
    """Link text for where the other papers are: "on OpenReview", "on example.org"."""
    host = urlsplit(url).hostname or ""
    if host.removeprefix("www.") == "openreview.net":
        return "on OpenReview"
    return f"on {host.removeprefix('www.')}" if host else "elsewhere"



def understated(accepted: Mapping[str, int], here: Mapping[str, int],
                conf: Path) -> list[Problem]:
    """Stated counts below the papers read: the page states the papers' numbers instead."""
    return [Problem(ProblemKind.ACCEPTED_COUNT,
                    f"proceedings_accepted states {accepted[kind]} {kind} paper(s), but "
                    f"papers/ holds {here[kind]}; the papers page states {here[kind]}",
                    Source(conf))
            for kind in PRESENTATIONS if kind in accepted and here.get(kind, 0) > accepted[kind]]
