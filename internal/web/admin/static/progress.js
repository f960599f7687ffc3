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
  var restEvery = 10000; // ms: while figures keep changing, the lists below are fetched at most this often
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

  // The rest of the page (why it paused, actions, skips, failures with
  // the relay's replies) summarises the status and the failed and skipped
  // counts: when they change, or the edition finishes, it is fetched again
  // and put in place, so it never contradicts the figures above it. An
  // edition may wait an hour for retries with a refusal already in, so
  // "when finished" is too late; every tick is too often.
  function restKey(status, failed, skipped, finished) { return status + "/" + failed + "/" + skipped + "/" + finished; }
  var restShows = restKey(box.dataset.status, text("p-failed"), text("p-skipped"), false);
  var restWanted = restShows;
  var restBusy = false;
  var restAt = 0;

  function text(id) {
    var el = document.getElementById(id);
    return el ? el.textContent.trim() : "";
  }

  function followRest(p) {
    restWanted = restKey(p.status, p.failed, p.skipped, p.finished);
    var statusChanged = restShows.split("/")[0] !== String(p.status);
    if (restBusy || restWanted === restShows) return;
    // A status the lists do not show yet (paused, resumed) is fetched at
    // once; counts that keep changing, at most every restEvery (a later
    // tick asks again).
    if (!p.finished && !statusChanged && Date.now() - restAt < restEvery) return;
    refreshRest();
  }

  // focusKey names the element in rest that has the focus, so that the
  // same one in the fresh copy gets it back.
  function focusKey(rest) {
    var a = document.activeElement;
    if (!a || !rest.contains(a) || !window.CSS || !CSS.escape) return null;
    var tag = a.tagName.toLowerCase();
    if (a.id) return "#" + CSS.escape(a.id);
    if (a.getAttribute("href")) return tag + '[href="' + CSS.escape(a.getAttribute("href")) + '"]';
    if (a.getAttribute("aria-labelledby")) return tag + '[aria-labelledby="' + CSS.escape(a.getAttribute("aria-labelledby")) + '"]';
    if (a.form && a.form.id) return "#" + CSS.escape(a.form.id) + " " + tag;
    return null;
  }

  function refreshRest() {
    var rest = document.getElementById("edition-rest");
    if (!rest || !window.DOMParser) return;
    var want = restWanted, fetched = false;
    restBusy = true;
    restAt = Date.now();
    fetch(location.href, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("edition-rest");
        if (!fresh) return;
        rest = document.getElementById("edition-rest");
        var focused = focusKey(rest);
        fresh = document.importNode(fresh, true);
        rest.replaceWith(fresh);
        var again = focused && fresh.querySelector(focused);
        if (again) again.focus();
        restShows = want;
        fetched = true;
      })
      .catch(function () {})
      .then(function () {
        restBusy = false;
        // Polls stop once finished: if the edition finished while this
        // fetch was under way, its last lists are fetched from here.
        if (fetched && restWanted !== restShows && box.dataset.finished === "true") refreshRest();
      });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (d) {
        var finished = show(d);
        followRest(d.progress);
        if (!finished) setTimeout(poll, every);
      })
      .catch(function () {
        // A blip (a restart, the network): try again, a little later.
        setTimeout(poll, every * 2);
      });
  }
  setTimeout(poll, every);
})();
