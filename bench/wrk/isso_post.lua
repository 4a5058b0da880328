-- POST a new comment to Isso's JSON API (its guard is off for the run, as ours is raised).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

local path = os.getenv("BENCH_POST_PATH")
local headers = { ["Content-Type"] = "application/json" }
local sent = 0

function init(args)
  bad = 0
end

function request()
  sent = sent + 1
  local body = '{"author": "Bench Reader", "email": "bench@example.org", "website": null, '
    .. '"title": "Bench thread", "text": "A comment posted by the benchmark, number '
    .. tid .. "-" .. sent .. '."}'
  return wrk.format("POST", path, headers, body)
end
