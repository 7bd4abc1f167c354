-- Writes a message: the room's activity fields, the index entries they move, the
-- message's history entry and its publication, in one atomic step, if the room is still
-- as the message found it. The lean twin of write-room.lua (see it for the room's hash
-- and the history list): it takes only the keys it writes and makes as few calls as it
-- can. The message's layout and answer are write-message.lua's, the compare-and-set and
-- the history's append write-common.lua's, both loaded in front of this script.
--
-- ARGV[1]        the events channel
-- ARGV[2]        the history size ("0": no history)
-- KEYS[1..], ARGV[3..]  the message
--
-- Returns the message's answer.
local published = {}
local answer = writeMessage(1, 3, published)
publishAll(published)
return answer
