"""Figures and documents made from orders: the monthly statistics (stats), the Excel workbook
(workbook), the repair slip and message note (slips) and the sandbox their templates run in
(templating), the terminal's cards, tables and CSV
(views), and JSON for scripts with exact amounts (jsonview); what a report was made from
(provenance), a report as of a past commit (asof) and a workbook checked against it (verify);
several offices' month (rollup, total) and the company workbook (companybook); whether an
office.yaml edit re-judges reported orders (rejudging); and the whole of `check` (checkup).

Belongs here: turning orders into something a person reads; each document a function from
plain data to a file or text. May import: errors, text, store, office and orders.
"""
