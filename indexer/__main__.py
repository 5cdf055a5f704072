"""``python -m indexer``: the command line lives in ``indexer.build.cli``."""

import sys

from indexer.build.cli import main

sys.exit(main())
