"""Why the system refused a file, in the process's language: an OSError's strerror is the C library's English."""

from __future__ import annotations

import errno

from repairctl.text.i18n import N_, _

# the refusals a desk meets: a file gone or locked away, a full or read-only disk
REASONS = {
    errno.ENOENT: N_("No such file or directory"), errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"), errno.ENOSPC: N_("No space left on device"),
    errno.EDQUOT: N_("Disk quota exceeded"), errno.EROFS: N_("Read-only file system"),
    errno.EISDIR: N_("Is a directory"), errno.ENOTDIR: N_("Not a directory"), errno.EIO: N_("Input/output error"),
    errno.EEXIST: N_("File exists"),
}


def reason(exc: OSError) -> str:
    """exc's strerror in the process's language; one not listed, or said otherwise, as the system said it."""
    english = REASONS.get(exc.errno)
    if english is not None and exc.strerror == english:
        return _(english)
    return exc.strerror or str(exc)
