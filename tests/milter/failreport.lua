-- failreport.lua - failure reports through the milter protocol (run by
-- failreport.test, which checks what the capturing ReportCommand got).
-- FR_MODE: "on" (FailureReports with Bcc, SentBy and a 2/1h rate limit),
-- "none" (FailureReportsOnNone too) or "off" (FailureReports false).
local t = require("lib")
local mode = os.getenv("FR_MODE")

local function headers(extra)
	local h = { { "Received", "from client.example by mx.test.example; Tue, 1 Jan 2030 00:00:00 +0000" } }
	for _, v in ipairs(extra) do h[#h + 1] = v end
	h[#h + 1] = { "Date", "Tue, 1 Jan 2030 00:00:00 +0000" }
	h[#h + 1] = { "Subject", "test" }
	return h
end

local function send(jobid, from, extra, want)
	local h = extra or {}
	h[#h + 1] = { "From", from }
	local conn, r = t.message({ jobid = jobid, ip = "198.51.100.7", headers = headers(h),
		mailfrom = "<bounce@sender.example>" })
	t.expect(r, want or SMFIR_ACCEPT, "eom reply")
	mt.disconnect(conn)
end

local cases = {
	{ "fo=0: DMARC failure reported (and rejected)", function()
		send("J-FR1", "a@fr.example", {
			{ "X-Evil", "x\r\nBcc: injected@attacker.example" } }, SMFIR_REPLYCODE)
	end },
	{ "external ruf= checked (RFC 7489 7.1)", function()
		send("J-FREXT", "a@ext.example")
	end },
	{ "p=none domain", function() send("J-FRNONE", "a@frnone.example") end },
	{ "fo=1: DMARC pass with SPF unaligned", function()
		send("J-FO1", "a@fo1.example", {
			{ "Authentication-Results", "relay.test.example; dkim=pass header.d=fo1.example header.s=s" } })
	end },
	{ "fo=0 and DMARC pass: no report", function()
		send("J-FOPASS", "a@fr.example", {
			{ "Authentication-Results", "relay.test.example; dkim=pass header.d=fr.example header.s=s" } })
	end },
	{ "no ruf=: Bcc only", function() send("J-FRBCC", "a@noruf.example") end },
	{ "rate limit: 1st", function() send("J-RL1", "a@rl.example") end },
	{ "rate limit: 2nd", function() send("J-RL2", "a@rl.example") end },
	{ "rate limit: 3rd", function() send("J-RL3", "a@rl.example") end },
	{ "a feedback report itself is not reported", function()
		send("J-FRLOOP", "a@rl2.example", {
			{ "Content-Type", "multipart/report; report-type=feedback-report; boundary=x" } })
	end },
}
if mode == "off" then
	cases = { cases[1] }
end
t.run(cases)
