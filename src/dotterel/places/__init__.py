"""Places: the story's toponyms geocoded offline to GeoNames records (``docs/places.md``).

:class:`Gazetteer` loads the bundled data once per :class:`~dotterel.Coder`;
:func:`extract_places` turns one story's toponyms into :class:`~dotterel.model.Place` records.
"""

from __future__ import annotations

from .extract import extract_places
from .gazetteer import Entry, Gazetteer, name_key

__all__ = ["Entry", "Gazetteer", "extract_places", "name_key"]
