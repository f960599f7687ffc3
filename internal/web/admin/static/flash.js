// A notice ("the edition was created") is shown once, on the page an
// action sent the browser to; the server knows it is fresh by a cookie.
// This takes the notice's words out of the address, so a reload, a
// bookmark or a copied link does not carry them.
(function () {
  "use strict";
  var u = new URL(window.location.href);
  // done names the notice; the others are the counts some notices show.
  ["done", "new", "duplicates", "imported", "skipped", "accepted", "withdrawn", "changed"].forEach(function (k) {
    u.searchParams.delete(k);
  });
  window.history.replaceState(window.history.state, "", u.pathname + u.search + u.hash);
})();
