"""`python -m budgetlens` is the same as the `budgetlens` command."""

import sys

from budgetlens.cli import main

sys.exit(main())
