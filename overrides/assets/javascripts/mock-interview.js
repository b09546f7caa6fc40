// Mock interview: a few questions, each against a visible clock, then its short answer and follow-ups
// for self-grading, then a summary by topic. The questions are the practice deck (window.PRACTICE_CARDS,
// built from the pages by hooks/questions.py). Only the settings are kept, in localStorage.
(function () {
  "use strict";
  var root = document.getElementById("mock-app");
  var status = document.getElementById("mock-status");
  var cards = window.PRACTICE_CARDS || [];
  if (!root) return;
  var KEY = "cnn-iq-mock";
  var LEVELS = ["easy", "medium", "hard"];
  var MIXES = [["mixed", "Mixed, easy to hard"], ["easy", "Easy"], ["medium", "Medium"], ["hard", "Hard"],
               ["medium+hard", "Medium and hard"]];
  var COUNTS = [3, 5, 8, 10];
  var GRADES = [["nailed", "Nailed it", "1"], ["partly", "Partly", "2"], ["missed", "Missed it", "3"]];
  var settings = loadSettings();
  var run = null;   // {questions, at, revealed, grades: {slug: grade}, used: {slug: seconds}, deadline, timer, done}

  function loadSettings() {
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { saved = {}; }
    var minutes = Number(saved.minutes);
    return { count: COUNTS.indexOf(saved.count) >= 0 ? saved.count : 5,
             mix: MIXES.some(function (m) { return m[0] === saved.mix; }) ? saved.mix : "mixed",
             tag: cards.some(function (c) { return c.tags.indexOf(saved.tag) >= 0; }) ? saved.tag : "all",
             minutes: minutes >= 1 && minutes <= 15 ? Math.round(minutes) : 3 };
  }
  function saveSettings() {
    try { localStorage.setItem(KEY, JSON.stringify(settings)); } catch (e) { /* storage off: this visit only */ }
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
  function clock(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }
  function say(text) { if (status) status.textContent = text; }
  function shuffled(list) {
    var out = list.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = out[i]; out[i] = out[j]; out[j] = t;
    }
    return out;
  }

  // The questions of one interview: random within the chosen topic, the levels of the mix taken in turn
  // (so five mixed questions are two easy, two medium, one hard), asked from easy to hard as an
  // interviewer escalates.
  function pick() {
    var levels = settings.mix === "mixed" ? LEVELS : settings.mix.split("+");
    var pools = levels.map(function (level) {
      return shuffled(cards.filter(function (c) {
        return c.difficulty === level && (settings.tag === "all" || c.tags.indexOf(settings.tag) >= 0);
      }));
    });
    var chosen = [];
    for (var turn = 0; chosen.length < settings.count && pools.some(function (p) { return p.length; }); turn++) {
      var pool = pools[turn % pools.length];
      if (pool.length) chosen.push(pool.shift());
    }
    return chosen.sort(function (a, b) { return LEVELS.indexOf(a.difficulty) - LEVELS.indexOf(b.difficulty); });
  }

  function select(id, text, value, options, onchange) {
    var s = el("select", { id: id, onchange: onchange });
    options.forEach(function (o) {
      var opt = el("option", { value: String(o[0]), text: o[1] });
      if (o[0] === value) opt.selected = true;
      s.appendChild(opt);
    });
    return el("label", { "for": id, class: "practice__filter" }, [el("span", { text: text }), s]);
  }

  function drawSetup() {
    stopTimer();
    run = null;
    var tags = [];
    cards.forEach(function (c) { c.tags.forEach(function (t) { if (tags.indexOf(t) < 0) tags.push(t); }); });
    tags.sort();
    var available = el("p", { class: "practice__progress", id: "mock-available" });
    function update() {
      var n = pick().length;
      available.textContent = n < settings.count ?
        "Only " + n + " question" + (n === 1 ? "" : "s") + " match these choices." :
        settings.count + " questions, " + settings.minutes + " minute" + (settings.minutes === 1 ? "" : "s") +
        " each.";
      start.disabled = n === 0;
    }
    var minutes = el("input", { id: "mock-minutes", type: "number", min: "1", max: "15", step: "1",
                                value: String(settings.minutes) });
    minutes.addEventListener("change", function () {
      var m = Math.round(Number(minutes.value));
      settings.minutes = m >= 1 && m <= 15 ? m : 3;
      minutes.value = String(settings.minutes);
      saveSettings(); update();
    });
    var start = el("button", { type: "submit", class: "md-button md-button--primary", "data-action": "start",
                               text: "Start the interview" });
    var form = el("form", { class: "mock__setup", "aria-label": "Interview settings", onsubmit: function (e) {
      e.preventDefault();
      begin();
    } }, [
      el("div", { class: "practice__controls" }, [
        select("mock-count", "Questions", settings.count, COUNTS.map(function (n) { return [n, String(n)]; }),
          function (e) { settings.count = Number(e.target.value); saveSettings(); update(); }),
        select("mock-mix", "Difficulty", settings.mix, MIXES,
          function (e) { settings.mix = e.target.value; saveSettings(); update(); }),
        select("mock-tag", "Topic", settings.tag, [["all", "All topics"]].concat(tags.map(function (t) { return [t, t]; })),
          function (e) { settings.tag = e.target.value; saveSettings(); update(); }),
        el("label", { "for": "mock-minutes", class: "practice__filter" },
           [el("span", { text: "Minutes per question" }), minutes]),
        start
      ]),
      available
    ]);
    root.innerHTML = "";
    root.appendChild(form);
    update();
  }

  function begin() {
    var questions = pick();
    if (!questions.length) return;
    run = { questions: questions, at: 0, revealed: false, grades: {}, used: {}, deadline: 0, timer: null };
    ask();
    root.querySelector('[data-action="reveal"]').focus();
  }

  function current() { return run.questions[run.at]; }
  function left() { return (run.deadline - Date.now()) / 1000; }

  function ask() {
    run.revealed = false;
    run.deadline = Date.now() + settings.minutes * 60000;
    run.warned = false;
    drawQuestion();
    var c = current();
    say("Question " + (run.at + 1) + " of " + run.questions.length + ": " + c.question + " You have " +
        settings.minutes + " minute" + (settings.minutes === 1 ? "" : "s") + ".");
    stopTimer();
    run.timer = setInterval(tick, 250);
  }

  // The clock is redrawn every quarter second but announced only twice: with one minute left, and when the
  // time is up (a screen reader hearing every second could not listen to anything else).
  function tick() {
    var t = left();
    var shown = root.querySelector(".mock__timer");
    if (shown) shown.textContent = clock(t) + " left";
    if (!run.warned && t <= 60 && settings.minutes > 1) {
      run.warned = true;
      say("One minute left.");
    }
    if (t <= 0) {
      reveal(true);
    }
  }
  function stopTimer() {
    if (run && run.timer) { clearInterval(run.timer); run.timer = null; }
  }

  function reveal(timeUp) {
    if (!run || run.revealed) return;
    stopTimer();
    run.revealed = true;
    run.used[current().slug] = Math.min(settings.minutes * 60, Math.round(settings.minutes * 60 - Math.max(0, left())));
    drawQuestion();
    say((timeUp ? "Time is up. " : "") + "Answer and follow-ups shown: grade yourself.");
    root.querySelector('[data-action="nailed"]').focus();
  }

  function grade(value) {
    if (!run || !run.revealed) return;
    run.grades[current().slug] = value;
    if (run.at + 1 < run.questions.length) {
      run.at += 1;
      ask();
      root.querySelector('[data-action="reveal"]').focus();
    } else {
      finish();
    }
  }

  function drawQuestion() {
    var c = current();
    var body = [
      el("p", { class: "practice__meta", text: "Question " + (run.at + 1) + " of " + run.questions.length + " · " +
        label(c.difficulty) + " " + c.n + " · " + c.tags.join(", ") }),
      el("p", { class: "mock__timer", role: "timer", "aria-label": "Time left",
                text: run.revealed ? "Time used " + clock(run.used[c.slug]) : clock(left()) + " left" }),
      el("h2", { class: "practice__question", text: c.question })
    ];
    if (!run.revealed) {
      body.push(el("button", { type: "button", class: "md-button md-button--primary", "data-action": "reveal",
                               onclick: function () { reveal(false); }, text: "I have answered: show the answer (Space)" }));
    } else {
      body.push(el("h3", { text: "A strong answer includes" }));
      body.push(el("div", { class: "practice__answer", html: c.answer }));
      body.push(el("h3", { text: "Follow-ups the interviewer may ask" }));
      body.push(el("div", { class: "mock__followups", html: c.followups }));
      body.push(el("div", { class: "practice__grade", role: "group", "aria-label": "How did you do?" },
        GRADES.map(function (g, i) {
          return el("button", { type: "button", class: "md-button" + (i === 0 ? " md-button--primary" : ""),
                                "data-action": g[0], onclick: function () { grade(g[0]); },
                                text: g[1] + " (" + g[2] + ")" });
        })));
    }
    body.push(el("p", { class: "practice__nav" }, [
      el("button", { type: "button", class: "md-button", "data-action": "end", onclick: finish,
                     text: "End the interview" })
    ]));
    root.innerHTML = "";
    root.appendChild(el("section", { class: "practice__card", "data-slug": c.slug, "aria-label": "Interview question" }, body));
  }

  function finish() {
    stopTimer();
    var asked = run.questions.filter(function (c) { return run.grades[c.slug]; });
    var byTopic = {};
    asked.forEach(function (c) {
      c.tags.forEach(function (t) {
        var row = byTopic[t] = byTopic[t] || { nailed: 0, partly: 0, missed: 0 };
        row[run.grades[c.slug]] += 1;
      });
    });
    var total = asked.reduce(function (s, c) { return s + (run.used[c.slug] || 0); }, 0);
    var nailed = asked.filter(function (c) { return run.grades[c.slug] === "nailed"; }).length;
    var rows = Object.keys(byTopic).sort().map(function (t) {
      var r = byTopic[t];
      return el("tr", {}, [el("th", { scope: "row", text: t })].concat(["nailed", "partly", "missed"].map(function (g) {
        return el("td", { text: String(r[g]) });
      })));
    });
    var reread = asked.filter(function (c) { return run.grades[c.slug] !== "nailed"; });
    var summary = el("section", { class: "mock__summary", "aria-labelledby": "mock-summary-title" }, [
      el("h2", { id: "mock-summary-title", tabindex: "-1",
                 text: "Summary: " + nailed + " of " + asked.length + " nailed in " + clock(total) }),
      asked.length ? el("table", {}, [
        el("caption", { text: "Your grades by topic (a question counts under each of its topics)" }),
        el("thead", {}, [el("tr", {}, ["Topic", "Nailed it", "Partly", "Missed it"].map(function (h) {
          return el("th", { scope: "col", text: h });
        }))]),
        el("tbody", {}, rows)
      ]) : el("p", { text: "No question was graded." }),
      reread.length ? el("h3", { text: "Pages to reread" }) : null,
      reread.length ? el("ul", { class: "mock__reread" }, reread.map(function (c) {
        return el("li", {}, [el("a", { href: c.url, text: c.question }),
                             el("span", { text: " · " + (run.grades[c.slug] === "partly" ? "partly" : "missed it") })]);
      })) : null,
      el("button", { type: "button", class: "md-button md-button--primary", "data-action": "again",
                     onclick: function () { drawSetup(); root.querySelector('[data-action="start"]').focus(); },
                     text: "Start another interview" })
    ]);
    run.done = true;
    root.innerHTML = "";
    root.appendChild(summary);
    say("");
    summary.querySelector("h2").focus();
  }

  document.addEventListener("keydown", function (e) {
    if (!run || run.done || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest && e.target.closest("input, select, textarea")) return;
    if (!run.revealed && e.key === " " && !e.target.closest("button, a")) {
      e.preventDefault();
      reveal(false);
      return;
    }
    var g = GRADES.filter(function (x) { return x[2] === e.key; })[0];
    if (g && run.revealed) grade(g[0]);
  });
  drawSetup();
})();
