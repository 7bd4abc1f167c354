-- Adds one to an address's count in a one-minute window; the key outlives its window
-- by a minute, then Redis forgets it.
-- KEYS[1]: the window's counter; ARGV[1]: its time to live in seconds.
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
