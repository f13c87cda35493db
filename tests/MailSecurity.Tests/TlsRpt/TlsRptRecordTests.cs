using System.Linq;
using System.Threading.Tasks;
using MailSecurity.Tests.Dns;
using MailSecurity.TlsRpt;
using Xunit;

namespace MailSecurity.Tests.TlsRpt
{
    public class TlsRptRecordTests
    {
        private static async Task<TlsRptRecord> Lookup(params string[] records)
            => await new TlsRptRecordLookup(new ScriptedZone().Txt("_smtp._tls.example.com", records)).LookupAsync("example.com");

        [Theory]
        [InlineData("v=TLSRPTv1; rua=mailto:reports@example.com", 1)]                     // RFC 8460 §3 examples
        [InlineData("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", 1)]
        [InlineData("v=TLSRPTv1;rua=mailto:a@example.com , https://r.example.com/x;", 2)]
        public async Task Valid_records_list_their_destinations(string record, int count)
        {
            var r = await Lookup(record);
            Assert.Equal(TlsRptStatus.Valid, r.Status);
            Assert.Equal(count, r.ReportUris.Count(u => u.IsValid));
            Assert.True(r.Present);
        }

        [Theory]
        [InlineData("v=TLSRPTv1; rua=ftp://example.com/x", "not defined")]
        [InlineData("v=TLSRPTv1; rua=mailto:a!b@example.com", "'!'")]
        [InlineData("v=TLSRPTv1; rua=mailto:nobody", "local@domain")]
        [InlineData("v=TLSRPTv1; rua=https:///nohost", "")]
        public async Task Unusable_uris_make_the_record_invalid(string record, string reason)
        {
            var r = await Lookup(record);
            Assert.Equal(TlsRptStatus.Invalid, r.Status);
            var f = Assert.Single(r.Findings, x => x.Code == TlsRptFindings.InvalidUri.Code);
            Assert.Equal(Severity.Error, f.Severity);
            Assert.Contains(reason, f.Message, System.StringComparison.Ordinal);
        }

        [Fact]
        public async Task One_bad_uri_beside_a_good_one_only_warns()
        {
            var r = await Lookup("v=TLSRPTv1; rua=mailto:a@example.com,gopher://x");
            Assert.Equal(TlsRptStatus.Valid, r.Status);
            Assert.Equal(Severity.Warning, r.Findings.Single(f => f.Code == TlsRptFindings.InvalidUri.Code).Severity);
        }

        [Fact]
        public async Task Rua_is_required()
        {
            var r = await Lookup("v=TLSRPTv1; ext=1");
            Assert.Equal(TlsRptStatus.Invalid, r.Status);
            Assert.Contains(r.Findings, f => f.Code == TlsRptFindings.RuaMissing.Code);
        }

        [Fact]
        public async Task Several_records_mean_none()
        {
            var r = await Lookup("v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com");
            Assert.Equal(TlsRptStatus.MultipleRecords, r.Status);
            Assert.Empty(r.ReportUris);
        }

        [Fact]
        public async Task Version_is_case_sensitive_and_first()
        {
            var r = await Lookup("v=tlsrptv1; rua=mailto:a@example.com");
            Assert.Equal(TlsRptStatus.NoRecord, r.Status);
            Assert.Contains(r.Findings, f => f.Code == TlsRptFindings.RecordDiscarded.Code);
            Assert.Equal(TlsRptStatus.NoRecord, (await Lookup("rua=mailto:a@example.com; v=TLSRPTv1")).Status);
        }

        [Fact]
        public async Task Servfail_is_temperror()
        {
            var r = await new TlsRptRecordLookup(new ScriptedZone().ServFail("_smtp._tls.example.com")).LookupAsync("example.com");
            Assert.Equal(TlsRptStatus.TempError, r.Status);
        }
    }
}
