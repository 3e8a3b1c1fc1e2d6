#!/usr/bin/perl
# dkimsign.pl KEYFILE DOMAIN SELECTOR [CANON] < message > signed message
# Signs a message (rsa-sha256, relaxed/relaxed unless CANON is given)
# with Mail::DKIM (Debian libmail-dkim-perl) for the DKIM tests.  Line
# ends are CRLF while signing; the output keeps the input's LF ends.
use strict;
use warnings;
use Mail::DKIM::Signer;

my ($keyfile, $domain, $selector, $canon) = @ARGV;
die "usage: dkimsign.pl KEYFILE DOMAIN SELECTOR [CANON]\n" unless defined $selector;
my $dkim = Mail::DKIM::Signer->new(
	Algorithm => 'rsa-sha256',
	Method => $canon // 'relaxed/relaxed',
	Domain => $domain,
	Selector => $selector,
	KeyFile => $keyfile,
	Headers => 'from:to:subject:date',
);
my @lines = <STDIN>;
for my $line (@lines) {
	(my $crlf = $line) =~ s/\r?\n\z/\r\n/;
	$dkim->PRINT($crlf);
}
$dkim->CLOSE;
my $sig = $dkim->signature->as_string;
$sig =~ s/\r\n/\n/g;
print $sig, "\n", @lines;
