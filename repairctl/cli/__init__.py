"""The commands: the click group and its error edge (app); the commands by group, those that
record what happens to orders (record), those that read them (read), those that look after
the office folder (upkeep) and those that share it through a git server (sharing); the options
and types every command shares (options); and what a running command shares: its office, how
it tells the user, its one exit path (session).
A command reads its options, calls one library function and prints.

Belongs here: nothing a command could not do through the library. May import: every layer.
"""
