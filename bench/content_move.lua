-- Moves random items among 选题 / 稿件 / 已取消 (every move between these is a legal step for an
-- item with an account), each to the top of its target column.
-- Arguments: <first item id> <last item id>
local first, last = 0, 0
local stages = {"topic", "draft", "cancelled"}

-- The Authorization header comes from wrk's -H option; both live in wrk.headers.
wrk.headers["Content-Type"] = "application/json"

function init(args)
  first = tonumber(args[1])
  last = tonumber(args[2])
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  local id = math.random(first, last)
  local body = string.format('{"stage":"%s","after_id":null}', stages[math.random(3)])
  return wrk.format("POST", "/api/v1/workspaces/1/content/" .. id .. "/move", nil, body)
end
