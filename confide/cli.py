"""The `confide` command: Django's management commands with Confide's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confide.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = sys.argv if argv is None else ["confide", *argv]
    args[0] = "confide"
    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - reads the environment now, to report it plainly
    except ImproperlyConfigured as error:
        sys.stderr.write(f"confide: {error}\n")
        sys.exit(2)
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
