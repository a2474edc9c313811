"""``python -m scaffold``."""

from .cli import main

main(prog_name="scaffold")
