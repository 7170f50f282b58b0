"""GDPR for the people of the registry: export (art. 15/20), erasure or pseudonymisation
(art. 17), and retention per kind of person (art. 5.1.e).

- `access`: who may export, erase and review; what one reader may see of a linked record.
- `collect`: everything held about a person, walked generically over every relation to
  Person in every app, with the audit events about them or mentioning them.
- `export_pdf`: the same collection as a readable PDF.
- `erase`: the plan (what will happen, counts per kind) and the erasure itself.
- `documents`: the person's name taken out of stored documents' metadata.
- `retention`: people with no bond for longer than their kind's retention period.
"""
