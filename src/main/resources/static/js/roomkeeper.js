/**
 * Roomkeeper browser client: an ES module, no build step, no dependency but stomp.js
 * (served by the same server from its WebJar).
 *
 *   import { Roomkeeper } from 'https://rooms.example.com/js/roomkeeper.js';
 *
 *   const rk = new Roomkeeper();                       // the server this module came from
 *   const { room } = await rk.createRoom({ name: 'Quiz night', maxMembers: 8 });
 *   await rk.joinRoom(room.code, { name: 'Ann' });     // the token is kept in localStorage
 *   const live = rk.connect(room.code);                // reconnects and resumes by itself
 *   live.on('state', (event) => console.log(event.patch, live.room.state));
 *   live.setState({ round: 2 });
 *
 * See the README section "Browser pages and JS client" for every method and event.
 */
import { Client } from '../webjars/stomp__stompjs/esm6/index.js';

/** The event types of the live API, each dispatched under its own name. */
export const EVENT_TYPES = Object.freeze([
  'snapshot', 'recovered', 'error', 'state', 'message', 'presence', 'member-joined', 'member-connected',
  'member-disconnected', 'member-removed', 'settings', 'warning', 'closed',
]);

/** Connection states, in the `status` event and `RoomConnection.status`. */
export const STATUS = Object.freeze({
  CONNECTING: 'connecting', // first attempt, or a retry is under way
  CONNECTED: 'connected', // subscribed and up to date
  RECONNECTING: 'reconnecting', // waiting before the next attempt (detail.retryInMs)
  ENDED: 'ended', // will not reconnect (see the `ended` event)
});

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30000;
const STORAGE_PREFIX = 'roomkeeper.room.';
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'];

/**
 * Waiting time before reconnection attempt `attempt` (0 for the first retry): the base
 * doubles from 1 s up to 30 s, and the wait is a random point in its upper half ("equal
 * jitter"), so clients cut off together do not come back together.
 */
export function backoffDelay(attempt, random = Math.random) {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempt, 15));
  return Math.round(base / 2 + random() * (base / 2));
}

/**
 * A room code as typed or pasted: spaces dropped, upper-cased; a pasted join link
 * (`https://host/r/ABC234`) gives its code. Returns null if it cannot be a code.
 */
