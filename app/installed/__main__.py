"""`python -m authflow`: the same entry point as the `authflow` script."""

import sys

from authflow.app.__main__ import main

sys.exit(main())
