-- signals.lua - reload (SIGUSR1, SIGHUP) and drain (SIGTERM) of a running
-- daemon, driven through the milter protocol by signals.test, which
-- exports SOCK, LOG, PID, WORK and PHASE:
--   reload: a connection opened before a reload keeps its configuration,
--           later ones get the new one (authserv-id, RejectFailures and the
--           TestDNSData answers, read again from scratch); a configuration
--           that does not load leaves the running one in force; a reload
--           while 20 connections are half way through a message.
--   drain:  SIGTERM while a message is half sent: new connections are
--           temp-failed, the message still gets its verdict.
-- Each case runs inside pcall (miltertest exits 1 without a message on a
-- Lua error).
local SOCK, LOG, PID, WORK = os.getenv("SOCK"), os.getenv("LOG"), os.getenv("PID"), os.getenv("WORK")

local lib = require("lib") -- tests/milter/lib.lua
local expect, expect_ar = lib.expect, lib.expect_ar

local function count(pattern)
	local f = io.open(LOG, "r")
	if f == nil then return 0 end
	local n = 0
	for line in f:lines() do
		if string.find(line, pattern, 1, true) then n = n + 1 end
	end
	f:close()
	return n
end

-- waits (10 s) until LOG holds pattern more than `before` times
local function wait_log(pattern, before)
	for _ = 1, 100 do
		if count(pattern) > before then return end
		mt.sleep(0.1)
	end
	error("log never said \"" .. pattern .. "\"")
end

local function sh(cmd)
	local r = os.execute(cmd)
	if r ~= true and r ~= 0 then error("command failed: " .. cmd) end
end

-- a connection up to the end of the header; the caller sends eom
local function half(jobid, from)
	local conn = mt.connect(SOCK, 40, 0.05)
	if conn == nil then error("mt.connect() failed") end
	expect(mt.conninfo(conn, "client.example", "192.0.2.10"), nil, "conninfo")
	expect(mt.getreply(conn), SMFIR_CONTINUE, "conninfo reply")
	expect(mt.helo(conn, "client.example"), nil, "helo")
	expect(mt.getreply(conn), SMFIR_CONTINUE, "helo reply")
	mt.macro(conn, SMFIC_MAIL, "i", jobid)
	expect(mt.mailfrom(conn, "<user@" .. from .. ">"), nil, "mailfrom")
	expect(mt.getreply(conn), SMFIR_CONTINUE, "mailfrom reply")
	local hdrs = {
		{ "Received", "from client.example by mx.test.example; Tue, 1 Jan 2030 00:00:00 +0000" },
		{ "From", "user@" .. from }, { "To", "rcpt@dest.example" },
		{ "Date", "Tue, 1 Jan 2030 00:00:00 +0000" }, { "Subject", jobid },
	}
	for _, h in ipairs(hdrs) do
		expect(mt.header(conn, h[1], h[2]), nil, "header " .. h[1])
		expect(mt.getreply(conn), SMFIR_CONTINUE, "header reply " .. h[1])
	end
	return conn
end

local function finish(conn)
	expect(mt.eom(conn), nil, "eom")
	return mt.getreply(conn)
end

local function message(jobid, from)
	local conn = half(jobid, from)
	return conn, finish(conn)
end

local function reload(conf, sig)
	local before = count("configuration reloaded")
	local failed = count("reload failed")
	sh("cp " .. WORK .. "/" .. conf .. " " .. WORK .. "/opendmarc.conf")
	sh("kill -" .. sig .. " " .. PID)
	for _ = 1, 100 do
		if count("configuration reloaded") > before or count("reload failed") > failed then return end
		mt.sleep(0.1)
	end
	error("no reload logged")
end

local cases
if os.getenv("PHASE") == "reload" then cases = {
	{ "SIGUSR1: a connection keeps its configuration across a reload", function()
		local old = half("J-OLD", "reject.example")
		reload("v2.conf", "USR1")
		expect(count("configuration reloaded"), 1, "reloads logged")
		-- v1: RejectFailures false, authserv-id old.test.example
		expect(finish(old), SMFIR_ACCEPT, "eom reply on the old connection")
		expect_ar(old, "old.test.example; dmarc=fail (p=reject dis=none) header.from=reject.example")
		mt.disconnect(old)
	end },
	{ "new connections get the new configuration", function()
		local conn, r = message("J-NEW", "reject.example")
		expect(r, SMFIR_REPLYCODE, "reject under v2")
		mt.disconnect(conn)
		conn, r = message("J-NEW2", "none.example")
		expect(r, SMFIR_ACCEPT, "p=none")
		expect_ar(conn, "new.test.example; dmarc=fail (p=none dis=none) header.from=none.example")
		mt.disconnect(conn)
	end },
	{ "TestDNSData is read again, not added to", function()
		local conn, r = message("J-ADDED", "added.example")
		expect(r, SMFIR_REPLYCODE, "added.example (p=reject only in v2's data)")
		mt.disconnect(conn)
		conn, r = message("J-GONE", "gone.example")
		expect(r, SMFIR_ACCEPT, "gone.example (p=reject only in v1's data)")
		expect_ar(conn, "new.test.example; dmarc=none (p=none dis=none) header.from=gone.example")
		mt.disconnect(conn)
	end },
	{ "a configuration that does not load is ignored", function()
		reload("bad.conf", "USR1")
		expect(count("reload failed"), 1, "failed reloads logged")
		local conn, r = message("J-AFTERBAD", "none.example")
		expect(r, SMFIR_ACCEPT, "p=none")
		expect_ar(conn, "new.test.example; dmarc=fail (p=none dis=none) header.from=none.example")
		mt.disconnect(conn)
	end },
	{ "SIGHUP: a reload while 20 connections are open", function()
		local conns = {}
		for i = 1, 20 do conns[i] = half("J-LOAD" .. i, "none.example") end
		reload("v1.conf", "HUP")
		expect(count("configuration reloaded"), 2, "reloads logged")
		for i = 1, 20 do
			expect(finish(conns[i]), SMFIR_ACCEPT, "eom " .. i)
			expect_ar(conns[i], "new.test.example; dmarc=fail (p=none dis=none) header.from=none.example")
			mt.disconnect(conns[i])
		end
		local conn, r = message("J-V1", "none.example")
		expect(r, SMFIR_ACCEPT, "p=none")
		expect_ar(conn, "old.test.example; dmarc=fail (p=none dis=none) header.from=none.example")
		mt.disconnect(conn)
	end },
} else cases = {
	{ "SIGTERM drains a message in progress", function()
		local conn = half("J-DRAIN", "reject.example")
		sh("kill -TERM " .. PID)
		wait_log("waiting for 1 open connection", 0)
		local late = mt.connect(SOCK, 40, 0.05)
		if late == nil then error("mt.connect() failed while draining") end
		expect(mt.conninfo(late, "client.example", "192.0.2.11"), nil, "late conninfo")
		expect(mt.getreply(late), SMFIR_TEMPFAIL, "a new connection while draining")
		mt.disconnect(late)
		expect(finish(conn), SMFIR_ACCEPT, "eom reply while draining")
		expect_ar(conn, "old.test.example; dmarc=fail (p=reject dis=none) header.from=reject.example")
		mt.disconnect(conn)
	end },
} end

lib.run_cases(cases)