export function normalizeCode(text) {
  if (text == null) {
    return null;
  }
  let value = String(text).trim();
  const link = value.match(/\/r\/([A-Za-z0-9-]+)\/?(?:[?#].*)?$/);
  if (link) {
    value = link[1];
  }
  value = value.replace(/\s+/g, '').toUpperCase();
  return /^[A-Z0-9-]{3,32}$/.test(value) ? value : null;
}

/** RFC 7386 JSON merge patch, as the server applies it to `state` and `settings`. */
export function mergePatch(target, patch) {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    return patch;
  }
  const result = (target !== null && typeof target === 'object' && !Array.isArray(target)) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}

/**
 * An answer of the API that was not a success (or no answer at all): `code` is the
 * contract's problem code (`network` when the server could not be reached), `message`
 * says what happened in plain words, `detail` is the server's own text.
 */
export class RoomkeeperError extends Error {
  constructor({ code, status = 0, detail = '', errors = [], retryAfter = null, message }) {
    super(message || detail || code);
    this.name = 'RoomkeeperError';
    this.code = code;
    this.status = status;
    this.detail = detail;
    this.errors = errors;
    this.retryAfter = retryAfter;
  }
}

/** Plain words for a problem code. */
export function describeProblem(code, { detail = '', errors = [], retryAfter = null, roomCode = '' } = {}) {
  switch (code) {
    case 'invalid-request':
      return errors.length
        ? 'Please check ' + errors.map((error) => `${fieldLabel(error.field)} (${error.message})`).join(', ') + '.'
        : 'That request was not valid.';
    case 'unauthorized':
      return 'Your place in this room is no longer valid. Please join again.';
    case 'forbidden':
      return 'Only the owner of the room can do that.';
    case 'wrong-password':
      return /needs/i.test(detail) ? 'This room needs a password.' : 'That password is not right.';
    case 'room-not-found':
      return `There is no open room with the code ${roomCode || 'you entered'}. Check the code; the room may have closed.`;
    case 'room-exists':
      return 'That room code is already taken. Choose another one.';
    case 'room-full':
      return 'This room is full.';
    case 'room-locked':
      return 'The owner has locked this room: nobody new can join right now.';
    case 'name-taken':
      return 'Someone in this room already uses that name. Please pick another one.';
    case 'version-conflict':
      return 'Someone changed this at the same moment. Please try again.';
    case 'payload-too-large':
      return 'That is too large to send.';
    case 'rate-limited':
      return `Too many attempts. Please wait ${retryAfter ? retryAfter + ' seconds' : 'a moment'} and try again.`;
    case 'capacity':
      return 'The server has no room for more rooms right now. Please try again in a minute.';
    case 'store-unavailable':
      return 'The server could not save that right now. Please try again.';
    case 'network':
      return 'Cannot reach the server. Check your connection and try again.';
    default:
      return detail || 'Something went wrong. Please try again.';
  }
}

function fieldLabel(field) {
  return { name: 'the name', password: 'the password', maxMembers: 'the capacity', code: 'the room code' }[field]
    || field;
}

/**
 * Talks to one Roomkeeper server: REST calls, the member tokens kept per room in
 * `localStorage`, and live connections.
 */
export class Roomkeeper {
  /**
   * @param {object} [options]
   * @param {string} [options.baseUrl] the server; defaults to the one this module was loaded from
   * @param {Storage} [options.storage] where tokens are kept (default `localStorage`)
   */
  constructor({ baseUrl, storage } = {}) {
    this.baseUrl = (baseUrl || new URL('..', import.meta.url).href).replace(/\/+$/, '');
    this.storage = storage || globalThis.localStorage;
  }

  // ---- REST

  /** Open, listed rooms without password: `[{code, name, hasPassword, locked, maxMembers, memberCount, expiresAt}]`. */
  async listRooms() {
    return (await this.#request('GET', '/api/rooms')).rooms;
  }

  /** What anyone may see of a room (the summary); `room-not-found` if it is not open. */
  async getRoom(code) {
    return this.#request('GET', `/api/rooms/${encodeURIComponent(code)}`, { roomCode: code });
  }

  /**
   * Creates a room: `{name?, code?, password?, maxMembers?, listed?, settings?, state?}` →
   * `{room, ownerToken, joinUrl, qrUrl}`. The owner token is kept, so a later `joinRoom`
   * makes you the room's owner.
   */
  async createRoom(options = {}) {
    const created = await this.#request('POST', '/api/rooms', { body: options, roomCode: options.code });
    this.#save(created.room.code, { ownerToken: created.ownerToken });
    return created;
  }

  /**
   * Joins a room: `{name, password?, metadata?}` → `{member, token, room}`; the member
   * token is kept for this room (with a kept owner token you join as the owner). With
   * `{ticket}` (a join ticket from your app's backend) the ticket alone joins, or gives
   * back the seat this user already holds.
   */
  async joinRoom(code, { name, password, metadata, ticket } = {}) {
    const normalized = normalizeCode(code) || code;
    if (ticket) {
      const joined = await this.#request('POST', `/api/rooms/${encodeURIComponent(normalized)}/members`,
        { body: { ticket }, roomCode: normalized });
      this.#save(joined.room.code,
        { token: joined.token, memberId: joined.member.id, name: joined.member.name, roomName: joined.room.name });
      return joined;
    }
    const ownerToken = this.membership(normalized)?.ownerToken;
    const body = { name };
    if (password) {
      body.password = password;
    }
    if (metadata) {
      body.metadata = metadata;
    }
    if (ownerToken) {
      body.ownerToken = ownerToken;
    }
    const joined = await this.#request('POST', `/api/rooms/${encodeURIComponent(normalized)}/members`,
      { body, roomCode: normalized });
    this.#save(joined.room.code,
      { token: joined.token, memberId: joined.member.id, name: joined.member.name, roomName: joined.room.name });
    return joined;
  }

  /** Leaves a room (`member-removed`, `left`) and forgets its token. */
  async leaveRoom(code) {
    const membership = this.membership(code);
    if (membership?.token) {
      try {
        await this.#request('DELETE', `/api/rooms/${code}/members/${membership.memberId}`,
          { token: membership.token, roomCode: code });
      } catch (error) {
        if (!['unauthorized', 'room-not-found'].includes(error.code)) {
          throw error;
        }
      }
    }
    this.forget(code);
  }

  /** Removes another member (owner only; `member-removed`, `kicked`). */
  async kick(code, memberId) {
    await this.#request('DELETE', `/api/rooms/${code}/members/${memberId}`, { token: this.#token(code), roomCode: code });
  }

  /** Changes a room (owner only): `{name?, maxMembers?, password?, locked?, listed?, settings?}` → the room. */
  async updateRoom(code, changes) {
    return this.#request('PATCH', `/api/rooms/${code}`, { body: changes, token: this.#token(code), roomCode: code });
  }

  /** Closes a room (owner only; `closed`, `owner`). */
  async closeRoom(code) {
    await this.#request('DELETE', `/api/rooms/${code}`, { token: this.#token(code), roomCode: code });
  }

  /** Records activity over HTTP (clears a pending closing warning). */
  async keepAlive(code) {
    await this.#request('POST', `/api/rooms/${code}/keep-alive`, { token: this.#token(code), roomCode: code });
  }

  /**
   * The room's recent events (`GET /api/rooms/{code}/events`): `{epoch, seq, complete,
   * events}`; with `since`, the first `limit` events after that seq, else the latest.
   */
  async events(code, { since, limit } = {}) {
    const query = new URLSearchParams();
    if (since !== undefined && since !== null) {
      query.set('since', String(since));
    }
    if (limit !== undefined && limit !== null) {
      query.set('limit', String(limit));
    }
    const suffix = query.toString() ? `?${query}` : '';
    return this.#request('GET', `/api/rooms/${code}/events${suffix}`, { token: this.#token(code), roomCode: code });
  }

  /** The link that opens the room page. */
  joinUrl(code) {
    return `${this.baseUrl}/r/${code}`;
  }

  /** The QR code of the join link: `svg`, or `png` with a size of 64 to 1024 pixels. */
  qrUrl(code, format = 'svg', size = 256) {
    return format === 'png' ? `${this.baseUrl}/api/rooms/${code}/qr.png?size=${size}`
      : `${this.baseUrl}/api/rooms/${code}/qr.svg`;
  }

  // ---- tokens kept per room

  /** Keeps a member token for a room (e.g. the one a ticket CONNECT gave). */
  keepToken(code, { token, memberId }) {
    this.#save(code, { token, memberId });
  }

  /** What is kept for a room: `{code, token?, memberId?, name?, roomName?, ownerToken?, savedAt}`, or null. */
  membership(code) {
    const normalized = normalizeCode(code);
    if (!normalized || !this.storage) {
      return null;
    }
    try {
      return JSON.parse(this.storage.getItem(STORAGE_PREFIX + normalized)) || null;
    } catch {
      return null;
    }
  }

  /** Rooms with a kept token, most recently joined first: `[{code, name, memberId, ...}]`. */
  memberships() {
    const found = [];
    for (let i = 0; this.storage && i < this.storage.length; i++) {
      const key = this.storage.key(i);
      if (key && key.startsWith(STORAGE_PREFIX)) {
        const membership = this.membership(key.substring(STORAGE_PREFIX.length));
        if (membership?.token) {
          found.push(membership);
        }
      }
    }
    return found.sort((a, b) => (b.savedAt || 0) - (a.savedAt || 0));
  }

  /** Forgets the member token of a room (keeps the owner token, unless `everything`). */
  forget(code, { everything = false } = {}) {
    const normalized = normalizeCode(code);
    const kept = this.membership(normalized);
    if (!kept) {
      return;
    }
    if (everything || !kept.ownerToken) {
      this.storage.removeItem(STORAGE_PREFIX + normalized);
    } else {
      this.storage.setItem(STORAGE_PREFIX + normalized,
        JSON.stringify({ code: normalized, ownerToken: kept.ownerToken, savedAt: kept.savedAt }));
    }
  }

  #save(code, values) {
    if (!this.storage) {
      return;
    }
    const kept = this.membership(code) || {};
    this.storage.setItem(STORAGE_PREFIX + code, JSON.stringify({ ...kept, ...values, code, savedAt: Date.now() }));
  }

  #token(code) {
    const kept = this.membership(code);
    const token = kept?.token || kept?.ownerToken;
    if (!token) {
      throw new RoomkeeperError({ code: 'unauthorized', message: describeProblem('unauthorized') });
    }
    return token;
  }

  async #request(method, path, { body, token, roomCode } = {}) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    let response;
    try {
      response = await fetch(this.baseUrl + path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
      });
    } catch {
      throw new RoomkeeperError({ code: 'network', message: describeProblem('network') });
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      const retryAfter = Number(response.headers.get('Retry-After')) || null;
      const problem = {
        code: json?.code || 'http-' + response.status,
        status: response.status,
        detail: json?.detail || '',
        errors: json?.errors || [],
        retryAfter,
      };
      if (problem.code === 'unauthorized' && roomCode && token) {
        this.forget(roomCode);
      }
      throw new RoomkeeperError({ ...problem, message: describeProblem(problem.code, { ...problem, roomCode }) });
    }
    return json;
  }

  // ---- live

  /**
   * A live connection to a room you joined (its member token is kept). It starts at once
   * and keeps itself connected until the room closes, you are removed or you call
   * `close()`.
   * @param {string} code the room
   * @param {object} [options]
   * @param {'activity'|'visible'|'off'} [options.keepAlive] when to send keep-alives:
   *   `activity` (default) while the page is visible and someone uses it (pointer, keys,
   *   touch; at most one per tenth of the room's idle timeout, 1 s to 60 s); `visible`
   *   whenever the page is visible (a video that plays on); `off` only when you call `keepAlive()`
   * @param {(message: string) => void} [options.debug] receives log lines
   * @param {string} [options.ticket] a join ticket: joins (or resumes) and connects in one
   *   step; the member token it gives is kept for reconnecting
   */
  connect(code, options = {}) {
    const normalized = normalizeCode(code);
    if (!normalized || (!this.membership(normalized)?.token && !options.ticket)) {
      throw new RoomkeeperError({ code: 'unauthorized', message: 'Join the room first.' });
    }
    const connection = new RoomConnection(this, normalized, options);
    connection.start();
    return connection;
  }

  /** The WebSocket URL of the live API (`ws:` or `wss:` like the server's scheme). */
  get liveUrl() {
    return this.baseUrl.replace(/^http/, 'ws') + '/ws';
  }
}

