// Roadmap board: drag a card to another status column (SortableJS); the move posts to the same
// transition endpoint as the keyboard control, via htmx. The server answers with the re-rendered
// board — with the reason, and the card back in its column, when the move is forbidden (HTTP 400).
// Any other failure (403, 5xx, no network) puts the card back where it was, re-reads the board
// from the server (`data-board-url` on #board) and says why in the board's feedback area.
(function () {
  "use strict";

  var pendingError = null; // the message to show once the re-read board is swapped in

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
          onStart: function (evt) {
            evt.item.boardOrigin = { list: evt.from, next: evt.item.nextElementSibling };
          },
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

  // --- a move that failed for another reason --------------------------------------------------

  function isBoardMove(evt) {
    var elt = evt.detail.elt;
    var config = evt.detail.requestConfig || {};
    return !!(elt && elt.closest && elt.closest("#board") && String(config.verb).toLowerCase() === "post");
  }

  function cardOf(elt) {
    return elt.closest(".board-card");
  }

  function reason(evt) {
    if (evt.type === "htmx:sendError") return "The move could not be sent; check your connection and try again.";
    var status = evt.detail.xhr ? evt.detail.xhr.status : 0;
    if (status === 403) return "You may not move cards on this board.";
    if (status === 404) return "This initiative no longer exists; the board has been refreshed.";
    return "The server could not save the move (error " + status + "). Please try again.";
  }

  function showError(message) {
    var board = document.getElementById("board");
    var area = board && board.querySelector(".board-feedback");
    if (!area) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-danger d-flex flex-wrap gap-2 align-items-center py-2 mb-2";
    alert.id = "board-error";
    alert.setAttribute("tabindex", "-1");
    var icon = document.createElement("i");
    icon.className = "bi bi-exclamation-triangle";
    icon.setAttribute("aria-hidden", "true");
    var text = document.createElement("span");
    text.textContent = message;
    alert.appendChild(icon);
    alert.appendChild(text);
    area.replaceChildren(alert);
    alert.focus({ preventScroll: false });
  }

  function putBack(card) {
    if (!card) return;
    card.classList.remove("board-card-pending");
    var origin = card.boardOrigin;
    if (origin && origin.list && origin.list.isConnected) {
      var next = origin.next && origin.next.parentNode === origin.list ? origin.next : null;
      origin.list.insertBefore(card, next);
    }
    card.boardOrigin = null;
  }

  function onMoveFailed(evt) {
    if (!isBoardMove(evt)) {
      pendingError = null; // e.g. the re-read itself failed: the message shown stays, nothing is queued
      return;
    }
    var card = cardOf(evt.detail.elt);
    var title = card ? card.querySelector(".board-card-title") : null;
    var message = (title ? "“" + title.textContent.trim() + "” stays where it was. " : "") + reason(evt);
    putBack(card);
    showError(message);
    pendingError = message;
    var board = document.getElementById("board");
    var url = board && board.dataset.boardUrl;
    if (url) {
      window.htmx.ajax("GET", url, { target: "#board", swap: "outerHTML", select: "#board" });
    }
  }

  document.addEventListener("htmx:responseError", onMoveFailed);
  document.addEventListener("htmx:sendError", onMoveFailed);

  // Keep keyboard focus on the board after a move made with the "Move" control.
  document.addEventListener("htmx:afterSwap", function (evt) {
    var board = document.getElementById("board");
    if (!board) return;
    initBoard(board);
    if (pendingError) {
      var message = pendingError;
      pendingError = null;
      showError(message);
      return;
    }
    var alert = board.querySelector(".board-feedback .alert");
    if (alert) { alert.setAttribute("tabindex", "-1"); alert.focus({ preventScroll: false }); }
  });

  document.addEventListener("DOMContentLoaded", function () { initBoard(document); });
})();
