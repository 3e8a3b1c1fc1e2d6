#!/usr/bin/perl
# dmarc_read.pl MESSAGE... - read report mail back with an independent
# parser, Mail::DMARC (Debian libmail-dmarc-perl): MIME, gzip, then
# XML::LibXML.  Prints "read: key=value" lines per message for the shell
# tests (report_id, domain, submitter, begin, end, records, messages,
# ip:count pairs).  Exit 77 (skip) when Mail::DMARC is missing.
use strict;
use warnings;
no warnings 'once';

eval { require Mail::DMARC::Report::Receive; 1 } or exit 77;

my $saved;
{
	no warnings 'redefine';
	# keep the parsed report instead of writing it to Mail::DMARC's store
	*Mail::DMARC::Report::save_aggregate = sub { $saved = $_[0]->aggregate; return 1; };
}

for my $file (@ARGV) {
	undef $saved;
	my $recv = Mail::DMARC::Report::Receive->new;
	my $type;
	{
		local *STDOUT;    # the module prints the Subject
		open STDOUT, '>', '/dev/null' or die;
		$type = $recv->from_file($file);
	}
	die "$file: not an aggregate report\n" unless $type && $type eq 'aggregate' && $saved;
	my $meta = $saved->metadata;
	my ($n, $sum, @ips) = (0, 0);
	for my $r (@{ $saved->record }) {
		$n++;
		$sum += $r->row->count;
		push @ips, $r->row->source_ip . ':' . $r->row->count;
	}
	print "read: file=$file\n";
	print "read: report_id=", $meta->report_id, "\n";
	print "read: org_name=", $meta->org_name, "\n";
	print "read: domain=", $saved->policy_published->domain, "\n";
	print "read: p=", $saved->policy_published->p, "\n";
	print "read: begin=", $meta->begin, " end=", $meta->end, "\n";
	print "read: records=$n messages=$sum\n";
	print "read: rows=", join(',', sort @ips), "\n";
}
exit 0;
