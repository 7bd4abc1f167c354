// The room page (/r/{code}): join, then live members, a shared counter, chat, the QR
// code, the closing warning and the owner's controls.
import { Roomkeeper, STATUS, normalizeCode } from './roomkeeper.js';

const rk = new Roomkeeper();
const $ = (id) => document.getElementById(id);
const NAME_KEY = 'roomkeeper.name';
const code = normalizeCode(decodeURIComponent(location.pathname.replace(/\/+$/, '').split('/').pop()));

let connection = null;
let statusTimer = null;
let countdownTimer = null;
const counter = { pending: 0, inFlight: null };

// Line icons drawn here (no icon font, no emoji font needed).
const ICONS = {
  door: '<path d="M6 21V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v17"/><path d="M3 21h18"/><circle cx="14.5" cy="12.5" r="1"/>',
  moon: '<path d="M20 14.5A8 8 0 1 1 9.5 4a6.5 6.5 0 0 0 10.5 10.5z"/>',
  search: '<circle cx="11" cy="11" r="7"/><path d="M20 20l-4-4"/>',
  alert: '<path d="M12 3l9.5 17h-19z"/><path d="M12 10v4"/><path d="M12 17h.01"/>',
  shield: '<path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z"/>',
  box: '<path d="M3 7l9-4 9 4-9 4z"/><path d="M3 7v10l9 4 9-4V7"/><path d="M12 11v10"/>',
  userX: '<circle cx="9" cy="8" r="4"/><path d="M2 21a7 7 0 0 1 14 0"/><path d="M17 8l4 4M21 8l-4 4"/>',
  wave: '<path d="M9 21h6"/><path d="M12 17V3"/><path d="M5 10l7-7 7 7"/>',
  hourglass: '<path d="M6 3h12M6 21h12"/><path d="M7 3v3l5 6 5-6V3M7 21v-3l5-6 5 6v3"/>',
};

function setIcon(element, name) {
  element.innerHTML = '<svg viewBox="0 0 24 24" width="36" height="36" fill="none" stroke="currentColor" '
    + 'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">'
    + (ICONS[name] || ICONS.door) + '</svg>';
}

const CLOSED_TEXT = {
  inactivity: ['moon', 'This room has closed', 'Nobody did anything for a while, so it closed to free its place.'],
  owner: ['door', 'This room has closed', 'The owner closed it. Thanks for coming!'],
  admin: ['shield', 'This room has closed', 'The server’s administrator closed it.'],
  evicted: ['box', 'This room has closed', 'The server needed space for new rooms and this one had nobody online.'],
  empty: ['door', 'This room has closed', 'Everyone left, so it closed.'],
  unknown: ['door', 'This room has closed', 'It is no longer open.'],
};

const REMOVED_TEXT = {
  kicked: ['userX', 'You were removed', 'The owner removed you from this room.'],
  left: ['wave', 'You left the room', 'See you next time!'],
  stale: ['hourglass', 'You lost your place', 'You were away for too long, so your place in the room was freed.'],
  unknown: ['door', 'You are no longer in this room', ''],
};

// ---- views

function show(view) {
  for (const name of ['loading', 'join', 'ended', 'room']) {
    $(`view-${name}`).hidden = name !== view;
  }
  document.body.dataset.view = view;
}

function showEnded([icon, title, text], { rejoin = false } = {}) {
  setIcon($('ended-icon'), icon);
  $('ended-title').textContent = title;
  $('ended-text').textContent = text;
  $('rejoin').hidden = !rejoin;
  $('warning').hidden = true;
  clearInterval(countdownTimer);
  show('ended');
  document.title = `${title} · Roomkeeper`;
  $('ended-title').focus();
}

function showNotFound(message) {
  showEnded(['search', 'No such room', message || `There is no open room with the code ${code}. It may have closed.`]);
}

// ---- joining

