"""Random mutations of a valid order file (issue 11, Tests): typos, stray characters, duplicated lines,
anchors, conflict markers. No read command crashes on one, and `overdue` never says all clear while
the mutated file, read as every command reads it, holds a late order."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repairctl.errors import RepairError
from repairctl.office.folder import load_office
from repairctl.orders import reading, sla

# what a hand edit, a merge or a bad paste puts into a file
PIECES = [":", "-", " ", "\n", "[", "{", "}", '"', "'", "#", "&a ", "*a", "0", "9", "+", "T", "\t", "\x1b", "\u202e",
          "\u200b", "\x00", "<<<<<<< HEAD\n", "=======\n", ">>>>>>> theirs\n", "status: finished\n", "id: HQ-000002\n",
          "  - {action: finished, at: 2026-11-25T09:00:00+08:00, by: 王}\n", "3栋", "，", "１"]


@st.composite
def mutations(draw, text: str) -> str:
    """text with one to four edits: a piece put in, a span cut out, a line doubled or two lines swapped."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "cut", "double", "swap"]))
        at = draw(st.integers(0, len(text)))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
        elif kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 12)):]
        else:
            lines = text.splitlines(keepends=True)
            n = draw(st.integers(0, len(lines) - 1))
            m = draw(st.integers(0, len(lines) - 1))
            if kind == "double":
                lines.insert(n, lines[n])
            else:
                lines[n], lines[m] = lines[m], lines[n]
            text = "".join(lines)
    return text


def _holds_a_late_order(path, office) -> bool:
    """Whether the file, read strictly, is an order with a clock late now (what overdue must report)."""
    try:
        order = reading.read(path, office.tz)
        clocks = sla.obligations(order, sla.levels(office.config))
    except (RepairError, ValueError, TypeError, AttributeError):
        return False  # unreadable: overdue must then say so (exit status 3), which is checked apart
    return any(c.done is None and c.late_minutes(office.now()) > 0 for c in clocks)


def test_no_mutation_crashes_a_read_or_hides_a_late_order(clerk):
    order_id = clerk.new(at="2026-11-25 08:00")
    path = clerk.order_file(order_id)
    valid = path.read_text("utf-8")
    office = load_office(clerk.root)
    tried: list[str] = []

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(mutations(valid))
    def one(text: str) -> None:
        tried.append(text)
        path.write_text(text, "utf-8")
        for args in (["list", "--format", "json"], ["show", order_id], ["monthly", "2026-11", "--format", "json"],
                     ["export"]):
            result = clerk(*args, ok=False)
            assert result.exit_code in (0, 1), (args, result.output)
            assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        late = clerk("overdue", ok=False)
        assert late.exit_code in (0, 1, 3)
        assert late.exception is None or isinstance(late.exception, SystemExit)
        try:
            reading.read(path, office.tz)
            readable = True
        except RepairError:
            readable = False
        assert (late.exit_code == 3) == (not readable), (text, late.output)
        if _holds_a_late_order(path, office):  # listed by the ID its file gives, wrong or not (check names that)
            shown_as = reading.read(path, office.tz).id
            assert late.exit_code == 1 and shown_as in late.stdout, (text, late.output)
        if late.exit_code == 0:
            assert readable and not _holds_a_late_order(path, office)

    one()
    assert len(set(tried)) >= 30  # many different files were tried (60 examples, some alike), not a few replayed
