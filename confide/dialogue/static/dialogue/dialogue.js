// The live guided conversation: one socket, steps rendered as they arrive, forms sent over the
// socket while it is up and posted as plain forms when it is down. Reconnects with backoff and
// resumes from the last step it has seen, so nothing is lost or shown twice.
(() => {
  "use strict";
  const root = document.getElementById("dialogue");
  if (!root || root.dataset.closed) return;

  const transcript = document.getElementById("transcript");
  const statusLine = document.getElementById("live-status");
  const errorLine = document.getElementById("live-error");
  let lastSeq = Number(root.dataset.lastSeq) || 0;
  let socket = null;
  let delay = 500;
  let countdownTimer = null;
  let panelRequest = 0;

  function setStatus(text) { statusLine.textContent = text; }
  function showError(text) {
    errorLine.textContent = text;
    errorLine.hidden = !text;
  }

  function renderStep(event) {
    if (!transcript || transcript.querySelector(`[data-seq="${event.seq}"]`)) return;
    const item = document.createElement("li");
    item.className = `step step-${event.kind}`;
    item.dataset.seq = String(event.seq);
    const meta = document.createElement("p");
    meta.className = "step-meta";
    const who = document.createElement("strong");
    who.textContent = event.mine ? transcript.dataset.you : event.author;
    meta.append(who, " ", transcript.getAttribute(`data-label-${event.kind}`) || "");
    item.append(meta);
    if (event.text) {
      const quote = document.createElement("blockquote");
      quote.textContent = event.text;
      item.append(quote);
    }
    transcript.append(item);
  }

  // What someone is typing, by box, kept while the controls are redrawn (a pause, a partner's
  // step, a reconnect) and until the step it was for is stored.
  const drafts = {};
  function restoreDrafts() {
    root.querySelectorAll(".move-form textarea").forEach((area) => {
      if (!area.value && drafts[area.id]) area.value = drafts[area.id];
      area.addEventListener("input", () => { drafts[area.id] = area.value; });
    });
  }

  async function refreshPanel(attempt = 0) {
    const request = ++panelRequest;
    const hadFocus = document.activeElement && document.activeElement.id;
    const retry = () => {
      if (request === panelRequest && attempt < 5) {
        setTimeout(() => refreshPanel(attempt + 1), 500 * (attempt + 1));
      }
    };
    try {
      const response = await fetch(root.dataset.panel, { credentials: "same-origin" });
      if (request !== panelRequest) return;
      if (!response.ok) { retry(); return; }
      const holder = document.createElement("div");
      holder.innerHTML = await response.text(); // server-rendered, escaped by the template engine
      const fresh = holder.querySelector("#live-panel");
      const current = document.getElementById("live-panel");
      if (!fresh || !current) return;
      current.replaceWith(fresh);
      if (hadFocus) {
        const again = document.getElementById(hadFocus);
        if (again) again.focus();
      }
      wire();
    } catch (error) {
      retry(); // offline for a moment; the page also still works by reloading
    }
  }

  function startCountdown() {
    clearInterval(countdownTimer);
    const box = root.querySelector(".countdown[data-until]");
    if (!box) return;
    const until = Date.parse(box.dataset.until);
    const tick = () => {
      const left = Math.max(0, Math.round((until - Date.now()) / 1000));
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, "0");
      box.textContent = `${box.dataset.left} ${minutes}:${seconds}`;
      if (left === 0) {
        clearInterval(countdownTimer);
        refreshPanel();
      }
    };
    tick();
    countdownTimer = setInterval(tick, 1000);
  }

  // A step written while the connection is down waits here and is sent once it is back.
  let pending = null;

  // Offline, a plain post would fail: the step waits for the connection instead.
  function reconnecting() { return !navigator.onLine; }

  function onSubmit(event) {
    const form = event.currentTarget;
    // A plain post says which steps the person has seen: those on the page now.
    const seen = form.querySelector("input[name=last_seen]");
    if (seen) seen.value = String(lastSeq);
    // Closing ends the conversation for both: it goes through its confirmation page.
    if (form.dataset.move === "close") return;
    const open = socket && socket.readyState === WebSocket.OPEN;
    if (!open && !reconnecting()) return; // no live connection to wait for: a plain post
    event.preventDefault();
    const data = new FormData(form);
    const message = {
      type: "move",
      session: root.dataset.session,
      move: data.get("move"),
      text: data.get("text") || "",
      last_seen: lastSeq,
    };
    const area = form.querySelector("textarea");
    if (area) area.dataset.sent = "1";
    if (open) {
      socket.send(JSON.stringify(message));
    } else {
      pending = { message, form };
      setStatus(root.dataset.msgOffline);
    }
  }

  function sendPending() {
    if (!pending || !socket || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify(pending.message));
    pending = null;
  }

  function showCoach(event) {
    // Nothing was sent: show the private coach beside the words, built with DOM text only.
    const form = root.querySelector(`form.move-form[data-move="${event.move}"]`);
    if (!form) return;
    const old = form.querySelector(".coach");
    if (old) old.remove();
    const area = form.querySelector("textarea[data-sent]");
    if (area) delete area.dataset.sent;
    // Shown first in its form, focused and announced, as the page without JavaScript does.
    const panel = document.createElement("aside");
    panel.className = "card coach";
    panel.setAttribute("role", "alert");
    panel.tabIndex = -1;
    const title = document.createElement("h2");
    title.textContent = event.title;
    panel.appendChild(title);
    const list = document.createElement("ul");
    event.notes.forEach((note) => {
      const item = document.createElement("li");
      item.textContent = note;
      list.appendChild(item);
    });
    panel.appendChild(list);
    const rewrite = document.createElement("p");
    rewrite.className = "rewrite";
    rewrite.textContent = event.rewrite;
    panel.appendChild(rewrite);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = event.send_as_is;
    button.addEventListener("click", () => {
      const data = new FormData(form);
      socket.send(JSON.stringify({
        type: "move", session: root.dataset.session, move: data.get("move"),
        text: data.get("text") || "", last_seen: lastSeq, send_as_is: true,
      }));
      if (area) area.dataset.sent = "1";
      panel.remove();
    });
    panel.appendChild(button);
    form.prepend(panel);
    panel.focus();
  }

  function wire() {
    root.querySelectorAll("form.move-form").forEach((form) => {
      form.addEventListener("submit", onSubmit);
    });
    root.querySelectorAll("input[name=last_seen]").forEach((input) => {
      input.value = String(lastSeq);
    });
    restoreDrafts();
    startCountdown();
  }

  function clearSentDrafts() {
    root.querySelectorAll("textarea[data-sent]").forEach((area) => {
      area.value = "";
      delete drafts[area.id];
    });
  }

  function onMessage(message) {
    let event;
    try { event = JSON.parse(message.data); } catch (error) { return; }
    if (event.type === "step") {
      if (event.seq <= lastSeq && transcript && transcript.querySelector(`[data-seq="${event.seq}"]`)) return;
      renderStep(event);
      lastSeq = Math.max(lastSeq, event.seq);
      if (event.mine) clearSentDrafts();
      showError("");
      refreshPanel();
    } else if (event.type === "support") {
      // Words of crisis or fear: support first, for the writer only; the step is saved.
      window.location.assign(event.url);
    } else if (event.type === "coach") {
      showCoach(event);
    } else if (event.type === "error") {
      showError(event.message);
      root.querySelectorAll("textarea[data-sent]").forEach((area) => { delete area.dataset.sent; });
      if (event.code === "stale") refreshPanel();
    }
  }

  let retryTimer = null;

  function connect() {
    clearTimeout(retryTimer);
    if (socket && socket.readyState <= WebSocket.OPEN) return; // connecting or open already
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${window.location.host}${root.dataset.socket}`);
    socket.addEventListener("open", () => {
      delay = 500;
      root.dataset.connections = String((Number(root.dataset.connections) || 0) + 1);
      setStatus(root.dataset.msgOnline);
      root.classList.add("is-live");
      socket.send(JSON.stringify({ type: "resume", last_seen: lastSeq }));
      sendPending();
    });
    socket.addEventListener("message", onMessage);
    const current = socket;
    socket.addEventListener("close", (event) => {
      if (current !== socket) return;
      root.classList.remove("is-live");
      if (event.code === 4401) {
        setStatus(root.dataset.msgLoggedOut);
        return;
      }
      setStatus(root.dataset.msgOffline);
      if (pending && navigator.onLine) {
        // Back online but the live connection will not come: send the step as a plain post.
        const form = pending.form;
        pending = null;
        form.submit();
        return;
      }
      retryTimer = setTimeout(connect, delay + Math.random() * delay / 2);
      delay = Math.min(delay * 2, 15000);
    });
  }

  window.addEventListener("offline", () => {
    // A socket may stay "open" for a while after the network went: say so at once, and start
    // again cleanly when it is back.
    root.classList.remove("is-live");
    setStatus(root.dataset.msgOffline);
    if (socket && socket.readyState === WebSocket.OPEN) socket.close();
  });
  window.addEventListener("online", () => {
    delay = 500;
    connect();
  });
  wire();
  connect();
})();
