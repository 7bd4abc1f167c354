-- Writes several rooms' messages in one call (an instance sends the messages that wait
-- while its previous call is under way together): each as write-activity.lua would, its
-- own compare-and-set deciding whether it is written, and the events of those written in
-- one publication. The layout of a message and its answer are write-message.lua's.
--
-- ARGV[1]        the events channel
-- ARGV[2]        the history size ("0": no history)
-- ARGV[3]        the number of messages, n
-- KEYS[1..], ARGV[4..]  the n messages, one after the other
--
-- Returns the n answers, in order.
local published = {}
local answers = {}
local k, a = 1, 4
for i = 1, tonumber(ARGV[3]) do
  answers[i], k, a = writeMessage(k, a, published)
end
publishAll(published)
return answers
