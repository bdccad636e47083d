"""The `xuncha` command: Django's management commands plus the platform's own.

xuncha migrate                      public schema, template schema, every organisation
xuncha org create --kind county --parent 410600 --code 410621 --name 浚县
xuncha org import organisations.xlsx
xuncha web | worker | beat          the processes (see deploy/)
xuncha sync relay | consume | status | verify
xuncha demo                         everything, with demo organisations
"""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line

ALIASES = {"migrate": "platform_migrate"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
