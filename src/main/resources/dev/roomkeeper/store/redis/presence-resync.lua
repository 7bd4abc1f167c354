-- Replaces what Redis counts for an instance with what the instance knows it holds (after
-- Redis was unreachable, or the instance was reaped while cut off), and moves every
-- member's total by the difference.
--
-- KEYS[1]  P connections:{instance}
-- ARGV[1]  key prefix   ARGV[2..] pairs: "CODE member", open connections on the instance
-- Returns the "CODE member" entries whose count changed.
local old = {}
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  old[entries[i]] = tonumber(entries[i + 1])
end
local new = {}
for i = 2, #ARGV, 2 do
  new[ARGV[i]] = tonumber(ARGV[i + 1])
end
local changed = {}
local function move(field, delta)
  local space = string.find(field, ' ', 1, true)
  local key = ARGV[1] .. 'presence:' .. string.sub(field, 1, space - 1)
  local member = string.sub(field, space + 1)
  if redis.call('HINCRBY', key, member, delta) <= 0 then
    redis.call('HDEL', key, member)
  end
  table.insert(changed, field)
end
for field, count in pairs(new) do
  local delta = count - (old[field] or 0)
  if delta ~= 0 then
    move(field, delta)
  end
end
for field, count in pairs(old) do
  if new[field] == nil then
    move(field, -count)
  end
end
redis.call('DEL', KEYS[1])
for field, count in pairs(new) do
  redis.call('HSET', KEYS[1], field, count)
end
return changed
