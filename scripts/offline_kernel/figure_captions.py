"""Loaded by every kernel that scripts/run_notebooks.py starts: each figure's output carries a caption.

The inline backend displays a figure with the metadata `_fetch_figure_metadata(fig)` returns; wrapped
here, that metadata also holds `caption`: the figure's label if the notebook set one (`fig.set_label("...")`),
else its own titles (suptitle, then each axes' title), else its axis labels. The build uses it as the figure's
`alt` text and visible caption (hooks/notebook_convert.py). The module is patched when it is first imported,
not before: importing it early would fix matplotlib's backend before the kernel selects the inline one.
"""
import importlib.abc
import importlib.util
import re
import sys

TARGET = "matplotlib_inline.backend_inline"


def plain(text: str) -> str:
    """A title as a screen reader should hear it: no mathtext dollars or backslashes, one line."""
    text = re.sub(r"\\(mathrm|mathbf|mathit|text)\{([^}]*)\}", r"\2", text)
    text = re.sub(r"\\([A-Za-z]+)", r"\1", text.replace("$", ""))
    return " ".join(text.replace("{", "").replace("}", "").split())


def figure_caption(fig) -> str:
    if fig.get_label().strip():
        return plain(fig.get_label())
    titles = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) else []
    for ax in fig.axes:
        titles += [ax.get_title(loc) for loc in ("left", "center", "right")]
    titles = [plain(t) for t in titles if t.strip()]
    if titles:
        return "; ".join(dict.fromkeys(titles))
    labels = [f"{plain(ax.get_ylabel())} against {plain(ax.get_xlabel())}" for ax in fig.axes
              if ax.get_xlabel().strip() and ax.get_ylabel().strip()]
    return "; ".join(dict.fromkeys(labels))


def patch(module) -> None:
    fetch = module._fetch_figure_metadata

    def fetch_with_caption(fig):
        metadata = fetch(fig) or {}
        caption = figure_caption(fig)
        return {**metadata, "caption": caption} if caption else (metadata or None)

    module._fetch_figure_metadata = fetch_with_caption


class PatchOnImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if fullname != TARGET:
            return None
        sys.meta_path.remove(self)            # find the real module with the finders that come after
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None:
            return None
        self.loader = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        patch(module)


sys.meta_path.insert(0, PatchOnImport())
