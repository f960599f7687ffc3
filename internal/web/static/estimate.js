// The subscription and preferences forms, made quicker with a script:
// the "about N stories a week" line follows the boxes as they are ticked
// (asking GET /estimate), a region's "every country" box ticks and unticks
// its countries, and each region's summary counts what is chosen in it.
// Everything here also works without it: the server expands a region's
// box, and shows the estimate when the form comes back.
(function () {
  "use strict";
  var form = document.querySelector("form#subscribe, form#preferences");
  var line = document.getElementById("estimate");
  if (!form || !line || !window.fetch || !window.URLSearchParams || !window.FormData) {
    return;
  }
  var lang = document.documentElement.lang || "en";
  var timer = 0;
  var asked = 0;

  function ask() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name !== "email" && name !== "csrf_token") {
        params.append(name, value);
      }
    });
    params.set("lang", lang);
    var mine = ++asked;
    fetch("/estimate?" + params.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (resp) { return resp.ok ? resp.json() : null; })
      .then(function (answer) {
        // An older answer arriving late must not replace a newer one.
        if (answer && mine === asked && line.textContent !== answer.text) {
          line.textContent = answer.text;
        }
      })
      .catch(function () { /* the line keeps what it said */ })
      .then(function () {
        if (mine === asked) {
          line.removeAttribute("aria-busy");
        }
      });
  }

  function format(template, a, b) {
    return template.replace("%d", a).replace("%d", b);
  }

  // count rewrites a region's summary after a change inside it.
  function count(details) {
    var span = details.querySelector("summary .count");
    if (!span) {
      return;
    }
    var chosen = details.querySelectorAll("input[name=countries]:checked, option:checked").length;
    var total = span.getAttribute("data-total");
    var text = chosen ? format(span.getAttribute("data-some"), chosen, total) : span.getAttribute("data-none");
    span.textContent = text ? "· " + text : "";
  }

  // settle tells the server the region's box is as it was: with the
  // country boxes kept in step here, they alone say what is chosen (the
  // server reads a changed region box as "add" or "remove them all").
  function settle(details, all) {
    var was = details.querySelector("input[name=regions_was]");
    if (!was) {
      was = document.createElement("input");
      was.type = "hidden";
      was.name = "regions_was";
      was.value = all.value;
      details.appendChild(was);
    }
    was.disabled = !all.checked;
  }

  form.addEventListener("change", function (event) {
    var box = event.target;
    var details = box.closest ? box.closest("details.region") : null;
    if (details) {
      var all = details.querySelector("input[name=regions]");
      var countries = details.querySelectorAll("input[name=countries]");
      if (box === all) {
        countries.forEach(function (c) { c.checked = all.checked; });
      } else if (all) {
        all.checked = Array.prototype.every.call(countries, function (c) { return c.checked; });
      }
      if (all) {
        settle(details, all);
      }
      count(details);
    }
    // Busy until the newest answer is in: a screen reader reads the
    // line once, when it is final, not each figure on the way.
    line.setAttribute("aria-busy", "true");
    clearTimeout(timer);
    timer = setTimeout(ask, 250);
  });
})();
