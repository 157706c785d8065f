// The sandbox page's script: shows what the server rendered for the person acted as, and sends
// each click, selection, form and command back to it. The server turns them into the signed
// requests Slack would send to Tandem; nothing here talks to Tandem or Slack directly.

const $ = (id) => document.getElementById(id);
const state = {
  as: new URLSearchParams(location.search).get('as') || localStorage.getItem('tandem-sandbox-as') || '',
  open: null, // a conversation id; null: the Tandem app
  tab: 'home', // in the Tandem app: 'home' or 'messages'
  snap: null,
  drawn: {},
  busy: false,
};

// Drawn here rather than taken from an emoji font, which a server's browser may lack.
const ICONS = {
  lock: '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path fill="currentColor" d="M4 7V5a4 4 0 1 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 1 0-4 0v2z"/></svg>',
  eye: '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path fill="currentColor" d="M8 3C4 3 1.5 6.5 1 8c.5 1.5 3 5 7 5s6.5-3.5 7-5c-.5-1.5-3-5-7-5zm0 8a3 3 0 1 1 0-6 3 3 0 0 1 0 6zm0-1.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z"/></svg>',
};

function s(key, vars = {}) {
  const text = (state.snap && state.snap.strings[key]) || key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? vars[name] : m));
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function toast(text, error = false) {
  const el = $('toast');
  el.textContent = text;
  el.className = error ? 'toast error' : 'toast';
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (el.hidden = true), error ? 7000 : 4000);
}

