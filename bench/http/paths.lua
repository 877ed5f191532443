-- wrk script of `make bench-http` (bench/http/run.py): every connection's thread walks the
-- paths of a file (one a line) in turn, from its own starting point, with the headers given
-- by -H (Host, X-Load-Step); at the end one line "WRKJSON {...}" sums the run up for run.py.
--
--   wrk -t2 -c8 -d10s --latency -s paths.lua -H "Host: h" http://127.0.0.1:PORT -- FILE

local threads = {}

function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end

local paths = {}
local at = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  -- Threads start apart, so that they do not ask for the same path at the same moment.
  at = math.floor(number * #paths / 2)
end

function request()
  at = at % #paths + 1
  return wrk.format("GET", paths[at])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
