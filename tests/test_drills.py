"""The arithmetic drills (docs/drills.md, overrides/assets/javascripts/drills.js), from file:// in Chromium
with the network cut: every answer the page gives equals PyTorch's, on hundreds of generated layers per
kind; a right and a wrong answer typed by keyboard get their verdict and working; axe in both schemes;
a phone-width layout; the script is the page's own, deferred, and nowhere else."""
from __future__ import annotations

import gzip
import re

import pytest
import torch
from bs4 import BeautifulSoup
from conftest import WRITTEN, open_page
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

PAGE = "drills.html"
SCRIPT = "assets/javascripts/drills.js"
LEVELS = ["easy", "medium", "hard"]
PER_LEVEL = 120                      # 360 problems per kind
SEEDS = {"output": 11, "params": 22, "rf": 33, "macs": 44}
OWNER_PAGES = {"output": "output-size", "rf": "choosing-layers", "params": "parameter-count",
               "macs": "parameter-count"}
WRITTEN_BY_SLUG = {q.slug: q for q in WRITTEN}


@pytest.fixture(scope="module")
def drills(site, browser):
    """The page's generator and solver: per kind, each problem with the answer the page would give."""
    context = browser.new_context()
    external = []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                  else (external.append(r.request.url), r.abort()))
    page = context.new_page()
    page.goto((site / PAGE).as_uri())
    problems = {kind: page.evaluate("""([seed, n, kind, levels]) => levels.flatMap((level, i) =>
        cnnDrills.generate(seed + i, n, kind, level).map((p) => ({problem: p, answer: cnnDrills.solve(p).answer})))""",
                                    [SEEDS[kind], PER_LEVEL, kind, LEVELS]) for kind in SEEDS}
    context.close()
    assert not external, external
    return problems


def conv_of(layer: dict) -> nn.Conv2d:
    return nn.Conv2d(layer["cin"], layer["cout"], layer["k"], stride=layer["s"], padding=layer["p"],
                     dilation=layer["d"], groups=layer["g"], bias=layer["bias"])


def pool_of(layer: dict) -> nn.Module:
    cls = nn.MaxPool2d if layer["type"] == "maxpool" else nn.AvgPool2d
    return cls(layer["k"], stride=layer["s"], padding=layer["p"], ceil_mode=layer["ceil"])


def output_side(problem: dict) -> int:
    layer = problem["layer"]
    module = conv_of(layer) if layer["type"] == "conv" else pool_of(layer)
    channels = layer["cin"] if layer["type"] == "conv" else layer["c"]
    with torch.no_grad():
        out = module(torch.randn(1, channels, layer["w"], layer["w"]))
    assert out.shape[-1] == out.shape[-2]
    return out.shape[-1]


def parameters(problem: dict) -> int:
    return sum(p.numel() for p in conv_of(problem["layer"]).parameters())


def macs(problem: dict) -> int:
    """The output's size (from a real forward pass) times each output value's kernel work; PyTorch's FLOP
    counter, which counts a convolution's multiply-accumulates twice and leaves out the bias, agrees."""
    layer = problem["layer"]
    conv = conv_of(layer)
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        out = conv(torch.randn(1, layer["cin"], layer["w"], layer["w"]))
    count = out[0].numel() * conv.weight[0].numel()
    assert counter.get_total_flops() == 2 * count, (problem, counter.get_total_flops(), count)
    return count


def stack_of(problem: dict, padded: bool) -> nn.Sequential:
    """The stack on one channel, weights positive so nothing cancels; a max pool becomes an average pool of the
    same window (a max pool's gradient reaches only the maximum)."""
    layers = []
    for layer in problem["layers"]:
        p = layer["p"] if padded else 0
        if layer["type"] == "conv":
            conv = nn.Conv2d(1, 1, layer["k"], stride=layer["s"], padding=p, dilation=layer["d"], bias=False)
            nn.init.uniform_(conv.weight, 0.5, 1.0)
            layers.append(conv)
        else:
            layers.append(nn.AvgPool2d(layer["k"], stride=layer["s"], padding=p))
    return nn.Sequential(*layers).double()


