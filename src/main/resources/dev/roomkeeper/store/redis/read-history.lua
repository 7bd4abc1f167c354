-- Reads a room and its history in one atomic step.
--
-- KEYS[1]   the room's hash (field room: the JSON)
-- KEYS[2]   the room's history list ("seq json" entries)
--
-- Returns {} when the room does not exist, else {room JSON, entry, entry, ...}.
local room = redis.call('HGET', KEYS[1], 'room')
if not room then
  return {}
end
local result = {room}
for _, entry in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  result[#result + 1] = entry
end
return result
