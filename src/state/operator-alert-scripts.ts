/**
 * Lua source that counts one failure of an operator alert subject and decides whether to queue
 * an alert, atomically, so that replicas counting failures of one sweep at the same time queue
 * at most one alert.
 *
 * KEYS: the subject's entry hash. ARGV: sweep id, now (epoch ms), now (ISO-8601), failure
 * threshold, repeat interval (ms), candidate alert job id, reason, source, error code, HTTP
 * status, error message.
 *
 * A second failure of the same sweep is not counted. Once the count reaches the threshold, the
 * candidate job id becomes the pending alert unless an alert was queued within the repeat
 * interval. In that case the pending alert is returned again, so that the next failure adds the
 * job of a caller that died before adding it. Returns {failures, job id or "", since}.
 */
export const RECORD_FAILURE_LUA = `
local key = KEYS[1]
local failures
if redis.call('HGET', key, 'lastSweepId') == ARGV[1] then
  failures = tonumber(redis.call('HGET', key, 'failures'))
else
  failures = redis.call('HINCRBY', key, 'failures', 1)
  redis.call('HSETNX', key, 'since', ARGV[3])
  redis.call('HSET', key, 'lastSweepId', ARGV[1], 'lastFailureAt', ARGV[3], 'reason', ARGV[7],
    'source', ARGV[8], 'errorCode', ARGV[9], 'httpStatus', ARGV[10], 'message', ARGV[11])
end
local since = redis.call('HGET', key, 'since')
if failures < tonumber(ARGV[4]) then
  return {failures, '', since}
end

local queuedAtMs = tonumber(redis.call('HGET', key, 'lastQueuedAtMs') or '')
if queuedAtMs == nil or tonumber(ARGV[2]) - queuedAtMs >= tonumber(ARGV[5]) then
  redis.call('HSET', key, 'pendingJobId', ARGV[6], 'lastQueuedAtMs', ARGV[2])
  return {failures, ARGV[6], since}
end
return {failures, redis.call('HGET', key, 'pendingJobId') or '', since}
`;

/**
 * Lua source that records the posted message of an operator alert while the run of failures it
 * reports is still saved.
 *
 * KEYS: the subject's entry hash. ARGV: the run's `since`, job id, channel, ts, posted at.
 * Returns 1 when recorded, 0 when the entry is gone or belongs to a newer run.
 */
export const RECORD_POSTED_LUA = `
local key = KEYS[1]
if redis.call('HGET', key, 'since') ~= ARGV[1] then
  return 0
end
redis.call('HSET', key, 'postedJobId', ARGV[2], 'postedChannel', ARGV[3], 'postedTs', ARGV[4],
  'postedAt', ARGV[5])
if redis.call('HGET', key, 'pendingJobId') == ARGV[2] then
  redis.call('HDEL', key, 'pendingJobId')
end
return 1
`;

/**
 * Lua source that deletes an entry only while it still contains the run of failures begun at
 * `since`, so a success never deletes a run that started after the caller read the entry.
 *
 * KEYS: the subject's entry hash. ARGV: the run's `since`. Returns 1 when deleted, else 0.
 */
export const DELETE_RUN_LUA = `
if redis.call('HGET', KEYS[1], 'since') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
