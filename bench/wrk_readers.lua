-- Spread requests over the paths listed in the file named after "--" (see wrk_paths.lua)
-- and count the answers Varnish gave from its cache (X-Cache: HIT) and the others.
local folder = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(folder .. "wrk_paths.lua")

-- Each wrk thread has its own Lua state: wrk_report.lua adds up the threads' counts.
hits, misses = 0, 0

function response(status, headers, body)
  local cache = headers["X-Cache"] or headers["x-cache"] or ""
  if cache:sub(1, 3) == "HIT" then
    hits = hits + 1
  else
    misses = misses + 1
  end
end
