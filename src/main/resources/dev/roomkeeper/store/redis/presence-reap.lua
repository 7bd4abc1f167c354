-- Forgets the connections of an instance whose heartbeat expired (it crashed or was cut
-- off): counts them down in every member's total, atomically, so that however many
-- instances reap at once each connection is forgotten once.
--
-- KEYS[1]  P connections:{dead}   KEYS[2]  P instances   KEYS[3]  P instance:{dead}
-- ARGV[1]  dead instance id   ARGV[2] key prefix   ARGV[3] "1" to reap even if alive
-- Returns the "CODE member" entries whose total fell to zero.
if ARGV[3] ~= '1' and redis.call('EXISTS', KEYS[3]) == 1 then
  return {}
end
local entries = redis.call('HGETALL', KEYS[1])
local gone = {}
for i = 1, #entries, 2 do
  local field = entries[i]
  local count = tonumber(entries[i + 1])
  local space = string.find(field, ' ', 1, true)
  local key = ARGV[2] .. 'presence:' .. string.sub(field, 1, space - 1)
  local member = string.sub(field, space + 1)
  local total = redis.call('HINCRBY', key, member, -count)
  if total <= 0 then
    redis.call('HDEL', key, member)
    table.insert(gone, field)
  end
end
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('SREM', KEYS[2], ARGV[1])
return gone
