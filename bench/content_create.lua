-- Creates N content items one after another on one connection, then stops.
-- Arguments: <account id> <count>
local n, account, count = 0, 0, 0

-- The Authorization header comes from wrk's -H option; both live in wrk.headers.
wrk.headers["Content-Type"] = "application/json"

function init(args)
  account = tonumber(args[1])
  count = tonumber(args[2])
end

function request()
  n = n + 1
  local stage = (n % 2 == 0) and "draft" or "topic"
  local body = string.format(
    '{"stage":"%s","title":"压测选题 %d：星河S7 续航实测","body":"第 %d 篇，试驾体验与充电实测。","account_id":%d,"hashtags":["星河S7"],"tags":["压测"]}',
    stage, n, n, account)
  return wrk.format("POST", nil, nil, body)
end

local done = 0
function response(status)
  done = done + 1
  if status ~= 201 then
    io.stderr:write("create failed with status " .. status .. "\n")
  end
  if done >= count then
    wrk.thread:stop()
  end
end
