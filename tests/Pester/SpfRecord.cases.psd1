# check_host() cases against the lab zone tests/lab/zones/spf-lab.test.zone, with the result RFC 7208 gives.
# Read by SpfRecord.Tests.ps1 (Test-SpfRecord) and by tests/peer/Compare-Spf.ps1 -Lab (Test-SpfRecord next to pyspf).
# Keys: Domain, IPAddress, optional Sender (default postmaster@Domain) and Helo; Result; Matched = the mechanism that
# decided (as written) or $null; Lookups / Voids = DNS-querying terms and void lookups evaluated (§4.6.4); Why = the rule.
@{
    Cases = @(
        @{ Domain = 'good.spf-lab.test'; IPAddress = '192.0.2.10'; Result = 'Pass'; Matched = 'ip4:192.0.2.0/24'; Lookups = 0; Voids = 0; Why = 'first term matches; ip4 needs no lookup (§5.6)' }
        @{ Domain = 'good.spf-lab.test'; IPAddress = '2001:db8:25::1'; Result = 'Pass'; Matched = 'ip6:2001:db8:25::/48'; Lookups = 0; Voids = 0; Why = 'ip6 /48 (§5.6)' }
        @{ Domain = 'good.spf-lab.test'; IPAddress = '198.51.100.25'; Result = 'Pass'; Matched = 'a:mail.good.spf-lab.test'; Lookups = 1; Voids = 0; Why = 'A of mail.good (§5.3)' }
        @{ Domain = 'good.spf-lab.test'; IPAddress = '2001:db8:cafe::25'; Result = 'Pass'; Matched = 'a:mail.good.spf-lab.test'; Lookups = 1; Voids = 0; Why = 'an IPv6 client is matched against AAAA (§5.3)' }
        @{ Domain = 'good.spf-lab.test'; IPAddress = '203.0.113.5'; Result = 'Pass'; Matched = 'include:_spf.provider.spf-lab.test'; Lookups = 3; Voids = 0; Why = 'a, mx, include counted; the provider ip4 matches (§5.2)' }
        @{ Domain = 'good.spf-lab.test'; IPAddress = '198.51.100.200'; Result = 'Pass'; Matched = 'include:_spf.provider.spf-lab.test'; Lookups = 4; Voids = 0; Why = 'nested include _netblocks counts too (§4.6.4)' }
        @{ Domain = 'good.spf-lab.test'; IPAddress = '198.18.0.25'; Result = 'Pass'; Matched = 'include:_spf.provider.spf-lab.test'; Lookups = 5; Voids = 0; Why = 'a:relay inside the nested include' }
        @{ Domain = 'good.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'Fail'; Matched = '-all'; Lookups = 5; Voids = 0; Why = 'nothing matches before -all' }
        @{ Domain = 'redirect.spf-lab.test'; IPAddress = '203.0.113.5'; Result = 'Pass'; Matched = 'include:_spf.provider.spf-lab.test'; Lookups = 4; Voids = 0; Why = 'redirect counts, then good.spf-lab.test decides (§6.1)' }
        @{ Domain = 'redirect.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'Fail'; Matched = '-all'; Lookups = 6; Voids = 0; Why = "the redirect target's result is the result (§6.1)" }
        @{ Domain = 'redirall.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'Fail'; Matched = '-all'; Lookups = 0; Voids = 0; Why = 'all matches first; the redirect is never used (§5.1, §6.1)' }
        @{ Domain = 'afterall.spf-lab.test'; IPAddress = '198.51.100.1'; Result = 'Fail'; Matched = '-all'; Lookups = 0; Voids = 0; Why = 'terms after all are never reached (§5.1)' }
        @{ Domain = 'softall.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'SoftFail'; Matched = '~all'; Lookups = 0; Voids = 0; Why = '~ qualifier (§4.6.2)' }
        @{ Domain = 'neutralall.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'Neutral'; Matched = '?all'; Lookups = 0; Voids = 0; Why = '? qualifier (§4.6.2)' }
        @{ Domain = 'noall.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'Neutral'; Matched = $null; Lookups = 0; Voids = 0; Why = 'no match and no redirect: neutral (§4.7)' }
        @{ Domain = 'passall.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'Pass'; Matched = '+all'; Lookups = 0; Voids = 0; Why = '+all matches every host (§5.1)' }
        @{ Domain = 'none.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'None'; Matched = $null; Lookups = 0; Voids = 0; Why = 'no v=spf1 record (§4.5)' }
        @{ Domain = 'missing.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'None'; Matched = $null; Lookups = 0; Voids = 0; Why = 'NXDOMAIN (§4.3)' }
        @{ Domain = 'two.spf-lab.test'; IPAddress = '192.0.2.1'; Result = 'PermError'; Matched = $null; Lookups = 0; Voids = 0; Why = 'two records (§4.5)' }
        @{ Domain = 'syntax.spf-lab.test'; IPAddress = '192.0.2.1'; Result = 'PermError'; Matched = $null; Lookups = 0; Voids = 0; Why = 'ip4:192.0.2 is not an ip4-network (§5.6, §4.6)' }
        @{ Domain = 'ctl.spf-lab.test'; IPAddress = '192.0.2.1'; Result = 'PermError'; Matched = $null; Lookups = 0; Voids = 0; Why = 'a control character inside a term (§12)' }
        @{ Domain = 'utf8.spf-lab.test'; IPAddress = '192.0.2.1'; Result = 'PermError'; Matched = $null; Lookups = 0; Voids = 0; Why = 'a domain-spec is ASCII (§4.3, §12)' }
        @{ Domain = 'tempfail.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'TempError'; Matched = $null; Lookups = 1; Voids = 0; Why = 'the include target lookup fails with SERVFAIL (§4.4, §5.2)' }
        @{ Domain = 'tempfail.spf-lab.test'; IPAddress = '192.0.2.1'; Result = 'Pass'; Matched = 'ip4:192.0.2.1'; Lookups = 0; Voids = 0; Why = 'matched before the failing include is evaluated' }
        @{ Domain = 'loop-a.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'PermError'; Matched = $null; Lookups = 10; Voids = 0; Why = 'the include loop ends at the 11th lookup (§4.6.4)' }
        @{ Domain = 'chain01.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'PermError'; Matched = $null; Lookups = 10; Voids = 0; Why = '50 nested includes: the 11th lookup is over the limit (§4.6.4)' }
        @{ Domain = 'lookups.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'PermError'; Matched = $null; Lookups = 10; Voids = 0; Why = '11 a: terms (§4.6.4)' }
        @{ Domain = 'voids.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'PermError'; Matched = $null; Lookups = 3; Voids = 3; Why = 'the third NXDOMAIN is over the void limit of 2 (§4.6.4)' }
        @{ Domain = 'mx11.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'PermError'; Matched = $null; Lookups = 1; Voids = 0; Why = 'mx names 11 hosts, at most 10 may be looked up (§4.6.4)' }
        @{ Domain = 'mxmech.spf-lab.test'; IPAddress = '192.0.2.77'; Result = 'Pass'; Matched = 'mx'; Lookups = 1; Voids = 0; Why = 'the MX host has the address (§5.4)' }
        @{ Domain = 'mxmech.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'Fail'; Matched = '-all'; Lookups = 1; Voids = 0; Why = 'mx does not match' }
        @{ Domain = 'exists.spf-lab.test'; IPAddress = '192.0.2.99'; Result = 'Pass'; Matched = 'exists:%{i}.allow.spf-lab.test'; Lookups = 1; Voids = 0; Why = '192.0.2.99.allow has an A record (§5.7, §7.3)' }
        @{ Domain = 'exists.spf-lab.test'; IPAddress = '192.0.2.98'; Result = 'Fail'; Matched = '-all'; Lookups = 1; Voids = 1; Why = '192.0.2.98.allow does not exist: a void lookup' }
        @{ Domain = 'ptr.spf-lab.test'; IPAddress = '192.0.2.200'; Result = 'Fail'; Matched = '-all'; Lookups = 1; Voids = 1; Why = 'no PTR for 192.0.2.200 (the resolver answers NXDOMAIN for TEST-NET-1), so ptr does not match (§5.5)' }
        @{ Domain = 'huge.spf-lab.test'; IPAddress = '203.0.113.9'; Result = 'Pass'; Matched = 'ip4:203.0.113.9'; Lookups = 0; Voids = 0; Why = 'a 10 KB record read over TCP' }
        @{ Domain = 'huge.spf-lab.test'; IPAddress = '192.0.2.1'; Result = 'Fail'; Matched = '-all'; Lookups = 0; Voids = 0; Why = 'none of its 570 terms match' }
        @{ Domain = 'macro.spf-lab.test'; IPAddress = '192.0.2.1'; Result = 'Pass'; Matched = 'ip4:192.0.2.1'; Lookups = 0; Voids = 0; Why = 'matched before the macro include' }
        @{ Domain = 'macro.spf-lab.test'; IPAddress = '192.0.2.9'; Result = 'PermError'; Matched = $null; Lookups = 1; Voids = 0; Why = '9.2.0.192.in-addr._spf has no SPF record: include of none is permerror (§5.2, §7.3)' }
        @{ Domain = 'inclnone.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'PermError'; Matched = $null; Lookups = 1; Voids = 0; Why = 'include of a domain without SPF (§5.2)' }
        @{ Domain = 'redirnone.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'PermError'; Matched = $null; Lookups = 1; Voids = 0; Why = 'redirect to a domain without SPF (§6.1)' }
        @{ Domain = 'dot.spf-lab.test'; IPAddress = '203.0.113.5'; Result = 'Pass'; Matched = 'include:_spf.provider.spf-lab.test.'; Lookups = 1; Voids = 0; Why = 'a trailing dot is allowed in domain-end (§7.1)' }
        @{ Domain = 'xn--bcher-kva.spf-lab.test'; IPAddress = '192.0.2.1'; Result = 'Pass'; Matched = 'ip4:192.0.2.0/24'; Lookups = 0; Voids = 0; Why = 'an A-label domain (§4.3)' }
        @{ Domain = 'shared1.spf-lab.test'; IPAddress = '198.18.0.25'; Result = 'Pass'; Matched = 'include:_spf.provider.spf-lab.test'; Lookups = 3; Voids = 0; Why = 'include, nested include, a:relay' }
        @{ Domain = 'broad4.spf-lab.test'; IPAddress = '10.1.2.3'; Result = 'Pass'; Matched = 'ip4:10.0.0.0/8'; Lookups = 0; Voids = 0; Why = 'a /8 matches' }
        @{ Domain = 'long.spf-lab.test'; IPAddress = '192.0.2.35'; Result = 'Pass'; Matched = 'ip4:192.0.2.35'; Lookups = 0; Voids = 0; Why = 'the last ip4 of a record split over three strings (§3.3)' }
        @{ Domain = 'unknownmod.spf-lab.test'; IPAddress = '192.0.2.1'; Result = 'Pass'; Matched = 'ip4:192.0.2.1'; Lookups = 0; Voids = 0; Why = 'an unknown modifier is ignored (§6)' }
        @{ Domain = 'sender.spf-lab.test'; IPAddress = '192.0.2.1'; Sender = 'alice@sender.spf-lab.test'; Result = 'Pass'; Matched = 'exists:%{l}.senders.spf-lab.test'; Lookups = 1; Voids = 0; Why = '%{l} = alice (§7.3)' }
        @{ Domain = 'sender.spf-lab.test'; IPAddress = '192.0.2.1'; Sender = 'bob@sender.spf-lab.test'; Result = 'Fail'; Matched = '-all'; Lookups = 1; Voids = 1; Why = 'bob.senders does not exist' }
        @{ Domain = 'helo.spf-lab.test'; IPAddress = '192.0.2.1'; Helo = 'mta1.example.net'; Result = 'Pass'; Matched = 'exists:%{h}.helos.spf-lab.test'; Lookups = 1; Voids = 0; Why = '%{h} = the HELO name (§7.3)' }
        @{ Domain = 'helo.spf-lab.test'; IPAddress = '192.0.2.1'; Helo = 'mta2.example.net'; Result = 'Fail'; Matched = '-all'; Lookups = 1; Voids = 1; Why = 'mta2.example.net.helos does not exist' }
        @{ Domain = 'exp.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'Fail'; Matched = '-all'; Lookups = 0; Voids = 0; Why = 'fail by a mechanism: exp= is fetched (§6.2)' }
        @{ Domain = 'expnone.spf-lab.test'; IPAddress = '198.18.0.1'; Result = 'Fail'; Matched = '-all'; Lookups = 0; Voids = 0; Why = 'the exp= target does not exist: explanation ignored (§6.2)' }
    )
}
