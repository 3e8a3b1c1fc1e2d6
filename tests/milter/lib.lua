-- lib.lua - helpers shared by the miltertest scripts of tests/milter and
-- tests/e2e/signals.lua.
-- The shell wrapper (milter.sh) exports FILTER, CONF and SOCK.  Each case
-- runs inside pcall so one failing case is reported by name and the
-- others still run (miltertest itself exits 1 without a message on any
-- Lua error).
local M = {}

function M.start()
	mt.startfilter(os.getenv("FILTER"), "-f", "-v", "-c", os.getenv("CONF"),
	               "-p", os.getenv("SOCK"))
end

local function expect(got, want, what)
	if got ~= want then
		error(what .. ": got " .. tostring(got) .. ", want " .. tostring(want), 2)
	end
end
M.expect = expect

-- Connects and sends one message; opts: ip, host, mailfrom, jobid,
-- auth (SASL name), headers = { {name, value}, ... }.
function M.connect(opts)
	local conn = mt.connect(os.getenv("SOCK"), 40, 0.05)
	if conn == nil then error("mt.connect() failed") end
	expect(mt.conninfo(conn, opts.host or "client.example", opts.ip or "192.0.2.10"),
	       nil, "conninfo")
	return conn
end

function M.message(opts)
	local conn = M.connect(opts)
	expect(mt.getreply(conn), SMFIR_CONTINUE, "conninfo reply")
	-- HELO first: it would discard MAIL macros declared before it
	expect(mt.helo(conn, opts.helo or "client.example"), nil, "helo")
	expect(mt.getreply(conn), SMFIR_CONTINUE, "helo reply")
	if opts.auth then
		mt.macro(conn, SMFIC_MAIL, "i", opts.jobid or "JOB", "{auth_authen}", opts.auth)
	else
		mt.macro(conn, SMFIC_MAIL, "i", opts.jobid or "JOB")
	end
	expect(mt.mailfrom(conn, opts.mailfrom or "<user@sender.example>"), nil, "mailfrom")
	local r = mt.getreply(conn)
	if r ~= SMFIR_CONTINUE then return conn, r end
	for _, h in ipairs(opts.headers) do
		expect(mt.header(conn, h[1], h[2]), nil, "header " .. h[1])
		expect(mt.getreply(conn), SMFIR_CONTINUE, "header reply " .. h[1])
	end
	expect(mt.eom(conn), nil, "eom")
	return conn, mt.getreply(conn)
end

-- The dmarc= field the filter inserted at the top.
function M.expect_ar(conn, value)
	if not mt.eom_check(conn, MT_HDRINSERT, "Authentication-Results", value, 0) then
		error("no A-R \"" .. value .. "\" at index 0; got \"" ..
		      tostring(mt.getheader(conn, "Authentication-Results", 0)) .. "\"", 2)
	end
end

-- Runs each case { name, function } in pcall, reports it by name, and
-- fails once all have run if any failed.
function M.run_cases(cases)
	local failed = 0
	for _, c in ipairs(cases) do
		local ok, err = pcall(c[2])
		if ok then
			mt.echo("PASS: " .. c[1])
		else
			mt.echo("FAIL: " .. c[1] .. ": " .. tostring(err))
			failed = failed + 1
		end
	end
	if failed > 0 then error(failed .. " case(s) failed") end
end

function M.run(cases)
	M.start()
	M.run_cases(cases)
end

return M
