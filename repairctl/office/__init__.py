"""The office folder and what it keeps besides orders: its settings and lock (folder), the
catalogue and supplier jobs (catalogue), and the optional registers of units' owners and of
technicians (registry), and the desks of a shared office: each clone's letter, desks.yaml (desks).

Belongs here: reading and checking the office's own files, making a new office.
May import: errors, text and store.
"""
