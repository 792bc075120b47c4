// Public registration page: the visitor's zone, detected by the browser, goes into the
// page's zone field and the page reloads once with ?zone= so that the server renders the
// meeting's times in it (with its label). A choice in the WIB/WITA/WIT select wins.
(function () {
  "use strict";
  var form = document.getElementById("zone-form");
  if (!form) return;
  var select = document.getElementById("zone-select");
  select.addEventListener("change", function () { form.submit(); });
  var params = new URLSearchParams(window.location.search);
  if (params.has("zone")) return;
  var detected = "";
  try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
  var field = document.getElementById("reg-zone");
  if (field && detected) field.value = detected;
  if (detected && detected !== form.getAttribute("data-zone")) {
    params.set("zone", detected);
    window.location.replace(window.location.pathname + "?" + params.toString());
  }
})();
