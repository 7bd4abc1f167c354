/**
 * Room history: the recent room-topic events every room keeps
 * ({@link dev.roomkeeper.room.RoomHistory}, stored with the room by every store), read by
 * {@code GET /api/rooms/{code}/events} and by the live API to recover the events a
 * reconnecting client missed. Entry point:
 * {@link dev.roomkeeper.history.RoomHistoryService}.
 */
package dev.roomkeeper.history;
