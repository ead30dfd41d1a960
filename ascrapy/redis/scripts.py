"""The Lua scripts of the Redis frontier: each step that must not be split runs in Redis, whole.

Keys (``<spider>`` is the spider's name; the first three are scrapy-redis's):

- ``<spider>:requests`` (SCHEDULER_QUEUE_KEY): the queue; a sorted set scored by -priority,
  or a list (FIFO: pushed left, taken right; LIFO: pushed and taken left).
- ``<spider>:dupefilter`` (SCHEDULER_DUPEFILTER_KEY): a set of hex fingerprints, or the
  bitmap of a Bloom filter.
- ``<queue key>:leases``: a sorted set of the requests taken and not acknowledged, scored
  by the time (Redis's clock, in ms) their lease ends; ``<queue key>:leased``: a hash of the
  same requests to their score in the queue, to put them back where they were.

A request is a member: the serialized request itself, as scrapy-redis stores it.
"""

from __future__ import annotations

# KEYS: queue, leases, leased. ARGV: count, lease ms, kind ("z", "fifo", "lifo"),
# how many expired leases to put back first.
# Returns {taken members, how many expired leases went back into the queue}.
# Lua that TAKE and RELEASE share (KEYS: queue, leases, leased): a leased member goes back
# into the queue where it was (its score from the leased hash), and is no longer leased.
_PUT_BACK = """
local function put_back(kind, member)
  if kind == 'z' then
    redis.call('ZADD', KEYS[1], redis.call('HGET', KEYS[3], member) or 0, member)
  elseif kind == 'fifo' then
    redis.call('RPUSH', KEYS[1], member)
  else
    redis.call('LPUSH', KEYS[1], member)
  end
  redis.call('ZREM', KEYS[2], member)
  redis.call('HDEL', KEYS[3], member)
end
"""

TAKE = _PUT_BACK + """
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local kind = ARGV[3]
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))
for _, member in ipairs(expired) do
  put_back(kind, member)
end
local deadline = now + tonumber(ARGV[2])
local taken = {}
if kind == 'z' then
  local popped = redis.call('ZPOPMIN', KEYS[1], tonumber(ARGV[1]))
  for i = 1, #popped, 2 do
    redis.call('ZADD', KEYS[2], deadline, popped[i])
    redis.call('HSET', KEYS[3], popped[i], popped[i + 1])
    taken[#taken + 1] = popped[i]
  end
else
  for _ = 1, tonumber(ARGV[1]) do
    local member
    if kind == 'fifo' then member = redis.call('RPOP', KEYS[1]) else member = redis.call('LPOP', KEYS[1]) end
    if not member then break end
    redis.call('ZADD', KEYS[2], deadline, member)
    redis.call('HSET', KEYS[3], member, 0)
    taken[#taken + 1] = member
  end
end
return {taken, #expired}
"""

# KEYS: queue, leases, leased, dupefilter. ARGV: kind, dedupe ("set" or "bloom"), the number
# of acknowledged members, those members, then (fingerprint, score, member) for each request
# to push: an empty fingerprint is not filtered (dont_filter); for a Bloom filter the
# fingerprint is its bit positions, space-separated.
# Returns how many of the pushed requests were added to the queue.
ACK_AND_PUSH = """
local kind, dedupe = ARGV[1], ARGV[2]
local acked = tonumber(ARGV[3])
for i = 4, 3 + acked do
  redis.call('ZREM', KEYS[2], ARGV[i])
  redis.call('HDEL', KEYS[3], ARGV[i])
end
local added = 0
for i = 4 + acked, #ARGV, 3 do
  local fingerprint, score, member = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local new = true
  if fingerprint ~= '' then
    if dedupe == 'set' then
      new = redis.call('SADD', KEYS[4], fingerprint) == 1
    else
      new = false
      for position in string.gmatch(fingerprint, '%d+') do
        if redis.call('SETBIT', KEYS[4], position, 1) == 0 then new = true end
      end
    end
  end
  if new then
    if kind == 'z' then
      added = added + redis.call('ZADD', KEYS[1], score, member)  -- 0: the same request is queued already
    else
      redis.call('LPUSH', KEYS[1], member)
      added = added + 1
    end
  end
end
return added
"""

# KEYS: leases. ARGV: lease ms, then members: their leases last another lease from now.
RENEW = """
local time = redis.call('TIME')
local deadline = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[1])
local renewed = 0
for i = 2, #ARGV do
  renewed = renewed + redis.call('ZADD', KEYS[1], 'XX', 'CH', deadline, ARGV[i])
end
return renewed
"""

# KEYS: queue, leases, leased. ARGV: kind, then members taken and not started: back into the
# queue where they were (a worker that stops leaves them to the others).
RELEASE = _PUT_BACK + """
local kind = ARGV[1]
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[2], ARGV[i]) then  -- still leased (not expired and put back)
    put_back(kind, ARGV[i])
  end
end
return #ARGV - 1
"""

# KEYS: the slot's transfers (sorted set: token -> expiry), the slot's next start time.
# ARGV: token, concurrency, delay ms before the next start, ms a token lives (a worker that
# dies gives its places back when they expire).
# Returns 0 when the place is granted, else how many ms to wait before asking again.
ENTER_SHARED_SLOT = """
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local next_at = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < next_at then return next_at - now end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
local delay = tonumber(ARGV[3])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay) end
return 0
"""

# KEYS: a Bloom filter's bitmap. ARGV: its size in bytes.
# Creates the whole bitmap at once, all zeros, when the key is absent. Grown bit by bit with
# SETBIT, Redis would over-allocate it (up to 1 MB, or double when smaller): made whole, its
# string is exactly the filter's size. Returns 1 when created, 0 when it was there already;
# an error when the key holds another type (a set of fingerprints, say).
CREATE_BLOOM = """
local kind = redis.call('TYPE', KEYS[1])['ok']
if kind == 'none' then
  redis.call('SET', KEYS[1], string.rep('\\0', tonumber(ARGV[1])))
  return 1
end
if kind ~= 'string' then
  return redis.error_reply('the dupefilter key ' .. KEYS[1] .. ' holds a ' .. kind ..
    ', not a Bloom filter: delete it, or name another SCHEDULER_DUPEFILTER_KEY')
end
return 0
"""
