"""The wizard's own error: a run that cannot go on."""

from __future__ import annotations

from ..errors import ScaffoldError


class WizardError(ScaffoldError):
    """A bad answers file or answer in it, a question without a usable default, a file in the way."""
