"""Web pages: main text, title and publication date from HTML (optional extra ``web``).

trafilatura is the field's standard extractor (best main-text F1 in its own and
independent benchmarks, maintained, and it reads the publication date and
site name from the page's metadata).
"""

from __future__ import annotations

from ..errors import missing_dependency
from ..model import Document, normalize_pub_date
from .items import ReadDocument, Skipped


def read_html_bytes(data: bytes, *, url: str | None, name: str) -> ReadDocument | Skipped:
    """Extract one story from an HTML page with trafilatura."""
    try:
        import trafilatura
    except ImportError as exc:
        raise missing_dependency("trafilatura", "web") from exc
    html = data.decode("utf-8", errors="replace")
    extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_precision=True)
    if extracted is None:
        return Skipped(name, None, "no main text found in the HTML page")
    text = getattr(extracted, "text", None) or ""
    if not text.strip():
        return Skipped(name, None, "no main text found in the HTML page")
    try:
        pub = normalize_pub_date(getattr(extracted, "date", None))
    except ValueError:
        pub = None
    return ReadDocument(
        Document(
            text=text,
            title=getattr(extracted, "title", None),
            pub_date=pub,
            url=url or getattr(extracted, "url", None),
            source=getattr(extracted, "sitename", None),
        )
    )
