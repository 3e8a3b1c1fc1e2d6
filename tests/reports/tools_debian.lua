-- tools_debian.lua - miltertest script of tools_debian.test: drives a
-- milter (Debian's OpenDMARC 1.4.2) through COUNT messages so that it
-- writes a history file with varied records: DMARC records with and
-- without rua, several DKIM signatures and results, SPF results, bounces,
-- IPv6 clients, ARC sets, mixed-case From: domains.
-- Environment: FILTER, CONF, SOCK, COUNT.

local domains = { "a.example", "b.example", "c.example", "d.example", "MiXeD.Example" }
local dkim = { "pass", "fail", "none", "temperror", "permerror", "neutral" }
local spf = { "pass", "fail", "softfail", "neutral", "none", "temperror" }

local function check(got, want, what)
	if got ~= want then
		error(what .. ": got " .. tostring(got) .. ", want " .. tostring(want))
	end
end

local function authres(i, from)
	local parts = { "mx.test.example" }
	if i % 4 ~= 3 then
		table.insert(parts, "dkim=" .. dkim[i % #dkim + 1] .. " header.d=" .. from ..
			" header.s=s" .. (i % 3))
	end
	if i % 5 == 0 then
		table.insert(parts, "dkim=pass header.d=Signer.Example header.s=k" .. (i % 2))
	end
	table.insert(parts, "spf=" .. spf[i % #spf + 1] .. " smtp.mailfrom=bounce@" .. from)
	if i % 11 == 0 then
		table.insert(parts, "arc=pass smtp.remote-ip=192.0.2.99")
	end
	return table.concat(parts, "; ")
end

local function message(i)
	local from = domains[i % #domains + 1]
	local conn = mt.connect(os.getenv("SOCK"), 40, 0.05)
	if conn == nil then error("mt.connect() failed") end
	local ip = (i % 9 == 0) and ("2001:db8::" .. i) or ("192.0.2." .. (i % 250 + 1))
	check(mt.conninfo(conn, "client.example", ip), nil, "conninfo")
	check(mt.getreply(conn), SMFIR_CONTINUE, "conninfo reply")
	check(mt.helo(conn, "client.example"), nil, "helo")
	mt.getreply(conn)
	mt.macro(conn, SMFIC_MAIL, "i", string.format("DEB%05d", i))
	local mailfrom = (i % 13 == 0) and "<>" or ("<bounce@" .. from .. ">")
	check(mt.mailfrom(conn, mailfrom), nil, "mailfrom")
	mt.getreply(conn)
	check(mt.rcptto(conn, "<user@mx.test.example>"), nil, "rcptto")
	mt.getreply(conn)
	local headers = {
		{ "Authentication-Results", authres(i, from) },
		{ "From", "Sender <user@" .. from .. ">" },
		{ "To", "user@mx.test.example" },
		{ "Subject", "message " .. i },
		{ "Date", "Tue, 14 Nov 2023 22:13:20 +0000" },
		{ "Message-ID", "<" .. i .. "@client.example>" },
	}
	if i % 11 == 0 then
		table.insert(headers, 1, { "ARC-Seal",
			"i=1; a=rsa-sha256; cv=none; d=fwd.example; s=arc" .. (i % 2) .. "; b=AAAA" })
		table.insert(headers, 2, { "ARC-Authentication-Results",
			"i=1; mx.fwd.example; arc=none smtp.remote-ip=198.51.100." .. (i % 200) })
	end
	for _, h in ipairs(headers) do
		check(mt.header(conn, h[1], h[2]), nil, "header " .. h[1])
		mt.getreply(conn)
	end
	check(mt.eom(conn), nil, "eom")
	mt.getreply(conn)
	mt.disconnect(conn)
end

mt.startfilter(os.getenv("FILTER"), "-f", "-c", os.getenv("CONF"), "-p", os.getenv("SOCK"))
for i = 1, tonumber(os.getenv("COUNT") or "100") do
	local ok, err = pcall(message, i)
	if not ok then
		mt.echo("message " .. i .. ": " .. tostring(err))
		error("stopped")
	end
end
