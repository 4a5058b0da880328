-- POST a new comment through the htmx path. bench/run.py scrapes the article page first and
-- passes what a browser would send back: the signed render stamp (the anonymous form has no
-- session token). Each request carries its own submission token, so none counts as a retry.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

local path = os.getenv("BENCH_POST_PATH")
local prefix = os.getenv("BENCH_TOKEN_PREFIX")
local fixed = "name=Bench+Reader&email=bench%40example.org&website=&parent_id=&nickname="
  .. "&rendered=" .. os.getenv("BENCH_RENDERED")
  .. "&body=A+comment+posted+by+the+benchmark%2C+"
local headers = {
  ["HX-Request"] = "true",
  ["Content-Type"] = "application/x-www-form-urlencoded",
}
local sent = 0

function init(args)
  bad = 0
end

function request()
  sent = sent + 1
  local token = prefix .. "-" .. tid .. "-" .. sent
  -- The token in the text too: the site refuses a text already under the story, and a
  -- second round counts from 1 again.
  return wrk.format("POST", path, headers, fixed .. token .. "&token=" .. token)
end
