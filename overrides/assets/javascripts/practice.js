// Practice mode: flashcards built at build time from the pages' short answers (window.PRACTICE_CARDS, see
// hooks/questions.py), scheduled by FSRS (window.FSRS: the vendored ts-fsrs, the scheduler modern Anki uses).
// Progress and filters live in localStorage, which also works from file://, and can be exported to and
// imported from a JSON file.
(function () {
  "use strict";
  var root = document.getElementById("practice-app");
  var cards = window.PRACTICE_CARDS || [];
  if (!root || !window.FSRS) return;
  var scheduler = FSRS.fsrs();   // the library's defaults: 90% retention, no fuzz, so due dates are reproducible
  var GRADES = [["again", FSRS.Rating.Again, "Again"], ["hard", FSRS.Rating.Hard, "Hard"],
                ["good", FSRS.Rating.Good, "Good"], ["easy", FSRS.Rating.Easy, "Easy"]];
  // Stored progress carries a schema version. A release that changes the shape migrates older data
  // (MIGRATIONS) instead of wiping it; anything unreadable or foreign is ignored, and the page works.
  var KEY = "cnn-iq-practice";
  var SCHEMA = 3;
  var LEGACY_KEYS = { "cnn-iq-practice-v1": 1 };
  var MIGRATIONS = {
    1: function (v1) { return { schema: 2, marks: v1.marks, difficulty: v1.difficulty, tag: v1.tag,
                                order: v1.order, current: v1.current }; },
    // "Knew it" becomes a review graded Good, "review again" one graded Again, both made at migration time.
    2: function (v2) {
      var now = new Date(), scheduled = {}, grade = { known: FSRS.Rating.Good, review: FSRS.Rating.Again };
      var marks = v2.marks && typeof v2.marks === "object" ? v2.marks : {};
      Object.keys(marks).forEach(function (slug) {
        if (grade[marks[slug]]) scheduled[slug] = scheduler.next(FSRS.createEmptyCard(now), now, grade[marks[slug]]).card;
      });
      return { schema: 3, cards: scheduled, difficulty: v2.difficulty, tag: v2.tag, order: v2.order, current: v2.current };
    }
  };
  var LEVELS = ["easy", "medium", "hard"];
  var state = load(stored());
  var deck = [];
  var position = 0;
  var revealed = false;

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; }
  }
  function upgrade(data) {
    var version = data.schema || 1;
    while (version < SCHEMA && data && MIGRATIONS[version]) { data = MIGRATIONS[version](data); version += 1; }
    return data && data.schema === SCHEMA ? data : {};
  }
  function stored() {
    var data = read(KEY);
    if (data && typeof data === "object" && !Array.isArray(data)) return upgrade(data);
    for (var key in LEGACY_KEYS) {
      var old = read(key);
      if (old && typeof old === "object" && !Array.isArray(old)) return upgrade(old);
    }
    return {};
  }
  function isText(v) { return typeof v === "string"; }
  function isNumber(v) { return typeof v === "number" && isFinite(v); }
  // An FSRS card as JSON (dates as strings) back to the library's shape, or null if any field is malformed.
  function scheduledCard(raw) {
    if (!raw || typeof raw !== "object") return null;
    var numbers = ["stability", "difficulty", "elapsed_days", "scheduled_days", "reps", "lapses", "state"];
    if (!numbers.every(function (k) { return isNumber(raw[k]); })) return null;
    var due = new Date(raw.due), last = raw.last_review ? new Date(raw.last_review) : undefined;
    if (isNaN(due) || (last && isNaN(last)) || raw.state < 0 || raw.state > 3) return null;
    var card = {};
    numbers.forEach(function (k) { card[k] = raw[k]; });
    card.learning_steps = isNumber(raw.learning_steps) ? raw.learning_steps : 0;
    card.due = due;
    if (last) card.last_review = last;
    return card;
  }
  // Keep only well-formed fields: a hand-edited or foreign value falls back to its default.
  function load(saved) {
    var scheduled = {};
    if (saved.cards && typeof saved.cards === "object" && !Array.isArray(saved.cards)) {
      Object.keys(saved.cards).forEach(function (slug) {
        var card = scheduledCard(saved.cards[slug]);
        if (card) scheduled[slug] = card;
      });
    }
    var levels = ["all"].concat(LEVELS);
    return { schema: SCHEMA, cards: scheduled,
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
  function endOfToday() { var d = new Date(); d.setHours(23, 59, 59, 999); return d; }
  // An interval as people say it: 10m, 5h, 3d, 2mo, 1.5y.
  function interval(from, to) {
    var minutes = Math.max(1, Math.round((to - from) / 60000));
    if (minutes < 60) return minutes + "m";
    if (minutes < 24 * 60) return Math.round(minutes / 60) + "h";
    var days = Math.round(minutes / (24 * 60));
    if (days < 31) return days + "d";
    if (days < 365) return Math.round(days / 30) + "mo";
    return Math.round(days / 36.5) / 10 + "y";
  }

  // Most urgent first: cards due now (oldest first), then new ones (in deck order), then the rest by due date.
  function buildDeck() {
    var order = state.order || cards.map(function (c) { return c.slug; });
    var bySlug = {}, now = new Date();
    cards.forEach(function (c) { bySlug[c.slug] = c; });
    deck = order.map(function (s) { return bySlug[s]; }).filter(function (c) {
      return c && (state.difficulty === "all" || c.difficulty === state.difficulty) &&
        (state.tag === "all" || c.tags.indexOf(state.tag) >= 0);
    });
    var rank = function (c) {
      var s = state.cards[c.slug];
      return !s ? [1, 0] : s.due <= now ? [0, s.due.getTime()] : [2, s.due.getTime()];
    };
    var index = {};
    deck.forEach(function (c, i) { index[c.slug] = i; });
    deck.sort(function (a, b) {
      var ra = rank(a), rb = rank(b);
      return ra[0] - rb[0] || ra[1] - rb[1] || index[a.slug] - index[b.slug];
    });
    // Back where the reader left off, unless a card has come due since: that one goes first.
    var i = deck.findIndex(function (c) { return c.slug === state.current; });
    position = i >= 0 && !(deck.length && rank(deck[0])[0] === 0 && rank(deck[i])[0] !== 0) ? i : 0;
  }

  function reorder(order) {
    state.order = order;
    state.current = null;
    revealed = false;
    buildDeck(); save(); render("card");
  }

  function shuffle() {
    var order = cards.map(function (c) { return c.slug; });
    for (var i = order.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = order[i]; order[i] = order[j]; order[j] = t;
    }
    reorder(order);
  }

  // Grade the card on show; the deck is re-sorted, and the most urgent card comes up next.
  function grade(rating) {
    if (!deck.length || !revealed) return;
    var slug = deck[position].slug, now = new Date();
    state.cards[slug] = scheduler.next(state.cards[slug] || FSRS.createEmptyCard(now), now, rating).card;
    state.current = null;
    revealed = false;
    buildDeck(); save(); render("card");
  }

  function move(step) {
    if (!deck.length) return;
    position = (position + step + deck.length) % deck.length;
    revealed = false;
    save(); render("card");
  }

  function reveal() { revealed = true; render("answer"); }

  function exportProgress() {
    var link = el("a", { href: "data:application/json;charset=utf-8," + encodeURIComponent(JSON.stringify(state, null, 1)),
      download: "cnn-interview-practice-" + new Date().toISOString().slice(0, 10) + ".json" });
    document.body.appendChild(link);
    link.click();
    link.remove();
    announce("Progress exported.");
  }

  function importProgress(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var data = null;
      try { data = JSON.parse(reader.result); } catch (e) { /* reported below */ }
      var imported = data && typeof data === "object" && !Array.isArray(data) ? load(upgrade(data)) : null;
      if (!imported || !Object.keys(imported.cards).length) {
        announce("Nothing imported: " + file.name + " is not practice progress exported from this site.", true);
        return;
      }
      state = imported;
      revealed = false;
      buildDeck(); save(); render();
      announce("Imported the progress of " + Object.keys(state.cards).length + " cards from " + file.name + ".", true);
    };
    reader.readAsText(file);
  }

  function select(id, text, value, options, onchange) {
    var s = el("select", { id: id, onchange: onchange });
    options.forEach(function (o) {
      var opt = el("option", { value: o[0], text: o[1] });
      if (o[0] === value) opt.selected = true;
      s.appendChild(opt);
    });
    return el("label", { "for": id, class: "practice__filter" }, [el("span", { text: text }), s]);
  }

  // Only what changed is announced (the new card, "answer shown", an import), in a status line outside the app,
  // which is rebuilt on every change; the control that had focus gets it back, so the keyboard never loses its place.
  function announce(what, visible) {
    var status = document.getElementById("practice-status");
    if (!status || !what) return;
    var c = deck[position];
    status.textContent = what === "answer" ? "Answer shown." : what !== "card" ? what :
      !c ? "No question matches these filters." : "Card " + (position + 1) + " of " + deck.length + ": " + c.question;
    if (visible) root.querySelector(".practice__message").textContent = status.textContent;
  }

  function render(what) {
    var focused = document.activeElement && root.contains(document.activeElement) ?
      document.activeElement.getAttribute("data-action") || document.activeElement.id : null;
    draw();
    announce(what);
    if (!focused) return;
    var again = root.querySelector('[data-action="' + focused + '"]') || document.getElementById(focused) ||
      root.querySelector('.practice__reveal, .practice__grade [data-action="good"]');
    if (again) again.focus();
  }

  function counts() {
    var today = endOfToday(), due = 0, fresh = 0;
    deck.forEach(function (c) {
      var s = state.cards[c.slug];
      if (!s) fresh += 1; else if (s.due <= today) due += 1;
    });
    return { due: due, fresh: fresh, later: deck.length - due - fresh };
  }

  function controls() {
    var tags = [];
    cards.forEach(function (c) { c.tags.forEach(function (t) { if (tags.indexOf(t) < 0) tags.push(t); }); });
    tags.sort();
    var file = el("input", { type: "file", accept: "application/json,.json", id: "practice-import", class: "practice__file",
      "aria-label": "Import progress from a JSON file", onchange: function (e) {
        if (e.target.files[0]) importProgress(e.target.files[0]);
      } });
    return el("div", { class: "practice__controls" }, [
      select("practice-difficulty", "Difficulty", state.difficulty,
        [["all", "All"]].concat(LEVELS.map(function (l) { return [l, label(l)]; })),
        function (e) { state.difficulty = e.target.value; state.current = null; revealed = false; buildDeck(); save(); render("card"); }),
      select("practice-tag", "Topic", state.tag, [["all", "All topics"]].concat(tags.map(function (t) { return [t, t]; })),
        function (e) { state.tag = e.target.value; state.current = null; revealed = false; buildDeck(); save(); render("card"); }),
      el("button", { type: "button", class: "md-button", "data-action": "shuffle", onclick: shuffle, text: "Shuffle" }),
      el("button", { type: "button", class: "md-button", "data-action": "export", onclick: exportProgress, text: "Export progress" }),
      el("button", { type: "button", class: "md-button", "data-action": "import", text: "Import progress",
        onclick: function () { file.click(); } }),
      file,
      el("button", { type: "button", class: "md-button", "data-action": "reset", text: "Reset progress", onclick: function () {
        state.cards = {}; reorder(null);
      } })
    ]);
  }

  function gradeButtons(c) {
    var now = new Date(), preview = scheduler.repeat(state.cards[c.slug] || FSRS.createEmptyCard(now), now);
    return el("div", { class: "practice__grade", role: "group", "aria-label": "How well did you know it?" },
      GRADES.map(function (g, i) {
        var next = interval(now, preview[g[1]].card.due);
        return el("button", { type: "button", class: "md-button" + (g[0] === "good" ? " md-button--primary" : ""),
          "data-action": g[0], "data-next": next, "aria-label": g[2] + ", next review in " + next + " (key " + (i + 1) + ")",
          onclick: function () { grade(g[1]); } }, [el("span", { text: g[2] }), el("small", { text: " " + next })]);
      }));
  }

  function draw() {
    var n = counts();
    var progress = el("p", { class: "practice__progress", "data-due": n.due, "data-new": n.fresh, "data-later": n.later,
      text: deck.length + " cards: " + n.due + " due today, " + n.fresh + " new, " + n.later + " scheduled later" });
    root.innerHTML = "";
    root.appendChild(controls());
    root.appendChild(progress);
    root.appendChild(el("p", { class: "practice__message" }));
    if (!deck.length) {
      root.appendChild(el("p", { text: "No question matches these filters." }));
      return;
    }
    var c = deck[position], s = state.cards[c.slug], now = new Date();
    var when = !s ? "new" : s.due <= now ? "due now" : "due in " + interval(now, s.due);
    if (position === 0 && s && s.due > endOfToday()) {
      root.querySelector(".practice__message").textContent = "All caught up: nothing is due today. The next card is " + when + ".";
    }
    var card = el("section", { class: "practice__card", "data-slug": c.slug, "aria-label": "Flashcard" }, [
      el("p", { class: "practice__meta", text: "Card " + (position + 1) + " of " + deck.length + " · " +
        label(c.difficulty) + " " + c.n + " · " + c.tags.join(", ") + " · " + when }),
      el("h2", { class: "practice__question", text: c.question }),
      revealed ? el("div", { class: "practice__answer", html: c.answer }) :
        el("button", { type: "button", class: "md-button md-button--primary practice__reveal", "data-action": "reveal", onclick: reveal,
          text: "Show answer (Space)" }),
      revealed ? gradeButtons(c) : null,
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
    var g = GRADES[parseInt(e.key, 10) - 1];
    if (e.key === " " || (e.key === "Enter" && !e.target.closest("button, a"))) {
      if (!revealed) { e.preventDefault(); reveal(); }
    } else if (g && revealed) { grade(g[1]); }
    else if (e.key === "ArrowRight") { move(1); }
    else if (e.key === "ArrowLeft") { move(-1); }
  });
  buildDeck();
  save();   // a migrated or cleaned-up store is written back at once
  render();
})();