async function showJoin(notice = '') {
  let summary;
  try {
    summary = await rk.getRoom(code);
  } catch (problem) {
    if (problem.code === 'room-not-found') {
      rk.forget(code, { everything: true });
      showNotFound();
    } else {
      showEnded(['alert', 'Could not open the room', problem.message], { rejoin: true });
    }
    return;
  }
  const owner = Boolean(rk.membership(code)?.ownerToken);
  document.title = `Join ${summary.name} · Roomkeeper`;
  $('join-title').textContent = owner ? `Welcome back to ${summary.name}` : `Join ${summary.name}`;
  $('join-lead').replaceChildren(
    'Room ', Object.assign(document.createElement('span'), { className: 'code', textContent: summary.code }),
    ` · ${summary.memberCount} of ${summary.maxMembers} people` + (summary.locked && !owner ? ' · locked' : ''));
  $('join-password-field').hidden = !summary.hasPassword || owner;
  $('join-notice-error').textContent = notice
    || (summary.locked && !owner ? 'The owner has locked this room: nobody new can join right now.' : '');
  $('join-name').value = $('join-name').value || localStorage.getItem(NAME_KEY) || '';
  show('join');
  $(summary.hasPassword && !owner && $('join-name').value ? 'join-password' : 'join-name').focus();
}

$('join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('join-name').value.trim();
  const password = $('join-password').value;
  const error = $('join-notice-error');
  const invalid = (field, message) => {
    error.textContent = message;
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  };
  $('join-name').removeAttribute('aria-invalid');
  $('join-password').removeAttribute('aria-invalid');
  if (!name) {
    invalid($('join-name'), 'Please tell us your name: the others see it in the room.');
    return;
  }
  if (!$('join-password-field').hidden && !password) {
    invalid($('join-password'), 'This room needs a password.');
    return;
  }
  $('join-button').disabled = true;
  try {
    await rk.joinRoom(code, { name, password });
    localStorage.setItem(NAME_KEY, name);
    error.textContent = '';
    startLive();
  } catch (problem) {
    if (problem.code === 'room-not-found') {
      showNotFound();
    } else if (problem.code === 'wrong-password') {
      invalid($('join-password'), problem.message);
    } else if (problem.code === 'name-taken' || problem.code === 'invalid-request') {
      invalid($('join-name'), problem.message);
    } else {
      error.textContent = problem.message;
    }
  } finally {
    $('join-button').disabled = false;
  }
});

$('rejoin').addEventListener('click', () => {
  rk.forget(code);
  showJoin();
});

// ---- live

function startLive() {
  show('loading');
  $('loading-text').textContent = 'Connecting to the room…';
  connection = rk.connect(code);
  connection.on('status', renderStatus);
  connection.on('room', renderRoom);
  connection.on('message', showChat);
  // The chat backlog from the room's history: what was said before this page listened.
  connection.on('messages', (messages) => messages.forEach(showChat));
  connection.on('member-joined', (event) => addSystemLine(`${event.member.name} joined`, event.seq));
  connection.on('member-removed', (event) => {
    const who = nameOf(event.memberId) || 'Someone';
    addSystemLine(event.reason === 'kicked' ? `${who} was removed` : event.reason === 'stale' ? `${who} was away too long`
      : `${who} left`, event.seq);
  });
  connection.on('state', (event) => {
    if (event.patch && 'counter' in event.patch) {
      counterChanged(event);
    }
  });
  connection.on('error', (event) => {
    if (event.code === 'version-conflict' && event.destination?.endsWith('/state')) {
      counter.inFlight = null;
      flushCounter();
    } else {
      $('room-error').textContent = event.message;
    }
  });
  connection.on('ended', (detail) => {
    const rejoinable = detail.reason === 'removed' && detail.removedReason !== 'kicked';
    if (detail.reason === 'closed') {
      rk.forget(code, { everything: true });
      showEnded(CLOSED_TEXT[detail.closedReason] || CLOSED_TEXT.unknown);
    } else if (detail.reason === 'removed') {
      rk.forget(code);
      showEnded(REMOVED_TEXT[detail.removedReason] || REMOVED_TEXT.unknown, { rejoin: rejoinable });
    } else if (detail.reason === 'unauthorized') {
      showJoin('Your place in this room has expired. Join again to continue.');
    } else {
      rk.forget(code, { everything: true });
      showNotFound('This room is no longer open: it closed while you were away.');
    }
    renderStatus({ status: STATUS.ENDED });
  });
}

