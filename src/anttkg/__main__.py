"""`python -m anttkg` runs the command-line interface."""
from .cli import main

main()
