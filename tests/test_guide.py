"""The Chinese user guide (docs/使用指南.md) stays true to the commands: the README links it, and
every command it shows exists with every option it names, so a renamed option fails here."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

from repairctl.cli.app import cli

ROOT = Path(__file__).parent.parent
GUIDE = ROOT / "docs" / "使用指南.md"


def shown() -> list[list[str]]:
    """Each `$ repairctl …` line of the guide, split as a shell would."""
    lines = re.findall(r"^\$ (repairctl .*)$", GUIDE.read_text("utf-8"), re.M)
    return [shlex.split(line) for line in lines]


def test_the_readme_links_the_guide():
    assert "](docs/使用指南.md)" in (ROOT / "README.md").read_text("utf-8")


def test_every_command_and_option_the_guide_shows_exists():
    commands = shown()
    assert len(commands) > 20  # the reader found the examples, not nothing
    for words in commands:
        command = cli.loaded().get(words[1])
        if isinstance(command, click.Group):  # `repairctl plan add …`: the subcommand's options
            command, words = command.commands.get(words[2]), words[1:]
        assert command is not None, words
        if isinstance(command, click.Group):  # complaint new …: the subcommand's options
            command, words = command.commands.get(words[2]), words[1:]
            assert command is not None, words
        known = {name for param in command.params if isinstance(param, click.Option)
                 for name in param.opts + param.secondary_opts}
        named = {word for word in words[2:] if word.startswith("--")}
        assert named <= known, (words[1], named - known)
