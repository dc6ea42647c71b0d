"""Templates are data: a template that came with `git pull` prints the slip's fields and can do nothing else.

Each hostile template is refused with one line naming its file and line, exit status 1, its side
effect never happens and nothing in the office changes; `check` finds every template fault.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from repairctl.errors import RepairError
from repairctl.orders import reading, records
from repairctl.reports import slips, templating

SLIP = "templates/slip.txt.j2"


@pytest.fixture
def one_order(clerk) -> str:
    return clerk.new()


@pytest.fixture
def order(office) -> records.Order:
    """The fixture order HQ-000007 (every field of a slip filled in), filed in the office."""
    text = (Path(__file__).parent / "fixtures" / "HQ-000007.yaml").read_text("utf-8")
    path = office.orders_dir / "2026" / "11" / "HQ-000007.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return reading.read(path, office.tz)


def system(marker: Path) -> str:
    """The classic escape out of a jinja2 template: reach os through a global's __globals__, run a shell."""
    return f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}"


def test_the_classic_escape_runs_nothing(clerk, one_order, tmp_path, snapshot, executable):
    marker = tmp_path / "escaped"
    (clerk.root / SLIP).write_text(f"维修单\n{{{{ id }}}}\n{system(marker)}\n", encoding="utf-8")
    before = snapshot(clerk)
    done = subprocess.run([executable, "--root", str(clerk.root), "slip", one_order], capture_output=True, text=True)
    assert done.returncode == 1 and done.stdout == ""
    message = done.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert f"{clerk.root / SLIP}:3: refused, not run:" in message and "'__init__'" in message
    assert not marker.exists()
    assert snapshot(clerk) == before


HOSTILE = [
    # (template line, what the refusal names)
    ("{{ cycler.__init__.__globals__ }}", "'__init__'"),
    ("{{ joiner.__globals__['os'].popen('id').read() }}", "'__globals__'"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "'__class__'"),
    ("{{ label.__class__ }}", "'__class__'"),
    ("{{ '{0.__class__}'.format(id) }}", "'__class__'"),
    ("{{ materials.append(1) }}", "'append'"),
    ("{% set _ = label.update({'title': 'x'}) %}", "'update'"),
    ("{% set _ = label.pop('title') %}", "'pop'"),
    ("{{ namespace.__init__ }}", "'__init__'"),
    ("{{ range.__self__ }}", "'__self__'"),
    ("{{ 'x' * 1000000000 }}", "repeating a str"),
    ("{{ [1] * 10 ** 9 }}", "repeating a list 1000000000 times"),
    ("{{ 9 ** 9999999 }}", "a power of 9999999"),
]


