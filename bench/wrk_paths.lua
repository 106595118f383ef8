-- Spread requests over the paths listed (one per line) in the file named after "--".
local folder = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(folder .. "wrk_report.lua")

local paths = {}

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(paths, line) end
  end
  -- Each wrk thread has its own Lua state: seed each differently.
  math.randomseed(os.time() + tonumber(tostring(paths):match("0x(%x+)"), 16) % 1000003)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
