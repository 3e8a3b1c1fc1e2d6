-- dkim.lua - a Mail::DKIM-signed message (file $DKIM_MESSAGE) through the
-- milter protocol with DKIMSelfValidate and SPFSelfValidate, DNS from nsd
-- (run by dkim.test inside its namespaces).
local t = require("lib")

-- headers (unfolded: one per line) and body (CRLF) of the message file
local function load(path)
	local f = assert(io.open(path, "r"))
	local hdrs, body, inbody = {}, {}, false
	for line in f:lines() do
		if inbody then
			body[#body + 1] = line .. "\r\n"
		elseif line == "" then
			inbody = true
		else
			local name, value = string.match(line, "^([^:]+):%s*(.*)$")
			hdrs[#hdrs + 1] = { name, value }
		end
	end
	f:close()
	return hdrs, table.concat(body)
end

-- like lib.message(), with a body
local function send(opts, hdrs, body)
	local conn = t.connect(opts)
	t.expect(mt.getreply(conn), SMFIR_CONTINUE, "conninfo reply")
	t.expect(mt.helo(conn, "client.example"), nil, "helo")
	t.expect(mt.getreply(conn), SMFIR_CONTINUE, "helo reply")
	mt.macro(conn, SMFIC_MAIL, "i", opts.jobid)
	t.expect(mt.mailfrom(conn, opts.mailfrom), nil, "mailfrom")
	t.expect(mt.getreply(conn), SMFIR_CONTINUE, "mailfrom reply")
	for _, h in ipairs(hdrs) do
		t.expect(mt.header(conn, h[1], h[2]), nil, "header " .. h[1])
		t.expect(mt.getreply(conn), SMFIR_CONTINUE, "header reply " .. h[1])
	end
	t.expect(mt.bodystring(conn, body), nil, "body")
	t.expect(mt.getreply(conn), SMFIR_CONTINUE, "body reply")
	t.expect(mt.eom(conn), nil, "eom")
	return conn, mt.getreply(conn)
end

local hdrs, body = load(os.getenv("DKIM_MESSAGE"))
local plain = {
	{ "From", "user@spfa.example" }, { "Date", "Tue, 1 Jan 2030 00:00:00 +0000" },
}

t.run({
	{ "signed message passes through DKIM alone", function()
		local conn, r = send({ jobid = "J-DKIM", ip = "203.0.113.9",
			mailfrom = "<alice@dkim.example>" }, hdrs, body)
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		t.expect_ar(conn, "mx.test.example; dmarc=pass (p=reject dis=none) header.from=dkim.example")
		if not mt.eom_check(conn, MT_HDRINSERT, "Authentication-Results",
		                    "mx.test.example; dkim=pass header.d=dkim.example header.s=s1") then
			error("no dkim=pass field")
		end
		mt.disconnect(conn)
	end },
	{ "tampered body is rejected", function()
		local conn, r = send({ jobid = "J-DKIMBAD", ip = "203.0.113.9",
			mailfrom = "<alice@dkim.example>" }, hdrs, body .. "appended\r\n")
		t.expect(r, SMFIR_REPLYCODE, "eom reply")
		mt.disconnect(conn)
	end },
	{ "SPF a: mechanism via libspf2's resolver", function()
		local conn, r = send({ jobid = "J-SPFA", ip = "192.0.2.25",
			mailfrom = "<user@spfa.example>" }, plain, "x\r\n")
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		t.expect_ar(conn, "mx.test.example; dmarc=pass (p=reject dis=none) header.from=spfa.example")
		mt.disconnect(conn)
	end },
	{ "SPF mx mechanism via libspf2's resolver", function()
		local conn, r = send({ jobid = "J-SPFMX", ip = "198.51.100.25",
			mailfrom = "<user@spfa.example>" }, plain, "x\r\n")
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		mt.disconnect(conn)
	end },
})
