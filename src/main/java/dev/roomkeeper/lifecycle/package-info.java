/**
 * The room lifecycle: the {@link dev.roomkeeper.lifecycle.RoomSweeper} that warns and
 * closes idle rooms and removes stale members. The rules themselves (what is expired,
 * what a warning says, eviction at {@code rooms.max-rooms}) live in
 * {@link dev.roomkeeper.room.RoomService}, so they hold whichever way a change arrives.
 */
package dev.roomkeeper.lifecycle;
