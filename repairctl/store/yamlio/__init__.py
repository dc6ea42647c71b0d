"""The one YAML module: a fast safe loader for reading, a round-trip editor for writing.

Reading many files uses libyaml through PyYAML, its node trees made into data here (reading.py,
nodes.py): ten times faster than ruamel, and strict (duplicate keys, anchors and aliases,
conflict markers refused). Every change goes through ruamel.yaml's round trip (editing.py), so
the comments, key order and layout a clerk wrote by hand survive, and through a temporary file
and ``os.replace``, so a crash never leaves half a file. The readers' English for a syntax error
is said in the process's language (faults.py). One module to the rest of repairctl:
everything is imported from here.
"""

from repairctl.store.yamlio.editing import (
    block_list,
    block_map,
    document,
    dump_text,
    edit,
    flow_list,
    flow_map,
    insert_before,
    literal,
    load_round_trip,
    plain,
)
from repairctl.store.yamlio.nodes import READER, fast_loader
from repairctl.store.yamlio.reading import (
    BOM,
    CONFLICT,
    compose,
    decode,
    load_fast,
    load_remembered,
    parse,
    position,
    refuse_hazards,
)

__all__ = ["BOM", "CONFLICT", "READER", "block_list", "block_map", "compose", "decode", "document", "dump_text",
           "edit", "fast_loader", "flow_list", "flow_map", "insert_before", "literal", "load_fast", "load_remembered",
           "load_round_trip", "parse", "plain", "position", "refuse_hazards"]
