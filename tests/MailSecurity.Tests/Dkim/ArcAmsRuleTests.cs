using MailSecurity.Dkim;
using MimeKit;
using Xunit;

namespace MailSecurity.Tests.Dkim
{
    /// <summary>
    /// RFC 8617 §4.1.2 on what an ARC-Message-Signature may sign: no ARC header fields, no Authentication-Results, and (the
    /// AMS has the DKIM-Signature's semantics) the From field (RFC 6376 §5.4). MimeKit's ArcVerifier checks none of these.
    /// </summary>
    public sealed class ArcAmsRuleTests
    {
        private const string Tags = "i=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1; bh=AAAA; b=BBBB; h=";

        [Theory]
        [InlineData("from:to:subject:date:message-id", null)]
        [InlineData("From : To : DKIM-Signature", null)]
        [InlineData("from:to:arc-authentication-results", "arc-authentication-results")]
        [InlineData("from:ARC-Seal:arc-message-signature", "ARC-Seal, arc-message-signature")]
        [InlineData("from:to:authentication-results", "Authentication-Results")]
        [InlineData("to:subject:date", "From")]
        public void The_h_list_is_held_to_section_4_1_2(string h, string? named)
        {
            var violation = MessageSignatureVerifier.AmsRuleViolation(new Header("ARC-Message-Signature", Tags + h));
            if (named is null)
            {
                Assert.Null(violation);
            }
            else
            {
                Assert.NotNull(violation);
                Assert.Contains(named, violation, System.StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
