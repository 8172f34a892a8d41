// GridWhistle sandbox page: a WeChat-like group chat driving the real bot.
// Every piece of user or bot text goes into the page with textContent, never parsed as markup.
(function () {
  "use strict";

  const API = "/sandbox/api";
  const $ = (id) => document.getElementById(id);
  const state = {
    chats: [], people: [], persona: null,
    view: null,            // {kind: "chat", id} | {kind: "dm"} | null (the list)
    rendered: new Map(),   // message id -> element, for the open view
    lastId: 0, lastDay: "", quote: null, sending: false,
    seen: JSON.parse(localStorage.getItem("gw-seen") || "{}"),
    peopleKey: "",
  };

  // ---------- helpers ----------
  async function api(path, options) {
    const resp = await fetch(API + path, Object.assign({ headers: { "Content-Type": "application/json" } }, options || {}));
    let data = {};
    try { data = await resp.json(); } catch (e) { /* empty body */ }
    if (!resp.ok) { const err = new Error(data.error || ("请求失败 " + resp.status)); err.data = data; throw err; }
    return data;
  }
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function colorFor(key) {
    let h = 0;
    for (const ch of String(key)) h = (h * 31 + ch.codePointAt(0)) % 360;
    return "hsl(" + h + ", 55%, 52%)";
  }
  function avatar(name, key, extra) {
    const a = el("div", "avatar" + (extra ? " " + extra : ""), (name || "?").slice(0, 1));
    if (!extra) a.style.background = colorFor(key);
    return a;
  }
  function fmtTime(iso, withDate) {
    if (!iso) return "";
    const opts = { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false };
    if (withDate) { opts.month = "numeric"; opts.day = "numeric"; }
    try { return new Date(iso).toLocaleString("zh-CN", opts); } catch (e) { return iso; }
  }
  function dayOf(iso) {
    // Day separators, as WeChat shows them; the date moves when the sandbox clock is advanced.
    try {
      return new Date(iso).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai", month: "long", day: "numeric", weekday: "short" });
    } catch (e) { return ""; }
  }
  let toastTimer = null;
  function toast(text) {
    const t = $("toast");
    t.textContent = text;
    t.classList.remove("hidden");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => t.classList.add("hidden"), 2500);
  }
  function person(id) { return state.people.find((p) => p.user_id === id) || null; }
  function chatById(id) { return state.chats.find((c) => c.chat_id === id) || null; }
  function saveSeen() { localStorage.setItem("gw-seen", JSON.stringify(state.seen)); }

  // ---------- personas ----------
  function fillPersonaSelect(select) {
    select.replaceChildren();
    for (const p of state.people) {
      const label = p.name + " · " + (p.roles[0] || "居民");
      const opt = el("option", null, label);
      opt.value = p.user_id;
      select.appendChild(opt);
    }
    select.value = state.persona || "";
  }
  function setPersona(userId) {
    state.persona = userId;
    localStorage.setItem("gw-persona", userId);
    $("persona").value = userId;
    $("chat-persona").value = userId;
    const p = person(userId);
    $("persona-roles").textContent = p ? "角色：" + (p.roles.join("、") || "居民") : "";
    clearQuote();
    if (state.view && state.view.kind === "chat") {
      const chat = chatById(state.view.id);
      if (!chat || !chat.members.some((m) => m.user_id === userId)) {
        toast("该身份不在这个群里，已返回聊天列表");
        showList();
        return;
      }
      rerender();
    } else if (state.view && state.view.kind === "dm") {
      openDM();
    }
    renderChatList();
  }

  // ---------- chat list ----------
  async function loadChats() {
    const data = await api("/chats");
    state.chats = data.chats;
    state.people = data.people;
    const key = data.people.map((p) => p.user_id).join(",");
    if (key !== state.peopleKey) {
      state.peopleKey = key;
      const saved = localStorage.getItem("gw-persona");
      if (!state.persona) state.persona = person(saved) ? saved : (person("zhangdaye") ? "zhangdaye" : (data.people[0] || {}).user_id);
      fillPersonaSelect($("persona"));
      fillPersonaSelect($("chat-persona"));
      setPersona(state.persona);
    }
    $("clock-line").textContent = "网格哨时间：" + fmtTime(data.now, true);
    renderChatList();
  }
  function renderChatList() {
    const list = $("chat-list");
    const items = [];
    const dm = el("li", "chat-item");
    dm.dataset.chatId = "dm";
    dm.appendChild(avatar("哨", "bot", "bot"));
    const dmMeta = el("div", "meta");
    dmMeta.appendChild(el("div", "name", "网格哨（应用消息）"));
    dmMeta.appendChild(el("div", "preview", "网格哨发给您的通知、提醒和评价邀请"));
    dm.appendChild(dmMeta);
    dm.addEventListener("click", openDM);
    items.push(dm);
    for (const chat of state.chats) {
      if (!chat.members.some((m) => m.user_id === state.persona)) continue;
      const li = el("li", "chat-item");
      li.dataset.chatId = chat.chat_id;
      li.appendChild(avatar(chat.name, chat.chat_id, "group"));
      const meta = el("div", "meta");
      meta.appendChild(el("div", "name", chat.name + "（" + chat.members.length + "）"));
      const last = chat.last_message;
      meta.appendChild(el("div", "preview", last ? last.sender_name + "：" + last.text : (chat.grid || chat.unit || "")));
      li.appendChild(meta);
      const unread = chat.message_count - (state.seen[chat.chat_id] || 0);
      if (unread > 0 && !(state.view && state.view.id === chat.chat_id)) li.appendChild(el("span", "badge", String(unread)));
      li.addEventListener("click", () => openChat(chat.chat_id));
      items.push(li);
    }
    list.replaceChildren(...items);
  }

  // ---------- conversation ----------
  function showList() {
    state.view = null;
    $("chat-screen").classList.add("hidden");
    $("list-screen").classList.remove("hidden");
    renderChatList();
  }
  function showChatScreen(title) {
    $("chat-title").textContent = title;
    $("list-screen").classList.add("hidden");
    $("chat-screen").classList.remove("hidden");
    clearQuote();
    rerender();
    $("composer-input").focus();
  }
  function openChat(chatId) {
    const chat = chatById(chatId);
    if (!chat) return;
    state.view = { kind: "chat", id: chatId };
    $("readonly-note").classList.add("hidden");
    showChatScreen(chat.name + "（" + chat.members.length + "）");
  }
  function openDM() {
    state.view = { kind: "dm", id: "dm" };
    $("readonly-note").classList.remove("hidden");
    const p = person(state.persona);
    showChatScreen("网格哨 · " + (p ? p.name : ""));
  }
  function rerender() {
    state.rendered = new Map();
    state.lastId = 0;
    state.lastDay = "";
    $("messages").replaceChildren();
    refreshMessages();
  }
  function messagesPath() {
    if (!state.view) return null;
    return state.view.kind === "chat"
      ? "/chats/" + encodeURIComponent(state.view.id) + "/messages"
      : "/users/" + encodeURIComponent(state.persona) + "/messages";
  }
  let refreshing = false;
  async function refreshMessages() {
    const path = messagesPath();
    if (!path || refreshing) return;
    refreshing = true;
    try {
      const view = state.view;
      const data = await api(path);
      if (view !== state.view || path !== messagesPath()) return; // switched meanwhile
      const box = $("messages");
      let added = false;
      for (const m of data.messages) {
        if (state.rendered.has(m.id)) continue;
        if (m.id < state.lastId) { refreshing = false; rerender(); return; } // arrived out of order
        const day = dayOf(m.time);
        if (day !== state.lastDay) { box.appendChild(el("div", "time-sep", day)); state.lastDay = day; }
        const node = renderMessage(m);
        state.rendered.set(m.id, node);
        box.appendChild(node);
        state.lastId = m.id;
        added = true;
      }
      if (view.kind === "chat") { state.seen[view.id] = data.messages.length; saveSeen(); }
      if (added) box.scrollTop = box.scrollHeight;
    } catch (e) {
      console.warn(e);
    } finally {
      refreshing = false;
    }
  }
  function renderMessage(m) {
    if (m.note === "system") {
      const row = el("div", "msg system");
      row.dataset.id = m.id;
      row.appendChild(el("div", "bubble", m.text));
      return row;
    }
    const mine = !m.from_bot && m.sender === state.persona;
    const row = el("div", "msg" + (mine ? " mine" : "") + (m.from_bot ? " bot" : ""));
    row.dataset.id = m.id;
    row.dataset.sender = m.sender;
    row.appendChild(m.from_bot ? avatar("哨", "bot", "bot") : avatar(m.sender_name, m.sender));
    const body = el("div", "body");
    body.appendChild(el("div", "sender", m.sender_name + " · " + fmtTime(m.time, false)));
    const bubble = el("div", "bubble", m.text);
    bubble.title = "点击引用这条消息";
    bubble.addEventListener("click", () => setQuote(m, row));
    bubble.addEventListener("contextmenu", (ev) => { ev.preventDefault(); setQuote(m, row); });
    body.appendChild(bubble);
    if (m.quote) body.appendChild(el("div", "quoted", "「" + m.quote.sender_name + "：" + m.quote.text + "」"));
    row.appendChild(body);
    return row;
  }

  // ---------- quoting ----------
  function setQuote(m, row) {
    if (!state.view || state.view.kind !== "chat") return;
    clearQuote();
    state.quote = m;
    row.classList.add("quoting");
    $("quote-text").textContent = "引用 " + m.sender_name + "：" + m.text;
    $("quote-bar").classList.remove("hidden");
    $("composer-input").focus();
  }
  function clearQuote() {
    state.quote = null;
    document.querySelectorAll(".msg.quoting").forEach((n) => n.classList.remove("quoting"));
    $("quote-bar").classList.add("hidden");
    $("quote-text").textContent = "";
  }

  // ---------- sending ----------
  async function send(ev) {
    ev.preventDefault();
    const input = $("composer-input");
    const text = input.value.trim();
    if (!text || state.sending || !state.view) return;
    state.sending = true;
    $("send").disabled = true;
    const body = state.view.kind === "chat"
      ? { sender: state.persona, text: text, quote: state.quote ? state.quote.id : null }
      : { text: text };
    const path = messagesPath();
    input.value = "";
    clearQuote();
    setTimeout(refreshMessages, 200); // show our own message while the bot thinks
    try {
      await api(path, { method: "POST", body: JSON.stringify(body) });
    } catch (e) {
      toast(e.message);
    } finally {
      state.sending = false;
      $("send").disabled = false;
      refreshMessages();
    }
  }

  // ---------- clock ----------
  async function advance(minutes) {
    $("clock-sheet").classList.add("hidden");
    try {
      const data = await api("/clock", { method: "POST", body: JSON.stringify({ advance_minutes: minutes }) });
      toast("已快进，网格哨时间：" + fmtTime(data.now, true));
      loadChats();
    } catch (e) {
      toast(e.message);
    }
  }

  // ---------- wiring ----------
  $("persona").addEventListener("change", (ev) => setPersona(ev.target.value));
  $("chat-persona").addEventListener("change", (ev) => setPersona(ev.target.value));
  $("back").addEventListener("click", showList);
  $("composer").addEventListener("submit", send);
  $("quote-cancel").addEventListener("click", clearQuote);
  $("clock-btn").addEventListener("click", () => $("clock-sheet").classList.remove("hidden"));
  $("clock-close").addEventListener("click", () => $("clock-sheet").classList.add("hidden"));
  document.querySelectorAll("#clock-sheet [data-minutes]").forEach((b) =>
    b.addEventListener("click", () => advance(Number(b.dataset.minutes))));

  let ticks = 0;
  setInterval(() => {
    ticks += 1;
    if (state.view) refreshMessages();
    if (ticks % 3 === 0) loadChats().catch(() => {});
  }, 1000);
  loadChats().catch((e) => toast("无法连接网格哨：" + e.message));
})();
