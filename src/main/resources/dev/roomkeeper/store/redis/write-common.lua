-- Functions shared by write-room.lua and write-activity.lua: LuaScripts puts this file in
-- front of each of them when it loads them (a Redis script cannot include another).

-- The answer when the room was saved since it was read: 0, then its hash (field, value,
-- ...), on which the caller retries.
local function currentRoom(room)
  local current = redis.call('HGETALL', room)
  table.insert(current, 1, 0)
  return current
end

-- The compare-and-set: nil when the room's hash still holds revision rev and its seq
-- field is absent or holds seq, else the answer to give: {0} when the room does not
-- exist, the current room when it was saved since, and when only its seq moved (another
-- instance's messages) {3, seq} if onlySeq says so, else the current room.
local function refusal(room, rev, seq, onlySeq)
  local found = redis.call('HMGET', room, 'rev', 'seq')
  local stored = found[1] or '0'
  if stored ~= rev then
    if stored == '0' then
      return {0}
    end
    return currentRoom(room)
  end
  if found[2] and found[2] ~= seq then
    if onlySeq then
      return {3, found[2]}
    end
    return currentRoom(room)
  end
  return nil
end

-- Appends ARGV[first..last] (history entries) to the history list, which must exist
-- already if mustExist, and trims it to its last size entries once it is an eighth longer
-- (one LTRIM every size/8 events instead of one per event; readers read its last size
-- entries). Returns false, having written nothing, when the list must exist and is gone.
local function appendHistory(history, size, mustExist, first, last)
  local length = redis.call(mustExist and 'RPUSHX' or 'RPUSH', history, unpack(ARGV, first, last))
  if length == 0 then
    return false
  end
  if length > size + math.floor(size / 8) then
    redis.call('LTRIM', history, -size, -1)
  end
  return true
end

-- Moves the room's entries in n indexes: KEYS[firstKey + i - 1] gets score ARGV[firstScore
-- + i - 1] ("" removes the room from it, "=" leaves its entry as it is).
local function moveIndexEntries(firstKey, firstScore, n, code)
  for i = 0, n - 1 do
    local score = ARGV[firstScore + i]
    if score == '' then
      redis.call('ZREM', KEYS[firstKey + i], code)
    elseif score ~= '=' then
      redis.call('ZADD', KEYS[firstKey + i], score, code)
    end
  end
end
