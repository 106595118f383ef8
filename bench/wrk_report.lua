-- Print one JSON line with the run's totals and latency percentiles (microseconds), and
-- the answers counted as front-cache hits and misses by scripts that count them
-- (wrk_readers.lua; zero otherwise).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local e = summary.errors
  local hits, misses = 0, 0
  for _, thread in ipairs(threads) do
    hits = hits + (thread:get("hits") or 0)
    misses = misses + (thread:get("misses") or 0)
  end
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"errors":%d,"non_2xx_3xx":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"hits":%d,"misses":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    hits, misses))
end
