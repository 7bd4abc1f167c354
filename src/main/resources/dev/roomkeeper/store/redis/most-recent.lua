-- One page of the rooms most recently active first, ties ordered by code. The index
-- orders the codes of one score ascending, so a reverse range would list ties
-- backwards: the page is read forwards one score at a time, from the highest. The rooms
-- of the page are read in the same step, so one round trip answers it.
--
-- KEYS[1]  the index by last activity (codes scored by microseconds)
-- ARGV[1]  the exclusive lower bound of the score
-- ARGV[2]  the inclusive upper bound of the score
-- ARGV[3]  how many rooms of the order to skip
-- ARGV[4]  the most rooms to return
-- ARGV[5]  the prefix of room hashes (P room:)
--
-- Returns {code, n, field, value, ... (n of them: the room's hash), code, n, ...} for the
-- page (a code whose hash is gone is left out). Costs in proportion to offset + limit.
local key = KEYS[1]
local low = '(' .. ARGV[1]
local offset = tonumber(ARGV[3])
local limit = tonumber(ARGV[4])
local page = {}
local first = redis.call('ZREVRANGEBYSCORE', key, ARGV[2], low, 'WITHSCORES', 'LIMIT', offset, 1)
if #first == 0 then
  return page
end
local score = first[2]
-- The page starts inside the group of this score, after the rooms above it.
local skip = offset - redis.call('ZCOUNT', key, '(' .. score, ARGV[2])
while #page < limit do
  local group = redis.call('ZRANGEBYSCORE', key, score, score, 'LIMIT', skip, limit - #page)
  for _, code in ipairs(group) do
    page[#page + 1] = code
  end
  local below = redis.call('ZREVRANGEBYSCORE', key, '(' .. score, low, 'WITHSCORES', 'LIMIT', 0, 1)
  if #below == 0 then
    break
  end
  score = below[2]
  skip = 0
end
local rooms = {}
for _, code in ipairs(page) do
  local fields = redis.call('HGETALL', ARGV[5] .. code)
  if #fields > 0 then
    rooms[#rooms + 1] = code
    rooms[#rooms + 1] = #fields
    for _, value in ipairs(fields) do
      rooms[#rooms + 1] = value
    end
  end
end
return rooms
