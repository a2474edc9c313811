"""``python -m scaffold``."""

from ._entry import main

main()
