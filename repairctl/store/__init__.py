"""Files, git and the derived cache, with no desk rule: the one YAML module (yamlio), CSV as
spreadsheets write it (csvio), where order files live and how a change is noticed (files),
running git and reading history (gitlog), making commits (commits) under git's index lock
(indexlock) with git's plumbing (plumbing), crash safety between a write and its commit
(journal), the SQLite cache of parsed orders (cache, refresh), and where derived state is kept
when the office's own folder cannot be written (state), git's merge driver for order files (driver),
fetch, merge and push with a git server (sync), and the progress line of long work on a
terminal (progress).

Belongs here: how things are kept and found again, whatever they mean. The cache learns what
a row holds from the orders layer (store.cache.Indexer) instead of importing it.
May import: errors and text.
"""
