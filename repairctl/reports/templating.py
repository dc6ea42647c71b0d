"""Rendering an office's jinja2 templates in a sandbox, and naming a template's fault by file and line.

Templates arrive with `git pull` like any other file of the office, so a template is data, not
code: it runs in jinja2's ImmutableSandboxedEnvironment, sees only plain data (dicts, lists,
strings, numbers), may not reach attributes beyond them (``__init__``, ``__globals__``, a list's
``append`` …), and cannot multiply a text into gigabytes nor loop over more than a thousand
numbers at a time (loops nested in loops can still waste minutes: no template is stopped by a
clock). Whatever goes wrong in a template, refused or broken, becomes one
:class:`~repairctl.errors.Problem` at its file and line, and the template's output is never used.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from repairctl.errors import Problem, RepairError
from repairctl.text.i18n import _

MAX_SIZE = 100_000  # the longest text or list `*` may make: a slip is a few kilobytes
MAX_POWER = 64  # the largest exponent `**` may take
MAX_RANGE = 1000  # the longest range() a template may loop over


class Sandbox(ImmutableSandboxedEnvironment):
    """jinja2's immutable sandbox that also refuses `*` and `**` results too big to be a slip's."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_POWER:
            raise SecurityError(_("a power of {power} (at most {most})").format(power=right, most=MAX_POWER))
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > MAX_SIZE:
                    raise SecurityError(_("repeating a {kind} {times} times (at most {most} items)").format(
                        kind=type(seq).__name__, times=times, most=MAX_SIZE))
        return super().call_binop(context, operator, left, right)


def plain(value):
    """value as plain data (dict, list, str, int, float, bool, None), or TypeError: templates see nothing else."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    raise TypeError(f"a template may only be given plain data, not {type(value).__name__}")


class OwnFiles(jinja2.FileSystemLoader):
    """Templates that are files of the templates folder itself: a link that came with `git pull` could
    otherwise print any file the clerk can read onto a slip."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        path, home = Path(filename), Path(self.searchpath[0]).resolve()
        if path.is_symlink() or not path.resolve().is_relative_to(home):
            raise SecurityError(_("{template} is a link to a file outside the templates folder; a template must be "
                                  "a file of its own").format(template=template))
        return source, filename, uptodate


def environment(folder: Path, filters: dict[str, Callable]) -> Sandbox:
    """The sandbox that renders the templates of folder, with the office's own filters."""
    env = Sandbox(
        loader=OwnFiles(folder), undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(("html", "html.j2"), default_for_string=False, default=False),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(filters)
    # no lorem ipsum generator (lipsum(n=10**9) would print for ever), and no range a slip cannot need
    env.globals.pop("lipsum", None)
    env.globals["range"] = _short_range
    return env


def _short_range(*args):
    """range, up to MAX_RANGE numbers: a slip lists a few materials, not millions of rows."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(_("a range of {count} numbers (at most {most})").format(count=len(numbers), most=MAX_RANGE))
    return numbers


def names(folder: Path) -> list[str]:
    """Every template (*.j2) in folder and its subfolders, as the loader names them."""
    return sorted(name for name in jinja2.FileSystemLoader(folder).list_templates() if name.endswith(".j2"))


def render(folder: Path, name: str, context: dict, filters: dict[str, Callable]) -> str:
    """The template name of folder rendered with context; a fault in it raises a one-line RepairError."""
    data = plain(context)  # before the try: an object in the context is repairctl's fault, not the template's
    try:
        return environment(folder, filters).get_template(name).render(data)
    except jinja2.TemplateNotFound as error:
        if error.name == name:
            raise RepairError(_("template {path} is missing; copy it from a new office (`repairctl init`) or restore "
                                "it with git").format(path=folder / name)) from None
        raise RepairError(_message(problem(error, folder, name))) from None
    except Exception as error:  # whatever a template does wrong is its own fault
        raise RepairError(_message(problem(error, folder, name))) from None


def fault(folder: Path, name: str, context: dict, filters: dict[str, Callable],
          shown: Callable[[Path], Path] = lambda p: p) -> Problem | None:
    """The fault that stops template name of folder rendering context, as a Problem; None if it renders."""
    data = plain(context)
    try:
        environment(folder, filters).get_template(name).render(data)
    except Exception as error:  # as in render()
        return problem(error, folder, name, shown)
    return None


def _message(found: Problem) -> str:
    return _("template {path}:{line}: {message}").format(path=found.path, line=found.line, message=found.message)


def problem(error: Exception, folder: Path, name: str, shown: Callable[[Path], Path] = lambda p: p) -> Problem:
    """A template's fault as a Problem at its file and line (the line jinja2 was at when it went wrong)."""
    path, line = folder / name, 1
    if isinstance(error, jinja2.TemplateSyntaxError):
        path, line = Path(error.filename) if error.filename else path, error.lineno or 1
        what = _("syntax error: {message}").format(message=error.message)
    else:
        # jinja2 gives the traceback a frame for each template line it ran: the last one in the
        # office's templates is where the template went wrong (an included template's, if it was)
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename.startswith(str(folder)) and frame.lineno:
                path, line = Path(frame.filename), frame.lineno
        reason = (str(error).splitlines() or [type(error).__name__])[0].rstrip(".")
        if isinstance(error, SecurityError):
            what = _("refused, not run: {reason}; templates run in a sandbox and may only print the slip's fields"
                     ).format(reason=reason)
        elif isinstance(error, jinja2.TemplateNotFound):
            what = _("includes a template that does not exist: {name}").format(name=error.name)
        else:
            what = reason
    return Problem(shown(path), line, 1, _("{problem}; fix it or restore it with git").format(problem=what))
