"""The ``govem`` console command: Django's management commands with Govem's settings.

``govem serve`` runs gunicorn; ``govem demo``, ``govem migrate``, ``govem createsuperuser``
and every other management command work as with ``manage.py``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govem.settings")
    # Django's management only once the settings module is named (and only for the CLI)
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["govem", *argv])
    if len(args) == 1:
        args.append("help")
    elif not args[1].startswith("-"):
        # Django names commands after modules (import_employees); the docs say import-employees.
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
