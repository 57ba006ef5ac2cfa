import sys

from wirescope.cli import main

sys.exit(main())
