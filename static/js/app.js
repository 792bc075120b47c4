// meetcoord: progressive enhancement only. Every page works without this file.
//  - [data-confirm] forms ask before they submit (delete, remove member);
//  - the header menu collapses behind a toggle on narrow screens;
//  - [data-autosubmit] selects (list filters) submit their form on change.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var question = form.getAttribute && form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) event.preventDefault();
    });

    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form) select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
      });
    });

    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      var narrow = window.matchMedia("(max-width: 47.99rem)");
      var setOpen = function (open) {
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        nav.classList.toggle("is-collapsed", !open);
      };
      toggle.hidden = false;
      setOpen(!narrow.matches);
      toggle.addEventListener("click", function () {
        setOpen(toggle.getAttribute("aria-expanded") !== "true");
      });
      narrow.addEventListener("change", function (e) { setOpen(!e.matches); });
    }
  });
})();
