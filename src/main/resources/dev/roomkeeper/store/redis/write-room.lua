-- Writes one room if it is still at the revision the change was computed from (a
-- compare-and-set), keeps the room's index entries in step and publishes the room's
-- events, all in one atomic step: a delete racing a save never leaves half a room, and
-- the events channel carries each room's events in seq order.
--
-- KEYS[1]        the room's hash: rev (random per write), room (JSON)
-- KEYS[2..]      the sorted-set indexes a room belongs to
-- ARGV[1]        the revision the change was computed from; "0" means "must not exist"
-- ARGV[2]        "save", "delete" or "publish" (events only, room unchanged)
-- ARGV[3]        the new revision (save)
-- ARGV[4]        the room code: the member of every index
-- ARGV[5]        the room as JSON (save)
-- ARGV[6]        the events channel
-- ARGV[7..]      one score per index ("" removes the room from it, "=" leaves its entry
--                as it is), then the events
--
-- Returns {1} when written; {0} when the room does not exist; {0, rev, json} when it
-- changed since it was read (the caller retries on the current value).
local rev = redis.call('HGET', KEYS[1], 'rev') or '0'
if rev ~= ARGV[1] then
  if rev == '0' then
    return {0}
  end
  return {0, rev, redis.call('HGET', KEYS[1], 'room')}
end
local indexes = #KEYS - 1
local op = ARGV[2]
if op == 'save' then
  redis.call('HSET', KEYS[1], 'rev', ARGV[3], 'room', ARGV[5])
  for i = 1, indexes do
    local score = ARGV[6 + i]
    if score == '' then
      redis.call('ZREM', KEYS[1 + i], ARGV[4])
    elseif score ~= '=' then
      redis.call('ZADD', KEYS[1 + i], score, ARGV[4])
    end
  end
elseif op == 'delete' then
  redis.call('DEL', KEYS[1])
  for i = 1, indexes do
    redis.call('ZREM', KEYS[1 + i], ARGV[4])
  end
end
for i = 7 + indexes, #ARGV do
  redis.call('PUBLISH', ARGV[6], ARGV[i])
end
return {1}
