"""`python -m pgsage.server` is the `pgsage` command."""

import sys

from .cli import main

sys.exit(main())
