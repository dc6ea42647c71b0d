"""An order's life and its rules: the read-only view of an order file and its IDs (records), the next
ID, never one given before (numbering), which action fits which state (lifecycle), each action as a
checked plan (steps), writing and committing (desk), recording a new request (actions), the rules a
file must keep (rules) and checking a whole office (check), the limits in force on an order's day
(limits) and the service-level clocks (sla), how an order becomes a cache row (index), and finding
orders and open clocks (query). simulate builds a realistic office with the same steps, for the
example office and the benchmark. sharing sets up a clone of a shared office (clone, join) and syncs
it; one order changed on two machines is merged (merging) by combining its two versions' events and
fields (combining), and a contradiction is kept in the file (conflict) until resolve chooses
(resolving).

Belongs here: everything that decides what an order may be and become.
May import: errors, text, store and office.
"""
