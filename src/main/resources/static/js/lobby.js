// The lobby (/): create a room, join one by code, see open rooms and your own.
import { Roomkeeper, normalizeCode } from './roomkeeper.js';

const rk = new Roomkeeper();
const $ = (id) => document.getElementById(id);
const REFRESH_MS = 15000;

function showError(element, message, field) {
  element.textContent = message || '';
  for (const input of element.closest('form')?.querySelectorAll('input') || []) {
    input.removeAttribute('aria-invalid');
  }
  if (message && field) {
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}

async function busy(button, label, work) {
  const text = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = text;
  }
}

// ---- create

$('create-password').addEventListener('input', () => {
  const hasPassword = $('create-password').value.length > 0;
  $('create-listed').disabled = hasPassword;
  $('create-listed').checked = !hasPassword && $('create-listed').checked;
});

$('create-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('create-error');
  const yourName = $('create-your-name').value.trim();
  const roomName = $('create-room-name').value.trim();
  const password = $('create-password').value;
  const capacity = Number($('create-capacity').value);
  if (!yourName) {
    showError(error, 'Please tell us your name: the others see it in the room.', $('create-your-name'));
    return;
  }
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1000) {
    showError(error, 'The capacity is a whole number of people from 1 to 1000.', $('create-capacity'));
    return;
  }
  showError(error, '');
  await busy($('create-button'), 'Creating…', async () => {
    let code;
    try {
      const created = await rk.createRoom({
        name: roomName || undefined,
        password: password || undefined,
        maxMembers: capacity,
        listed: $('create-listed').checked && !password,
      });
      code = created.room.code;
    } catch (problem) {
      showError(error, problem.message);
      return;
    }
    try {
      await rk.joinRoom(code, { name: yourName });
    } catch (problem) {
      // The room exists and its owner token is kept: the room page asks for a name again.
    }
    location.assign(`/r/${code}`);
  });
});

// ---- join by code

$('join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('join-error');
  const input = $('join-code');
  const code = normalizeCode(input.value);
  if (!code) {
    showError(error, 'A room code has 3 to 32 letters, digits or dashes, like ABC234.', input);
    return;
  }
  input.value = code;
  showError(error, '');
  await busy($('join-button'), 'Looking…', async () => {
    try {
      await rk.getRoom(code);
      location.assign(`/r/${code}`);
    } catch (problem) {
      showError(error, problem.message, input);
    }
  });
});

// ---- lists

function roomItem({ code, title, meta, locked, href, action }) {
  const item = document.createElement('li');
  item.dataset.code = code;
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = title;
  const codeBadge = document.createElement('span');
  codeBadge.className = 'code';
  codeBadge.textContent = code;
  const details = document.createElement('span');
  details.className = 'meta';
  details.textContent = meta;
  item.append(name, codeBadge, details);
  if (locked) {
    const badge = document.createElement('span');
    badge.className = 'badge locked';
    badge.textContent = 'Locked';
    item.append(badge);
  }
  const link = document.createElement('a');
  link.className = 'button small secondary';
  link.href = href;
  link.textContent = action;
  link.setAttribute('aria-label', `${action} ${title}`);
  item.append(link);
  return item;
}

async function refreshOpenRooms() {
  try {
    const rooms = await rk.listRooms();
    $('open-list').replaceChildren(...rooms.map((room) => roomItem({
      code: room.code,
      title: room.name,
      meta: `${room.memberCount} / ${room.maxMembers} people`,
      locked: room.locked,
      href: `/r/${room.code}`,
      action: 'Join',
    })));
    $('open-empty').hidden = rooms.length > 0;
    $('open-error').textContent = '';
    $('open-updated').textContent = `Updated ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
  } catch (problem) {
    $('open-error').textContent = problem.message;
  }
}

function showMyRooms() {
  const mine = rk.memberships().slice(0, 6);
  $('mine').hidden = mine.length === 0;
  $('mine-list').replaceChildren(...mine.map((kept) => {
    const item = roomItem({
      code: kept.code,
      title: kept.roomName || kept.code,
      meta: kept.name ? `as ${kept.name}` : '',
      href: `/r/${kept.code}`,
      action: 'Open',
    });
    const forget = document.createElement('button');
    forget.type = 'button';
    forget.className = 'ghost small';
    forget.textContent = '✕';
    forget.setAttribute('aria-label', `Forget ${kept.roomName || kept.code} on this device`);
    forget.addEventListener('click', () => {
      rk.forget(kept.code, { everything: true });
      showMyRooms();
    });
    item.append(forget);
    return item;
  }));
}

showMyRooms();
await refreshOpenRooms();
setInterval(() => {
  if (document.visibilityState === 'visible') {
    refreshOpenRooms();
  }
}, REFRESH_MS);
document.body.dataset.ready = 'true';
