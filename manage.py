#!/usr/bin/env python
import gc
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    from django.db import connections

    connections.close_all()  # SQLite folds its write-ahead log back into the database file
    # The command is done. Python's shutdown would now collect and free the heap object by
    # object (0.5-0.8 s after a static build); frozen, most of it is left to the operating
    # system. Standard output and error are still flushed.
    gc.freeze()
