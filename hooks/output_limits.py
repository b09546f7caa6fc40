"""Limits on what one notebook output may weigh: a page carries its notebook's outputs, and a cell that
prints 5 MB or saves a poster-sized figure would make the page unusable. `make notebooks` refuses to
write such a notebook and the build refuses to embed one, naming the notebook, the cell and the limit."""
from __future__ import annotations

import base64

TEXT_LIMIT = 100_000      # characters of text in one output (stream, text/plain or text/html)
FIGURE_LIMIT = 300_000    # bytes of one image, decoded


def problems(nb: dict, where: str) -> list[str]:
    found = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        n = cell.get("execution_count")
        for out in cell.get("outputs", []):
            texts = [out.get("text", "")] + [out.get("data", {}).get(k, "") for k in ("text/plain", "text/html")]
            size = max(len("".join(t) if isinstance(t, list) else t) for t in texts)
            if size > TEXT_LIMIT:
                found.append(f"{where}: cell [{n}] prints {size:,} characters, over the limit of {TEXT_LIMIT:,}; "
                             "print a compact table or a summary instead of the whole thing")
            for mime, data in out.get("data", {}).items():
                if mime.startswith("image/") and mime != "image/svg+xml":
                    weight = len(base64.b64decode("".join(data) if isinstance(data, list) else data))
                    if weight > FIGURE_LIMIT:
                        found.append(f"{where}: cell [{n}] has a {weight:,}-byte figure, over the limit of "
                                     f"{FIGURE_LIMIT:,}; draw it smaller (about 6x3 in at dpi 80) or plot fewer points")
    return found
