"""The commands: the click group and its error edge (app), the options and types every command
shares (options). A command reads its options, calls one library function and prints.

Belongs here: nothing a command could not do through the library. May import: every layer.
"""
