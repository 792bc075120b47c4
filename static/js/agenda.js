// meetcoord meeting page: progressive enhancement only. Without this file the ↑/↓ buttons
// reorder the agenda.
//  - #agenda-list items can be dragged; the whole new order is posted to the reorder
//    endpoint (data-reorder-url) with the CSRF token, and the planned times are updated.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function announce(list, text, failed) {
    var note = document.getElementById("agenda-note");
    if (!note) {
      note = document.createElement("p");
      note.id = "agenda-note";
      note.setAttribute("role", "status");
      list.parentNode.insertBefore(note, list.nextSibling);
    }
    note.className = failed ? "agenda-note is-error" : "agenda-note";
    note.textContent = text || "";
  }

  function refreshButtons(list) {
    var items = list.querySelectorAll(".agenda-item");
    items.forEach(function (item, index) {
      var up = item.querySelector('button[value="up"]');
      var down = item.querySelector('button[value="down"]');
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === items.length - 1;
    });
  }

  function saveOrder(list, before) {
    var ids = Array.prototype.map.call(list.querySelectorAll(".agenda-item"), function (item) {
      return Number(item.getAttribute("data-id"));
    });
    if (ids.join(",") === before) return;
    fetch(list.getAttribute("data-reorder-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": list.getAttribute("data-csrf")
      },
      body: JSON.stringify({ order: ids })
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (data) {
      Object.keys(data.times || {}).forEach(function (id) {
        var item = list.querySelector('.agenda-item[data-id="' + id + '"]');
        if (!item) return;
        item.querySelector(".agenda-start").textContent = data.times[id].start;
        item.querySelector(".agenda-end").textContent = data.times[id].end;
      });
      refreshButtons(list);
      announce(list, list.getAttribute("data-moved"), false);
    }).catch(function () {
      announce(list, list.getAttribute("data-failed"), true);
    });
  }

  function enableDrag(list) {
    var dragged = null;
    var before = "";
    list.classList.add("is-sortable");
    list.addEventListener("dragstart", function (event) {
      var item = event.target.closest && event.target.closest(".agenda-item");
      if (!item) return;
      dragged = item;
      before = Array.prototype.map.call(list.querySelectorAll(".agenda-item"), function (el) {
        return el.getAttribute("data-id");
      }).join(",");
      item.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.getAttribute("data-id"));
    });
    list.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      var over = event.target.closest && event.target.closest(".agenda-item");
      if (!over || over === dragged) return;
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextSibling : over);
    });
    list.addEventListener("drop", function (event) {
      if (dragged) event.preventDefault();
    });
    list.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("is-dragging");
      dragged = null;
      saveOrder(list, before);
    });
  }

  onReady(function () {
    var list = document.getElementById("agenda-list");
    if (list && list.getAttribute("data-reorder-url") && window.fetch) enableDrag(list);
  });
})();
