using System;
using System.Threading.Tasks;
using MailSecurity.MtaSts;
using MailSecurity.Tests.Dns;
using MailSecurity.TlsRpt;
using Xunit;

namespace MailSecurity.Tests.MtaSts
{
    /// <summary>
    /// Get-MtaStsPolicy reads TLS-RPT with the same lookup as Get-MailAuthRecords (RFC 8460 §3) and carries the parsed
    /// record; a record reporters cannot use counts as no TLS-RPT (RFC 8461 §6 relies on reports reaching the domain).
    /// </summary>
    public class MtaStsTlsRptTests
    {
        private const string Name = "_smtp._tls.example.com";

        private static async Task<TlsRptRecord> Lookup(ScriptedZone zone) => await new TlsRptRecordLookup(zone).LookupAsync("example.com");

        private static async Task<MtaStsPolicyResult> Result(TlsRptRecord tlsRpt)
        {
            var discovery = await new MtaStsTxtRecordLookup(new ScriptedZone().Txt("_mta-sts.example.com", "v=STSv1; id=1")).LookupAsync("example.com");
            return new MtaStsPolicyResult(new MtaStsPolicyResultBuilder
            {
                Domain = "example.com",
                Status = MtaStsStatus.Valid,
                Discovery = discovery,
                TlsRpt = tlsRpt,
                CheckedAt = DateTimeOffset.UtcNow,
            });
        }

        [Fact]
        public async Task A_usable_record_is_present_and_carried_parsed()
        {
            var tlsRpt = await Lookup(new ScriptedZone().Txt(Name, "v=TLSRPTv1; rua=mailto:reports@example.com"));
            Assert.Null(MtaStsPolicyChecker.TlsRptFinding("example.com", tlsRpt));
            var r = await Result(tlsRpt);
            Assert.True(r.TlsRptPresent);
            Assert.Equal("v=TLSRPTv1; rua=mailto:reports@example.com", r.TlsRptRecord);
            Assert.Equal("mailto:reports@example.com", Assert.Single(r.TlsRpt.ReportUris).Uri);
        }

        [Fact]
        public async Task A_single_record_reporters_cannot_use_counts_as_no_tls_rpt()
        {
            // RFC 8460 §3: rua is required and only mailto: and https: are defined. The former presence check called this
            // record present; reports cannot reach the domain, so it is NoTlsRpt now, with the reason.
            var tlsRpt = await Lookup(new ScriptedZone().Txt(Name, "v=TLSRPTv1; rua=ftp://reports.example.com/"));
            Assert.Equal(TlsRptStatus.Invalid, tlsRpt.Status);
            var finding = MtaStsPolicyChecker.TlsRptFinding("example.com", tlsRpt);
            Assert.NotNull(finding);
            Assert.Equal("MtaSts.NoTlsRpt", finding!.Code);
            Assert.Contains("cannot use", finding.Message, StringComparison.Ordinal);
            var r = await Result(tlsRpt);
            Assert.False(r.TlsRptPresent);
            Assert.Equal("v=TLSRPTv1; rua=ftp://reports.example.com/", r.TlsRptRecord);
        }

        [Fact]
        public async Task Several_records_and_no_record_are_no_tls_rpt()
        {
            var two = await Lookup(new ScriptedZone().Txt(Name, "v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com"));
            Assert.Equal("MtaSts.NoTlsRpt", MtaStsPolicyChecker.TlsRptFinding("example.com", two)!.Code);
            Assert.Contains("2 v=TLSRPTv1 records", MtaStsPolicyChecker.TlsRptFinding("example.com", two)!.Message, StringComparison.Ordinal);
            Assert.False((await Result(two)).TlsRptPresent);
            Assert.Null((await Result(two)).TlsRptRecord);

            var none = await Lookup(new ScriptedZone().Txt("example.com", "v=spf1 -all"));
            Assert.Equal("MtaSts.NoTlsRpt", MtaStsPolicyChecker.TlsRptFinding("example.com", none)!.Code);
            Assert.False((await Result(none)).TlsRptPresent);
        }

        [Fact]
        public async Task A_failed_lookup_is_unknown_never_absent()
        {
            var failed = await Lookup(new ScriptedZone().ServFail(Name));
            var finding = MtaStsPolicyChecker.TlsRptFinding("example.com", failed);
            Assert.Equal("MtaSts.TlsRptLookupFailed", finding!.Code);
            Assert.Contains("SERVFAIL", finding.Message, StringComparison.Ordinal);
            Assert.Null((await Result(failed)).TlsRptPresent);
        }
    }
}
