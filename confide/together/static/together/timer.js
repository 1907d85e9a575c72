// The together timer: the server holds the start time and renders the elapsed time when the
// page loads; this only keeps the shown clock ticking. It counts from the server's figure with
// the page's own monotonic clock, so a wrong device clock does not change what is shown.
(() => {
  "use strict";
  const clock = document.getElementById("together-elapsed");
  if (!clock) return;
  const base = Number(clock.dataset.elapsedSeconds);
  if (!Number.isFinite(base)) return;
  const loaded = performance.now();
  const pad = (n) => String(n).padStart(2, "0");

  function tick() {
    const total = Math.floor(base + (performance.now() - loaded) / 1000);
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    clock.textContent = `${hours}:${pad(minutes)}:${pad(total % 60)}`;
  }

  tick();
  window.setInterval(tick, 1000);
})();
