#!/usr/bin/perl
# protocol.pl UNIXSOCK INETHOST:PORT - the milter protocol as MTAs other
# than miltertest speak it, byte by byte: what the daemon negotiates over
# a unix socket and over TCP, pipelined steps without answers, every step
# answered for an MTA that offers no "no reply" flags, a version 2 MTA,
# SMFIC_QUIT_NC, a decision taken in an unanswered step, and hostile
# packets (each must close that connection only).  Prints "ok: ..." or
# "no: ..." per check; exits 1 when any check failed.
use strict;
use warnings;
use IO::Socket::UNIX;
use IO::Socket::INET;
use IO::Select;

my ($unix_path, $inet) = @ARGV;
my $failed = 0;

sub ok { print "ok: $_[0]\n" }
sub bad { print "no: $_[0]\n"; $failed = 1 }
sub check { my ($cond, $what) = @_; $cond ? ok($what) : bad($what); }

use constant {
	NOCONNECT => 0x1, NOHELO => 0x2, NOMAIL => 0x4, NORCPT => 0x8, NOBODY => 0x10,
	NOHDRS => 0x20, NOEOH => 0x40, NR_HDR => 0x80, NOUNKNOWN => 0x100, NODATA => 0x200,
	NR_CONN => 0x1000, NR_HELO => 0x2000, NR_MAIL => 0x4000, NR_RCPT => 0x8000,
	NR_DATA => 0x10000, NR_UNKN => 0x20000, NR_EOH => 0x40000, NR_BODY => 0x80000,
};

sub conn_unix { IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $unix_path) or die "connect $unix_path: $!" }
sub conn_inet { IO::Socket::INET->new(PeerAddr => $inet, Proto => 'tcp') or die "connect $inet: $!" }

