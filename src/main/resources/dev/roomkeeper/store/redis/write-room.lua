-- Writes one room if it is still at the revision the change was computed from (a
-- compare-and-set), keeps the room's index entries in step, appends the change's events
-- to the room's history and publishes them, all in one atomic step: a delete racing a
-- save never leaves half a room, the history holds exactly the events that were
-- published, the census of members changes with the room, and the events channel
-- carries each room's events in seq order.
--
-- KEYS[1]        the room's hash: rev (random per write), room (JSON)
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
-- ARGV[11..]     one score per index ("" removes the room from it, "=" leaves its entry
--                as it is), then the e events to publish, then their e history entries
--
-- Returns {1} when written; {0} when the room does not exist; {0, rev, json} when it
-- changed since it was read (the caller retries on the current value); {2} when the
-- history list was lost (nothing is written: the caller gives the room a new epoch and
-- writes again without ARGV[9]).

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

local rev = redis.call('HGET', KEYS[1], 'rev') or '0'
if rev ~= ARGV[1] then
  if rev == '0' then
    return {0}
  end
  return {0, rev, redis.call('HGET', KEYS[1], 'room')}
end
local history = KEYS[#KEYS]
local indexes = #KEYS - 3
local op = ARGV[2]
local size = tonumber(ARGV[7])
local count = tonumber(ARGV[8])
if op ~= 'delete' and ARGV[9] == '1' and count > 0 and size > 0 and redis.call('EXISTS', history) == 0 then
  return {2}
end
if op == 'save' then
  redis.call('HSET', KEYS[1], 'rev', ARGV[3], 'room', ARGV[5])
  for i = 1, indexes do
    local score = ARGV[10 + i]
    if score == '' then
      redis.call('ZREM', KEYS[2 + i], ARGV[4])
    elseif score ~= '=' then
      redis.call('ZADD', KEYS[2 + i], score, ARGV[4])
    end
  end
elseif op == 'delete' then
  redis.call('DEL', KEYS[1], history)
  for i = 1, indexes do
    redis.call('ZREM', KEYS[2 + i], ARGV[4])
  end
end
if op ~= 'publish' and ARGV[10] ~= '0' then
  local census = redis.call('HMGET', KEYS[2], 'complete', 'through')
  if census[1] == '1' or (census[2] and not sortsAfter(ARGV[4], census[2])) then
    redis.call('HINCRBY', KEYS[2], 'members', ARGV[10])
  end
end
local events = 11 + indexes
if op ~= 'delete' and size > 0 and count > 0 then
  for i = events + count, events + 2 * count - 1 do
    redis.call('RPUSH', history, ARGV[i])
  end
  redis.call('LTRIM', history, -size, -1)
end
for i = events, events + count - 1 do
  redis.call('PUBLISH', ARGV[6], ARGV[i])
end
return {1}
