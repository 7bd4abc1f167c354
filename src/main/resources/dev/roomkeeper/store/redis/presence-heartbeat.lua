-- An instance is alive: renews its heartbeat and registers it.
--
-- KEYS[1]  P instance:{instance}   KEYS[2]  P instances
-- ARGV[1]  instance id   ARGV[2] heartbeat TTL ms
-- Returns 1 if the heartbeat was still there, 0 if it had expired or been reaped (the
-- instance must then count its connections in again).
local alive = redis.call('EXISTS', KEYS[1])
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return alive
