"""MkDocs hook: embed each question's executed notebook in its page, under `## Run it yourself`.

The notebook's HTML comes from hooks/notebook_convert.py (converted once and cached; on a cold build,
in parallel worker processes). This hook ships the .ipynb beside the site, puts the download and Colab
links and the notebook under `## Run it yourself`, and writes the figures into the site.

The notebook is never executed here: a notebook without a fresh stamp fails the build (see
hooks/stamps.py); a fresh one puts a "Verified" line under the page title, from its stamp.
"""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import notebook_convert
import notebook_links
import output_limits
import stamps
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from notebook_convert import FIGURES

import catalogue

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- notebook-embed -->"
AFTER_TITLE = re.compile(r'^(# .+\n(?:\n<p class="question-meta".*</p>\n)?)', flags=re.M)  # H1 + meta line

_by_page: dict[str, catalogue.Question] = {}
_figures: dict[str, bytes] = {}          # file name -> PNG bytes, written into site/ after the build


def on_config(config):
    _by_page.clear()
    _by_page.update(catalogue.by_page(catalogue.load()))
    _figures.clear()


def on_files(files, config):
    """Ship each notebook beside the site so the download link works hosted and from file://; start
    converting, on every core, the notebooks the cache lacks."""
    shipped = []
    for q in _by_page.values():
        path = ROOT / q.notebook
        if path.is_file() and files.get_file_from_path(q.page):
            files.append(File.generated(config, q.notebook, abs_src_path=str(path)))
            shipped.append(path)
    notebook_convert.start(shipped)
    return files


def on_build_error(error):
    notebook_convert.stop(wait=False)


def on_page_markdown(markdown, page, config, files):
    q = _by_page.get(page.file.src_uri)
    if q is None:
        return markdown
    badge = verified_badge(fresh_notebook(ROOT / q.notebook), markdown.count('<a class="tied" '))
    markdown = AFTER_TITLE.sub(lambda m: f"{m.group(1)}\n{badge}\n", markdown, count=1)
    # The embed goes at the end of the "Run it yourself" section, after its one-line introduction.
    head, sep, tail = markdown.partition("\n## Run it yourself")
    if not sep:
        raise PluginError(f"docs/{page.file.src_uri}: no '## Run it yourself' section for the notebook")
    intro, nxt, rest = tail.partition("\n## ")
    return f"{head}{sep}{intro.rstrip()}\n\n{MARKER}\n\n{nxt}{rest}"


def fresh_notebook(path: Path) -> dict:
    """The notebook, if its stamp matches its code; the build fails otherwise, naming the file."""
    try:
        nb = json.loads(path.read_bytes())
        stamps.check_fresh(nb, path.relative_to(ROOT))
    except (ValueError, KeyError) as e:
        raise PluginError(f"{path.relative_to(ROOT)}: not a readable notebook: {e}") from e
    except stamps.StaleNotebook as e:
        raise PluginError(str(e)) from e
    where = str(path.relative_to(ROOT))
    problems = output_limits.problems(nb, where) + notebook_links.problems(nb, where)
    if problems:
        raise PluginError("\n".join(problems))
    return nb


def verified_badge(nb: dict, tied: int) -> str:
    """The line under the title: how many of the page's numbers come from the notebook below, on which
    seeds its asserts held, and its runtime and versions (from the stamp)."""
    stamp = stamps.read_stamp(nb)
    seeds = stamp.get("seeds_passed", [0])
    held = (f"its checks pass on seeds {' and '.join(map(str, seeds))}" if len(seeds) > 1
            else f"its checks pass on seed {seeds[0]} (not yet on the alternate seed)")
    numbers = (f"{tied} number{'s' if tied != 1 else ''} on this page {'are' if tied != 1 else 'is'} computed by "
               "the notebook below" if tied else "the notebook below checks this page (its numbers are not tied "
               "to it yet)")
    return (f'<p class="verified-badge" data-tied="{tied}" data-seeds="{" ".join(map(str, seeds))}" '
            f'data-runtime="{stamp["runtime_s"]}"><span class="verified-badge__mark">Verified</span> '
            f'{numbers[0].upper() + numbers[1:]}; {held}; it ran in {stamp["runtime_s"]:.1f} s with '
            f'PyTorch {stamp["torch"]} and Python {stamp["python"]}.</p>')


def on_page_content(html, page, config, files):
    q = _by_page.get(page.file.src_uri)
    if q is None:
        return html
    body, figures = notebook_convert.render(ROOT / q.notebook)
    body = notebook_links.resolve(body, page, files, list(_by_page.values()), q.notebook)
    _figures.update(figures)
    to_root = posixpath.relpath(".", posixpath.dirname(page.url) or ".")
    body = body.replace("{{figures}}", posixpath.join(to_root, FIGURES))
    note = reproducibility_note(stamps.read_stamp(json.loads((ROOT / q.notebook).read_bytes())))
    return html.replace(MARKER, links(q, page, files, config) + body + note, 1)


def reproducibility_note(stamp: dict) -> str:
    """What a reader who runs the notebook can expect, under the embedded notebook."""
    seeds = ("They pass on other seeds too: set the environment variable <code>NOTEBOOK_SEED</code>."
             if len(stamp.get("seeds_passed", [])) > 1 else
             "Some of them do not hold on other seeds yet: this page is due for a rewrite.")
    return (f'<p class="notebook-note">Run top to bottom on a CPU with PyTorch {stamp["torch"]}, this notebook '
            "prints exactly these numbers: its first cell fixes the seeds, the thread count and deterministic "
            "algorithms. Another library version or a GPU can move trained numbers slightly; the assertions, "
            f"which are the page's claims, are written to hold either way. {seeds}</p>\n")


def on_post_build(config):
    notebook_convert.stop()
    out = Path(config.site_dir) / FIGURES
    out.mkdir(parents=True, exist_ok=True)
    for name, data in _figures.items():
        (out / name).write_bytes(data)


def links(q: catalogue.Question, page, files, config) -> str:
    download = files.get_file_from_path(q.notebook).url_relative_to(page.file)
    parts = [f'<a class="md-button" href="{download}" download>Download notebook (.ipynb)</a>']
    repo = config.extra.get("notebook_repository")
    if repo:
        branch = config.extra.get("notebook_branch") or "main"
        parts.append(f'<a class="md-button" href="https://colab.research.google.com/github/{repo}/blob/'
                     f'{branch}/{q.notebook}">Open in Colab</a>')
    return f'<p class="notebook-links">{" ".join(parts)}</p>\n'


