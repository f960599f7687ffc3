// Live progress of an edition's page: polls the console's JSON figures
// and updates the page in place until the edition is finished. Without
// scripts the page reloads itself instead (a <noscript> refresh).
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || box.dataset.finished === "true") return;
  var url = box.dataset.url;
  var every = 1500; // ms between polls
  var announceEvery = 15000; // ms: screen readers hear a summary this often, or on a change of status
  var lastStatus = null;
  var lastAnnounced = 0;

  function set(id, text) {
    var el = document.getElementById(id);
    if (el && el.textContent !== text) el.textContent = text;
  }

  function show(d) {
    var p = d.progress;
    var bar = document.getElementById("p-bar");
    if (bar) {
      bar.max = p.total > 0 ? p.total : 1;
      bar.value = p.done;
      bar.textContent = (p.total > 0 ? Math.min(100, Math.floor(p.done * 100 / p.total)) : 0) + "%";
    }
    var status = document.getElementById("p-status");
    if (status) status.className = "status-" + p.status;
    set("p-status", d.status_label);
    set("p-sent", String(p.sent));
    set("p-failed", String(p.failed));
    set("p-skipped", String(p.skipped));
    set("p-total", String(p.total));
    set("p-rate", d.rate_label);
    set("p-left", d.time_left);
    var now = Date.now();
    if (d.status_label !== lastStatus || now - lastAnnounced >= announceEvery || p.finished) {
      set("p-live", d.summary);
      lastStatus = d.status_label;
      lastAnnounced = now;
    }
    box.dataset.status = p.status;
    if (p.finished) box.dataset.finished = "true";
    return p.finished;
  }

  // Once finished, the rest of the page (actions, skips, failures with
  // the relay's replies) is fetched again and put in place, so it is
  // current without a reload.
  function refreshRest() {
    var rest = document.getElementById("edition-rest");
    if (!rest || !window.DOMParser) return;
    fetch(location.href, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("edition-rest");
        if (fresh) rest.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () {});
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (d) {
        if (show(d)) refreshRest();
        else setTimeout(poll, every);
      })
      .catch(function () {
        // A blip (a restart, the network): try again, a little later.
        setTimeout(poll, every * 2);
      });
  }
  setTimeout(poll, every);
})();
