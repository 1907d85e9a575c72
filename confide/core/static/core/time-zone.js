// Choose the browser's own time zone in a time-zone list marked data-browser-time-zone, when
// the list has it and still shows the default (UTC). Without JavaScript the list stays at UTC
// and can be set by hand.
(() => {
  "use strict";
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll("select[data-browser-time-zone]").forEach((select) => {
    const known = Array.from(select.options).some((option) => option.value === zone);
    if (known && select.value === "UTC") select.value = zone;
  });
})();
