-- Reads the totals of every room in one atomic step.
--
-- KEYS[1]  the sorted set of every room code
-- KEYS[2]  the census hash (members, complete)
--
-- Returns {rooms, members, complete}: complete is "1" when the census covers every room.
local census = redis.call('HMGET', KEYS[2], 'members', 'complete')
return {redis.call('ZCARD', KEYS[1]), census[1] or '0', census[2] or '0'}
