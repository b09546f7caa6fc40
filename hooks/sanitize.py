"""Sanitize a converted notebook's HTML before it goes into a page.

Notebooks come from contributors, and their outputs are not read line by line in review: an HTML
output or a Markdown cell carrying `<img src=x onerror=...>` would otherwise run on the built page
(nbconvert drops `<script>` but not event handlers). Everything the converter produced passes through
Ammonia (nh3) with an allow-list of what notebooks legitimately show: formatting, tables, code, math
(raw `$...$` text), headings with anchors, and figures embedded as data URLs. Scripts, styles, event
handlers, iframes, objects, forms, `javascript:` and other active URLs, and external images are removed.
"""
from __future__ import annotations

import nh3

TAGS = (set(nh3.ALLOWED_TAGS) - {"area", "map"}) | {"span", "div"}
# Our converter's own markup (classes, ids, the figure's size) and the usual table and image attributes.
ATTRIBUTES = {tag: {"class", "id", "title"} for tag in TAGS}
ATTRIBUTES["img"] |= {"src", "alt", "width", "height"}
ATTRIBUTES["a"] |= {"href"}
for cell_tag in ("td", "th"):
    ATTRIBUTES[cell_tag] |= {"colspan", "rowspan", "align", "scope"}
IMAGE_DATA_URL = ("data:image/png;base64,", "data:image/jpeg;base64,", "data:image/gif;base64,")
LINK_SCHEMES = ("http://", "https://", "mailto:", "#", "q:")   # q:slug: hooks/notebook_links.py resolves it


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """Figures only as embedded data; links only to the web, mail, an anchor or a question (never javascript:
    or data:)."""
    if tag == "img" and attribute == "src":
        return value if value.startswith(IMAGE_DATA_URL) else None
    if tag == "a" and attribute == "href":
        return value if value.startswith(LINK_SCHEMES) else None
    return value


def notebook_html(html: str) -> str:
    return nh3.clean(html, tags=TAGS, clean_content_tags={"script", "style", "iframe", "object", "embed",
                                                          "form", "svg", "math", "template", "noscript"},
                     attributes=ATTRIBUTES, attribute_filter=_filter,
                     url_schemes={"http", "https", "mailto", "data", "q"},
                     link_rel="noopener noreferrer", strip_comments=True)
