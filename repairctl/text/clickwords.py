"""click's own sentences, marked so that `pybabel extract` puts them in our catalog.

click 8 looks each one up through the stdlib's gettext as it prints it; i18n.translate_click
sends those look-ups to repairctl's catalog. The msgids must stay exactly click's (placeholders
included): tests/test_i18n.py checks that click still uses each of them.
"""

from repairctl.text.i18n import N_, NP_

WORDS = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"),
    N_("Show this message and exit."), N_("Show the version and exit."), N_("%(prog)s, version %(version)s"),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."), N_("Aborted!"), N_("Missing command."),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"), N_("Missing parameter: {param_name}"),
    N_("Missing {param_type}"), N_("No such option {name!r}."), N_("No such command {name!r}."),
    N_("Invalid value for {param_hint}: {message}"), N_("Invalid value: {message}"),
    N_("Option {name!r} does not take a value."), N_("default: {default}"), N_("env var: {var}"),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("file"), N_("directory"), N_("path"),
    N_("Do you want to continue?"), N_("Confirm the action without prompting."),
    N_("Error: invalid input"), N_("Repeat for confirmation"), N_("required"),
    N_("Choose from:\n\t{choices}"),
)
PLURALS = (
    NP_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    NP_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    NP_("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    NP_("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
)
