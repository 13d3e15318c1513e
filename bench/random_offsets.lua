-- Each request asks for a different page, so most miss the response cache: the cost of a
-- list read that goes to the database.
request = function()
  local path = wrk.path:gsub("offset=%d+", "")
  return wrk.format(nil, path .. "&offset=" .. math.random(0, 1950))
end
