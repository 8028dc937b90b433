import sys

from oas_create_check.cli import main

sys.exit(main())