/**
 * A live connection to one room, as one member: an `EventTarget` that dispatches a
 * `CustomEvent` per live event (`detail` is the event JSON) under its type, plus:
 * `status` (`detail.status`: connecting, connected, reconnecting with `retryInMs`, ended),
 * `room` (the room model `connection.room` changed) and `ended` (no more reconnecting;
 * `detail.reason`: `closed` with `closedReason`, `removed` with `removedReason`,
 * `unauthorized`: the kept token was refused and is forgotten, join again, or
 * `room-not-found`: the room closed while you were away).
 *
 * `connection.room` is the full room view of the last snapshot with every later event
 * applied (state merged, members and presence updated), plus `warning`
 * (`{closesAt, secondsRemaining}` while a closing warning is pending).
 *
 * After a dropped connection it resumes by itself: it subscribes with `since-seq` (the
 * last event it applied) and the room's `epoch`, and the server sends exactly the events
 * it missed, as ordinary events, then `recovered`; when that is not possible (the gap is
 * longer than the room's history, the server lost it) a `snapshot` comes instead.
 *
 * `connection.messages` holds the room's recent `message` events (oldest first, at most
 * `messageLimit`), including those sent before this page loaded (read from the room's
 * history); a `messages` event tells when it changed.
 */
export class RoomConnection extends EventTarget {
  #client = null;
  #attempt = 0;
  #retryTimer = null;
  #lastSeq = -1;
  #resyncing = false;
  #draining = false;
  #held = [];
  #lastRefusal = null;
  #lastSendAt = 0;
  #lastInputAt = 0;
  #keepAliveTimer = null;
  #expiryCheckTimer = null;
  #stopped = false;
  #listeners = [];

