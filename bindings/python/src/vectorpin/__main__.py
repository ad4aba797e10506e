"""`python -m vectorpin detect ...`: see vectorpin.detect_cli."""
import sys

from vectorpin.detect_cli import main

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "detect":
        print("usage: python -m vectorpin detect --store STORE ... (python -m vectorpin detect --help)",
              file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[2:]))
