"""dotterel: news stories in; PLOVER events, actors, places, dates and quotes out.

Importing this package is cheap: spaCy and the model load on first use of a
:class:`Coder`.
"""

from __future__ import annotations

from ._version import __version__
from .coder import Coder, code
from .errors import DependencyError, DotterelError, InputError, UsageError
from .model import (
    Actor,
    ActorRef,
    CodedDocument,
    Document,
    DocumentError,
    Event,
    EventLocation,
    Mention,
    Place,
    Quote,
    SentenceRef,
    Speaker,
    TextSpan,
    TimeExpr,
)
from .runner import RunSummary, code_inputs
from .store import open

__all__ = [
    "Actor",
    "ActorRef",
    "CodedDocument",
    "Coder",
    "DependencyError",
    "Document",
    "DocumentError",
    "DotterelError",
    "Event",
    "EventLocation",
    "InputError",
    "Mention",
    "Place",
    "Quote",
    "RunSummary",
    "SentenceRef",
    "Speaker",
    "TextSpan",
    "TimeExpr",
    "UsageError",
    "__version__",
    "code",
    "code_inputs",
    "open",
]
