// The forms' time zone: when the reader has not chosen one yet, the
// browser's own is proposed (added to the list if it is not in it). The
// select works without this script, starting at the desk's zone.
(function () {
  "use strict";
  var select = document.getElementById("timezone");
  if (!select || select.getAttribute("data-propose") !== "1" || !window.Intl) {
    return;
  }
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    return;
  }
  if (!zone) {
    return;
  }
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.selectedIndex = i;
      return;
    }
  }
  var opt = document.createElement("option");
  opt.value = zone;
  // Named as the server names a zone it has no city for: the city of
  // its IANA name.
  opt.textContent = zone.slice(zone.lastIndexOf("/") + 1).replace(/_/g, " ");
  select.insertBefore(opt, select.firstChild);
  select.value = zone;
})();
