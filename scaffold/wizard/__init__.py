"""``scaffold new``: an interactive wizard that builds a preset one question at a time.

The questions are data (:mod:`.questions`, in the shapes of :mod:`.model`), walked by one loop
(:mod:`.flow`) that asks a :class:`Prompter` (:mod:`.prompters`: questionary, or the
defaults), replays an answers file (:mod:`.answers`) and checks every answer with the shared
field validators (:mod:`.checks`). :mod:`.session` runs a whole command and :mod:`.write`
writes its files as one all-or-nothing set. questionary is imported only when a person is
asked, so nothing else in scaffold pays for it.
"""

from __future__ import annotations

from .answers import ANSWERS_FORMAT, AnswersFile, answers_path_for, answers_text, load_answers
from .document import preset_text
from .errors import WizardError
from .flow import Wizard, WizardResult, run_wizard
from .prompters import DefaultsPrompter, Option, Prompt, Prompter, QuestionaryPrompter
from .session import new
from .write import Output, write_all

__all__ = [
    "ANSWERS_FORMAT",
    "AnswersFile",
    "DefaultsPrompter",
    "Option",
    "Output",
    "Prompt",
    "Prompter",
    "QuestionaryPrompter",
    "Wizard",
    "WizardError",
    "WizardResult",
    "answers_path_for",
    "answers_text",
    "load_answers",
    "new",
    "preset_text",
    "run_wizard",
    "write_all",
]