def field_extent(net: nn.Sequential, side: int, unit: str) -> tuple[int, int, int]:
    """Backprop from one output unit (the first, or the middle one); the rows with a nonzero input gradient:
    (first, last, extent), the columns checked to agree."""
    x = torch.rand(1, 1, side, side, dtype=torch.float64, requires_grad=True)
    out = net(x)
    at = 0 if unit == "first" else out.shape[-1] // 2
    out[0, 0, at, at].backward()
    grad = x.grad[0, 0].abs()
    rows, cols = torch.nonzero(grad.sum(1)).flatten(), torch.nonzero(grad.sum(0)).flatten()
    assert (rows.min(), rows.max()) == (cols.min(), cols.max())
    return int(rows.min()), int(rows.max()), int(rows.max() - rows.min() + 1)


def receptive_field(problem: dict) -> int:
    """Measured by gradient, twice. Without padding, the first output unit reads from pixel 0 on, and every tap
    it has lands on a real pixel. With the stack's own padding, the middle unit of an input over twice that
    wide: far enough from the borders that no tap of it, at any layer, lands on padding."""
    side = 32
    while True:   # the smallest power of two that has a first output unit
        try:
            first, _, extent = field_extent(stack_of(problem, padded=False), side, "first")
            break
        except RuntimeError:   # an empty output: the input is narrower than the field
            side *= 2
            assert side <= 4096, problem
    assert first == 0
    side = 2 * extent + 16   # the middle unit's field, shifted by the padding (at most half of it), fits
    lo, hi, padded = field_extent(stack_of(problem, padded=True), side, "middle")
    assert lo > 0 and hi < side - 1 and padded == extent, (problem, extent, padded)
    return extent


MEASURE = {"output": output_side, "params": parameters, "macs": macs, "rf": receptive_field}


@pytest.mark.parametrize("kind", SEEDS)
def test_every_answer_the_page_gives_equals_pytorch(kind, drills):
    torch.manual_seed(0)
    problems = drills[kind]
    assert len(problems) >= 300
    threads = torch.get_num_threads()
    torch.set_num_threads(1)   # small tensors: one thread is several times faster on a shared machine
    try:
        measured = [MEASURE[kind](p["problem"]) for p in problems]
    finally:
        torch.set_num_threads(threads)
    wrong = [f"{p['problem']}: the page says {p['answer']}, PyTorch {m}"
             for p, m in zip(problems, measured, strict=True) if m != p["answer"]]
    assert not wrong, f"{len(wrong)} of {len(problems)} differ:\n" + "\n".join(wrong[:10])