let restarting = false;

function renderStatus({ status, retryAt, cause }) {
  const pill = $('status');
  pill.hidden = false;
  pill.dataset.status = status;
  document.body.dataset.status = status;
  clearInterval(statusTimer);
  const connected = status === STATUS.CONNECTED;
  for (const id of ['counter-up', 'counter-down', 'chat-input', 'chat-send']) {
    $(id).disabled = !connected;
  }
  if (status === STATUS.RECONNECTING) {
    restarting = restarting || cause === 'server-restarting';
    const tick = () => {
      const seconds = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
      const why = restarting ? 'Server restarting · ' : '';
      $('status-text').textContent = why + (seconds > 0 ? `Reconnecting in ${seconds} s…` : 'Reconnecting…');
    };
    tick();
    statusTimer = setInterval(tick, 500);
  } else {
    restarting = restarting && status === STATUS.CONNECTING;
    $('status-text').textContent = { connecting: 'Connecting…', connected: 'Connected', ended: 'Offline' }[status]
      || status;
  }
}

// ---- rendering the room

const AVATAR_COLORS = ['#5a46e6', '#f0508a', '#10a37f', '#f59e0b', '#0ea5e9', '#8b5cf6', '#ef4444', '#14b8a6'];

function colorOf(id) {
  let hash = 0;
  for (const char of id) {
    hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  }
  return AVATAR_COLORS[hash % AVATAR_COLORS.length];
}

function nameOf(memberId) {
  return connection?.room?.members.find((member) => member.id === memberId)?.name;
}

