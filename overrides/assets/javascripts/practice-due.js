// The home page's "due today" line: how many practice cards FSRS has scheduled for today, read from the
// progress practice.js stores in this browser. Nothing shows until a card has been graded.
(function () {
  "use strict";
  var line = document.getElementById("practice-due");
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem("cnn-iq-practice")); } catch (e) { /* no progress */ }
  if (!line || !saved || saved.schema !== 3 || !saved.cards || typeof saved.cards !== "object") return;
  var today = new Date();
  today.setHours(23, 59, 59, 999);
  var dates = Object.keys(saved.cards).map(function (slug) { return new Date(saved.cards[slug].due); })
    .filter(function (d) { return !isNaN(d); });
  if (!dates.length) return;
  var due = dates.filter(function (d) { return d <= today; }).length;
  var link = document.createElement("a");
  link.href = "practice.html";
  link.textContent = due === 0 ? "no card is due today" : due === 1 ? "1 card is due today" : due + " cards are due today";
  line.textContent = "Practice: ";
  line.appendChild(link);
  line.appendChild(document.createTextNode(due ? "." : " (come back tomorrow)."));
  line.hidden = false;
})();
