"""Money in Essor: Decimals in euros, to the cent."""

from decimal import Decimal

CENT = Decimal("0.01")


def euros(value):
    """`value` (a Decimal, a string, an int, None for nothing) as euros to the cent. Sums read
    from SQLite come back with float-like digits: every sum goes through here before use."""
    return Decimal(value or 0).quantize(CENT)