  #ticket = null;

  constructor(roomkeeper, code, { keepAlive = 'activity', debug, ticket, messageLimit = 100 } = {}) {
    super();
    this.#ticket = ticket || null;
    this.messages = [];
    this.messageLimit = messageLimit;
    this.roomkeeper = roomkeeper;
    this.code = code;
    this.keepAliveMode = keepAlive;
    this.debug = debug || (() => {});
    this.status = STATUS.CONNECTING;
    this.room = null;
    this.memberId = roomkeeper.membership(code)?.memberId || null;
    this.endReason = null;
  }

  /** Subscribes to one event type; returns a function that unsubscribes. */
  on(type, listener) {
    const wrapped = (event) => listener(event.detail, event);
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }

  /** This member, from the room model (null before the first snapshot). */
  get me() {
    return this.room?.members.find((member) => member.id === this.memberId) || null;
  }

  get isOwner() {
    return this.me?.role === 'owner';
  }

  // ---- sending (each one counts as activity)

  /** Merges a JSON patch into the shared state; with `baseVersion` only if it is still current. */
  setState(patch, { baseVersion } = {}) {
    return this.#send('state', baseVersion === undefined ? { patch } : { patch, baseVersion });
  }

  /** Sends any JSON to everyone in the room (event `message`); kept only in the room's history. */
  broadcast(data) {
    return this.#send('broadcast', { data });
  }

