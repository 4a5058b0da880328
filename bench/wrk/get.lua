-- GET the URL given to wrk; BENCH_HX=1 sends it as an htmx fragment request, BENCH_COOKIE
-- with a reader's cookies.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

if os.getenv("BENCH_HX") == "1" then
  wrk.headers["HX-Request"] = "true"
end

if os.getenv("BENCH_COOKIE") then
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
end
