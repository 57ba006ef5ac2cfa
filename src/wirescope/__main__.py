import sys

from wirescope.cli.main import main

sys.exit(main())