  /** Replaces this member's metadata (event `presence`). */
  setPresence(metadata) {
    return this.#send('presence', { metadata });
  }

  /** Tells the server someone is here: clears a pending closing warning. */
  keepAlive() {
    const sent = this.#send('keep-alive', {});
    if (sent && this.room) {
      this.#activity(new Date().toISOString());
      this.#changed();
    }
    return sent;
  }

  /** Asks for a fresh snapshot. */
  requestSnapshot() {
    return this.#send('snapshot', {});
  }

  /** Stops for good (does not leave the room: the token stays kept). */
  close() {
    this.#stopped = true;
    this.#teardown();
    this.#setStatus(STATUS.ENDED);
  }

  #send(action, body) {
    if (this.status !== STATUS.CONNECTED || !this.#client?.connected) {
      return false;
    }
    this.#client.publish({ destination: `/app/rooms/${this.code}/${action}`, body: JSON.stringify(body) });
    this.#lastSendAt = Date.now();
    return true;
  }

  // ---- connecting

  start() {
    this.#watchUser();
    this.#open();
  }

  #open() {
    if (this.#stopped) {
      return;
    }
    const token = this.roomkeeper.membership(this.code)?.token;
    if (!token && !this.#ticket) {
      this.#end('unauthorized');
      return;
    }
    this.#setStatus(STATUS.CONNECTING);
    const client = new Client({
      brokerURL: this.roomkeeper.liveUrl,
      connectHeaders: token ? { token } : { ticket: this.#ticket },
      reconnectDelay: 0, // reconnecting is ours: backoff with jitter, and never after the end
      heartbeatIncoming: 10000,
      heartbeatOutgoing: 10000,
      connectionTimeout: 10000,
      debug: (line) => this.debug(line),
    });
    client.onConnect = (frame) => this.#connected(client, frame);
    client.onStompError = (frame) => this.#refused(frame);
    client.onWebSocketClose = (event) => this.#socketClosed(client, event);
    this.#client = client;
    client.activate();
  }

  #connected(client, frame) {
    if (client !== this.#client) {
      return;
    }
    this.memberId = frame.headers['user-name'] || this.memberId;
    if (frame.headers.token) {
      // Connected with a ticket: keep the member token, reconnect with it.
      this.roomkeeper.keepToken(this.code, { token: frame.headers.token, memberId: this.memberId });
      this.#ticket = null;
    }
    this.#held = [];
    client.subscribe('/user/queue/room', (message) => this.#received(message));
    const epoch = this.room?.epoch;
    if (epoch && this.#lastSeq >= 0) {
      // Resume: the missed events arrive in order, then `recovered` (or a snapshot).
      this.#resyncing = false;
      client.subscribe(`/topic/rooms/${this.code}`, (message) => this.#received(message),
        { 'since-seq': String(this.#lastSeq), epoch });
    } else {
      this.#resyncing = true; // until the snapshot that answers the subscription
      client.subscribe(`/topic/rooms/${this.code}`, (message) => this.#received(message));
    }
  }

  #refused(frame) {
    const code = frame.headers.code;
    this.#lastRefusal = code;
    this.debug(`ERROR ${code}: ${frame.headers.message}`);
    if (code === 'unauthorized') {
      this.roomkeeper.forget(this.code);
      this.#end('unauthorized');
    } else if (code === 'invalid-ticket' || code === 'ticket-required') {
      this.#end(code);
    } else if (code === 'room-not-found') {
      this.#end('room-not-found');
    }
    // anything else (such as `server-restarting`): the connection closes and we try again
  }

  #socketClosed(client, event) {
    if (client !== this.#client) {
      return;
    }
    this.#client = null;
    client.deactivate();
    if (this.#stopped || this.status === STATUS.ENDED) {
      return;
    }
    // The server ends a connection with 1000 after `closed` or this member's removal; the
    // event came first, so this only matters if it was somehow missed.
    if (event?.code === 1000 && /room closed/i.test(event.reason || '')) {
      this.#end('closed', { closedReason: 'unknown' });
      return;
    }
    if (event?.code === 1000 && /member removed/i.test(event.reason || '')) {
      this.#end('removed', { removedReason: 'unknown' });
      return;
    }
    this.#scheduleRetry();
  }

  #scheduleRetry() {
    const delay = backoffDelay(this.#attempt++);
    const cause = this.#lastRefusal;
    this.#lastRefusal = null;
    this.debug(`reconnecting in ${delay} ms`);
    this.#setStatus(STATUS.RECONNECTING,
      { retryInMs: delay, retryAt: Date.now() + delay, attempt: this.#attempt, cause });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  /** Tries at once (the page became visible again, or the network came back). */
  #retryNow() {
    if (this.status === STATUS.RECONNECTING && !this.#stopped) {
      clearTimeout(this.#retryTimer);
      this.#open();
    }
  }

  #end(reason, details = {}) {
    if (this.status === STATUS.ENDED) {
      return;
    }
    this.endReason = reason;
    this.#stopped = true;
    this.#setStatus(STATUS.ENDED, { reason });
    this.dispatchEvent(new CustomEvent('ended', { detail: { reason, ...details } }));
    this.#teardown();
  }

  #teardown() {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#keepAliveTimer);
    clearTimeout(this.#expiryCheckTimer);
    for (const [target, type, listener] of this.#listeners) {
      target.removeEventListener(type, listener);
    }
    this.#listeners = [];
    const client = this.#client;
    this.#client = null;
    client?.deactivate();
  }

  #setStatus(status, details = {}) {
    this.status = status;
    this.dispatchEvent(new CustomEvent('status', { detail: { status, ...details } }));
  }

  // ---- events

  #received(message) {
    let event;
    try {
      event = JSON.parse(message.body);
    } catch {
      return;
    }
    this.handleEvent(event);
  }

  /**
   * Applies one live event (called for every event received; public so that tests and
   * tools can feed events). Room-topic events are applied in `seq` order: a repeated one
   * is dropped, a gap asks for a snapshot and holds later events until it arrives.
   */
  handleEvent(event) {
    if (event.type === 'snapshot') {
      this.#applySnapshot(event);
      return;
    }
    if (event.type === 'recovered') {
      this.#recovered(event);
      return;
    }
    if (event.type === 'error' || typeof event.seq !== 'number') {
      this.#dispatch(event);
      return;
    }
    if (this.#resyncing) {
      this.#held.push(event);
      return;
    }
    if (event.seq <= this.#lastSeq) {
      return;
    }
    if (event.seq > this.#lastSeq + 1) {
      if (this.#draining) {
        // held from before a snapshot yet beyond it: cannot be placed, so it is dropped
        this.debug(`seq ${event.seq} does not follow the snapshot's ${this.#lastSeq}; dropped`);
        return;
      }
      this.debug(`seq gap: expected ${this.#lastSeq + 1}, got ${event.seq}; asking for a snapshot`);
      this.#held.push(event);
      this.#resyncing = true;
      this.requestSnapshot();
      return;
    }
    this.#apply(event);
  }

  #recovered(event) {
    this.debug(`recovered ${event.count} missed events (${event.fromSeq} to ${event.toSeq})`);
    if (this.status !== STATUS.CONNECTED && this.#client?.connected) {
      this.#attempt = 0;
      this.#setStatus(STATUS.CONNECTED);
    }
    this.#dispatch(event);
  }

  /**
   * Reads the chat backlog from the room's history (after a snapshot: the messages sent
   * while this page was not listening), merged by seq into `messages`.
   */
  async #loadBacklog() {
    if (this.messageLimit <= 0) {
      return;
    }
    try {
      const page = await this.roomkeeper.events(this.code, { limit: Math.min(1000, Math.max(100, this.messageLimit)) });
      this.#addMessages(page.events.filter((event) => event.type === 'message'));
    } catch (error) {
      this.debug(`no backlog: ${error.message}`);
    }
  }

  #addMessages(events) {
    const bySeq = new Map(this.messages.map((message) => [message.seq, message]));
    let added = false;
    for (const event of events) {
      if (!bySeq.has(event.seq)) {
        bySeq.set(event.seq, event);
        added = true;
      }
    }
    if (!added) {
      return;
    }
    this.messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-this.messageLimit);
    this.dispatchEvent(new CustomEvent('messages', { detail: this.messages }));
  }

  #applySnapshot(event) {
    this.#loadBacklog();
    const previousWarning = this.room?.warning;
    this.room = { ...event.snapshot };
    this.#lastSeq = event.seq;
    if (previousWarning && previousWarning.closesAt === this.room.expiresAt) {
      this.room.warning = previousWarning;
    }
    const wasResyncing = this.#resyncing;
    this.#resyncing = false;
    if (this.status !== STATUS.CONNECTED && this.#client?.connected) {
      this.#attempt = 0;
      this.#setStatus(STATUS.CONNECTED);
    }
    this.#dispatch(event);
    this.#changed();
    if (wasResyncing) {
      const held = this.#held.sort((a, b) => a.seq - b.seq);
      this.#held = [];
      this.#draining = true;
      try {
        for (const later of held) {
          this.handleEvent(later);
        }
      } finally {
        this.#draining = false;
      }
    }
  }

  #apply(event) {
    this.#lastSeq = event.seq;
    const room = this.room;
    if (room) {
      room.seq = event.seq;
      this.#applyToRoom(room, event);
    }
    this.#dispatch(event);
    if (room) {
      this.#changed();
    }
    if (event.type === 'closed') {
      this.#end('closed', { closedReason: event.reason });
    } else if (event.type === 'member-removed' && event.memberId === this.memberId) {
      this.#end('removed', { removedReason: event.reason });
    }
  }

  #applyToRoom(room, event) {
    const member = (id) => room.members.find((candidate) => candidate.id === id);
    switch (event.type) {
      case 'state':
        room.state = mergePatch(room.state, event.patch);
        room.version = event.version;
        this.#activity(event.at);
        break;
      case 'message':
        this.#activity(event.at);
        this.#addMessages([event]);
        break;
      case 'presence': {
        const found = member(event.memberId);
        if (found) {
          found.metadata = event.metadata;
          found.lastSeenAt = event.at;
        }
        this.#activity(event.at);
        break;
      }
      case 'member-joined':
        room.members = [...room.members.filter((m) => m.id !== event.member.id), event.member];
        this.#activity(event.at);
        break;
      case 'member-connected':
      case 'member-disconnected': {
        const found = member(event.memberId);
        if (found) {
          found.connected = event.type === 'member-connected';
          if (event.lastSeenAt) {
            found.lastSeenAt = event.lastSeenAt;
          }
        }
        break;
      }
      case 'member-removed':
        room.members = room.members.filter((m) => m.id !== event.memberId);
        if (event.reason !== 'stale') {
          this.#activity(event.at);
        }
        break;
      case 'settings':
        Object.assign(room, {
          name: event.name, hasPassword: event.hasPassword, locked: event.locked, listed: event.listed,
          maxMembers: event.maxMembers, settings: event.settings,
        });
        this.#activity(event.at);
        break;
      case 'warning':
        room.warning = { closesAt: event.closesAt, secondsRemaining: event.secondsRemaining };
        this.#checkExpiryAfter(Date.parse(event.closesAt) - Date.now() + 3000);
        break;
      default:
        break;
    }
    room.memberCount = room.members.length;
    room.connectedCount = room.members.filter((m) => m.connected).length;
  }

  /** Records activity seen at `at`: the room's expiry moves and a pending warning is void. */
  #activity(at) {
    const room = this.room;
    if (!room) {
      return;
    }
    const idle = this.#idleTimeoutMs();
    room.lastActivityAt = at;
    if (idle > 0) {
      room.expiresAt = new Date(Date.parse(at) + idle).toISOString();
    }
    delete room.warning;
  }

  #idleTimeoutMs() {
    const room = this.room;
    if (!room || !room.expiresAt || !room.lastActivityAt) {
      return 0;
    }
    return Date.parse(room.expiresAt) - Date.parse(room.lastActivityAt);
  }

  /**
   * A warning whose room did not close: someone's keep-alive (which raises no event)
   * cleared it. The public summary, which is not activity, tells the new expiry.
   */
  #checkExpiryAfter(delay) {
    clearTimeout(this.#expiryCheckTimer);
    this.#expiryCheckTimer = setTimeout(async () => {
      if (!this.room?.warning || this.status === STATUS.ENDED) {
        return;
      }
      try {
        const summary = await this.roomkeeper.getRoom(this.code);
        if (this.room?.warning && Date.parse(summary.expiresAt) > Date.parse(this.room.warning.closesAt)) {
          this.room.expiresAt = summary.expiresAt;
          delete this.room.warning;
          this.#changed();
        }
      } catch {
        // not found: the `closed` event (or the next reconnection) will tell
      }
    }, Math.max(0, delay));
  }

  #dispatch(event) {
    this.dispatchEvent(new CustomEvent(event.type, { detail: event }));
  }

  #changed() {
    this.dispatchEvent(new CustomEvent('room', { detail: this.room }));
  }

  // ---- keep-alives

  #watchUser() {
    const listen = (target, type, listener) => {
      target.addEventListener(type, listener, { passive: true });
      this.#listeners.push([target, type, listener]);
    };
    if (typeof document !== 'undefined') {
      for (const type of ACTIVITY_EVENTS) {
        listen(document, type, () => this.#userActive());
      }
      listen(document, 'visibilitychange', () => {
        if (document.visibilityState === 'visible') {
          this.#retryNow();
          this.#userActive();
        }
      });
    }
    if (typeof window !== 'undefined') {
      listen(window, 'online', () => this.#retryNow());
    }
    this.#scheduleKeepAlive();
  }

  #keepAliveInterval() {
    const idle = this.#idleTimeoutMs();
    return Math.min(60000, Math.max(1000, idle > 0 ? idle / 10 : 60000));
  }

  #visible() {
    return typeof document === 'undefined' || document.visibilityState === 'visible';
  }

  #userActive() {
    this.#lastInputAt = Date.now();
    if (this.keepAliveMode === 'activity') {
      this.#scheduleKeepAlive();
    }
  }

  /**
   * Sends a keep-alive when one is due: in `activity` mode when someone used the page
   * since the last message, in `visible` mode always, both only while the page is
   * visible, and at most once per interval (any other message counts too).
   */
  #scheduleKeepAlive() {
    if (this.keepAliveMode === 'off' || this.#stopped) {
      return;
    }
    const due = this.#lastSendAt + this.#keepAliveInterval();
    const wanted = this.keepAliveMode === 'visible' || this.#lastInputAt > this.#lastSendAt;
    if (!wanted) {
      return;
    }
    if (Date.now() >= due && this.status === STATUS.CONNECTED && this.#visible()) {
      this.keepAlive();
      if (this.keepAliveMode === 'visible') {
        this.#armKeepAlive(this.#keepAliveInterval());
      }
      return;
    }
    this.#armKeepAlive(Math.max(1000, due - Date.now()));
  }

  #armKeepAlive(delay) {
    if (this.#keepAliveTimer) {
      return;
    }
    this.#keepAliveTimer = setTimeout(() => {
      this.#keepAliveTimer = null;
      this.#scheduleKeepAlive();
    }, delay);
  }
}
