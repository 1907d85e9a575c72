// Quick exit: leave for a neutral address and replace this page in the history,
// by the button or by pressing Escape three times within two seconds.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  var target = link.getAttribute("data-exit-url");
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.classList.add("leaving");
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) { leave(event); }
  });
})();