def test_the_generator_is_seeded_and_covers_every_case(site, drills, offline_page):
    p = open_page(offline_page, site, PAGE)
    again = p.page.evaluate("() => cnnDrills.generate(22, 5, 'params', 'easy')")
    assert again == [d["problem"] for d in drills["params"][:5]], "the same seed gives the same problems"
    assert again != p.page.evaluate("() => cnnDrills.generate(23, 5, 'params', 'easy')")
    layers = [d["problem"]["layer"] for kind in ("output", "params", "macs") for d in drills[kind]]
    convs = [la for la in layers if la["type"] == "conv"]
    pools = [la for la in layers if la["type"] != "conv"]
    assert {la["type"] for la in pools} == {"maxpool", "avgpool"}
    assert len(pools) >= 100 and len(convs) >= 600
    # ceil_mode drops the last window when it would start in the right padding: (O - 1) S >= W + P
    dropped = [la for la in pools if la["ceil"] and -(-(la["w"] + 2 * la["p"] - la["k"]) // la["s"]) * la["s"]
               >= la["w"] + la["p"]]
    assert sum(la["ceil"] for la in pools) >= 30 and dropped, "ceil_mode, and its dropped last window, are drilled"
    assert any(la["d"] > 1 for la in convs) and any(la["p"] > 0 for la in convs)
    assert any(la["g"] > 1 for la in convs) and any(la["g"] == la["cin"] > 1 for la in convs), "groups, depthwise"
    assert {la["bias"] for la in convs} == {True, False}
    stacks = [d["problem"]["layers"] for d in drills["rf"]]
    assert {len(s) for s in stacks} == {2, 3, 4}
    assert any(la["type"] != "conv" for s in stacks for la in s) and any(la["d"] > 1 for s in stacks for la in s)
    assert not p.external and not p.errors


def loop_conv(x: torch.Tensor, layer: dict, weight: torch.Tensor) -> tuple[torch.Tensor, int]:
    """A convolution written as loops over output values and kernel taps, counting each multiply-accumulate."""
    k, s, p, d, g = layer["k"], layer["s"], layer["p"], layer["d"], layer["g"]
    xp = torch.nn.functional.pad(x, (p, p, p, p))
    side = (xp.shape[-1] - d * (k - 1) - 1) // s + 1
    per_group_in, per_group_out = layer["cin"] // g, layer["cout"] // g
    out = torch.zeros(layer["cout"], side, side, dtype=x.dtype)
    count = 0
    for o in range(layer["cout"]):
        group = o // per_group_out
        for i in range(side):
            for j in range(side):
                for c in range(per_group_in):
                    for a in range(k):
                        for b in range(k):
                            pixel = xp[group * per_group_in + c, i * s + a * d, j * s + b * d]
                            out[o, i, j] += weight[o, c, a, b] * pixel
                            count += 1
    return out, count


HAND_COUNTED = [
    {"type": "conv", "cin": 4, "cout": 6, "k": 3, "s": 2, "p": 1, "d": 2, "g": 2, "bias": True, "w": 9},
    {"type": "conv", "cin": 3, "cout": 2, "k": 2, "s": 1, "p": 0, "d": 1, "g": 1, "bias": False, "w": 5},
    {"type": "conv", "cin": 4, "cout": 4, "k": 3, "s": 3, "p": 2, "d": 1, "g": 4, "bias": True, "w": 7},
]


def test_macs_agree_with_a_hand_count(site, offline_page):
    """On a few small layers, the MACs the page gives equal a count of the multiply-accumulates done by a
    loop convolution whose output is PyTorch's."""
    p = open_page(offline_page, site, PAGE)
    for layer in HAND_COUNTED:
        answer = p.page.evaluate("(layer) => cnnDrills.solve({kind: 'macs', level: 'hard', layer}).answer", layer)
        conv = conv_of(layer).double()
        x = torch.randn(layer["cin"], layer["w"], layer["w"], dtype=torch.float64)
        looped, count = loop_conv(x, layer, conv.weight.detach())
        with torch.no_grad():
            want = conv(x[None])[0] - (conv.bias[:, None, None] if layer["bias"] else 0)
        assert torch.allclose(looped, want), layer
        assert answer == count, (layer, answer, count)


# ---- the page, by keyboard ----------------------------------------------------------------------------

def open_seeded(offline_page, site, seed: int, scheme: str = "light"):
    """The drills page from file:// on a fixed seed (`?seed=`), network cut."""
    p = offline_page(scheme)
    p.page.goto((site / PAGE).as_uri() + f"?seed={seed}")
    p.page.wait_for_load_state("load")
    return p


def owner_problems(page, site, kind: str) -> list[str]:
    """The working links the page that owns the formula, or names it as not written yet."""
    owner = page.locator("#drills-working .drills__owner")
    q = WRITTEN_BY_SLUG.get(OWNER_PAGES[kind])
    if q is not None:
        href = owner.locator("a").get_attribute("href")
        return [] if href and (site / href).resolve() == (site / q.html).resolve() else [f"{kind}: links {href!r}"]
    return [] if owner.locator("a").count() == 0 and "not written yet" in owner.inner_text() \
        else [f"{kind}: {owner.inner_text()!r}, want the question named as not written yet"]


def test_a_right_and_a_wrong_answer_by_keyboard(site, offline_page):
    p = open_seeded(offline_page, site, 8)
    page = p.page
    result, working = page.locator("#drills-result"), page.locator("#drills-working")
    box = page.locator("#drills-input")
    assert result.get_attribute("aria-live") == "polite" and page.locator("[aria-live] #drills-working").count() == 0
    assert page.locator("label[for='drills-input']").inner_text().strip(), "the answer box has a label"
    first = page.evaluate("() => cnnDrills.current()")
    solved = page.evaluate("() => cnnDrills.solve(cnnDrills.current())")
    box.focus()
    page.keyboard.type(f"{solved['answer']:,}")            # with thousands separators
    page.keyboard.press("Enter")
    assert result.inner_text() == f"Correct: {solved['answer']:,}.", "the live region says only the verdict"
    assert working.is_visible()
    text = " ".join(working.inner_text().split())
    assert all(" ".join(part.split()) in text for part in [solved["formula"], *solved["steps"]])
    assert owner_problems(page, site, first["kind"]) == []
    assert page.locator("#drills-score").inner_text().startswith("Score: 1 of 1 right")

    page.keyboard.press("Enter")                            # the next problem
    second = page.evaluate("() => cnnDrills.current()")
    assert second != first and box.input_value() == "" and result.inner_text() == "" and not working.is_visible()
    assert page.evaluate("() => document.activeElement.id") == "drills-input"
    page.keyboard.type("n")                                 # N in the answer box is typing, not "next"
    assert page.evaluate("() => cnnDrills.current()") == second and box.input_value() == "n"
    page.keyboard.press("Enter")
    assert result.inner_text().startswith("Type a whole number"), "a non-number is refused, not scored"
    answer = page.evaluate("() => cnnDrills.solve(cnnDrills.current()).answer")
    box.fill("")
    page.keyboard.type(str(answer + 1))
    page.keyboard.press("Enter")
    assert result.inner_text() == f"Not quite: you typed {answer + 1:,}, the answer is {answer:,}."
    assert working.is_visible() and "Formula:" in working.inner_text()
    assert page.locator("#drills-score").inner_text().startswith("Score: 1 of 2 right")
    page.keyboard.press("n")
    assert page.evaluate("() => cnnDrills.current()") != second and not working.is_visible()

    # Choose the kinds by keyboard: only one kind left, every problem is of that kind.
    problems = []
    for kind in ("output", "params", "rf", "macs"):
        for other in sorted(("output", "params", "rf", "macs"), key=lambda k: k != kind):   # check it, then the rest
            checkbox = page.locator(f"input[name='drills-kind'][value='{other}']")
            if checkbox.is_checked() != (other == kind):
                checkbox.focus()
                page.keyboard.press("Space")
        for _ in range(3):
            current = page.evaluate("() => cnnDrills.current()")
            if current["kind"] != kind:
                problems.append(f"{kind} alone chosen, got a {current['kind']} problem")
            box.focus()
            page.keyboard.type(str(page.evaluate("() => cnnDrills.solve(cnnDrills.current()).answer")))
            page.keyboard.press("Enter")
            if not result.inner_text().startswith("Correct"):
                problems.append(f"{kind}: {result.inner_text()}")
            problems += owner_problems(page, site, kind)
            page.keyboard.press("n")
    page.locator("#drills-level").select_option("hard")
    assert page.evaluate("() => cnnDrills.current().level") == "hard"
    assert not problems, "\n".join(problems)
    assert not p.external and not p.errors, (p.external, p.errors)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_with_the_working_shown(scheme, site, offline_page):
    p = open_seeded(offline_page, site, 8, scheme)
    p.page.locator("#drills-input").focus()
    p.page.keyboard.type("1")
    p.page.keyboard.press("Enter")
    assert p.page.locator("#drills-working").is_visible()
    serious = p.serious_accessibility_violations()
    assert not serious, "\n".join(serious)


def test_the_drills_fit_a_phone(site, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    try:
        page = context.new_page()
        page.goto((site / PAGE).as_uri() + "?seed=8")
        page.locator("#drills-input").focus()
        page.keyboard.type("1")
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scroll"
        for part in ("#drills-input", "#drills-check", "#drills-next", "#drills-working"):
            box = page.locator(part).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, part
    finally:
        context.close()


def test_the_script_is_deferred_and_only_on_the_drills_page(site):
    soup = BeautifulSoup((site / PAGE).read_text(encoding="utf-8"), "html.parser")
    scripts = soup.select(f"script[src$='{SCRIPT}']")
    assert len(scripts) == 1 and scripts[0].has_attr("defer")
    assert not [s for s in soup.select("article script") if not s.has_attr("src")], "no inline script"
    others = [p.relative_to(site).as_posix() for p in site.rglob("*.html")
              if p.name != PAGE and "drills.js" in p.read_text(encoding="utf-8")]
    assert not others, f"drills.js loaded on {others}"
    nav = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert nav.select_one("nav.md-nav--primary a[href='drills.html']"), "in the nav"
    assert nav.select_one("article a[href='drills.html']"), "linked from the home page"


def test_the_drills_page_is_light(site):
    """The page as served (gzip HTML) plus its script; it shows no figure."""
    html = (site / PAGE).read_bytes()
    script = (site / SCRIPT).read_bytes()
    weight = len(gzip.compress(html, 6)) + len(gzip.compress(script, 6))
    assert weight <= 30 * 1024, f"{weight / 1024:.1f} KB"
    assert not re.search(rb"<img\b", html)
