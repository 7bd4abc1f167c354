-- A connection of a member closed on an instance: count it down for the instance and in
-- the member's total. A connection the instance no longer holds in Redis (it was reaped
-- as dead meanwhile) is not counted down twice.
--
-- KEYS[1]  P presence:{CODE}   KEYS[2]  P connections:{instance}
-- ARGV[1]  member id   ARGV[2] "CODE member"
-- Returns the member's total after the change, or -1 if nothing was counted down.
local mine = redis.call('HINCRBY', KEYS[2], ARGV[2], -1)
if mine <= 0 then
  redis.call('HDEL', KEYS[2], ARGV[2])
  if mine < 0 then
    return -1
  end
end
local total = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if total <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 0
end
return total
