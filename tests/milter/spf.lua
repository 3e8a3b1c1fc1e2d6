-- spf.lua - SPFSelfValidate through the milter protocol (run by spf.test).
-- The SPF records come from TestDNSData; client addresses are TEST-NET ones
-- (libspf2 passes every loopback client).  SPF_MODE says which
-- configuration the filter runs: "self" or "ignore" (SPFIgnoreResults too).
local t = require("lib")
local mode = os.getenv("SPF_MODE")

local function headers(extra)
	local h = { { "Received", "from client.example by mx.test.example; Tue, 1 Jan 2030 00:00:00 +0000" } }
	for _, v in ipairs(extra) do h[#h + 1] = v end
	h[#h + 1] = { "Date", "Tue, 1 Jan 2030 00:00:00 +0000" }
	return h
end

local function expect_insert(conn, value)
	if not mt.eom_check(conn, MT_HDRINSERT, "Authentication-Results", value) then
		error("no A-R \"" .. value .. "\"", 2)
	end
end

local function refute_spf(conn)
	for i = 0, 4 do
		local v = mt.getheader(conn, "Authentication-Results", i)
		if v and string.find(v, "spf=", 1, true) then error("unexpected A-R: " .. v, 2) end
	end
end

local cases = {
	{ "self SPF fail, p=none domain", function()
		local conn, r = t.message({ jobid = "J-SPFFAIL", ip = "198.51.100.7",
			mailfrom = "<user@spf.example>", headers = headers({ { "From", "user@spf.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		expect_insert(conn, "mx.test.example; spf=fail smtp.mailfrom=spf.example")
		t.expect_ar(conn, "mx.test.example; dmarc=fail (p=none dis=none) header.from=spf.example")
		mt.disconnect(conn)
	end },
	{ "self SPF pass aligns", function()
		local conn, r = t.message({ jobid = "J-SPFPASS", ip = "192.0.2.5",
			mailfrom = "<user@spf.example>", headers = headers({ { "From", "user@spf.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		expect_insert(conn, "mx.test.example; spf=pass smtp.mailfrom=spf.example")
		t.expect_ar(conn, "mx.test.example; dmarc=pass (p=none dis=none) header.from=spf.example")
		mt.disconnect(conn)
	end },
	{ "null sender: HELO identity", function()
		local conn, r = t.message({ jobid = "J-SPFHELO", ip = "198.51.100.7", helo = "helo.example",
			mailfrom = "<>", headers = headers({ { "From", "user@spf.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		expect_insert(conn, "mx.test.example; spf=fail smtp.helo=helo.example")
		mt.disconnect(conn)
	end },
	{ "softfail is reported as softfail", function()
		local conn, r = t.message({ jobid = "J-SPFSOFT", ip = "198.51.100.7",
			mailfrom = "<user@soft.example>", headers = headers({ { "From", "user@spf.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		expect_insert(conn, "mx.test.example; spf=softfail smtp.mailfrom=soft.example")
		mt.disconnect(conn)
	end },
}

if mode == "self" then
	cases[#cases + 1] = { "a trusted spf= result is used, no check", function()
		local conn, r = t.message({ jobid = "J-SPFTRUST", ip = "198.51.100.7",
			mailfrom = "<user@spf.example>", headers = headers({
				{ "Authentication-Results", "relay.test.example; spf=pass smtp.mailfrom=spf.example" },
				{ "From", "user@spf.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		refute_spf(conn)
		t.expect_ar(conn, "mx.test.example; dmarc=pass (p=none dis=none) header.from=spf.example")
		mt.disconnect(conn)
	end }
else
	cases[#cases + 1] = { "SPFIgnoreResults: the trusted spf=pass is ignored", function()
		local conn, r = t.message({ jobid = "J-SPFIGN", ip = "198.51.100.7",
			mailfrom = "<user@spf.example>", headers = headers({
				{ "Authentication-Results", "relay.test.example; spf=pass smtp.mailfrom=spf.example" },
				{ "From", "user@spf.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		expect_insert(conn, "mx.test.example; spf=fail smtp.mailfrom=spf.example")
		t.expect_ar(conn, "mx.test.example; dmarc=fail (p=none dis=none) header.from=spf.example")
		mt.disconnect(conn)
	end }
end

t.run(cases)
