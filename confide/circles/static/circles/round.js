// The live round: the state arrives over a WebSocket (on connect and after every change) and
// the page is redrawn from it. The buttons are plain forms: while the socket is up they are
// sent over it instead of reloading the page. Reconnects with backoff; the first message after
// a reconnect is the current state, so nothing needs replaying.
(() => {
  "use strict";
  const root = document.getElementById("round");
  if (!root) return;
  const speaker = document.getElementById("speaker");
  const queue = document.getElementById("queue");
  const queueEmpty = document.getElementById("queue-empty");
  const errorLine = document.getElementById("round-error");
  const connection = document.getElementById("round-connection");
  const closedLine = document.getElementById("round-closed");
  const giveSelect = document.getElementById("give-member");
  const live = document.getElementById("round-live");
  const forms = {};
  root.querySelectorAll("form[data-round-action]").forEach((form) => {
    forms[form.dataset.roundAction] = form;
  });
  let socket = null;
  let delay = 500;
  let version = 0;
  let closed = false;

  function show(name, visible) {
    if (forms[name]) forms[name].hidden = !visible;
  }

  function render(state) {
    if (state.version < version) return;
    version = state.version;
    speaker.textContent = "";
    if (state.holder) {
      const mark = document.createElement("mark");
      mark.className = "holder";
      mark.textContent = state.holder.name;
      speaker.append(mark);
    } else {
      speaker.textContent = root.dataset.nobody;
    }
    queue.textContent = "";
    state.queue.forEach((item) => {
      const li = document.createElement("li");
      li.textContent = item.name;
      queue.append(li);
    });
    queueEmpty.hidden = state.queue.length > 0;
    if (giveSelect) {
      giveSelect.textContent = "";
      state.queue.forEach((item) => {
        const option = document.createElement("option");
        option.value = item.id;
        option.textContent = item.name;
        giveSelect.append(option);
      });
    }
    show("join", state.open && !state.you_hold && !state.you_wait);
    show("withdraw", state.open && state.you_wait);
    show("pass", state.open && state.you_hold);
    show("give", state.open && state.queue.length > 0);
    show("move", state.open && Boolean(state.holder));
    show("close", state.open);
    closedLine.hidden = state.open;
    live.hidden = !state.open;  // after the close: no speaker, queue or controls for anyone
    if (!state.open) closed = true;
  }

  function showError(text) {
    errorLine.textContent = text;
    errorLine.hidden = !text;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}${root.dataset.socketPath}`);
    socket.addEventListener("open", () => {
      delay = 500;
      connection.textContent = "";
      root.dataset.connections = String(Number(root.dataset.connections) + 1);
    });
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "state") {
        showError("");
        render(data);
      } else if (data.type === "error") {
        showError(data.message);
      }
    });
    socket.addEventListener("close", (event) => {
      socket = null;
      if (closed || event.code === 4401) return;  // the round ended, or the person logged out
      connection.textContent = root.dataset.offline;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 8000);
    });
  }

  Object.values(forms).forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!socket || socket.readyState !== WebSocket.OPEN) return;  // a plain post instead
      event.preventDefault();
      const message = { type: form.querySelector("[name=type]").value };
      const member = form.querySelector("[name=member]");
      if (member) message.member = member.value;
      socket.send(JSON.stringify(message));
    });
  });
  connect();
})();
