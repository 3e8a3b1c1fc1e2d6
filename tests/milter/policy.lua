-- policy.lua - pass, reject, quarantine hold, no record, permerror, forged
-- A-R removal, multi-valued From, the ARC override (DomainWhitelist), the
-- record's fo/np/t in the history file and IgnoreHosts through the
-- milter protocol.
local t = require("lib")

local base = {
	{ "Received", "from client.example by mx.test.example; Tue, 1 Jan 2030 00:00:00 +0000" },
}
local function headers(extra)
	local h = {}
	for _, v in ipairs(base) do h[#h + 1] = v end
	for _, v in ipairs(extra) do h[#h + 1] = v end
	h[#h + 1] = { "To", "rcpt@dest.example" }
	h[#h + 1] = { "Date", "Tue, 1 Jan 2030 00:00:00 +0000" }
	h[#h + 1] = { "Subject", "test" }
	return h
end

t.run({
	{ "pass via trusted DKIM", function()
		local conn, r = t.message({ jobid = "J-PASS", headers = headers({
			{ "Authentication-Results", "relay.test.example; dkim=pass header.d=pass.example header.s=s1" },
			{ "From", "Alice <alice@pass.example>" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		t.expect_ar(conn, "mx.test.example; dmarc=pass (p=reject dis=none) header.from=pass.example")
		if not mt.eom_check(conn, MT_HDRINSERT, "DMARC-Filter") then error("no DMARC-Filter") end
		mt.disconnect(conn)
	end },
	{ "untrusted DKIM does not pass; reject", function()
		local conn, r = t.message({ jobid = "J-REJ", headers = headers({
			{ "Authentication-Results", "stranger.example; dkim=pass header.d=reject.example" },
			{ "From", "bob@reject.example" } }) })
		t.expect(r, SMFIR_REPLYCODE, "eom reply")
		if not mt.eom_check(conn, MT_SMTPREPLY, "550", "5.7.1",
		                    "rejected by DMARC policy for reject.example") then
			error("no 550 5.7.1 reply")
		end
		mt.disconnect(conn)
	end },
	{ "quarantine held", function()
		local conn, r = t.message({ jobid = "J-QUAR", headers = headers({
			{ "From", "carol@quar.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		if not mt.eom_check(conn, MT_QUARANTINE) then error("not quarantined") end
		t.expect_ar(conn, "mx.test.example; dmarc=fail (p=quarantine dis=quarantine) header.from=quar.example")
		mt.disconnect(conn)
	end },
	{ "no record", function()
		local conn, r = t.message({ jobid = "J-NONE", headers = headers({
			{ "From", "dave@norecord.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		t.expect_ar(conn, "mx.test.example; dmarc=none (p=none dis=none) header.from=norecord.example")
		if mt.eom_check(conn, MT_QUARANTINE) then error("quarantined") end
		mt.disconnect(conn)
	end },
	{ "invalid p= without rua: record discarded (RFC 7489 6.6.3)", function()
		local conn, r = t.message({ jobid = "J-PERM", headers = headers({
			{ "From", "erin@bad.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		t.expect_ar(conn, "mx.test.example; dmarc=none (p=none dis=none) header.from=bad.example")
		mt.disconnect(conn)
	end },
	{ "forged A-R with our authserv-id removed and not used", function()
		local conn, r = t.message({ jobid = "J-FORGED", headers = headers({
			{ "Authentication-Results", "mx.test.example; dkim=pass header.d=none.example" },
			{ "Authentication-Results", "MX.TEST.EXAMPLE; spf=pass smtp.mailfrom=x@none.example" },
			{ "From", "frank@none.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		if not mt.eom_check(conn, MT_HDRDELETE, "Authentication-Results") then
			error("forged field not deleted")
		end
		t.expect_ar(conn, "mx.test.example; dmarc=fail (p=none dis=none) header.from=none.example")
		mt.disconnect(conn)
	end },
	{ "multi-valued From: the failing domain decides", function()
		local conn, r = t.message({ jobid = "J-MULTI", headers = headers({
			{ "Authentication-Results", "relay.test.example; dkim=pass header.d=pass.example" },
			{ "From", "a@pass.example, b@reject.example" } }) })
		t.expect(r, SMFIR_REPLYCODE, "eom reply")
		if not mt.eom_check(conn, MT_SMTPREPLY, "550", "5.7.1",
		                    "rejected by DMARC policy for reject.example") then
			error("no 550 for reject.example")
		end
		mt.disconnect(conn)
	end },
	{ "two From fields: the failing domain decides", function()
		local conn, r = t.message({ jobid = "J-MULTI2", headers = headers({
			{ "Authentication-Results", "relay.test.example; dkim=pass header.d=pass.example" },
			{ "From", "a@pass.example" }, { "From", "b@quar.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		if not mt.eom_check(conn, MT_QUARANTINE) then error("not quarantined") end
		mt.disconnect(conn)
	end },
	{ "missing From never passes", function()
		local conn, r = t.message({ jobid = "J-NOFROM", headers = headers({}) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		t.expect_ar(conn, "mx.test.example; dmarc=permerror")
		mt.disconnect(conn)
	end },
	{ "ARC override: whitelisted sealer, p=reject not enforced", function()
		local conn, r = t.message({ jobid = "J-ARC", headers = headers({
			{ "Authentication-Results", "relay.test.example; arc=pass smtp.remote-ip=192.0.2.10" },
			{ "ARC-Seal", "i=1; a=rsa-sha256; cv=none; d=lists.example; s=arc; b=AAAA" },
			{ "ARC-Authentication-Results", "i=1; mx.lists.example; arc=none smtp.remote-ip=198.51.100.3" },
			{ "From", "bob@reject.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		t.expect_ar(conn, "mx.test.example; dmarc=fail (p=reject dis=none) header.from=reject.example")
		mt.disconnect(conn)
	end },
	{ "ARC override (DomainWhitelistFile): quarantine not held", function()
		local conn, r = t.message({ jobid = "J-ARCQ", headers = headers({
			{ "Authentication-Results", "relay.test.example; arc=pass" },
			{ "ARC-Seal", "i=1; a=rsa-sha256; cv=none; d=forwarder.example; s=arc; b=AAAA" },
			{ "From", "carol@quar.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		if mt.eom_check(conn, MT_QUARANTINE) then error("quarantined despite the override") end
		t.expect_ar(conn, "mx.test.example; dmarc=fail (p=quarantine dis=none) header.from=quar.example")
		mt.disconnect(conn)
	end },
	{ "ARC chain sealed by a domain not whitelisted: rejected", function()
		local conn, r = t.message({ jobid = "J-ARCNO", headers = headers({
			{ "Authentication-Results", "relay.test.example; arc=pass" },
			{ "ARC-Seal", "i=1; a=rsa-sha256; cv=none; d=other.example; s=arc; b=AAAA" },
			{ "From", "bob@reject.example" } }) })
		t.expect(r, SMFIR_REPLYCODE, "eom reply")
		mt.disconnect(conn)
	end },
	{ "untrusted arc=pass does not override", function()
		local conn, r = t.message({ jobid = "J-ARCUNTRUSTED", headers = headers({
			{ "Authentication-Results", "stranger.example; arc=pass" },
			{ "ARC-Seal", "i=1; a=rsa-sha256; cv=none; d=lists.example; s=arc; b=AAAA" },
			{ "From", "bob@reject.example" } }) })
		t.expect(r, SMFIR_REPLYCODE, "eom reply")
		mt.disconnect(conn)
	end },
	{ "fo=, np=, t= of the record go to the history file", function()
		local conn, r = t.message({ jobid = "J-EXT", headers = headers({
			{ "From", "gina@ext.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		t.expect_ar(conn, "mx.test.example; dmarc=fail (p=none dis=none) header.from=ext.example")
		mt.disconnect(conn)
	end },
	{ "a subdomain: the org domain's record, found via the suffix list", function()
		local conn, r = t.message({ jobid = "J-EXTSUB", headers = headers({
			{ "From", "hal@sub.ext.example" } }) })
		t.expect(r, SMFIR_ACCEPT, "eom reply")
		t.expect_ar(conn, "mx.test.example; dmarc=fail (p=none dis=none) header.from=sub.ext.example")
		mt.disconnect(conn)
	end },
	{ "IgnoreHosts default skips ::1/127.0.0.1", function()
		local conn = t.connect({ ip = "127.0.0.1", host = "localhost" })
		t.expect(mt.getreply(conn), SMFIR_ACCEPT, "conninfo reply")
		mt.disconnect(conn)
	end },
	{ "IgnoreAuthenticatedClients", function()
		local conn, r = t.message({ jobid = "J-AUTH", auth = "someone", headers = {} })
		t.expect(r, SMFIR_ACCEPT, "mailfrom reply")
		mt.disconnect(conn)
	end },
})
