"""Compile every locale/*/LC_MESSAGES/*.po into its .mo with polib (no gettext needed).

The .mo files are committed, so `make run` never needs this; `make messages` runs it.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main():
    catalogues = sorted(ROOT.glob("**/locale/*/LC_MESSAGES/*.po"))
    catalogues = [po for po in catalogues if ".venv" not in po.parts]
    for po_path in catalogues:
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"{po_path.relative_to(ROOT)}: {catalogue.percent_translated()}% translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
