/**
 * Lua source of the state commit: a compare-and-set of one cluster's whole state.
 *
 * KEYS: jobs, meta, counts, outbox, sent (all under the cluster's hash tag, so one slot).
 * ARGV: expected version, commit time (ISO-8601), number of job arguments, number of count
 * arguments, then the job pairs (restore job id, SavedJob JSON), the count pairs (status,
 * count) and the alert pairs (alert job id, AlertEvent JSON).
 *
 * Returns 0 when the saved version is not the expected one (nothing is written), otherwise the
 * new version. An alert enters the outbox only when neither the outbox nor the sent records
 * hold its id, so a retried poll never queues an alert twice.
 */
export const COMMIT_STATE_LUA = `
local jobsKey, metaKey, countsKey, outboxKey, sentKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]

local version = tonumber(redis.call('HGET', metaKey, 'version') or '0')
if version ~= tonumber(ARGV[1]) then
  return 0
end

-- Redis's Lua 5.1 rejects unpack() of about 8,000 values or more ("too many results to
-- unpack"), so HSET goes in chunks. The chunk size is even, so no pair is split.
local CHUNK_SIZE = 1000
local function hsetRange(key, first, last)
  for i = first, last, CHUNK_SIZE do
    redis.call('HSET', key, unpack(ARGV, i, math.min(i + CHUNK_SIZE - 1, last)))
  end
end

local jobsFirst = 5
local countsFirst = jobsFirst + tonumber(ARGV[3])
local alertsFirst = countsFirst + tonumber(ARGV[4])

redis.call('DEL', jobsKey, countsKey)
hsetRange(jobsKey, jobsFirst, countsFirst - 1)
hsetRange(countsKey, countsFirst, alertsFirst - 1)

for i = alertsFirst, #ARGV, 2 do
  if redis.call('HEXISTS', sentKey, ARGV[i]) == 0 then
    redis.call('HSETNX', outboxKey, ARGV[i], ARGV[i + 1])
  end
end

local nextVersion = version + 1
redis.call('HSET', metaKey, 'version', nextVersion, 'lastPolledAt', ARGV[2])
redis.call('HSETNX', metaKey, 'baselineAt', ARGV[2])
return nextVersion
`;

/**
 * Lua source that deletes a lock only while it still holds the caller's token, so a worker
 * whose lock expired never deletes the lock another worker took since.
 *
 * KEYS: the lock. ARGV: the owner token. Returns 1 when deleted, 0 otherwise.
 */
export const RELEASE_LOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
