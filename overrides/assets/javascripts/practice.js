// Practice mode: flashcards built at build time from the pages' short answers
// (window.PRACTICE_CARDS, see hooks/questions.py). Progress and filters live in localStorage, which
// also works from file://. Plain JavaScript, no dependencies.
(function () {
  "use strict";
  var root = document.getElementById("practice-app");
  var cards = window.PRACTICE_CARDS || [];
  if (!root) return;
  // Stored progress carries a schema version. A release that changes the shape migrates older data
  // (MIGRATIONS) instead of wiping it; anything unreadable or foreign is ignored, and the page works.
  var KEY = "cnn-iq-practice";
  var SCHEMA = 2;
  var LEGACY_KEYS = { "cnn-iq-practice-v1": 1 };
  var MIGRATIONS = {
    1: function (v1) { return { schema: 2, marks: v1.marks, difficulty: v1.difficulty, tag: v1.tag,
                                order: v1.order, current: v1.current }; }
  };
  var LEVELS = ["easy", "medium", "hard"];
  var state = load();
  var deck = [];
  var position = 0;
  var revealed = false;

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; }
  }
  function stored() {
    var data = read(KEY);
    if (data && typeof data === "object" && data.schema === SCHEMA) return data;
    for (var key in LEGACY_KEYS) {
      var old = read(key), version = LEGACY_KEYS[key];
      if (!old || typeof old !== "object") continue;
      while (version < SCHEMA && old) { old = MIGRATIONS[version](old); version += 1; }
      return old;
    }
    return {};
  }
  function isText(v) { return typeof v === "string"; }
  // Keep only well-formed fields: a hand-edited or foreign value falls back to its default.
  function load() {
    var saved = stored(), marks = {};
    if (saved.marks && typeof saved.marks === "object" && !Array.isArray(saved.marks)) {
      Object.keys(saved.marks).forEach(function (slug) {
        if (saved.marks[slug] === "known" || saved.marks[slug] === "review") marks[slug] = saved.marks[slug];
      });
    }
    var levels = ["all"].concat(LEVELS);
    return { schema: SCHEMA, marks: marks,
             difficulty: levels.indexOf(saved.difficulty) >= 0 ? saved.difficulty : "all",
             tag: cards.some(function (c) { return c.tags.indexOf(saved.tag) >= 0; }) ? saved.tag : "all",
             order: Array.isArray(saved.order) && saved.order.every(isText) ? saved.order : null,
             current: isText(saved.current) ? saved.current : null };
  }
  function save() {
    state.current = deck.length ? deck[position].slug : null;
    try {
      localStorage.setItem(KEY, JSON.stringify(state));
      Object.keys(LEGACY_KEYS).forEach(function (key) { localStorage.removeItem(key); });
    } catch (e) { /* storage full or disabled: progress lasts for this visit only */ }
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "html") node.innerHTML = attrs[k];
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function label(level) { return level.charAt(0).toUpperCase() + level.slice(1); }

  function buildDeck() {
    var order = state.order || cards.map(function (c) { return c.slug; });
    var bySlug = {};
    cards.forEach(function (c) { bySlug[c.slug] = c; });
    deck = order.map(function (s) { return bySlug[s]; }).filter(function (c) {
      return c && (state.difficulty === "all" || c.difficulty === state.difficulty) &&
        (state.tag === "all" || c.tags.indexOf(state.tag) >= 0);
    });
    // Cards still to learn come first: unseen, then "review again", then the ones you knew.
    var rank = { review: 1, known: 2 };
    deck.sort(function (a, b) { return (rank[state.marks[a.slug]] || 0) - (rank[state.marks[b.slug]] || 0); });
    var i = deck.findIndex(function (c) { return c.slug === state.current; });
    position = i >= 0 ? i : 0;
  }

  function shuffle() {
    var order = cards.map(function (c) { return c.slug; });
    for (var i = order.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = order[i]; order[i] = order[j]; order[j] = t;
    }
    state.order = order;
    state.current = null;
    buildDeck(); save(); render("card");
  }

  function mark(value) {
    if (!deck.length) return;
    state.marks[deck[position].slug] = value;
    revealed = false;
    position = Math.min(position + 1, deck.length - 1);
    save(); render("card");
  }

  function move(step) {
    if (!deck.length) return;
    position = (position + step + deck.length) % deck.length;
    revealed = false;
    save(); render("card");
  }

  function reveal() { revealed = true; render("answer"); }

  function select(id, text, value, options, onchange) {
    var s = el("select", { id: id, onchange: onchange });
    options.forEach(function (o) {
      var opt = el("option", { value: o[0], text: o[1] });
      if (o[0] === value) opt.selected = true;
      s.appendChild(opt);
    });
    return el("label", { "for": id, class: "practice__filter" }, [el("span", { text: text }), s]);
  }

  // Only what changed is announced (the new card, or "answer shown"), in a status line outside the app, which
  // is rebuilt on every change; the control that had focus gets it back, so the keyboard never loses its place.
  function announce(what) {
    var status = document.getElementById("practice-status");
    if (!status || !what) return;
    var c = deck[position];
    status.textContent = !c ? "No question matches these filters." : what === "answer" ? "Answer shown." :
      "Card " + (position + 1) + " of " + deck.length + ": " + c.question;
  }

  function render(what) {
    var focused = document.activeElement && root.contains(document.activeElement) ?
      document.activeElement.getAttribute("data-action") || document.activeElement.id : null;
    draw();
    announce(what);
    if (!focused) return;
    var again = root.querySelector('[data-action="' + focused + '"]') || document.getElementById(focused) ||
      root.querySelector(".practice__reveal, .practice__grade button");
    if (again) again.focus();
  }

  function draw() {
    var tags = [];
    cards.forEach(function (c) { c.tags.forEach(function (t) { if (tags.indexOf(t) < 0) tags.push(t); }); });
    tags.sort();
    var known = deck.filter(function (c) { return state.marks[c.slug] === "known"; }).length;
    var review = deck.filter(function (c) { return state.marks[c.slug] === "review"; }).length;
    var controls = el("div", { class: "practice__controls" }, [
      select("practice-difficulty", "Difficulty", state.difficulty,
        [["all", "All"]].concat(LEVELS.map(function (l) { return [l, label(l)]; })),
        function (e) { state.difficulty = e.target.value; state.current = null; revealed = false; buildDeck(); save(); render("card"); }),
      select("practice-tag", "Topic", state.tag, [["all", "All topics"]].concat(tags.map(function (t) { return [t, t]; })),
        function (e) { state.tag = e.target.value; state.current = null; revealed = false; buildDeck(); save(); render("card"); }),
      el("button", { type: "button", class: "md-button", "data-action": "shuffle", onclick: shuffle, text: "Shuffle" }),
      el("button", { type: "button", class: "md-button", "data-action": "reset", text: "Reset progress", onclick: function () {
        state.marks = {}; state.order = null; state.current = null; revealed = false; buildDeck(); save(); render("card");
      } })
    ]);
    var progress = el("p", { class: "practice__progress", "data-known": known, "data-review": review,
      text: deck.length + " cards: " + known + " known, " + review + " to review, " +
        (deck.length - known - review) + " not yet seen" });
    root.innerHTML = "";
    root.appendChild(controls);
    root.appendChild(progress);
    if (!deck.length) {
      root.appendChild(el("p", { text: "No question matches these filters." }));
      return;
    }
    var c = deck[position];
    var status = state.marks[c.slug];
    var card = el("section", { class: "practice__card", "data-slug": c.slug, "aria-label": "Flashcard" }, [
      el("p", { class: "practice__meta", text: "Card " + (position + 1) + " of " + deck.length + " · " +
        label(c.difficulty) + " " + c.n + " · " + c.tags.join(", ") +
        (status ? " · marked " + (status === "known" ? "knew it" : "review again") : "") }),
      el("h2", { class: "practice__question", text: c.question }),
      revealed ? el("div", { class: "practice__answer", html: c.answer }) :
        el("button", { type: "button", class: "md-button md-button--primary practice__reveal", "data-action": "reveal", onclick: reveal,
          text: "Show answer (Space)" }),
      revealed ? el("div", { class: "practice__grade" }, [
        el("button", { type: "button", class: "md-button md-button--primary", "data-action": "known", onclick: function () { mark("known"); },
          text: "Knew it (K)" }),
        el("button", { type: "button", class: "md-button", "data-action": "review", onclick: function () { mark("review"); },
          text: "Review again (R)" })
      ]) : null,
      el("p", { class: "practice__nav" }, [
        el("button", { type: "button", class: "md-button", "data-action": "previous", onclick: function () { move(-1); }, text: "Previous" }),
        el("button", { type: "button", class: "md-button", "data-action": "next", onclick: function () { move(1); }, text: "Next" }),
        el("a", { href: c.url, text: "Open the full page" })
      ])
    ]);
    root.appendChild(card);   // answers arrive with their math typeset at build time (hooks/math_render.py)
  }

  document.addEventListener("keydown", function (e) {
    if (e.target.closest && e.target.closest("input, select, textarea")) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === " " || (e.key === "Enter" && !e.target.closest("button, a"))) {
      if (!revealed) { e.preventDefault(); reveal(); }
    } else if (e.key === "k" && revealed) { mark("known"); }
    else if (e.key === "r" && revealed) { mark("review"); }
    else if (e.key === "ArrowRight") { move(1); }
    else if (e.key === "ArrowLeft") { move(-1); }
  });
  buildDeck();
  render();
})();
