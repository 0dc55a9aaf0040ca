"""Permission predicates of the jury, one module per part; applications/rules.py loads them."""
