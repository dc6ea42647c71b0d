"""An order's life and its rules: the read-only view of an order file and its IDs (records),
the next ID, never one given before (numbering), which action fits which state (lifecycle),
each action as a checked plan (steps), writing and committing (desk), recording a new request
(actions), the rules a file must keep (rules) and checking a whole office (check), the
service-level clocks (sla), how an order becomes a cache row (index), and finding orders and
open clocks (query). simulate builds a realistic office with the same steps, for the example
office and the benchmark. sharing sets up a clone of a shared office (clone, join) and syncs it.

Belongs here: everything that decides what an order may be and become.
May import: errors, text, store and office.
"""
