"""``python -m ascrapy`` runs the command line."""

import sys

from ascrapy.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
