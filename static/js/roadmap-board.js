// Roadmap board: drag a card to another status column (SortableJS); the move posts to the same
// transition endpoint as the keyboard control, via htmx. The server answers with the re-rendered
// board — with the reason, and the card back in its column, when the move is forbidden (HTTP 400).
(function () {
  "use strict";

  function initBoard(root) {
    if (!window.Sortable) return;
    var lists = (root.matches && root.matches("[data-board]") ? [root] : [])
      .concat(Array.prototype.slice.call(root.querySelectorAll("[data-board]")));
    lists.forEach(function (board) {
      board.querySelectorAll(".board-list").forEach(function (list) {
        if (list.dataset.sortable === "1") return;
        list.dataset.sortable = "1";
        window.Sortable.create(list, {
          group: "roadmap-board",
          draggable: ".board-card",
          filter: "select, button, input, label",
          preventOnFilter: false,
          animation: 150,
          ghostClass: "board-card-ghost",
          onEnd: function (evt) {
            if (evt.from === evt.to) return;
            var card = evt.item;
            card.classList.add("board-card-pending");
            window.htmx.ajax("POST", card.dataset.transitionUrl, {
              source: card,
              target: "#board",
              swap: "outerHTML",
              values: { to: evt.to.dataset.status }
            });
          }
        });
      });
    });
  }

  // A forbidden move answers 400 with the board and the reason: swap it in all the same.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var target = evt.detail.target;
    if (evt.detail.xhr.status === 400 && target && target.id === "board") {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  // Keep keyboard focus on the board after a move made with the "Move" control.
  document.addEventListener("htmx:afterSwap", function (evt) {
    var board = document.getElementById("board");
    if (!board) return;
    initBoard(board);
    var alert = board.querySelector(".board-feedback .alert");
    if (alert) { alert.setAttribute("tabindex", "-1"); alert.focus({ preventScroll: false }); }
  });

  document.addEventListener("DOMContentLoaded", function () { initBoard(document); });
})();
