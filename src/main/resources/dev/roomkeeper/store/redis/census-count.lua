-- Counts the members of the next page of rooms (in code order) into the census, in one
-- atomic step: the census then covers every code up to the last one counted, and from
-- then on the write script keeps those rooms' members in it. Page after page, from any
-- number of instances at once, this counts every room once; rooms past the page are
-- counted when a page reaches them, as they are then. Used when the census is missing
-- (a store written before the census existed, or its key was deleted).
--
-- KEYS[1]  the census hash: members, through (last code covered), complete ("1": all)
-- KEYS[2]  the sorted set of every room code (ordered by code)
-- ARGV[1]  the prefix of room hashes (P room:)
-- ARGV[2]  the most rooms to count in this step
--
-- Returns 1 when the census covers every room, 0 when more pages remain.
local census = redis.call('HMGET', KEYS[1], 'complete', 'through')
if census[1] == '1' then
  return 1
end
local from = census[2] and ('(' .. census[2]) or '-'
local size = tonumber(ARGV[2])
local codes = redis.call('ZRANGEBYLEX', KEYS[2], from, '+', 'LIMIT', 0, size)
local members = 0
for _, code in ipairs(codes) do
  local json = redis.call('HGET', ARGV[1] .. code, 'room')
  if json then
    local ok, room = pcall(cjson.decode, json)
    if ok and type(room) == 'table' and type(room.members) == 'table' then
      members = members + #room.members
    end
  end
end
redis.call('HINCRBY', KEYS[1], 'members', members)
if #codes < size then
  redis.call('HSET', KEYS[1], 'complete', '1')
  redis.call('HDEL', KEYS[1], 'through')
  return 1
end
redis.call('HSET', KEYS[1], 'through', codes[#codes])
return 0
