# The throwaway topics of conftest.py.
ROUTINE = "ui_routine"
ESSENTIAL = "ui_essential"
