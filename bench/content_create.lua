-- Creates N content items one after another on one connection, then stops.
-- Arguments: <account id> <count>
--
-- Stopping: wrk.thread:stop() ends this thread's event loop, but wrk 4.x's main thread still
-- sleeps out the whole -d duration before it prints its summary. So once the count is reached
-- the thread also writes "done <responses> <mean ms>" to stderr; content.py then sends wrk
-- SIGINT, wrk's own early stop (it joins the threads and prints its summary as usual). The -d
-- duration only caps a run that stalls.
--
-- Latency: the mean round trip is timed here (request written -> response read, as wrk times
-- it) because wrk corrects its latency figures for coordinated omission with an interval of
-- runtime / requests; when wrk ends with the work that interval is about the mean, so every
-- slower-than-twice-the-mean request would add made-up samples to wrk's own average.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } kox_timespec;
int clock_gettime(int clk_id, kox_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("kox_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local n, account, count = 0, 0, 0
local sent_at, total_ms = 0, 0

-- The Authorization header comes from wrk's -H option; both live in wrk.headers.
wrk.headers["Content-Type"] = "application/json"

function init(args)
  account = tonumber(args[1])
  count = tonumber(args[2])
end

-- (wrk calls request() once more before the run, to check the request parses; that call
-- sends nothing and only advances n.)
function request()
  n = n + 1
  local stage = (n % 2 == 0) and "draft" or "topic"
  local body = string.format(
    '{"stage":"%s","title":"压测选题 %d：星河S7 续航实测","body":"第 %d 篇，试驾体验与充电实测。","account_id":%d,"hashtags":["星河S7"],"tags":["压测"]}',
    stage, n, n, account)
  local req = wrk.format("POST", nil, nil, body)
  sent_at = now_ms()
  return req
end

local done = 0
function response(status)
  total_ms = total_ms + (now_ms() - sent_at)
  done = done + 1
  if status ~= 201 then
    io.stderr:write("create failed with status " .. status .. "\n")
  end
  if done >= count then
    -- No further request is written: the next one would be written when the socket turns
    -- writable, in a later pass of the event loop that stop() ends.
    wrk.thread:stop()
    io.stderr:write(string.format("done %d %.4f\n", done, total_ms / done))
  end
end
