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
    direct: null,          // the persona's app messages: {last_message, unread}
    readUpTo: new Map(),   // "persona|transcript" -> the last line id reported read to the server
    peopleKey: "",
    attachments: [],       // data: URLs of photos to send with the next message
    voice: false,          // send the next message as a voice message (its text is the transcript)
  };
  const PHOTO_URL = /^data:image\/(jpeg|png|gif|webp);base64,[A-Za-z0-9+/=]+$/;

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
  // A toast says one thing briefly: it goes by itself, on a tap, or when the screen changes,
  // so an old message never sits over the conversation.
  let toastTimer = null;
  const TOAST_MS = 3000;
  function toast(text) {
    const t = $("toast");
    $("toast-text").textContent = text;
    t.classList.remove("hidden");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(hideToast, TOAST_MS);
  }
  function hideToast() {
    clearTimeout(toastTimer);
    $("toast").classList.add("hidden");
  }
  function person(id) { return state.people.find((p) => p.user_id === id) || null; }
  function chatById(id) { return state.chats.find((c) => c.chat_id === id) || null; }
  // A short role for pickers ("居民", "网格长"): the full names, with their places, sit under the picker.
  function shortRole(p) {
    const first = (p.roles[0] || "居民").split("（")[0];
    return p.roles.length > 1 ? first + "等" : first;
  }

  // ---------- personas ----------
  function fillPersonaSelect(select, compact) {
    select.replaceChildren();
    for (const p of state.people) {
      const opt = el("option", null, compact ? p.name : p.name + " · " + shortRole(p));
      opt.value = p.user_id;
      opt.title = p.name + " · " + (p.roles.join("、") || "居民");
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
    $("chat-persona").title = p ? "切换身份（当前：" + p.name + " · " + (p.roles.join("、") || "居民") + "）" : "切换身份";
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
    const asked = state.persona;
    const data = await api("/chats" + (asked ? "?persona=" + encodeURIComponent(asked) : ""));
    state.chats = data.chats;
    state.people = data.people;
    // Unread counts are the persona's own: ignore an answer about someone we no longer are.
    state.direct = asked && asked === state.persona ? data.direct : null;
    const key = data.people.map((p) => p.user_id).join(",");
    if (key !== state.peopleKey) {
      state.peopleKey = key;
      const saved = localStorage.getItem("gw-persona");
      if (!state.persona) state.persona = person(saved) ? saved : (person("zhangdaye") ? "zhangdaye" : (data.people[0] || {}).user_id);
      fillPersonaSelect($("persona"), false);
      fillPersonaSelect($("chat-persona"), true);
      setPersona(state.persona);
      if (!asked) { loadChats().catch(() => {}); return; } // now with the persona's unread counts
    }
    $("clock-line").textContent = "网格哨时间：" + fmtTime(data.now, true);
    renderChatList();
  }
  function previewOf(m) {
    if (!m) return "";
    const text = m.text || (m.card && m.card.main_title && m.card.main_title.title) || (m.photos && m.photos.length ? "[照片]" : "");
    return m.from_bot || m.sender === state.persona ? text : m.sender_name + "：" + text;
  }
  function badge(count, label) {
    const b = el("span", "badge", count > 99 ? "99+" : String(count));
    b.setAttribute("aria-label", count + " 条未读" + (label ? "（" + label + "）" : ""));
    b.dataset.testid = "unread";
    return b;
  }
  function isOpen(id) { return !!(state.view && state.view.id === id); }
  function renderChatList() {
    const list = $("chat-list");
    const items = [];
    const dm = el("li", "chat-item");
    dm.dataset.chatId = "dm";
    dm.appendChild(avatar("哨", "bot", "bot"));
    const dmMeta = el("div", "meta");
    dmMeta.appendChild(el("div", "name", "网格哨（应用消息）"));
    const direct = state.direct;
    const dmLast = direct && direct.last_message;
    dmMeta.appendChild(el("div", "preview", dmLast ? previewOf(dmLast) : "网格哨发给您的通知、提醒和评价邀请"));
    dm.appendChild(dmMeta);
    if (dmLast) dm.appendChild(el("span", "when", fmtTime(dmLast.time, false)));
    if (direct && direct.unread > 0 && !isOpen("dm")) dm.appendChild(badge(direct.unread, "应用消息"));
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
      meta.appendChild(el("div", "preview", last ? previewOf(last) : (chat.grid || chat.unit || "")));
      li.appendChild(meta);
      if (last) li.appendChild(el("span", "when", fmtTime(last.time, false)));
      const unread = chat.unread || 0;
      if (unread > 0 && !isOpen(chat.chat_id)) li.appendChild(badge(unread, chat.name));
      li.addEventListener("click", () => openChat(chat.chat_id));
      items.push(li);
    }
    list.replaceChildren(...items);
  }

  // ---------- conversation ----------
  function showList() {
    state.view = null;
    hideToast();
    $("chat-screen").classList.add("hidden");
    $("list-screen").classList.remove("hidden");
    renderChatList();
  }
  function showChatScreen(title) {
    hideToast();
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
    $("tools").classList.remove("hidden");
    showChatOnlyTools(true);
    $("listening-note").classList.toggle("hidden", chat.listening !== "mentions");
    showChatScreen(chat.name + "（" + chat.members.length + "）");
  }
  function openDM() {
    state.view = { kind: "dm", id: "dm" };
    $("readonly-note").classList.remove("hidden");
    $("tools").classList.remove("hidden");
    showChatOnlyTools(false); // one-to-one: photos yes; @ and the group's voice stand-in no
    setVoice(false);
    $("listening-note").classList.add("hidden");
    clearAttachments();
    const p = person(state.persona);
    showChatScreen("网格哨 · " + (p ? p.name : ""));
  }
  function showChatOnlyTools(shown) {
    $("mention-chip").classList.toggle("hidden", !shown);
    $("voice-chip").classList.toggle("hidden", !shown);
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
      if (added) box.scrollTop = box.scrollHeight;
      markRead(view, data.messages);
    } catch (e) {
      console.warn(e);
    } finally {
      refreshing = false;
    }
  }
  // Tell the sandbox what this persona has now seen, so its unread count (and only its) drops.
  async function markRead(view, messages) {
    if (!messages.length || !state.persona) return;
    const lastId = messages[messages.length - 1].id;
    const key = state.persona + "|" + view.id;
    if ((state.readUpTo.get(key) || 0) >= lastId) return;
    state.readUpTo.set(key, lastId);
    try {
      await api("/read", { method: "POST", body: JSON.stringify({ persona: state.persona, chat_id: view.id, last_id: lastId }) });
      if (view.id === "dm" && state.direct) state.direct.unread = 0;
      const chat = chatById(view.id);
      if (chat) chat.unread = 0;
    } catch (e) {
      state.readUpTo.delete(key);
      console.warn(e);
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
    if (m.text || !(m.photos && m.photos.length)) body.appendChild(bubble);
    if (m.photos && m.photos.length) {
      const strip = el("div", "photos");
      for (const url of m.photos) {
        if (!PHOTO_URL.test(url)) continue; // only pictures, never anything a page could run
        const img = document.createElement("img");
        img.src = url;
        img.alt = "照片";
        strip.appendChild(img);
      }
      body.appendChild(strip);
    }
    if (m.via === "voice") body.appendChild(el("div", "via", "语音消息（微信转文字）"));
    if (m.delivered === false) body.appendChild(el("div", "unheard", "未 @网格哨：网格哨收不到这条消息"));
    if (m.quote) {
      // The frame pads, the inner line clamps: two whole lines and an ellipsis, never a sliver of a third.
      const quoted = el("div", "quoted");
      quoted.appendChild(el("div", "quoted-text", m.quote.sender_name + "：" + m.quote.text));
      quoted.title = m.quote.sender_name + "：" + m.quote.text;
      body.appendChild(quoted);
    }
    const card = m.card_done ? null : ((m.card_for && m.card_for[state.persona]) || m.card);
    if (card) body.appendChild(renderCard(m, card));
    if (m.card_done) {
      const done = el("div", "card");
      done.appendChild(el("div", "card-done", "✓ " + m.card_done));
      body.appendChild(done);
    }
    row.appendChild(body);
    return row;
  }

  // ---------- template cards ----------
  function renderCard(m, card) {
    const box = el("div", "card");
    box.dataset.testid = "card";
    const title = card.main_title || {};
    box.appendChild(el("div", "card-title", title.title || ""));
    if (title.desc) box.appendChild(el("div", "card-desc", title.desc));
    if (card.sub_title_text) box.appendChild(el("div", "card-sub", card.sub_title_text));
    let select = null;
    if (card.button_selection) {
      select = document.createElement("select");
      select.setAttribute("aria-label", card.button_selection.title || "选择");
      for (const o of card.button_selection.option_list || []) {
        const opt = el("option", null, o.text);
        opt.value = o.id;
        select.appendChild(opt);
      }
      if (card.button_selection.selected_id) select.value = card.button_selection.selected_id;
      box.appendChild(select);
    }
    if (card.button_list && card.button_list.length) {
      const row = el("div", "card-buttons");
      for (const b of card.button_list) {
        const btn = el("button", "style-" + (b.style || 1), b.text);
        btn.type = "button";
        btn.addEventListener("click", (ev) => {
          ev.stopPropagation();
          pressCard(m, b.key, select && card.button_selection ? { [card.button_selection.question_key]: select.value } : null);
        });
        row.appendChild(btn);
      }
      box.appendChild(row);
    }
    return box;
  }
  async function pressCard(m, key, selected) {
    const path = m.chat_id
      ? "/chats/" + encodeURIComponent(m.chat_id) + "/cards"
      : "/users/" + encodeURIComponent(state.persona) + "/cards";
    const body = m.chat_id ? { sender: state.persona, message: m.id, key: key, selected: selected } : { message: m.id, key: key };
    try {
      const data = await api(path, { method: "POST", body: JSON.stringify(body) });
      const old = state.rendered.get(m.id);
      if (old && data.message) {
        const fresh = renderMessage(data.message);
        old.replaceWith(fresh);
        state.rendered.set(m.id, fresh);
      }
      refreshMessages();
    } catch (e) {
      toast(e.message);
    }
  }

  // ---------- photos, voice, @ ----------
  function clearAttachments() {
    state.attachments = [];
    $("attach-bar").replaceChildren();
    $("attach-bar").classList.add("hidden");
  }
  function addPhotos(files) {
    for (const file of files) {
      if (state.attachments.length >= 9) { toast("每条消息最多 9 张照片"); break; }
      if (!/^image\/(jpeg|png|gif|webp)$/.test(file.type) || file.size > 5 * 1024 * 1024) { toast("只能附 5 MB 以内的图片"); continue; }
      const reader = new FileReader();
      reader.onload = () => {
        if (!PHOTO_URL.test(String(reader.result))) return;
        state.attachments.push(String(reader.result));
        const img = document.createElement("img");
        img.src = String(reader.result);
        img.alt = "待发送的照片";
        $("attach-bar").appendChild(img);
        $("attach-bar").classList.remove("hidden");
      };
      reader.readAsDataURL(file);
    }
  }
  function setVoice(on) {
    state.voice = on;
    $("voice-chip").setAttribute("aria-pressed", on ? "true" : "false");
    $("composer-input").placeholder = on ? "说的话（作为语音转文字发送）…" : "输入消息…";
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
    const photos = state.view ? state.attachments.slice() : [];
    if ((!text && !photos.length) || state.sending || !state.view) return;
    state.sending = true;
    $("send").disabled = true;
    const body = state.view.kind === "chat"
      ? { sender: state.persona, text: text, quote: state.quote ? state.quote.id : null, photos: photos, voice: state.voice }
      : { text: text || null, photos: photos };
    const path = messagesPath();
    input.value = "";
    clearQuote();
    clearAttachments();
    setVoice(false);
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
  function switchPersona(userId) {
    // The counts on screen were the previous persona's: clear them until the sandbox answers for this one.
    state.direct = null;
    for (const chat of state.chats) chat.unread = 0;
    setPersona(userId);
    loadChats().catch(() => {});
  }
  $("persona").addEventListener("change", (ev) => switchPersona(ev.target.value));
  $("chat-persona").addEventListener("change", (ev) => switchPersona(ev.target.value));
  $("back").addEventListener("click", showList);
  $("composer").addEventListener("submit", send);
  $("quote-cancel").addEventListener("click", clearQuote);
  $("toast-close").addEventListener("click", hideToast);
  $("toast-text").addEventListener("click", hideToast);
  $("mention-chip").addEventListener("click", () => {
    const input = $("composer-input");
    if (!input.value.startsWith("@网格哨")) input.value = "@网格哨 " + input.value;
    input.focus();
  });
  $("photo-input").addEventListener("change", (ev) => { addPhotos(Array.from(ev.target.files || [])); ev.target.value = ""; });
  $("voice-chip").addEventListener("click", () => setVoice(!state.voice));
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
