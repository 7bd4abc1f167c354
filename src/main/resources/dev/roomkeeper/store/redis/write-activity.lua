-- Writes a message: the room's activity fields, the index entries they move, the
-- message's history entry and its publication, in one atomic step, if the room is still
-- as the message found it. The lean twin of write-room.lua (see it for the room's hash
-- and the history list): every message of every room goes through it, so it takes only
-- the keys it writes and makes as few calls as it can. The compare-and-set and the
-- history's append are write-common.lua's, loaded in front of this script.
--
-- KEYS[1]        the room's hash
-- KEYS[2]        the room's history list, the last ARGV[4] entries kept
-- KEYS[3..]      the sorted-set indexes whose entry for the room moves
-- ARGV[1]        the revision the message was computed from
-- ARGV[2]        the seq it was computed from: the write only happens if the hash's seq
--                field is absent or holds it
-- ARGV[3]        the events channel
-- ARGV[4]        the history size ("0": no history)
-- ARGV[5]        "1" if the history list must exist already (the room had events before)
-- ARGV[6]        the room code: the member of every index
-- ARGV[7]        the number of events, e
-- ARGV[8]        the number of activity fields, f
-- ARGV[9..]      one score per index of KEYS[3..] ("" removes the room from it), then
--                the e events to publish, then their e history entries, then f pairs of
--                an activity field's name and value
--
-- Returns {1} when written; {0} when the room does not exist; {0, field, value, ...}
-- (the room's hash) when it was saved since it was read (the caller retries on the
-- current value); {3, seq} when only activity happened since it was read (the caller
-- retries on that seq); {2} when the history list was lost (nothing is written: the
-- caller gives the room a new epoch and saves it).
local refused = refusal(KEYS[1], ARGV[1], ARGV[2], true)
if refused then
  return refused
end
local indexes = #KEYS - 2
local size = tonumber(ARGV[4])
local count = tonumber(ARGV[7])
local events = 9 + indexes
-- The history first, so that nothing at all is written when the answer is {2}.
if size > 0 and count > 0
    and not appendHistory(KEYS[2], size, ARGV[5] == '1', events + count, events + 2 * count - 1) then
  return {2}
end
local fields = tonumber(ARGV[8])
if fields > 0 then
  local first = events + 2 * count
  redis.call('HSET', KEYS[1], unpack(ARGV, first, first + 2 * fields - 1))
end
moveIndexEntries(3, 9, indexes, ARGV[6])
for i = events, events + count - 1 do
  redis.call('PUBLISH', ARGV[3], ARGV[i])
end
return {1}
