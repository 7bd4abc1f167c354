-- Writes one room if it is still as the change found it (a compare-and-set), keeps the
-- room's index entries in step, appends the change's events to the room's history and
-- publishes them, all in one atomic step: a delete racing a save never leaves half a
-- room, the history holds exactly the events that were published, the census of members
-- changes with the room, and the events channel carries each room's events in seq order.
--
-- The room's hash holds rev (random, new on every save), room (the JSON as of the last
-- save) and, once activity happened since that save, the activity fields: seq, at (the
-- last activity) and seen:<member id> (a member's last sighting), which override the
-- JSON's values. A message changes only those: write-activity.lua writes them and keeps
-- rev, so that broadcasts neither rewrite the room nor conflict with each other across
-- instances; a save (this script) deletes them with the old JSON.
--
-- The compare-and-set and the history's append are write-common.lua's, loaded in front
-- of this script.
--
-- KEYS[1]        the room's hash
-- KEYS[2]        the census: a hash with members (of every room whose code it covers),
--                through (it covers the codes up to this one, while it is being
--                counted) and complete ("1": it covers every code)
-- KEYS[3..n-1]   the sorted-set indexes a room belongs to
-- KEYS[n]        the room's history: a list of "seq json" entries, the last ARGV[7] kept
-- ARGV[1]        the revision the change was computed from; "0" means "must not exist"
-- ARGV[2]        "save", "delete" or "publish" (events only, room unchanged)
-- ARGV[3]        the new revision (save)
-- ARGV[4]        the room code: the member of every index
-- ARGV[5]        the room as JSON (save)
-- ARGV[6]        the events channel
-- ARGV[7]        the history size ("0": no history)
-- ARGV[8]        the number of events, e
-- ARGV[9]        "1" if the history list must exist already (the room had events before)
-- ARGV[10]       the change in the room's members (joined minus gone; a delete: minus
--                all), added to the census if the census covers the code
-- ARGV[11]       the seq the change was computed from: the write only happens if the
--                hash's seq field is absent or holds it
-- ARGV[12..]     one score per index ("" removes the room from it, "=" leaves its entry
--                as it is), then the e events to publish, then their e history entries
--
-- Returns {1} when written; {0} when the room does not exist; {0, field, value, ...}
-- (the room's hash) when it was saved, or had activity, since it was read (the caller
-- retries on the current value); {2} when the history list was lost (nothing is
-- written: the caller gives the room a new epoch and saves it).

-- Whether code a sorts after code b byte by byte, as ZRANGEBYLEX orders them (Lua's own
-- comparison follows the server's locale).
local function sortsAfter(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return x > y
    end
  end
  return #a > #b
end

local refused = refusal(KEYS[1], ARGV[1], ARGV[11], false)
if refused then
  return refused
end
local op = ARGV[2]
local history = KEYS[#KEYS]
local indexes = #KEYS - 3
local size = tonumber(ARGV[7])
local count = tonumber(ARGV[8])
local events = 12 + indexes
-- The history first, so that nothing at all is written when the answer is {2}.
if op ~= 'delete' and size > 0 and count > 0
    and not appendHistory(history, size, ARGV[9] == '1', events + count, events + 2 * count - 1) then
  return {2}
end
if op == 'save' then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'rev', ARGV[3], 'room', ARGV[5])
  moveIndexEntries(3, 12, indexes, ARGV[4])
elseif op == 'delete' then
  redis.call('DEL', KEYS[1], history)
  for i = 1, indexes do
    redis.call('ZREM', KEYS[2 + i], ARGV[4])
  end
end
if (op == 'save' or op == 'delete') and ARGV[10] ~= '0' then
  local census = redis.call('HMGET', KEYS[2], 'complete', 'through')
  if census[1] == '1' or (census[2] and not sortsAfter(ARGV[4], census[2])) then
    redis.call('HINCRBY', KEYS[2], 'members', ARGV[10])
  end
end
for i = events, events + count - 1 do
  redis.call('PUBLISH', ARGV[6], ARGV[i])
end
return {1}
