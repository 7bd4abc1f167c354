// Type declarations for /js/roomkeeper.js, the Roomkeeper browser client (an ES module).
// Served beside it: `import { Roomkeeper } from 'https://your-server/js/roomkeeper.js'`
// with these types via a `declare module` or a copy of this file next to your code.

export type EventType =
  | 'snapshot' | 'error' | 'state' | 'message' | 'presence' | 'member-joined' | 'member-connected'
  | 'member-disconnected' | 'member-removed' | 'settings' | 'warning' | 'closed';

export declare const EVENT_TYPES: readonly EventType[];

export type Status = 'connecting' | 'connected' | 'reconnecting' | 'ended';

export declare const STATUS: Readonly<{
  CONNECTING: 'connecting';
  CONNECTED: 'connected';
  RECONNECTING: 'reconnecting';
  ENDED: 'ended';
}>;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Who may change the state / send messages. */
export type PermissionLevel = 'members' | 'owner' | 'server';

export interface Permissions {
  state: PermissionLevel;
  broadcast: PermissionLevel;
}

export interface Member {
  id: string;
  name: string;
  role: 'owner' | 'member';
  connected: boolean;
  joinedAt: string;
  lastSeenAt: string | null;
  metadata: JsonObject;
  /** The app's user id (`sub` of the join ticket), or null without a ticket. */
  userId: string | null;
}

export interface RoomSummary {
  code: string;
  name: string;
  hasPassword: boolean;
  locked: boolean;
  maxMembers: number;
  memberCount: number;
  expiresAt: string;
}

export interface Room {
  code: string;
  name: string;
  hasPassword: boolean;
  locked: boolean;
  listed: boolean;
  maxMembers: number;
  memberCount: number;
  connectedCount: number;
  members: Member[];
  settings: JsonObject;
  state: JsonObject;
  version: number;
  seq: number;
  createdAt: string;
  lastActivityAt: string;
  expiresAt: string;
  joinPolicy: 'open' | 'ticket';
  permissions: Permissions;
}

/** The room model of a live connection: the full room plus a pending closing warning. */
export interface LiveRoom extends Room {
  warning?: { closesAt: string; secondsRemaining: number } | null;
}

export interface CreateRoomOptions {
  name?: string;
  code?: string;
  password?: string;
  maxMembers?: number;
  listed?: boolean;
  settings?: JsonObject;
  state?: JsonObject;
}

export interface CreatedRoom {
  room: Room;
  ownerToken: string;
  joinUrl: string;
  qrUrl: string;
}

export type JoinOptions =
  | { name: string; password?: string; metadata?: JsonObject; ticket?: undefined }
  | { /** A join ticket minted by your app's backend (HS256 JWT). */ ticket: string };

export interface JoinedRoom {
  member: Member;
  token: string;
  room: Room;
}

export interface Membership {
  code: string;
  token?: string;
  memberId?: string;
  name?: string;
  roomName?: string;
  ownerToken?: string;
  savedAt: number;
}

export interface UpdateRoomChanges {
  name?: string;
  maxMembers?: number;
  password?: string | null;
  locked?: boolean;
  listed?: boolean;
  settings?: JsonObject;
}

export interface ConnectOptions {
  keepAlive?: 'activity' | 'visible' | 'off';
  debug?: (message: string) => void;
  /** A join ticket: joins (or resumes) and connects in one step. */
  ticket?: string;
}

export interface FieldError {
  field: string;
  message: string;
}

export declare class RoomkeeperError extends Error {
  constructor(init: {
    code: string;
    status?: number;
    detail?: string;
    errors?: FieldError[];
    retryAfter?: number | null;
    message?: string;
  });
  readonly code: string;
  readonly status: number;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly retryAfter: number | null;
}

export declare function backoffDelay(attempt: number, random?: () => number): number;
export declare function normalizeCode(text: string): string | null;
export declare function mergePatch<T extends Json>(target: T, patch: Json): Json;
export declare function describeProblem(
  code: string,
  details?: { detail?: string; errors?: FieldError[]; retryAfter?: number | null; roomCode?: string },
): string;

export declare class Roomkeeper {
  constructor(options?: { baseUrl?: string; storage?: Storage });
  readonly baseUrl: string;
  readonly liveUrl: string;
  listRooms(): Promise<RoomSummary[]>;
  getRoom(code: string): Promise<RoomSummary>;
  createRoom(options?: CreateRoomOptions): Promise<CreatedRoom>;
  joinRoom(code: string, options: JoinOptions): Promise<JoinedRoom>;
  leaveRoom(code: string): Promise<void>;
  kick(code: string, memberId: string): Promise<void>;
  updateRoom(code: string, changes: UpdateRoomChanges): Promise<Room>;
  closeRoom(code: string): Promise<void>;
  keepAlive(code: string): Promise<void>;
  joinUrl(code: string): string;
  qrUrl(code: string, format?: 'svg' | 'png', size?: number): string;
  keepToken(code: string, kept: { token: string; memberId: string }): void;
  membership(code: string): Membership | null;
  memberships(): Membership[];
  forget(code: string, options?: { everything?: boolean }): void;
  connect(code: string, options?: ConnectOptions): RoomConnection;
}

export type EndReason =
  | 'closed' | 'removed' | 'unauthorized' | 'room-not-found' | 'invalid-ticket' | 'ticket-required';

export declare class RoomConnection extends EventTarget {
  readonly code: string;
  readonly status: Status;
  readonly room: LiveRoom | null;
  readonly memberId: string | null;
  readonly endReason: EndReason | null;
  readonly me: Member | null;
  readonly isOwner: boolean;
  on(type: EventType | 'status' | 'room' | 'ended', listener: (detail: any, event: Event) => void): () => void;
  setState(patch: JsonObject, options?: { baseVersion?: number }): boolean;
  broadcast(data: Json): boolean;
  setPresence(metadata: JsonObject): boolean;
  keepAlive(): boolean;
  requestSnapshot(): boolean;
  close(): void;
}
