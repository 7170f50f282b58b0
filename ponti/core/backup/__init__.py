"""Backup and restore of a whole instance: `ponti backup FILE`, `ponti restore FILE`.

The archive is a tar file (gzip-compressed when its name ends in .gz or .tgz) holding:

- `data/<app>.<model>.jsonl`: every row of every table, one JSON object per line, keyed by
  column (attname), ordered by primary key. Values are written in a database-neutral form
  (ISO timestamps with microseconds, decimals as strings, bytes in base64), so that an archive
  of SQLite restores into PostgreSQL and back. The tables of many-to-many links are tables
  here too, so every row keeps its primary key, content types and permissions included.
- `media/<path>`: the uploaded documents (MEDIA_ROOT): those the database references and any
  other file present there.
- `manifest.json`: the format, Ponti's version, the creation time, the migrations applied per
  app, the rows per model, the files, and the last id handed out per table.
- `SHA256SUMS`, last: the SHA-256 of every other member, in the format of `sha256sum -c`.

Why not `dumpdata`/`loaddata`: Django's JSON serializer cuts timestamps to milliseconds,
`loaddata` keeps many-to-many links as lists (new link ids, and `m2m_changed` signals that the
audit trail records as changes), and it saves row by row. Here rows are written in streams
(one table at a time, through a temporary file) and loaded in batches of raw inserts, which
send no signals: a restore writes no audit event. See `create.py` and `restore.py`.
"""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore refused or failed; the message says what and where, for the user."""
