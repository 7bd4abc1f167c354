-- Reads a room and its history in one atomic step.
--
-- KEYS[1]   the room's hash (room: the JSON, and its activity fields: see write-room.lua)
-- KEYS[2]   the room's history list ("seq json" entries)
-- ARGV[1]   the history size: the last this many entries are read ("0": all of them). The
--           writes trim the list only once it is an eighth longer than that.
--
-- Returns {} when the room does not exist, else {n, field, value, ... (n of them: the
-- hash), entry, entry, ...}.
local fields = redis.call('HGETALL', KEYS[1])
if #fields == 0 then
  return {}
end
local result = {#fields}
for _, value in ipairs(fields) do
  result[#result + 1] = value
end
local size = tonumber(ARGV[1])
for _, entry in ipairs(redis.call('LRANGE', KEYS[2], (size > 0) and -size or 0, -1)) do
  result[#result + 1] = entry
end
return result
