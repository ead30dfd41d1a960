"""python -m tests.sites link|failures|write ...: see tests/sites/cli.py."""

from tests.sites.cli import main

main()
