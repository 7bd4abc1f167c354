-- A connection of a member opened on an instance: count it for the instance and in the
-- member's total across instances, and make sure the instance is known and alive.
--
-- KEYS[1]  P presence:{CODE}        hash: member id -> open connections on every instance
-- KEYS[2]  P connections:{instance}  hash: "CODE member" -> open connections on this one
-- KEYS[3]  P instances              set of instances that may hold connections
-- KEYS[4]  P instance:{instance}     the instance's heartbeat (expires when it stops)
-- ARGV[1]  member id   ARGV[2] "CODE member"   ARGV[3] instance id   ARGV[4] heartbeat TTL ms
-- Returns the member's total after the change.
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
redis.call('SADD', KEYS[3], ARGV[3])
redis.call('SET', KEYS[4], '1', 'PX', ARGV[4])
return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