async function act(path, body) {
  const res = await fetch(`/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tandem-sandbox': '1' },
    body: JSON.stringify({ as: state.as, ...body }),
  });
  const answer = await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }));
  if (!res.ok || answer.ok === false) {
    toast(s('refused', { reason: answer.error || res.status }), true);
    return undefined;
  }
  // Tandem answers some acts later (after its ack): look again a few times.
  await refresh();
  for (const ms of [120, 300, 700]) setTimeout(refresh, ms);
  return answer;
}

let refreshing = null;
async function refresh() {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    const params = new URLSearchParams(state.as ? { as: state.as } : {});
    if (state.open) params.set('open', state.open);
    const res = await fetch(`/api/snapshot?${params}`);
    if (!res.ok) {
      // An unknown person (an old link): start again as the first person of the company.
      if (res.status === 404 && state.open) state.open = null;
      else if (res.status === 400 || res.status === 404) state.as = '';
      return;
    }
    state.snap = await res.json();
    if (!state.as) state.as = state.snap.me.id;
    draw();
  })().finally(() => (refreshing = null));
  return refreshing;
}

function drawOnce(key, value, paint) {
  const text = JSON.stringify(value);
  if (state.drawn[key] === text) return false;
  state.drawn[key] = text;
  paint();
  return true;
}

function initials(name) {
  return name.split(' ').map((w) => w[0]).join('').slice(0, 2).toUpperCase();
}
const COLOURS = ['#4a154b', '#1264a3', '#2eb67d', '#e01e5a', '#ecb22e', '#36c5f0', '#7c3085', '#0b4c8c'];
function colour(id) {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 997;
  return COLOURS[h % COLOURS.length];
}

function draw() {
  const snap = state.snap;
  const app = !state.open || snap.conversation.id === appDm();
  document.documentElement.lang = snap.me.locale.slice(0, 2);
  drawOnce('frame', [snap.company, snap.strings], () => {
    $('company').textContent = snap.company;
    $('notice').textContent = s('notice');
    $('acting-as').textContent = s('actingAs');
    $('clock-label').textContent = s('clock');
    $('clock-checkin').textContent = s('clock.checkin');
    $('clock-day').textContent = s('clock.day');
    $('clock-week').textContent = s('clock.week');
    $('composer-send').textContent = s('composer.send');
    $('composer-input').placeholder = s('composer.placeholder');
  });
  $('clock-now').textContent = snap.clock.label;
  $('clock-now').dateTime = snap.clock.now;
  drawOnce('people', [snap.people.map((p) => p.id), snap.me.id], () => {
    $('person').innerHTML = snap.people
      .map((p) => `<option value="${escape(p.id)}"${p.id === snap.me.id ? ' selected' : ''}>${escape(p.name)}${p.facilitator ? ' ★' : ''}</option>`)
      .join('');
  });
  drawOnce('me', [snap.me, snap.strings], () => {
    const me = snap.me;
    $('me').innerHTML =
      `${escape(me.title)} · ${escape(me.department)}${me.facilitator ? `<span class="badge">${escape(s('facilitator'))}</span>` : ''}<br>` +
      `${me.manager ? `${escape(s('reportsTo', { manager: me.manager }))} · ` : ''}${escape(me.tz.replace('_', ' '))} · ${escape(me.locale)}`;
  });
  drawOnce('nav', [snap.conversations, state.open, state.tab, snap.strings], drawNav);
  $('title').innerHTML = app ? `<img src="/assets/tandem.svg" alt="">Tandem` : `${snap.conversations.find((c) => c.id === snap.conversation.id)?.kind === 'private' ? ICONS.lock : '#'} ${escape(snap.conversation.name)}`;
  if (snap.conversations.find((c) => c.id === snap.conversation.id)?.kind === 'group') $('title').textContent = snap.conversation.name;
  drawOnce('tabs', [app, state.tab, snap.strings], () => {
    $('tabs').innerHTML = app
      ? ['home', 'messages'].map((tab) => `<button type="button" role="tab" data-tab="${tab}" class="${state.tab === tab ? 'active' : ''}">${escape(s(`tab.${tab}`))}</button>`).join('')
      : '';
  });
  const showHome = app && state.tab === 'home';
  $('home').hidden = !showHome;
  $('messages').hidden = showHome;
  $('composer').hidden = showHome;
  if (showHome) drawHome();
  else drawMessages();
  drawModals();
}

function appDm() {
  return state.snap.conversations.find((c) => c.kind === 'app')?.id;
}

function drawNav() {
  const snap = state.snap;
  const link = (c, prefix) => {
    const active = state.open === c.id;
    return `<a data-open="${escape(c.id)}" class="${active ? 'active' : ''}"><span class="prefix">${prefix}</span>${escape(c.name)}</a>`;
  };
  const channels = snap.conversations.filter((c) => c.kind === 'channel' || c.kind === 'private');
  const groups = snap.conversations.filter((c) => c.kind === 'group');
  const tandem = snap.conversations.find((c) => c.kind === 'app');
  $('nav').innerHTML =
    `<h2>${escape(s('channels'))}</h2>${channels.map((c) => link(c, c.kind === 'private' ? ICONS.lock : '#')).join('')}` +
    `<h2>${escape(s('directMessages'))}</h2>${groups.map((c) => link(c, `<span class="group-count">${c.name.split(',').length}</span>`)).join('')}` +
    `<h2>${escape(s('apps'))}</h2>${tandem ? `<a data-open="${escape(tandem.id)}" class="${!state.open || state.open === tandem.id ? 'active' : ''}"><img src="/assets/tandem.svg" alt="">Tandem</a>` : ''}`;
}

function drawHome() {
  const home = state.snap.home;
  drawOnce('home', [home, state.as], () => {
    $('home').dataset.view = home ? home.id : '';
    $('home').innerHTML = home ? home.html : `<div class="empty">${escape(s('homeEmpty'))}</div>`;
  });
}

function fileCard(f) {
  const url = `/files/${encodeURIComponent(f.id)}?as=${encodeURIComponent(state.as)}`;
  const ext = (f.name.split('.').pop() || 'file').toUpperCase().slice(0, 4);
  const image = f.image ? `<img class="file-image" src="${escape(url)}" alt="${escape(f.title)}">` : '';
  const preview = f.image ? '' : `<button type="button" data-preview="${escape(url)}">${escape(s('file.preview'))}</button>`;
  return (
    `${image}<div class="file" data-file="${escape(f.id)}"><div class="file-icon">${escape(ext)}</div>` +
    `<div><div class="file-name">${escape(f.title)}</div><div class="file-type">${escape(f.name)} · ${escape(f.mimetype)}</div></div>` +
    `<div class="file-actions">${preview}<a href="${escape(url)}&download=1" download="${escape(f.name)}">${escape(s('file.download'))}</a></div></div>` +
    `<pre class="mk-pre file-preview" hidden></pre>`
  );
}

function drawMessages() {
  const conv = state.snap.conversation;
  const box = $('messages');
  drawOnce('messages', [conv, state.as], () => {
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.innerHTML = conv.messages.length
      ? conv.messages
          .map((m) => {
            const avatar = m.bot ? `<div class="avatar"><img src="/assets/tandem.svg" alt=""></div>` : `<div class="avatar" style="background:${colour(m.author)}">${escape(initials(m.author))}</div>`;
            return (
              `<div class="message${m.ephemeral ? ' ephemeral' : ''}" data-channel="${escape(conv.id)}" data-ts="${escape(m.ts)}">${avatar}<div class="message-body">` +
              (m.ephemeral ? `<div class="only-you">${ICONS.eye} ${escape(s('onlyYou'))}</div>` : '') +
              `<div class="message-meta"><span class="author">${escape(m.author)}</span>${m.bot ? `<span class="app-badge">${escape(s('app'))}</span>` : ''}<span class="time">${escape(m.time)}</span></div>` +
              `<div class="message-content">${m.html}${m.edited ? ` <span class="edited">${escape(s('edited'))}</span>` : ''}</div>` +
              m.files.map(fileCard).join('') +
              `</div></div>`
            );
          })
          .join('')
      : `<div class="empty">${escape(s('empty'))}</div>`;
    if (atBottom || !drawMessages.seen) box.scrollTop = box.scrollHeight;
    drawMessages.seen = true;
  });
}

/** The values of a view's stateful elements, keyed block_id/action_id as Slack reports them. */
function collect(root) {
  const values = {};
  for (const el of root.querySelectorAll('[data-bk-type]')) {
    const type = el.dataset.bkType;
    const key = `${el.dataset.bkBlock}/${el.dataset.bkAction}`;
    const value = readValue(el, type);
    if (value !== undefined) values[key] = value;
  }
  return values;
}

function readValue(el, type) {
  switch (type) {
    case 'button':
    case 'overflow':
      return undefined;
    case 'multi_static_select':
    case 'multi_users_select':
      return [...el.selectedOptions].map((o) => o.value);
    case 'checkboxes':
      return [...el.querySelectorAll('input:checked')].map((i) => i.value);
    case 'radio_buttons':
      return el.querySelector('input:checked')?.value ?? null;
    default:
      return el.value === '' ? null : el.value;
  }
}

/** Puts back what the visitor had typed or chosen after a view is drawn again (Slack keeps it). */
function restore(root, values) {
  for (const el of root.querySelectorAll('[data-bk-type]')) {
    const key = `${el.dataset.bkBlock}/${el.dataset.bkAction}`;
    if (!(key in values)) continue;
    const value = values[key];
    const chosen = new Set(Array.isArray(value) ? value : value === null ? [] : [value]);
    if (el.tagName === 'SELECT') for (const o of el.options) o.selected = chosen.has(o.value);
    else if (el.dataset.bkType === 'checkboxes' || el.dataset.bkType === 'radio_buttons') for (const i of el.querySelectorAll('input')) i.checked = chosen.has(i.value);
    else if ('value' in el) el.value = value ?? '';
  }
}

function drawModals() {
  const modals = state.snap.modals;
  const host = $('modals');
  const top = modals.at(-1);
  if (!top) {
    host.innerHTML = '';
    delete state.drawn.modal;
    return;
  }
  const previous = host.querySelector('.modal');
  const kept = previous && previous.dataset.view === top.id ? collect(previous) : {};
  const changed = drawOnce('modal', [top.id, top.hash, top.errors, top.html.length, state.snap.strings], () => {
    host.innerHTML =
      `<div class="overlay"><div class="modal" role="dialog" aria-modal="true" data-view="${escape(top.id)}" data-surface="modal">` +
      `<div class="modal-header"><img src="/assets/tandem.svg" alt=""><h2>${top.title}</h2><button type="button" class="modal-x" data-close="${escape(top.id)}" aria-label="${top.close}">×</button></div>` +
      `<div class="modal-body">${top.html}</div>` +
      `<div class="modal-footer"><button type="button" class="bk-button" data-close="${escape(top.id)}">${top.close}</button>` +
      (top.submit ? `<button type="button" class="bk-button bk-primary" data-submit="${escape(top.id)}">${top.submit}</button>` : '') +
      `</div></div></div>`;
  });
  if (changed) restore(host.querySelector('.modal'), kept);
}

function confirmDialog(confirm) {
  return new Promise((resolve) => {
    const host = $('dialog');
    host.innerHTML =
      `<div class="overlay dialog"><div class="modal" role="alertdialog" aria-modal="true"><div class="modal-header"><h2>${escape(confirm.title)}</h2></div>` +
      `<div class="modal-body">${escape(confirm.text)}</div><div class="modal-footer">` +
      `<button type="button" class="bk-button" data-answer="no">${escape(confirm.deny)}</button>` +
      `<button type="button" class="bk-button ${confirm.style === 'danger' ? 'bk-danger' : 'bk-primary'}" data-answer="yes">${escape(confirm.confirm)}</button></div></div></div>`;
    host.onclick = (event) => {
      const answer = event.target.closest('[data-answer]')?.dataset.answer;
      if (!answer) return;
      host.innerHTML = '';
      resolve(answer === 'yes');
    };
  });
}

/** Where an element sits: a message (channel and ts) or a view (modal or Home tab). */
function whereOf(el) {
  const message = el.closest('[data-ts]');
  if (message) return { where: { channel: message.dataset.channel, ts: message.dataset.ts } };
  const view = el.closest('[data-view]');
  if (view && view.dataset.view) return { where: { view: view.dataset.view }, values: collect(view) };
  return undefined;
}

async function elementAction(el, value) {
  if (el.dataset.bkConfirm && !(await confirmDialog(JSON.parse(el.dataset.bkConfirm)))) return;
  const place = whereOf(el);
  if (!place) return;
  if (el.dataset.bkUrl) window.open(el.dataset.bkUrl, '_blank', 'noopener');
  el.disabled = true;
  try {
    await act('action', { ...place, actionId: el.dataset.bkAction, blockId: el.dataset.bkBlock, ...(value !== undefined ? { value } : {}) });
  } finally {
    el.disabled = false;
  }
}

document.addEventListener('click', async (event) => {
  const target = event.target;
  const open = target.closest('[data-open]');
  if (open) {
    state.open = open.dataset.open === appDm() ? null : open.dataset.open;
    if (!state.open) openTab('home');
    return refresh();
  }
  const tab = target.closest('[data-tab]');
  if (tab) return openTab(tab.dataset.tab);
  const preview = target.closest('[data-preview]');
  if (preview) {
    const pre = preview.closest('.message-body').querySelector('.file-preview');
    pre.textContent = await (await fetch(preview.dataset.preview)).text();
    pre.hidden = !pre.hidden;
    return;
  }
  const close = target.closest('[data-close]');
  if (close) return act('close', { view: close.dataset.close });
  const submit = target.closest('[data-submit]');
  if (submit) {
    const modal = submit.closest('.modal');
    submit.disabled = true;
    try {
      await act('submit', { view: submit.dataset.submit, values: collect(modal) });
    } finally {
      submit.disabled = false;
    }
    return;
  }
  const button = target.closest('button[data-bk-type="button"]');
  if (button) return elementAction(button);
  const clock = target.closest('[data-step]');
  if (clock) {
    const answer = await act('clock', { step: clock.dataset.step });
    if (answer) toast(answer.moved ? s('clock.moved', { time: state.snap.clock.label }) : s('clock.noCheckin'));
  }
});

document.addEventListener('change', (event) => {
  const el = event.target.closest('[data-bk-dispatch]');
  if (el) return elementAction(el, readValue(el, el.dataset.bkType));
  if (event.target.id === 'person') {
    state.as = event.target.value;
    localStorage.setItem('tandem-sandbox-as', state.as);
    state.open = null;
    state.drawn = {};
    drawMessages.seen = false;
    openTab('home');
  }
});

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('composer-input');
  const text = input.value.trim();
  if (!text) return;
  if (!/^\/tandem(\s|$)/.test(text)) return toast(s('composer.onlyCommands'), true);
  input.value = '';
  await act('command', { text, channel: state.snap.conversation.id });
});

function openTab(tab) {
  state.tab = tab;
  // Slack tells the app each time someone opens its Home tab.
  if (tab === 'home' && state.as) act('home', {});
  else refresh();
}

async function start() {
  await refresh();
  openTab('home');
  setInterval(refresh, 1000);
}
start();
