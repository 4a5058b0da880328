-- GET the URL given to wrk; BENCH_HX=1 sends it as an htmx fragment request.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

if os.getenv("BENCH_HX") == "1" then
  wrk.headers["HX-Request"] = "true"
end
