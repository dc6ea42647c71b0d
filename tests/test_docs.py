"""The README tells the truth about the commands: every command is in its table, every option
named there exists, and every option has help (as sqlite-utils tests its docs)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from repairctl.cli.app import cli

README = Path(__file__).parent.parent / "README.md"
ROW = re.compile(r"^\| `(?P<usage>[a-z]+(?: [^`]*)?)` \|", re.M)


def table() -> dict[str, str]:
    """Each command of the README's command table, with the usage written there."""
    text = README.read_text("utf-8")
    section = text[text.index("| command | what it does |"):]
    section = section[: section.index("\n\n")]
    found: dict[str, str] = {}
    for match in ROW.finditer(section):  # a group's subcommands (complaint new, complaint answer …) row by row
        name = match["usage"].split()[0]
        found[name] = f"{found[name]} {match['usage']}" if name in found else match["usage"]
    return found


def options_of(command: click.Command) -> set[str]:
    subcommands = command.commands.values() if isinstance(command, click.Group) else ()
    return {name for param in command.params if isinstance(param, click.Option)
            for name in param.opts + param.secondary_opts}.union(*map(options_of, subcommands))


def test_every_command_is_in_the_readme_table_and_nothing_else():
    # a hidden command is git's to run (merge-driver), told of in the prose, not the clerk's table
    assert set(table()) == {name for name, command in cli.loaded().items() if not command.hidden}


@pytest.mark.parametrize("name", sorted(table()))
def test_every_option_the_readme_names_exists(name):
    named = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", table()[name]))
    assert named <= options_of(cli.loaded()[name]), named - options_of(cli.loaded()[name])


@pytest.mark.parametrize("name", sorted(cli.loaded()))
def test_every_option_has_help(name):
    command = cli.loaded()[name]
    assert command.help, f"{name} has no help"
    bare = [param.opts[0] for param in command.params if isinstance(param, click.Option) and not param.help]
    assert bare == [], f"{name}: options without help: {bare}"


def test_the_table_reader_sees_a_missing_option():
    assert "--install-hook" in table()["check"]
    assert not {"--no-such-option"} <= options_of(cli.loaded()["check"])