sub pkt { my ($cmd, $data) = @_; $data //= ''; return pack('N', 1 + length $data) . $cmd . $data }
sub strs { return join('', map { "$_\0" } @_) }
sub optneg { my ($v, $a, $p) = @_; return pkt('O', pack('NNN', $v, $a, $p)) }
sub macros { my ($step, @kv) = @_; return pkt('D', $step . strs(@kv)) }
sub connect4 { return pkt('C', "$_[0]\0" . '4' . pack('n', 25) . "$_[1]\0") }
sub header { return pkt('L', strs($_[0], $_[1])) }

# reads exactly n bytes within 5 s; undef at EOF, "TIMEOUT" on time out
sub readn {
	my ($s, $n) = @_;
	my $buf = '';
	my $sel = IO::Select->new($s);
	while (length $buf < $n) {
		return 'TIMEOUT' unless $sel->can_read(5);
		my $r = sysread($s, $buf, $n - length $buf, length $buf);
		return undef unless $r;
	}
	return $buf;
}

# one reply: [cmd, data], or [EOF] / [TIMEOUT]
sub reply {
	my $s = shift;
	my $h = readn($s, 4);
	return ['EOF'] unless defined $h;
	return ['TIMEOUT'] if $h eq 'TIMEOUT';
	my $len = unpack('N', $h);
	my $b = readn($s, $len);
	return ['EOF'] unless defined $b && $b ne 'TIMEOUT';
	return [substr($b, 0, 1), substr($b, 1)];
}

# replies up to and including a final one (a, r, t, y, c after EOM)
sub replies_to_final {
	my $s = shift;
	my @r;
	for (1 .. 20) {
		my $r = reply($s);
		push @r, $r;
		last if $r->[0] =~ /^(a|r|t|y|EOF|TIMEOUT)$/;
	}
	return @r;
}

sub send_all { my ($s, $bytes) = @_; return defined syswrite($s, $bytes) }
sub names { return join(' ', map { $_->[0] } @_) }

my $FULL_ACTIONS = 0x1ff;
my $FULL_PROTO = 0x1fffff;
my $OUR_ACTIONS = 0x01 | 0x04 | 0x10 | 0x20;

sub negotiate {
	my ($s, $v, $a, $p) = @_;
	send_all($s, optneg($v, $a, $p));
	my $r = reply($s);
	return undef unless $r->[0] eq 'O' && length $r->[1] >= 12;
	return [unpack('NNN', $r->[1])];
}

sub message_bytes {
	my ($from, $qid, %o) = @_;
	my $b = '';
	$b .= macros('M', 'i', $qid, ($o{auth} ? ('{auth_authen}', $o{auth}) : ()));
	$b .= pkt('M', strs("<bounce\@$from>", 'SIZE=100'));
	$b .= macros('T', 'i', $qid);
	$b .= pkt('T');
	$b .= header('Received', ' from client.example by mx.test.example');
	$b .= header('From', " Someone <someone\@$from>");
	$b .= header('Subject', ' protocol test');
	$b .= macros('E', 'i', $qid);
	$b .= pkt('E');
	return $b;
}

# ---- 1. unix socket: negotiation and pipelined messages ----------------
{
	my $s = conn_unix();
	my $n = negotiate($s, 6, $FULL_ACTIONS, $FULL_PROTO);
	if (!$n) { bad("unix: no OPTNEG reply") }
	else {
		check(scalar($n->[0] == 6), "unix: version 6 (got $n->[0])");
		check(scalar($n->[1] == $OUR_ACTIONS), sprintf('unix: actions 0x%x (want 0x%x)', $n->[1], $OUR_ACTIONS));
		my $want = NR_HDR | NR_HELO | NR_MAIL | NR_DATA | NORCPT | NOEOH | NOBODY | NOUNKNOWN;
		check(scalar(($n->[2] & $want) == $want), sprintf('unix: asks no replies and skips (0x%x)', $n->[2]));
		check(scalar(!($n->[2] & (NR_CONN | NOCONNECT | NOMAIL | NOHDRS))), 'unix: connect, MAIL, headers still sent and connect answered');
	}
	send_all($s, macros('C', 'j', 'mx.test.example') . connect4('client.example', '192.0.2.1'));
	my $r = reply($s);
	check(scalar($r->[0] eq 'c'), "unix: connect answered c (got $r->[0])");
	# everything from HELO to end of message in one write: the only answers are at EOM
	send_all($s, pkt('H', "client.example\0") . message_bytes('reject.example', 'QREJ'));
	my @r = replies_to_final($s);
	check(scalar(names(@r) eq 'y'), 'unix: the only answer to a pipelined message is at its end (' . names(@r) . ')');
	check(scalar($r[-1][1] =~ /^550 5\.7\.1 rejected by DMARC policy for reject\.example\0$/), "unix: rejected with 550 5.7.1");
	# a second message on the same connection
	send_all($s, message_bytes('none.example', 'QNONE'));
	@r = replies_to_final($s);
	check(scalar(names(@r) eq 'i a' && $r[0][1] =~ /^\0\0\0\0Authentication-Results\0mx\.test\.example; dmarc=fail \(p=none dis=none\) header\.from=none\.example\0$/), 'unix: second message: A-R then accept (' . names(@r) . ')');
	# a decision taken after MAIL (authenticated client), given at EOM
	send_all($s, message_bytes('reject.example', 'QAUTH', auth => 'alice'));
	@r = replies_to_final($s);
	check(scalar(names(@r) eq 'a'), 'unix: authenticated client: accepted at EOM, nothing added (' . names(@r) . ')');
	# end of message without MAIL
	send_all($s, pkt('E'));
	@r = replies_to_final($s);
	check(scalar(names(@r) eq 'a'), 'unix: EOM without MAIL: accept (' . names(@r) . ')');
	# QUIT_NC: the same socket serves a new SMTP connection
	send_all($s, pkt('K') . macros('C', 'j', 'mx.test.example') . connect4('other.example', '192.0.2.2'));
	$r = reply($s);
	check(scalar($r->[0] eq 'c'), "unix: connect after QUIT_NC answered c (got $r->[0])");
	send_all($s, message_bytes('reject.example', 'QNC'));
	@r = replies_to_final($s);
	check(scalar($r[-1][0] eq 'y'), 'unix: message after QUIT_NC evaluated (' . names(@r) . ')');
	send_all($s, pkt('Q'));
	$r = reply($s);
	check(scalar($r->[0] eq 'EOF'), "unix: QUIT closes the connection (got $r->[0])");
}

# ---- 2. an MTA offering no "no reply" flags and no skips -----------------
{
	my $s = conn_unix();
	my $n = negotiate($s, 6, $FULL_ACTIONS, 0);
	check(scalar($n && $n->[2] == 0), 'no offer: protocol flags 0 ' . ($n ? sprintf('(0x%x)', $n->[2]) : '(no reply)'));
	my @steps = (
		['connect', macros('C', 'j', 'mx') . connect4('client.example', '192.0.2.3')],
		['helo', pkt('H', "client.example\0")],
		['mail', macros('M', 'i', 'QALL') . pkt('M', strs('<a@reject.example>'))],
		['rcpt', pkt('R', strs('<postmaster@rcpt.example>'))],
		['data', pkt('T')],
		['header', header('From', ' a@reject.example')],
		['header', header('Subject', ' all steps')],
		['eoh', pkt('N')],
		['body', pkt('B', "hello\r\n")],
		['unknown', pkt('U', "XYZZY\0")],
	);
	for my $st (@steps) {
		send_all($s, $st->[1]);
		my $r = reply($s);
		check(scalar($r->[0] eq 'c'), "no offer: $st->[0] answered c (got $r->[0])");
	}
	send_all($s, pkt('E'));
	my @r = replies_to_final($s);
	check(scalar(names(@r) eq 'y'), 'no offer: EOM: reject (' . names(@r) . ')');
}

# ---- 3. a version 2 MTA ------------------------------------------------------
{
	my $s = conn_unix();
	my $n = negotiate($s, 2, 0x1f, 0x7f);
	check(scalar($n && $n->[0] == 2 && $n->[1] == (0x1f & $OUR_ACTIONS) && ($n->[2] & ~0x7f) == 0), 'version 2 MTA: ' . ($n ? sprintf('version %d actions 0x%x protocol 0x%x', @$n) : 'no reply'));
}

# ---- 4. TCP: only header fields go unanswered --------------------------------
{
	my $s = conn_inet();
	my $n = negotiate($s, 6, $FULL_ACTIONS, $FULL_PROTO);
	check(scalar($n && ($n->[2] & NR_HDR) && !($n->[2] & (NR_HELO | NR_MAIL | NR_DATA | NR_BODY))), 'inet: only headers unanswered ' . ($n ? sprintf('(0x%x)', $n->[2]) : '(no reply)'));
	send_all($s, macros('C', 'j', 'mx') . connect4('client.example', '192.0.2.4'));
	my @seen = (reply($s)->[0]);
	send_all($s, pkt('H', "client.example\0"));
	push @seen, reply($s)->[0];
	send_all($s, macros('M', 'i', 'QTCP') . pkt('M', strs('<a@reject.example>')));
	push @seen, reply($s)->[0];
	send_all($s, pkt('T'));
	push @seen, reply($s)->[0];
	send_all($s, header('From', ' a@reject.example') . pkt('E'));
	my @r = replies_to_final($s);
	check(scalar("@seen" eq 'c c c c'), "inet: connect, HELO, MAIL, DATA answered (@seen)");
	check(scalar(names(@r) eq 'y'), 'inet: EOM: reject (' . names(@r) . ')');
}

# ---- 5. hostile packets: that connection ends, the daemon serves on ---------
my @hostile = (
	['length 0', pack('N', 0)],
	['length 0xffffffff', pack('N', 0xffffffff) . 'O'],
	['length 0x7fffffff', pack('N', 0x7fffffff) . 'Oabc'],
	['unknown command', optneg(6, $FULL_ACTIONS, $FULL_PROTO) . pkt('Z', 'x')],
	['short OPTNEG', pkt('O', 'abc')],
	['version 1 MTA', optneg(1, 0x1f, 0)],
	['connect without family', optneg(6, $FULL_ACTIONS, $FULL_PROTO) . pkt('C', "host\0")],
	['connect without address NUL', optneg(6, $FULL_ACTIONS, $FULL_PROTO) . pkt('C', "host\0" . '4' . pack('n', 25) . '1.2.3.4')],
	['header without NULs', optneg(6, $FULL_ACTIONS, $FULL_PROTO) . connect4('h', '192.0.2.5') . pkt('L', 'From: a@b')],
	['empty macro packet', optneg(6, $FULL_ACTIONS, $FULL_PROTO) . pkt('D', '')],
);
for my $h (@hostile) {
	my $s = conn_unix();
	send_all($s, $h->[1]);
	my @r;
	for (1 .. 5) { my $r = reply($s); push @r, $r->[0]; last if $r->[0] eq 'EOF' || $r->[0] eq 'TIMEOUT' }
	check(scalar($r[-1] eq 'EOF'), "hostile: $h->[0]: connection closed (@r)");
}
# half a packet, then the MTA goes away
{
	my $s = conn_unix();
	send_all($s, optneg(6, $FULL_ACTIONS, $FULL_PROTO) . substr(header('From', ' a@b.example'), 0, 9));
	reply($s);
	close $s;
}
# odd macro strings and a header before MAIL do not upset a message
{
	my $s = conn_unix();
	negotiate($s, 6, $FULL_ACTIONS, $FULL_PROTO);
	send_all($s, macros('C', 'j') . connect4('client.example', '192.0.2.6'));
	reply($s);
	send_all($s, pkt('D', "E{i}\0") . header('From', ' early@reject.example') . message_bytes('reject.example', 'QODD'));
	my @r = replies_to_final($s);
	check(scalar($r[-1][0] eq 'y'), 'odd macros, header before MAIL: message still evaluated (' . names(@r) . ')');
}

# ---- 6. still serving ------------------------------------------------------
{
	my $s = conn_unix();
	my $n = negotiate($s, 6, $FULL_ACTIONS, $FULL_PROTO);
	send_all($s, macros('C', 'j', 'mx') . connect4('client.example', '192.0.2.7'));
	reply($s);
	send_all($s, message_bytes('reject.example', 'QLAST'));
	my @r = replies_to_final($s);
	check(scalar($n && $r[-1][0] eq 'y'), 'after the hostile packets a message is served (' . names(@r) . ')');
}

print $failed ? "protocol: FAILED\n" : "protocol: all checks passed\n";
exit $failed;