function ago(iso) {
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) {
    return 'just now';
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ago`;
  }
  if (seconds < 86400) {
    return `${Math.floor(seconds / 3600)} h ago`;
  }
  return `${Math.floor(seconds / 86400)} d ago`;
}

let firstRender = true;

function renderRoom(room) {
  if (!room) {
    return;
  }
  const me = connection.me;
  const owner = me?.role === 'owner';
  document.body.dataset.memberId = connection.memberId || '';
  document.title = `${room.name} · Roomkeeper`;
  $('room-name').textContent = room.name;
  $('room-code').textContent = room.code;
  $('locked-badge').hidden = !room.locked;
  $('members-count').textContent = `${room.connectedCount} online · ${room.memberCount} of ${room.maxMembers}`;
  renderMembers(room.members, me, owner);
  if (counter.inFlight === null && counter.pending === 0) {
    $('counter-value').textContent = String(room.state?.counter ?? 0);
  }
  $('owner-card').hidden = !owner;
  $('lock-toggle').textContent = room.locked ? 'Unlock room' : 'Lock room';
  $('lock-toggle').setAttribute('aria-pressed', String(room.locked));
  $('share-code').textContent = room.code;
  $('share-password').hidden = !room.hasPassword;
  if (!$('qr').getAttribute('src')) {
    $('qr').src = rk.qrUrl(room.code);
    $('join-url').value = rk.joinUrl(room.code);
    showServersJoinUrl(room.code);
  }
  renderWarning(room.warning);
  if (document.body.dataset.view !== 'room') {
    show('room');
    if (firstRender) {
      firstRender = false;
      $('room-name').focus();
    }
  }
}

const memberItems = new Map();

/** Updates the members list in place, so a half-confirmed "Remove" survives updates. */
function renderMembers(members, me, ownerView) {
  const list = $('members');
  const ids = new Set(members.map((member) => member.id));
  for (const [id, item] of memberItems) {
    if (!ids.has(id)) {
      item.remove();
      memberItems.delete(id);
    }
  }
  members.forEach((member, index) => {
    let item = memberItems.get(member.id);
    if (!item) {
      item = createMemberItem(member);
      memberItems.set(member.id, item);
    }
    updateMemberItem(item, member, me, ownerView);
    if (list.children[index] !== item) {
      list.insertBefore(item, list.children[index] || null);
    }
  });
}

function createMemberItem(member) {
  const item = document.createElement('li');
  item.dataset.memberId = member.id;
  item.innerHTML = '<span class="avatar" aria-hidden="true"><span class="dot"></span></span>'
    + '<span class="who"><span class="name"></span><span class="seen"></span></span>'
    + '<span class="badge" hidden>Owner</span>';
  const avatar = item.querySelector('.avatar');
  avatar.style.background = colorOf(member.id);
  avatar.prepend((member.name.trim()[0] || '?').toUpperCase());
  const kick = document.createElement('button');
  kick.type = 'button';
  kick.className = 'ghost small kick';
  kick.textContent = 'Remove';
  kick.hidden = true;
  kick.setAttribute('aria-label', `Remove ${member.name} from the room`);
  confirmTwice(kick, 'Sure?', () => rk.kick(code, member.id));
  item.append(kick);
  return item;
}

function updateMemberItem(item, member, me, ownerView) {
  item.dataset.online = String(member.connected);
  item.querySelector('.dot').className = member.connected ? 'dot online' : 'dot';
  item.querySelector('.name').textContent = member.name + (member.id === me?.id ? ' (you)' : '');
  item.querySelector('.seen').textContent = member.connected ? 'Online' : `Away · last seen ${ago(member.lastSeenAt)}`;
  item.querySelector('.badge').hidden = member.role !== 'owner';
  item.querySelector('.kick').hidden = !ownerView || member.id === me?.id;
}

/**
 * The link the server hands out may differ from this page's address (`rooms.public-url`
 * behind a proxy): the QR code's title names it, so the link shown is the one scanned.
 */
async function showServersJoinUrl(roomCode) {
  try {
    const response = await fetch(rk.qrUrl(roomCode));
    const svg = new DOMParser().parseFromString(await response.text(), 'image/svg+xml');
    const title = svg.querySelector('title')?.textContent || '';
    if (title.startsWith('QR code: ')) {
      $('join-url').value = title.substring('QR code: '.length);
    }
  } catch {
    // the address of this page stays
  }
}

/** A destructive button asks once more ("Sure?") before it acts. */
function confirmTwice(button, question, action) {
  let armed = null;
  const label = button.textContent;
  button.addEventListener('click', async () => {
    if (!armed) {
      button.textContent = question;
      armed = setTimeout(() => {
        armed = null;
        button.textContent = label;
      }, 4000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    button.disabled = true;
    try {
      await action();
      $('room-error').textContent = '';
    } catch (problem) {
      $('room-error').textContent = problem.message;
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });
}

// ---- closing warning

function renderWarning(warning) {
  clearInterval(countdownTimer);
  $('warning').hidden = !warning;
  if (!warning) {
    return;
  }
  const closesAt = Date.parse(warning.closesAt);
  const tick = () => {
    const seconds = Math.max(0, Math.ceil((closesAt - Date.now()) / 1000));
    $('countdown').textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  };
  tick();
  countdownTimer = setInterval(tick, 250);
}

$('still-here').addEventListener('click', async () => {
  if (!connection.keepAlive()) {
    try {
      await rk.keepAlive(code);
      $('warning').hidden = true;
    } catch (problem) {
      $('room-error').textContent = problem.message;
    }
  }
});

// ---- shared counter: merge patches with baseVersion; a conflict retries on the newer state

function counterChanged(event) {
  const flight = counter.inFlight;
  if (flight && event.by === connection.memberId && event.version === flight.baseVersion + 1) {
    counter.pending -= flight.delta;
    counter.inFlight = null;
    flushCounter();
  }
  const who = event.by === connection.memberId ? 'You' : nameOf(event.by) || 'Someone';
  $('counter-by').textContent = `${who} set it to ${event.patch.counter}`;
  if (counter.inFlight === null && counter.pending === 0) {
    $('counter-value').textContent = String(connection.room.state?.counter ?? 0);
  }
}

function flushCounter() {
  if (counter.inFlight || counter.pending === 0) {
    return;
  }
  const room = connection.room;
  const value = (Number(room.state?.counter) || 0) + counter.pending;
  counter.inFlight = { delta: counter.pending, baseVersion: room.version };
  if (!connection.setState({ counter: value }, { baseVersion: room.version })) {
    counter.inFlight = null;
    counter.pending = 0;
    $('counter-value').textContent = String(room.state?.counter ?? 0);
  }
}

function bump(delta) {
  counter.pending += delta;
  $('counter-value').textContent = String((Number(connection.room.state?.counter) || 0) + counter.pending);
  flushCounter();
}

$('counter-up').addEventListener('click', () => bump(1));
$('counter-down').addEventListener('click', () => bump(-1));

// ---- chat over broadcast

function chatLog() {
  $('chat-placeholder')?.remove();
  return $('chat-log');
}

const shownSeqs = new Set();

function showChat(event) {
  if (event.data && event.data.kind === 'chat' && !shownSeqs.has(event.seq)) {
    shownSeqs.add(event.seq);
    addChat(event.from, event.data.name, String(event.data.text ?? ''), event.seq);
  }
}

/** Adds a line in seq order (backlog lines arrive after newer live ones). */
function appendLine(item, seq) {
  const log = chatLog();
  if (typeof seq === 'number') {
    item.dataset.seq = String(seq);
    const later = [...log.children].find((line) => line.dataset.seq && Number(line.dataset.seq) > seq);
    if (later) {
      later.before(item);
      return;
    }
  }
  log.append(item);
  while (log.children.length > 200) {
    log.firstElementChild.remove();
  }
  log.scrollTop = log.scrollHeight;
}

function addChat(from, sentName, text, seq) {
  const item = document.createElement('li');
  if (from === connection.memberId) {
    item.className = 'mine';
  }
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = from === connection.memberId ? 'You' : nameOf(from) || sentName || 'Someone';
  item.append(who, document.createTextNode(text));
  appendLine(item, seq);
}

function addSystemLine(text, seq) {
  const item = document.createElement('li');
  item.className = 'system';
  item.textContent = text;
  appendLine(item, seq);
}

$('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('chat-input').value.trim();
  if (!text) {
    return;
  }
  if (connection.broadcast({ kind: 'chat', text, name: connection.me?.name })) {
    $('chat-input').value = '';
  }
});

// ---- invite

$('copy-link').addEventListener('click', async () => {
  const url = $('join-url').value;
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    $('join-url').select();
    copied = document.execCommand && document.execCommand('copy');
  }
  $('copied').textContent = copied ? 'Link copied! Send it to your friends.' : 'Select the link and copy it.';
  setTimeout(() => {
    $('copied').textContent = '';
  }, 4000);
});

// ---- owner controls and leaving

$('lock-toggle').addEventListener('click', async () => {
  try {
    await rk.updateRoom(code, { locked: !connection.room.locked });
  } catch (problem) {
    $('room-error').textContent = problem.message;
  }
});

confirmTwice($('close-room'), 'Click again to close it for everyone', () => rk.closeRoom(code));
confirmTwice($('leave'), 'Click again to leave', () => rk.leaveRoom(code));

setInterval(() => {
  if (connection?.room && document.body.dataset.view === 'room') {
    renderRoom(connection.room);
  }
}, 30000);

// ---- start

if (!code) {
  showNotFound('That is not a room code. Codes have 3 to 32 letters, digits or dashes.');
} else if (rk.membership(code)?.token) {
  startLive();
} else {
  showJoin();
}
