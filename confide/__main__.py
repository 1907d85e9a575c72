from __future__ import annotations

from confide.cli import main

main()
