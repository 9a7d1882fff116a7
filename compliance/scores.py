"""The one score rule, as plain functions over plain data (no queries): pages, the API, the QBR
report and the portal all get their numbers from here through `compliance.selectors` and
`compliance.summary_selectors`.

- Each answered item counts its **weight**: a practice standard High 5, Medium 3, Low 1; a catalog
  item 1 (`models.weight_points`).
- Its **value**: implemented 1, partially implemented ½, not implemented 0, not assessed 0; not
  applicable is left out (neither earned nor possible).
- A score is earned ÷ possible, exact (a Fraction; shown as a percentage with one decimal). Nothing
  possible (an empty framework, or everything not applicable) is **no score** (None), not 0 %.
- Scores are given for the whole framework, for each top-level group (a CSF function, a HIPAA
  section, an 800-53 family) and each second-level group (a CSF category, a HIPAA standard): a
  group's score counts every answered item under it, itself included when it is answered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .models import ResponseStatus

STATUS_VALUE: dict[str, Fraction] = {
    ResponseStatus.IMPLEMENTED: Fraction(1),
    ResponseStatus.PARTIAL: Fraction(1, 2),
    ResponseStatus.NOT_IMPLEMENTED: Fraction(0),
    ResponseStatus.NOT_ASSESSED: Fraction(0),
}
EXCLUDED = frozenset({ResponseStatus.NOT_APPLICABLE})
PERCENT_PLACES = Decimal("0.1")


def to_percent(ratio: Fraction | None) -> Decimal | None:
    if ratio is None:
        return None
    return (Decimal(ratio.numerator) * 100 / Decimal(ratio.denominator)).quantize(
        PERCENT_PLACES, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Score:
    earned: Fraction  # weighted points earned (whole and half points)
    possible: int  # weighted points possible, not-applicable items left out
    counts: dict[str, int] = field(default_factory=dict, compare=False)  # status -> number of items

    @property
    def ratio(self) -> Fraction | None:
        return self.earned / self.possible if self.possible else None

    @property
    def percent(self) -> Decimal | None:
        """0.0-100.0 with one decimal (half up), or None when nothing is possible."""
        return to_percent(self.ratio)

    @property
    def items(self) -> int:
        return sum(self.counts.values())

    @property
    def assessed(self) -> int:
        return self.items - self.counts.get(ResponseStatus.NOT_ASSESSED, 0)

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @classmethod
    def of(cls, answers: Iterable[tuple[int, str]]) -> Score:
        """The score of (weight points, status) pairs."""
        earned, possible, counts = Fraction(0), 0, Counter()
        for weight, status in answers:
            counts[status] += 1
            if status in EXCLUDED:
                continue
            possible += weight
            earned += weight * STATUS_VALUE.get(status, Fraction(0))
        return cls(earned=earned, possible=possible, counts=dict(counts))

    @classmethod
    def stored(cls, earned, possible) -> Score | None:
        """A completed assessment's frozen score (Decimal earned, int possible), or None."""
        if possible is None or earned is None:
            return None
        return cls(earned=Fraction(Decimal(earned)), possible=int(possible))


EMPTY = Score(earned=Fraction(0), possible=0)


@dataclass
class Node:
    """One item of a framework's tree, whichever table it came from."""

    id: object
    ref: str
    title: str
    text: str
    level: int
    order: int
    parent_id: object
    kind: str = ""
    required: bool | None = None
    weight: str = ""  # high/medium/low for standards; "" for catalog items
    points: int = 1  # score weight
    assessable: bool = True
    children: list[Node] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return bool(self.children)


@dataclass
class GroupScore:
    node: Node
    score: Score
    children: list[GroupScore] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.node.ref


@dataclass
class FrameworkScore:
    overall: Score
    groups: list[GroupScore]  # top-level groups, each with its second-level groups


def build_tree(nodes: list[Node]) -> list[Node]:
    """Link children to parents (in order); returns the roots in order."""
    by_id = {n.id: n for n in nodes}
    roots = []
    for node in sorted(nodes, key=lambda n: n.order):
        node.children = []
    for node in sorted(nodes, key=lambda n: n.order):
        parent = by_id.get(node.parent_id) if node.parent_id else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def walk(roots: list[Node]):
    """Depth-first, in order: (node, depth)."""
    stack = [(n, 0) for n in reversed(roots)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((c, depth + 1) for c in reversed(node.children))


def framework_score(roots: list[Node], answer_of) -> FrameworkScore:
    """Scores of a framework's tree. `answer_of(node)` gives `(points, status)` for an assessable
    node, or None to leave it out (e.g. an item a completed assessment did not contain)."""

    def answers(node: Node) -> list[tuple[int, str]]:
        found = []
        for n, _ in walk([node]):
            if n.assessable:
                answer = answer_of(n)
                if answer is not None:
                    found.append(answer)
        return found

    groups = []
    everything = []
    for root in roots:
        root_answers = answers(root)
        everything.extend(root_answers)
        if not root.is_group:
            continue
        children = [GroupScore(c, Score.of(answers(c))) for c in root.children if c.is_group]
        groups.append(GroupScore(root, Score.of(root_answers), children))
    return FrameworkScore(overall=Score.of(everything), groups=groups)
