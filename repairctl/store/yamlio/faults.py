"""What the YAML readers (libyaml, PyYAML, ruamel) say of a syntax error, in the reader's language.

The readers speak English, and a clerk who mistyped a hand edit reads the fault in a `check`
line: the phrases they use for the faults a hand edit makes (an indent, a tab, a colon, an open
quote or bracket) are marked here and said in the process's language; a phrase not listed stays
as the reader said it.
"""

from __future__ import annotations

import re

from repairctl.text.i18n import N_, _

# libyaml's phrases first (the fast loader), then ruamel's and PyYAML's where they say it otherwise
PHRASES = frozenset((
    N_("mapping values are not allowed in this context"), N_("mapping values are not allowed here"),
    N_("found unexpected end of stream"), N_("found character that cannot start any token"),
    N_("did not find expected key"), N_("did not find expected ',' or ']'"), N_("did not find expected ',' or '}'"),
    N_("did not find expected '-' indicator"), N_("did not find expected node content"),
    N_("found unknown escape character"), N_("could not find expected ':'"),
    N_("found a tab character where an indentation space is expected"),
    N_("found incompatible YAML document"), N_("found duplicate YAML directive"),
    N_("control characters are not allowed"), N_("special characters are not allowed"),
    N_("while scanning a quoted scalar"), N_("while scanning a double-quoted scalar"),
    N_("while scanning a single-quoted scalar"), N_("while scanning for the next token"),
    N_("while parsing a block mapping"), N_("while parsing a block collection"), N_("while parsing a flow sequence"),
    N_("while parsing a flow mapping"), N_("while parsing a quoted scalar"), N_("while scanning a simple key"),
    N_("while scanning a plain scalar"), N_("while parsing a block node"), N_("while parsing a flow node"),
    N_("while scanning a block scalar"), N_("while scanning an anchor"), N_("while scanning an alias"),
))
# the phrases with a character or a token in them (ruamel's and PyYAML's)
SHAPED = (
    (re.compile(r"expected (?P<expected>.+), but (?:found|got) (?P<found>.+)"),
     N_("expected {expected}, but found {found}")),
    (re.compile(r"found character (?P<character>.+) that cannot start any token"),
     N_("found character {character} that cannot start any token")),
    (re.compile(r"found unknown escape character (?P<character>.+)"), N_("found unknown escape character {character}")),
)


def said(phrase: str | None) -> str:
    """A reader's phrase in the process's language; one not known here as the reader said it."""
    if not phrase:
        return ""
    if phrase in PHRASES:
        return _(phrase)
    for shape, sentence in SHAPED:
        if found := shape.fullmatch(phrase):
            return _(sentence).format(**found.groupdict())
    return phrase
