"""``python -m rmc_symbolic`` runs the ``rmc`` command line."""

import sys

from .cli import main

sys.exit(main())
