-- wrk script of bench/web.sh: counts the responses that are not 2xx (a redirect to the
-- sign-in page would otherwise pass for a page) and prints one line the script reads:
--   WRK requests=N seconds=S p50=MS p99=MS max=MS non2xx=N connect=N read=N write=N timeout=N
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	non2xx = 0
end

function response(status, headers, body)
	if status < 200 or status > 299 then
		non2xx = non2xx + 1
	end
end

function done(summary, latency, requests)
	local bad = 0
	for _, t in ipairs(threads) do
		bad = bad + t:get("non2xx")
	end
	local e = summary.errors
	io.write(string.format("WRK requests=%d seconds=%.3f p50=%.2f p99=%.2f max=%.2f non2xx=%d "
		.. "connect=%d read=%d write=%d timeout=%d\n", summary.requests,
		summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		latency.max / 1000, bad, e.connect, e.read, e.write, e.timeout))
end
