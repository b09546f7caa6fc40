"""MkDocs hook: a Content-Security-Policy on every page, as a <meta> tag (static hosting may not allow
headers, and a page opened from file:// has none).

Scripts run only from the site's own files and from the exact inline scripts the theme writes into the
page, admitted by their sha256 computed here, page by page (Material's `__md_scope` script differs by
page depth). Nothing loads from another origin; no plugins, no <base>, no form submissions. Styles may be
inline (KaTeX and Material set style attributes; a style cannot run code). Notebook HTML is sanitized
before it reaches a page (hooks/sanitize.py); the policy is the second line of defense.
"""
from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", flags=re.S | re.I)
NOT_CODE = re.compile(r"""\btype\s*=\s*["']?(?!text/javascript|module)[\w/+.-]+""", flags=re.I)
POLICY = ("default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-src 'self'; "
          "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'")


def inline_script_hashes(html: str) -> list[str]:
    """sha256 sources for the page's inline scripts (a JSON data block such as Material's config is not code)."""
    hashes = []
    for m in INLINE_SCRIPT.finditer(html):
        attrs = m.group("attrs") or ""
        if "src=" in attrs or NOT_CODE.search(attrs):
            continue
        digest = base64.b64encode(hashlib.sha256(m.group("body").encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return sorted(set(hashes))


def with_policy(html: str) -> str:
    meta = (f'<meta http-equiv="Content-Security-Policy" '
            f'content="{POLICY.format(hashes=" ".join(inline_script_hashes(html)))}">')
    # First in <head>: the policy applies only to what follows it.
    return re.sub(r"(<head[^>]*>)", lambda m: m.group(1) + "\n    " + meta, html, count=1, flags=re.I)


def on_post_page(output, page, config):
    return with_policy(output)


def on_post_template(output_content, template_name, config):
    return with_policy(output_content) if template_name.endswith(".html") else output_content
