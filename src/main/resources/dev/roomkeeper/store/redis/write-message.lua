-- Writes one message: LuaScripts puts this file (after write-common.lua) in front of
-- write-activity.lua (one message) and write-activities.lua (several rooms' messages in
-- one call). Both take ARGV[1] (the events channel) and ARGV[2] (the history size, "0":
-- no history), then each message as:
--
-- KEYS[k]        the room's hash
-- KEYS[k+1]      the room's history list, the last ARGV[2] entries kept
-- KEYS[k+2..]    the m sorted-set indexes whose entry for the room moves
-- ARGV[a]        m
-- ARGV[a+1]      the revision the message was computed from
-- ARGV[a+2]      the seq it was computed from: the write only happens if the hash's seq
--                field is absent or holds it
-- ARGV[a+3]      "1" if the history list must exist already (the room had events before)
-- ARGV[a+4]      the room code: the member of every index
-- ARGV[a+5]      the number of events, e
-- ARGV[a+6]      the number of activity fields, f
-- ARGV[a+7..]    one score per index ("" removes the room from it), then the e events to
--                publish, then their e history entries, then f pairs of an activity
--                field's name and value
--
-- A message's answer: {1} when written; {0} when the room does not exist; {0, field,
-- value, ...} (the room's hash) when it was saved since it was read (the caller retries
-- on the current value); {3, seq} when only activity happened since it was read (the
-- caller retries on that seq); {2} when the history list was lost (nothing is written:
-- the caller gives the room a new epoch and saves it).

-- Writes the message at KEYS[k] and ARGV[a], adding the ARGV index of each event it
-- publishes to published. Returns its answer, then where the next message's keys and
-- arguments begin.
local function writeMessage(k, a, published)
  local indexes = tonumber(ARGV[a])
  local count = tonumber(ARGV[a + 5])
  local fields = tonumber(ARGV[a + 6])
  local events = a + 7 + indexes
  local nextK = k + 2 + indexes
  local nextA = events + 2 * count + 2 * fields
  local refused = refusal(KEYS[k], ARGV[a + 1], ARGV[a + 2], true)
  if refused then
    return refused, nextK, nextA
  end
  local size = tonumber(ARGV[2])
  -- The history first, so that nothing at all is written when the answer is {2}.
  if size > 0 and count > 0
      and not appendHistory(KEYS[k + 1], size, ARGV[a + 3] == '1', events + count, events + 2 * count - 1) then
    return {2}, nextK, nextA
  end
  if fields > 0 then
    local first = events + 2 * count
    redis.call('HSET', KEYS[k], unpack(ARGV, first, first + 2 * fields - 1))
  end
  moveIndexEntries(k + 2, a + 7, indexes, ARGV[a + 4])
  for i = events, events + count - 1 do
    published[#published + 1] = i
  end
  return {1}, nextK, nextA
end

-- Publishes the events at the ARGV indexes in published on channel ARGV[1]: one event as
-- it is, several in one message, "*" and their number on the first line, then each as
-- its length in bytes on a line of its own and the event itself.
local function publishAll(published)
  if #published == 1 then
    redis.call('PUBLISH', ARGV[1], ARGV[published[1]])
  elseif #published > 1 then
    local parts = {'*' .. #published .. '\n'}
    for _, i in ipairs(published) do
      parts[#parts + 1] = #ARGV[i] .. '\n'
      parts[#parts + 1] = ARGV[i]
    end
    redis.call('PUBLISH', ARGV[1], table.concat(parts))
  end
end
