using System.Linq;
using MailSecurity.MtaSts;
using MailSecurity.TlsRpt;
using Xunit;
using MailSecurity.Records;

namespace MailSecurity.Tests.MtaSts
{
    /// <summary>
    /// The record shape shared by RFC 8461 §3.1 (<c>sts-text-record</c>) and RFC 8460 §3 (<c>tlsrpt-record</c>):
    /// <c>version 1*(field-delim field) [field-delim]</c> with <c>field-delim = *WSP ";" *WSP</c>. Both record parsers
    /// must read the same shape the same way.
    /// </summary>
    public class VersionedFieldListTests
    {
        [Theory]
        [InlineData("v=X; a=1; b=2", true)]
        [InlineData("v=X;a=1;b=2;", true)]        // one trailing field-delim
        [InlineData("v=X \t; a=1", true)]          // *WSP before ';' (erratum 6285 reading)
        [InlineData("v=X; a=1;; b=2", false)]     // empty field in the middle
        [InlineData("v=X; a=1; ;", false)]        // a field-delim is not a field
        [InlineData("v=X a=1", false)]            // the version must be followed by a field-delim
        [InlineData("v=X; novalue", false)]       // a field is name=value
        [InlineData("v=X; =1", false)]
        public void Structure_follows_the_shared_abnf(string text, bool wellFormed)
        {
            var list = VersionedFieldList.Parse(text, "v=X");
            Assert.Equal(wellFormed, list.Errors.Count == 0);
        }

        [Fact]
        public void Fields_keep_their_order_and_repeats_and_split_at_the_first_equals()
        {
            var list = VersionedFieldList.Parse("v=X; a=1; b=x=y; a=2", "v=X");
            Assert.Equal(new[] { "a", "b", "a" }, list.Fields.Select(f => f.Key));
            Assert.Equal(new[] { "1", "x=y", "2" }, list.Fields.Select(f => f.Value));
            Assert.Equal(3, list.NonEmptyFields);
            Assert.False(list.WhitespaceBeforeSeparator);
            Assert.True(VersionedFieldList.Parse("v=X ;a=1", "v=X").WhitespaceBeforeSeparator);
        }

        [Theory]
        [InlineData("v=STSv1", true)]
        [InlineData("v=STSv1;", true)]
        [InlineData("v=STSv1 ;", true)]
        [InlineData("v=STSv1\t;", true)]
        [InlineData("v=STSv10;", false)]
        [InlineData("v=stsv1;", false)]
        [InlineData(" v=STSv1;", false)]
        public void The_version_test_is_the_same_for_both_records(string sts, bool kept)
        {
            Assert.Equal(kept, MtaStsTxtRecordParser.IsStsRecord(sts));
            Assert.Equal(kept, TlsRptRecordParser.IsTlsRptRecord(sts.Replace("STSv1", "TLSRPTv1").Replace("stsv1", "tlsrptv1")));
        }

        [Theory]
        [InlineData("; a=1;; b=2")]
        [InlineData(" x; a=1")]
        [InlineData("; novalue")]
        public void Both_records_reject_the_same_structural_errors_in_the_same_words(string tail)
        {
            var sts = MtaStsTxtRecordParser.Parse("v=STSv1" + tail + "; id=1");
            var rpt = TlsRptRecordParser.Parse("v=TLSRPTv1" + tail + "; rua=mailto:r@example.com");
            Assert.False(sts.IsValid);
            Assert.NotEmpty(rpt.Errors);
            Assert.Equal(sts.Errors[0].Replace("v=STSv1", "VERSION"), rpt.Errors[0].Replace("v=TLSRPTv1", "VERSION"));
        }
    }
}