@pytest.mark.parametrize("line, named", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_template_is_refused_at_its_line(office, order, line, named):
    (office.templates_dir / "slip.txt.j2").write_text(f"{{{{ id }}}}\n\n{line}\n", encoding="utf-8")
    with pytest.raises(RepairError) as caught:
        slips.render_slip(office, order, ["业户联"])
    message = str(caught.value)
    assert message.startswith(f"template {office.templates_dir / 'slip.txt.j2'}:3: ") and "\n" not in message
    assert named in message and message.endswith("fix it or restore it with git")


def test_an_included_template_is_named_at_its_own_line(office, order):
    (office.templates_dir / "parts").mkdir()
    (office.templates_dir / "parts" / "head.j2").write_text("{{ id }}\n{{ label.__class__ }}\n", encoding="utf-8")
    (office.templates_dir / "slip.html.j2").write_text("<p>\n{% include 'parts/head.j2' %}\n", encoding="utf-8")
    with pytest.raises(RepairError, match=r"templates/parts/head\.j2:2: refused, not run: .*'__class__'"):
        slips.render_slip(office, order, html=True)


def test_the_escape_through_the_note_runs_nothing(office, order, tmp_path):
    marker = tmp_path / "escaped"
    (office.templates_dir / "note.txt.j2").write_text(system(marker), encoding="utf-8")
    with pytest.raises(RepairError, match=r"note\.txt\.j2:1: refused"):
        slips.render_note(office, order)
    assert not marker.exists()


def test_what_a_template_is_given_is_plain_data(office, order):
    def walk(value):
        if isinstance(value, dict):
            assert all(isinstance(key, str) for key in value)
            return all(walk(item) for item in value.values())
        if isinstance(value, list):
            return all(walk(item) for item in value)
        return value is None or type(value) in (str, int, float, bool)

    assert walk(slips.slip_context(office, order))
    with pytest.raises(TypeError, match="plain data, not Order"):
        templating.plain({"order": order})


def test_templates_may_still_lay_out_the_fields(office, order):
    (office.templates_dir / "note.txt.j2").write_text(
        "{% for m in materials %}{{ loop.index }}.{{ m.name|pad(8) }}{{ m.amount }}{% endfor %}"
        "|{{ description.upper()|length }}|{{ label['title'] }}|{{ urgency|selectattr('mark', 'eq', '■')"
        "|map(attribute='label')|join }}\n", encoding="utf-8")
    assert slips.render_note(office, order) == "1.水龙头  35.002.生料带  3.00|16|维修单|预约维修\n"


# --- check: every template rendered against sample orders ------------------------------------------


def test_the_default_templates_have_no_fault(office):
    assert slips.check_templates(office) == []


def test_check_names_every_template_fault_at_its_line(clerk, tmp_path, snapshot):
    marker = tmp_path / "escaped"
    templates = clerk.root / "templates"
    (templates / "note.txt.j2").write_text(f"{{{{ id }}}}\n{system(marker)}\n", encoding="utf-8")
    (templates / "slip.txt.j2").write_text("{{ id }}\n\n{% if %}\n", encoding="utf-8")
    (templates / "slip.html.j2").unlink()
    # a fault that only an order with nothing filled in shows: the loop's `else` side
    (templates / "extra.txt.j2").write_text("{% for m in materials %}{{ m.name }}{% else %}\n{{ nothing }}"
                                            "{% endfor %}\n", encoding="utf-8")
    before = snapshot(clerk)
    result = clerk("check", ok=False)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == sorted(lines) and len(lines) == 4
    found = {line.split(": ", 1)[0]: line.split(": ", 1)[1] for line in lines}
    assert found[f"{templates}/extra.txt.j2:2:1"].startswith("'nothing' is undefined")
    assert found[f"{templates}/note.txt.j2:2:1"].startswith("refused, not run: access to attribute '__init__'")
    assert found[f"{templates}/slip.html.j2:1:1"].startswith("template is missing")
    assert found[f"{templates}/slip.txt.j2:3:1"].startswith("syntax error: Expected an expression")
    assert not marker.exists()
    assert snapshot(clerk) == before
    shown = json.loads(clerk("check", "--format", "json", ok=False).stdout)
    assert {(p["path"], p["line"]) for p in shown} == {(str(templates / n), line) for n, line in (
        ("extra.txt.j2", 2), ("note.txt.j2", 2), ("slip.html.j2", 1), ("slip.txt.j2", 3))}


def test_check_reports_templates_beside_the_orders(clerk, one_order):
    path = clerk.order_file(one_order)
    path.write_text(path.read_text("utf-8").replace("status: received", "status: done"), encoding="utf-8")
    (clerk.root / SLIP).write_text("{{ no_such_field }}\n", encoding="utf-8")
    output = clerk("check", ok=False).stdout
    assert f"{clerk.root / SLIP}:1:1: 'no_such_field' is undefined" in output
    assert f"{path}:" in output and "status 'done'" in output


def test_check_of_an_office_without_settings_still_says_why(clerk):
    (clerk.root / "office.yaml").write_text("site: [\n", encoding="utf-8")
    result = clerk("check", ok=False)
    assert result.exit_code == 1 and "office.yaml" in result.output and "templates" not in result.output


def test_a_sample_order_reads_like_a_real_one(office):
    # the samples check renders must stay orders the rest of repairctl accepts, or check tests nothing real
    for data in (slips._FULL, slips._BARE):
        order = records.Order(office.orders_dir / "x.yaml", data, office.tz)
        assert order.received is not None and slips.render_slip(office, order)
        assert slips.render_note(office, order)


def test_a_linked_template_prints_no_file_from_outside(office, order, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the owner list of every unit", encoding="utf-8")
    (office.templates_dir / "parts").mkdir()
    (office.templates_dir / "parts" / "head.j2").symlink_to(secret)
    (office.templates_dir / "slip.txt.j2").write_text("{{ id }}\n{% include 'parts/head.j2' %}\n", encoding="utf-8")
    with pytest.raises(RepairError, match=r"parts/head\.j2 is a link to a file outside the templates folder") as caught:
        slips.render_slip(office, order, ["业户联"])
    assert "owner list" not in str(caught.value)


@pytest.mark.parametrize(("line", "named"), [
    ("{{ lipsum(n=10**6) }}", "lipsum"), ("{% for n in range(10**7) %}{% endfor %}", "a range of 10000000 numbers")])
def test_a_template_cannot_print_or_loop_for_ever(office, order, line, named):
    (office.templates_dir / "slip.txt.j2").write_text(f"{{{{ id }}}}\n{line}\n", encoding="utf-8")
    with pytest.raises(RepairError, match=named):
        slips.render_slip(office, order, ["业户联"])


def test_a_broken_note_stops_the_visit_before_anything_is_recorded(clerk, one_order, snapshot):
    (clerk.root / "templates" / "note.txt.j2").write_text("{{ id }}\n{% if %}\n", encoding="utf-8")
    clerk.git("commit", "-qam", "a note template broken by hand")
    before = snapshot(clerk)
    result = clerk("visit", one_order, "--absent", ok=False)
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "templates/note.txt.j2:2:" in result.output and result.output.endswith("nothing was recorded\n")
    assert snapshot(clerk) == before
