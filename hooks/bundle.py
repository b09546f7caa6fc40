"""MkDocs hook: the offline bundle, a zip of the built site that a reader downloads and opens with
no install and no network (`make offline`; the home page links to it).

The zip holds site/ under one top folder. Its own home page leaves out the download paragraph,
since the bundle cannot contain itself. Entries carry a fixed date, so equal sites give equal zips.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

BUNDLE = "downloads/cnn-interview-questions-offline.zip"
TOP_FOLDER = "cnn-interview-questions"
DOWNLOAD_PARAGRAPH = re.compile(r'<p class="offline-bundle">.*?</p>', flags=re.S)


def on_files(files, config):
    # Registered now so that links to it resolve; filled once the rest of the site is written.
    files.append(File.generated(config, BUNDLE, content=b""))
    return files


@event_priority(-200)  # after the offline plugin has inlined the search index (priority -100)
def on_post_build(config):
    site = Path(config.site_dir)
    out = site / BUNDLE
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(p for p in site.rglob("*") if p.is_file() and p != out):
            rel = path.relative_to(site).as_posix()
            data = path.read_bytes()
            if rel == "index.html":
                data = DOWNLOAD_PARAGRAPH.sub("", data.decode("utf-8"), count=1).encode("utf-8")
            entry = zipfile.ZipInfo(f"{TOP_FOLDER}/{rel}", date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(entry, data)
