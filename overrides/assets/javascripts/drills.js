// Arithmetic drills (docs/drills.md): random conv and pool layers from a seedable PRNG, four kinds of
// question (output size, parameters, receptive field, MACs), the answer checked and the working shown.
// The conventions are the page's; tests/test_drills.py checks every answer against PyTorch through
// window.cnnDrills. Plain JavaScript, no dependencies, no storage: the score lasts for this visit.
(function () {
  "use strict";
  var KINDS = ["output", "params", "rf", "macs"];
  var LEVELS = ["easy", "medium", "hard"];
  var KIND_NAMES = { output: "Output size", params: "Parameter count", rf: "Receptive field", macs: "MACs" };
  // The page that owns each formula; the link is read off the page's conventions, where the build
  // resolved it (a question not written yet is plain text there, and here).
  var OWNER = { output: "output-size", params: "parameter-count", rf: "choosing-layers", macs: "parameter-count" };
  var MAX_MACS = 2e8;   // keeps the numbers readable (and the tests' PyTorch runs quick)

  // ---- seedable PRNG (mulberry32) ------------------------------------------------------------------
  function random(seed) {
    var a = seed >>> 0;
    function next() {
      a = (a + 0x6D2B79F5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    return {
      next: next,
      int: function (lo, hi) { return lo + Math.floor(next() * (hi - lo + 1)); },
      pick: function (list) { return list[Math.floor(next() * list.length)]; },
      chance: function (p) { return next() < p; }
    };
  }
  function mix(seed, i) { return (Math.imul(seed >>> 0, 2654435761) ^ Math.imul(i + 1, 40503) ^ 0x9E3779B9) >>> 0; }

  // ---- arithmetic -----------------------------------------------------------------------------------
  function span(k, d) { return d * (k - 1) + 1; }
  function convOut(w, k, s, p, d) { return Math.floor((w + 2 * p - span(k, d)) / s) + 1; }
  function poolOut(w, k, s, p, ceil) {
    var n = w + 2 * p - k;
    if (!ceil) return Math.floor(n / s) + 1;
    var o = Math.ceil(n / s) + 1;
    return (o - 1) * s >= w + p ? o - 1 : o;   // the last window must start inside the input or its left padding
  }

  // ---- generators -----------------------------------------------------------------------------------
  function convLayer(R, level, kind) {
    for (;;) {
      var k, s, d, p, g = 1, cin, cout, w, bias = R.chance(0.5);
      if (level === "easy") {
        k = R.pick([1, 3, 3, 5, 7]); s = R.pick([1, 1, 2]); d = 1; p = R.pick([0, (k - 1) / 2]);
        w = R.pick([8, 14, 16, 28, 32, 56, 64]); cin = R.pick([3, 8, 16, 32, 64]); cout = R.pick([8, 16, 32, 64]);
      } else if (level === "medium") {
        k = R.pick([1, 2, 3, 3, 4, 5, 7]); s = R.int(1, 3); d = k > 1 ? R.pick([1, 1, 2]) : 1;
        p = R.int(0, Math.ceil(d * (k - 1) / 2)); w = R.int(7, 80);
        cin = R.pick([8, 16, 24, 32, 48, 64]); cout = R.pick([16, 32, 48, 64, 96]); g = R.pick([1, 1, 2, 4]);
      } else {
        k = R.int(1, 11); s = R.int(1, 4); d = k > 1 ? R.int(1, 4) : 1;
        p = R.int(0, Math.ceil(d * (k - 1) / 2) + 1); w = R.int(5, 130);
        cin = R.pick([12, 16, 24, 32, 48, 64, 96]); cout = R.pick([16, 24, 32, 40, 64, 96, 128]);
        var groups = R.pick([1, 2, 3, 4, 8, "depthwise"]);
        if (groups === "depthwise") { g = cin; cout = cin * R.pick([1, 1, 2]); } else { g = groups; }
      }
      if (w > 64 && g === 1) { cin = Math.min(cin, R.pick([3, 8, 16])); cout = Math.min(cout, 32); }
      if (cin % g || cout % g || w + 2 * p < span(k, d)) continue;
      var o = convOut(w, k, s, p, d);
      if (o < (level === "hard" ? 1 : 2)) continue;
      if (kind === "macs" && o * o * cout * (cin / g) * k * k > MAX_MACS) continue;
      return { type: "conv", cin: cin, cout: cout, k: k, s: s, p: p, d: d, g: g, bias: bias, w: w };
    }
  }

  function poolLayer(R, level) {
    for (;;) {
      var type = R.pick(["max", "avg"]), k, s, p, ceil = false, w, c = R.pick([16, 32, 64]);
      if (level === "easy") {
        var preset = R.pick([[2, 2, 0], [2, 2, 0], [3, 2, 1], [3, 1, 1], [3, 2, 0]]);
        k = preset[0]; s = preset[1]; p = preset[2]; w = R.pick([8, 14, 16, 28, 32, 56, 64, 112]);
      } else if (level === "medium") {
        k = R.int(2, 5); s = R.int(1, 3); p = R.int(0, Math.floor(k / 2)); ceil = R.chance(0.3); w = R.int(7, 80);
      } else {
        k = R.int(2, 7); s = R.int(1, 4); p = R.int(0, Math.floor(k / 2)); ceil = R.chance(0.6); w = R.int(5, 120);
      }
      if (w + 2 * p < k) continue;
      var o = poolOut(w, k, s, p, ceil);
      if (o < (level === "hard" ? 1 : 2)) continue;
      return { type: type + "pool", c: c, k: k, s: s, p: p, d: 1, ceil: ceil, w: w };
    }
  }

  function stack(R, level) {
    for (;;) {   // a field wider than 150 pixels is no sensible drill: draw again
      var layers = layerStack(R, level), r = 1, j = 1;
      layers.forEach(function (l) { r += l.d * (l.k - 1) * j; j *= l.s; });
      if (r <= 150) return layers;
    }
  }

  function layerStack(R, level) {
    var n = level === "easy" ? 2 : level === "medium" ? 3 : R.int(3, 4), layers = [];
    for (var i = 0; i < n; i++) {
      var pool = i > 0 && R.chance(level === "easy" ? 0.3 : 0.25), k, s, d = 1;
      if (pool) {
        k = level === "hard" ? R.pick([2, 3]) : 2; s = level === "hard" ? R.int(1, 3) : 2;
      } else if (level === "easy") {
        k = R.pick([3, 3, 5]); s = R.pick([1, 2]);
      } else if (level === "medium") {
        k = R.pick([1, 3, 3, 5, 7]); s = R.pick([1, 1, 2]); d = k > 1 ? R.pick([1, 1, 2]) : 1;
      } else {
        k = R.int(1, 7); s = R.pick([1, 1, 2, 3]); d = k > 1 ? R.int(1, 4) : 1;
      }
      // Padding is shown from medium on (it does not change the receptive field); a pool pads none.
      var p = pool || level === "easy" ? 0 : Math.floor(d * (k - 1) / 2);
      layers.push({ type: pool ? R.pick(["maxpool", "avgpool"]) : "conv", k: k, s: s, d: d, p: p });
    }
    return layers;
  }

  function generateOne(seed, kind, level) {
    var R = random(seed);
    if (kind === "rf") return { kind: kind, level: level, layers: stack(R, level) };
    var layer = kind === "output" && R.chance(0.5) ? poolLayer(R, level) : convLayer(R, level, kind);
    return { kind: kind, level: level, layer: layer };
  }

  /** n problems of one kind (and level: easy, medium or hard; default medium), the same for the same seed. */
  function generate(seed, n, kind, level) {
    if (KINDS.indexOf(kind) < 0) throw new Error("kind is one of " + KINDS.join(", "));
    level = level || "medium";
    var out = [];
    for (var i = 0; i < n; i++) out.push(generateOne(mix(seed, i), kind, level));
    return out;
  }

  // ---- solver: the answer and its working -----------------------------------------------------------
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

  function outputSteps(L, steps) {
    var num = L.w + 2 * L.p - span(L.k, L.d);
    if (L.type !== "conv") {
      steps.push("W + 2P − K = " + L.w + " + 2·" + L.p + " − " + L.k + " = " + num);
    } else {
      if (L.d > 1) steps.push("Effective kernel: D(K − 1) + 1 = " + L.d + "·(" + L.k + " − 1) + 1 = " + span(L.k, L.d));
      steps.push("W + 2P − D(K − 1) − 1 = " + L.w + " + 2·" + L.p + " − " + L.d + "·(" + L.k + " − 1) − 1 = " + num);
    }
    if (L.type !== "conv" && L.ceil) {
      var up = Math.ceil(num / L.s), o = up + 1;
      steps.push("ceil_mode rounds up: ⌈" + num + " / " + L.s + "⌉ + 1 = " + up + " + 1 = " + o);
      var start = (o - 1) * L.s;
      if (start >= L.w + L.p) {
        steps.push("The last window would start at (O − 1)·S = " + start + " ≥ W + P = " + (L.w + L.p) +
                   ", in the right padding: it is dropped, O = " + (o - 1));
      } else {
        steps.push("The last window starts at (O − 1)·S = " + start + " < W + P = " + (L.w + L.p) + ": it is kept");
      }
    } else {
      var down = Math.floor(num / L.s);
      steps.push("⌊" + num + " / " + L.s + "⌋ + 1 = " + down + " + 1 = " + (down + 1));
    }
  }

  function layerOut(L) { return L.type === "conv" ? convOut(L.w, L.k, L.s, L.p, L.d) : poolOut(L.w, L.k, L.s, L.p, L.ceil); }

  /** The answer to a problem from generate(), with the formula and the steps the page shows. */
  function solve(problem) {
    var L = problem.layer, steps = [], answer, formula;
    if (problem.kind === "output") {
      formula = L.type === "conv" ? "O = ⌊(W + 2P − D(K − 1) − 1) / S⌋ + 1"
        : L.ceil ? "O = ⌈(W + 2P − K) / S⌉ + 1, minus 1 if (O − 1)·S ≥ W + P"
          : "O = ⌊(W + 2P − K) / S⌋ + 1";
      outputSteps(L, steps);
      answer = layerOut(L);
      var c = L.type === "conv" ? L.cout : L.c;
      steps.push("Output shape: (1, " + c + ", " + answer + ", " + answer + ")");
    } else if (problem.kind === "params") {
      formula = "params = C_out · (C_in / G) · K · K" + (L.bias ? " + C_out (bias)" : " (no bias)");
      var per = L.cin / L.g, weights = L.cout * per * L.k * L.k;
      steps.push("Weight shape (C_out, C_in / G, K, K) = (" + L.cout + ", " + L.cin + " / " + L.g + ", " + L.k + ", " +
                 L.k + ") = (" + L.cout + ", " + per + ", " + L.k + ", " + L.k + ")");
      steps.push("Weights: " + L.cout + " · " + per + " · " + L.k + " · " + L.k + " = " + fmt(weights));
      answer = weights + (L.bias ? L.cout : 0);
      steps.push(L.bias ? "Bias: one per output channel, " + fmt(weights) + " + " + L.cout + " = " + fmt(answer)
                        : "bias=False: no bias, " + fmt(answer));
    } else if (problem.kind === "macs") {
      formula = "MACs = H_out · W_out · C_out · (C_in / G) · K · K";
      outputSteps(L, steps);
      var o = layerOut(L), per2 = L.cin / L.g, work = per2 * L.k * L.k, values = o * o * L.cout;
      steps.push("Output values: H_out · W_out · C_out = " + o + " · " + o + " · " + L.cout + " = " + fmt(values));
      steps.push("Work per output value: (C_in / G) · K · K = " + per2 + " · " + L.k + " · " + L.k + " = " + fmt(work));
      answer = values * work;
      steps.push("MACs = " + fmt(values) + " · " + fmt(work) + " = " + fmt(answer) + " (bias excluded)");
    } else if (problem.kind === "rf") {
      formula = "r_l = r_(l−1) + D_l·(K_l − 1)·j_(l−1),  j_l = j_(l−1)·S_l,  r_0 = j_0 = 1";
      var r = 1, j = 1;
      problem.layers.forEach(function (layer, i) {
        var r2 = r + layer.d * (layer.k - 1) * j, j2 = j * layer.s;
        steps.push("Layer " + (i + 1) + " (" + layerName(layer) + "): r = " + r + " + " + layer.d + "·(" + layer.k +
                   " − 1)·" + j + " = " + r2 + ", j = " + j + "·" + layer.s + " = " + j2);
        r = r2; j = j2;
      });
      answer = r;
      steps.push("One unit of the last layer sees " + r + "x" + r + " input pixels");
    } else {
      throw new Error("unknown kind " + problem.kind);
    }
    return { answer: answer, formula: formula, steps: steps, owner: OWNER[problem.kind] };
  }

  // ---- how a problem reads --------------------------------------------------------------------------
  function layerName(l) {
    return (l.type === "conv" ? "conv " : l.type === "maxpool" ? "max pool " : "avg pool ") + l.k + "x" + l.k +
      ", stride " + l.s + (l.d > 1 ? ", dilation " + l.d : "");
  }
  function code(L) {
    if (L.type === "conv") {
      return "nn.Conv2d(" + L.cin + ", " + L.cout + ", kernel_size=" + L.k + ", stride=" + L.s + ",\n" +
        "          padding=" + L.p + ", dilation=" + L.d + ", groups=" + L.g + ", bias=" + (L.bias ? "True" : "False") + ")";
    }
    var name = L.type === "maxpool" ? "nn.MaxPool2d(" : "nn.AvgPool2d(";
    return name + "kernel_size=" + L.k + ", stride=" + L.s + ",\n" + " ".repeat(name.length) +
      "padding=" + L.p + ", ceil_mode=" + (L.ceil ? "True" : "False") + ")";
  }
  function stackCode(layers) {
    return layers.map(function (l) {
      var pad = l.p ? ", padding=" + l.p : "";
      if (l.type === "conv") return "nn.Conv2d(64, 64, kernel_size=" + l.k + ", stride=" + l.s + pad +
        (l.d > 1 ? ", dilation=" + l.d : "") + "),";
      return (l.type === "maxpool" ? "nn.MaxPool2d(" : "nn.AvgPool2d(") + "kernel_size=" + l.k + ", stride=" + l.s + pad + "),";
    }).join("\n");
  }
  function statement(problem) {
    if (problem.kind === "rf") {
      return { before: "A stack of " + problem.layers.length + " layers, applied in this order:",
               code: stackCode(problem.layers),
               ask: "Receptive field of one unit of the last layer, in input pixels (its side)?", label: "Receptive field (pixels)" };
    }
    var L = problem.layer, c = L.type === "conv" ? L.cin : L.c;
    var before = "An input of shape (1, " + c + ", " + L.w + ", " + L.w + ") goes through";
    if (problem.kind === "output") return { before: before, code: code(L), ask: "What is H_out (= W_out)?", label: "H_out" };
    if (problem.kind === "params") return { before: "A layer:", code: code(L), ask: "How many learnable parameters does it have?",
                                            label: "Parameters" };
    return { before: before, code: code(L), ask: "How many MACs does the convolution do on this one image?", label: "MACs" };
  }

  // ---- the page -------------------------------------------------------------------------------------
  var root = document.getElementById("drills-app");
  var api = { generate: generate, solve: solve, kinds: KINDS.slice(), levels: LEVELS.slice(),
              current: function () { return current && JSON.parse(JSON.stringify(current)); } };
  window.cnnDrills = api;
  if (!root) return;

  // The card's parts are made here, in the space the page holds for them: new elements move nothing, where
  // filling in elements already painted would (a layout shift).
  var card = root.querySelector(".drills__card");
  card.innerHTML = '<p id="drills-kind" class="drills__kind"></p><p id="drills-before"></p>' +
    '<pre class="drills__code"><code id="drills-code"></code></pre><p id="drills-ask" class="drills__ask"></p>' +
    '<div class="drills__answer"><label for="drills-input" id="drills-label">Your answer</label>' +
    '<input id="drills-input" type="text" inputmode="numeric" autocomplete="off" spellcheck="false" ' +
    'aria-describedby="drills-before drills-code drills-ask">' +
    '<button type="button" id="drills-check" class="md-button md-button--primary">Check (Enter)</button>' +
    '<button type="button" id="drills-next" class="md-button">Next (N)</button></div>' +
    '<p id="drills-result" class="drills__result" role="status" aria-live="polite"></p>' +
    '<div id="drills-working" class="drills__working" hidden></div>';
  var $ = function (id) { return document.getElementById(id); };
  var input = $("drills-input"), result = $("drills-result"), working = $("drills-working");
  var levelSelect = $("drills-level"), boxes = root.querySelectorAll("input[name='drills-kind']");
  var params = new URLSearchParams(location.search);
  var seed = /^\d+$/.test(params.get("seed") || "") ? Number(params.get("seed")) : Math.floor(Math.random() * 4294967296);
  var session = random(seed);
  var current = null, answered = false, score = { right: 0, total: 0, streak: 0 };

  function chosenKinds() {
    return [].filter.call(boxes, function (b) { return b.checked; }).map(function (b) { return b.value; });
  }
  function renderScore() {
    $("drills-score").textContent = "Score: " + score.right + " of " + score.total + " right" +
      (score.streak > 1 ? " · " + score.streak + " in a row" : "");
  }
  function next() {
    var kinds = chosenKinds();
    current = generateOne(Math.floor(session.next() * 4294967296), session.pick(kinds), levelSelect.value);
    var text = statement(current);
    $("drills-kind").textContent = KIND_NAMES[current.kind] + " · " + current.level;
    $("drills-before").textContent = text.before;
    $("drills-code").textContent = text.code;
    $("drills-ask").textContent = text.ask;
    $("drills-label").textContent = text.label;
    root.setAttribute("data-kind", current.kind);
    input.value = "";
    input.readOnly = false;
    answered = false;
    result.textContent = "";
    result.className = "drills__result";
    working.hidden = true;
    working.textContent = "";
    $("drills-check").disabled = false;
  }
  function ownerLink(kind) {
    var holder = document.querySelector("[data-drill-owner='" + OWNER[kind] + "']");
    var link = holder && holder.querySelector("a[href]");
    var p = document.createElement("p");
    p.className = "drills__owner";
    p.appendChild(document.createTextNode("Explained in "));
    if (link) {
      var a = document.createElement("a");
      a.href = link.getAttribute("href");
      a.textContent = link.textContent;
      p.appendChild(a);
    } else {
      var name = document.createElement("em");
      name.textContent = holder ? holder.getAttribute("data-title") : OWNER[kind];
      p.appendChild(name);
      p.appendChild(document.createTextNode(" (not written yet)"));
    }
    return p;
  }
  function check() {
    if (answered || !current) return;
    var typed = input.value.replace(/[\s,_']/g, "");
    if (!/^\d+$/.test(typed)) {
      result.className = "drills__result";
      result.textContent = "Type a whole number (digits; commas allowed).";
      return;
    }
    var solved = solve(current), value = Number(typed), right = value === solved.answer;
    answered = true;
    input.readOnly = true;
    $("drills-check").disabled = true;
    score.total += 1;
    score.right += right ? 1 : 0;
    score.streak = right ? score.streak + 1 : 0;
    renderScore();
    result.className = "drills__result drills__result--" + (right ? "right" : "wrong");
    result.textContent = right ? "Correct: " + fmt(solved.answer) + "."
      : "Not quite: you typed " + fmt(value) + ", the answer is " + fmt(solved.answer) + ".";
    working.textContent = "";
    var formula = document.createElement("p");
    formula.className = "drills__formula";
    var f = document.createElement("code");
    f.textContent = solved.formula;
    formula.appendChild(document.createTextNode("Formula: "));
    formula.appendChild(f);
    var list = document.createElement("ol");
    solved.steps.forEach(function (s) { var li = document.createElement("li"); li.textContent = s; list.appendChild(li); });
    var hint = document.createElement("p");
    hint.className = "drills__hint";
    hint.textContent = "Press Enter or N for the next problem.";
    working.appendChild(formula);
    working.appendChild(list);
    working.appendChild(ownerLink(current.kind));
    working.appendChild(hint);
    working.hidden = false;
  }

  $("drills-check").addEventListener("click", check);
  $("drills-next").addEventListener("click", function () { next(); input.focus(); });
  [].forEach.call(boxes, function (b) {
    b.addEventListener("change", function () {
      if (!chosenKinds().length) b.checked = true;   // at least one kind stays chosen
      next();
    });
  });
  levelSelect.addEventListener("change", next);
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var typing = t === input ? !input.readOnly
      : !!(t.closest && t.closest("input[type='text'], input[type='search'], input:not([type]), select, textarea"));
    if (e.key === "Enter") {
      if (t === input && !answered) { e.preventDefault(); check(); }
      else if (answered && (t === input || !(t.closest && t.closest("button, a, select, input, textarea")))) {
        e.preventDefault(); next(); input.focus();
      }
    } else if ((e.key === "n" || e.key === "N") && !typing) {
      e.preventDefault(); next(); input.focus();
    }
  });
  root.classList.add("drills--ready");
  renderScore();
  next();
})();
