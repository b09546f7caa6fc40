// The interviewer's kit: filter the cards by difficulty and topic, tick the ones to keep, print.
// The cards themselves are built into the page (hooks/interviewer_kit.py); without this script the
// page shows and prints every card.
(function () {
  var controls = document.getElementById("kit-controls");
  var status = document.getElementById("kit-status");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".kit-card"));
  if (!controls || !cards.length) return;
  var LEVELS = ["easy", "medium", "hard"];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  function select(id, text, options) {
    var s = el("select", { id: id, onchange: update });
    options.forEach(function (o) { s.appendChild(el("option", { value: o[0], text: o[1] })); });
    return el("label", { "for": id, class: "kit-controls__filter" }, [el("span", { text: text }), s]);
  }

  var tags = [];
  cards.forEach(function (c) {
    c.dataset.tags.split("|").forEach(function (t) { if (tags.indexOf(t) < 0) tags.push(t); });
    var title = c.querySelector("h3").textContent.trim();
    var box = el("input", { type: "checkbox", class: "kit-card__pick", "aria-label": "Include in the printout: " + title,
      onchange: update });
    c.insertBefore(el("label", { class: "kit-card__include" }, [box, el("span", { text: " Include", "aria-hidden": "true" })]),
      c.firstChild);
  });
  tags.sort();

  controls.appendChild(select("kit-difficulty", "Difficulty",
    [["all", "All"]].concat(LEVELS.map(function (l) { return [l, l.charAt(0).toUpperCase() + l.slice(1)]; }))));
  controls.appendChild(select("kit-topic", "Topic", [["all", "All topics"]].concat(tags.map(function (t) { return [t, t]; }))));
  controls.appendChild(el("button", { type: "button", class: "md-button", text: "Select all shown", onclick: function () {
    shown().forEach(function (c) { c.querySelector(".kit-card__pick").checked = true; }); update();
  } }));
  controls.appendChild(el("button", { type: "button", class: "md-button", text: "Clear selection", onclick: function () {
    cards.forEach(function (c) { c.querySelector(".kit-card__pick").checked = false; }); update();
  } }));
  controls.appendChild(el("button", { type: "button", class: "md-button md-button--primary", text: "Print",
    onclick: function () { window.print(); } }));

  function shown() { return cards.filter(function (c) { return !c.hidden; }); }

  function update() {
    var level = document.getElementById("kit-difficulty").value;
    var topic = document.getElementById("kit-topic").value;
    var picked = 0;
    cards.forEach(function (c) {
      c.hidden = !((level === "all" || c.dataset.difficulty === level) &&
                   (topic === "all" || c.dataset.tags.split("|").indexOf(topic) >= 0));
      var on = c.querySelector(".kit-card__pick").checked;
      c.classList.toggle("kit-card--picked", on);
      if (on && !c.hidden) picked += 1;
    });
    document.body.classList.toggle("kit-has-picks", picked > 0);
    var n = shown().length;
    status.textContent = n + (n === 1 ? " question" : " questions") + " shown, " + picked + " selected: " +
      (picked ? "printing gives the " + picked + " selected." : "printing gives all " + n + " shown.");
  }
  update();
})();
