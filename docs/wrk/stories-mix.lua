-- wrk script for `storyline bench --serve --hold`: /api/stories with a mix of queries, so the
-- figure is not only the default page (which the server keeps for a second). The mix is that
-- of the in-process bench (ServeBench.QUERIES) plus every sort with several limits; the
-- search words come from the bench's synthetic vocabulary (word(i) in ServeBench).
--
--   wrk -t2 -c50 -d30s --latency -s docs/wrk/stories-mix.lua http://127.0.0.1:8080
--
-- wrk counts answers other than 2xx/3xx as "Non-2xx or 3xx responses": there should be none.

local syllables = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ba", "de"}

local function word()
  local i = math.random(0, 1999)
  return syllables[i % 10 + 1] .. syllables[math.floor(i / 10) % 10 + 1]
      .. syllables[math.floor(i / 100) % 10 + 1] .. (i >= 1000 and "n" or "")
end

local sorts = {"trending", "new", "size"}
local limits = {"20", "50", "100", "500"}

local queries = {
  function() return "" end,
  function() return "?sort=new" end,
  function() return "?sort=size&limit=100" end,
  function() return "?q=" .. word() end,
  function() return "?lang=en&minSources=2" end,
  function() return "?source=Source%2012" end,
  function() return "?q=" .. word() .. "%20" .. word() .. "&sort=new" end,
  function()
    return "?sort=" .. sorts[math.random(#sorts)] .. "&limit=" .. limits[math.random(#limits)]
  end,
  function() return "?lang=en&sort=" .. sorts[math.random(#sorts)] end,
}

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  -- Another sequence at every run: readers do not repeat the searches of the last run.
  math.randomseed(os.time() * 16 + (id or 1))
end

function request()
  return wrk.format("GET", "/api/stories" .. queries[math.random(#queries)]())
end
