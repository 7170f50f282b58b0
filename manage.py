#!/usr/bin/env python
"""Same as the `ponti` command, for those who expect a manage.py at the root."""

from ponti.manage import main

if __name__ == "__main__":
    main()
