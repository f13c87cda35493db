using System.Linq;
using System.Threading.Tasks;
using MailSecurity.Mx;
using MailSecurity.Tests.Dns;
using Xunit;

namespace MailSecurity.Tests.Mx
{
    public class MxTargetInspectorTests
    {
        [Fact]
        public async Task Cname_targets_missing_hosts_and_failures_are_each_flagged()
        {
            var zone = new ScriptedZone()
                .Mx("example.com", 10, "mx1.example.com").Mx("example.com", 20, "alias.example.com")
                .Mx("example.com", 30, "gone.example.com").Mx("example.com", 40, "broken.example.net")
                .Mx("example.com", 50, "v6only.example.com")
                .A("mx1.example.com", "192.0.2.1")
                .Cname("alias.example.com", "mx1.example.com")
                .ServFail("broken.example.net")
                .A("v6only.example.com", "2001:db8::25");
            var mx = await new MxResolver(zone).ResolveAsync("example.com");
            var checks = await new MxTargetInspector(zone).InspectAsync(mx);
            Assert.Equal(5, checks.Count);

            var ok = checks.Single(c => c.HostName == "mx1.example.com");
            Assert.Equal(MxTargetAddressStatus.HasAddress, ok.AddressStatus);
            Assert.Equal(new[] { "192.0.2.1" }, ok.Addresses);
            Assert.Empty(ok.Findings);

            var alias = checks.Single(c => c.HostName == "alias.example.com");
            Assert.True(alias.IsCname);
            Assert.Equal("mx1.example.com", alias.CanonicalName);
            Assert.Contains(alias.Findings, f => f.Code == MxFindings.TargetIsCname.Code);

            Assert.Contains(checks.Single(c => c.HostName == "gone.example.com").Findings, f => f.Code == MxFindings.TargetHasNoAddress.Code);
            var broken = checks.Single(c => c.HostName == "broken.example.net");
            Assert.Equal(MxTargetAddressStatus.LookupFailed, broken.AddressStatus);
            Assert.DoesNotContain(broken.Findings, f => f.Code == MxFindings.TargetHasNoAddress.Code);
            Assert.Equal(MxTargetAddressStatus.HasAddress, checks.Single(c => c.HostName == "v6only.example.com").AddressStatus);
        }

        [Fact]
        public async Task Null_mx_and_ip_literals_are_not_looked_up()
        {
            var zone = new ScriptedZone().Mx("nomail.example.com", 0, "").Mx("ip.example.com", 10, "192.0.2.7");
            var nullMx = await new MxResolver(zone).ResolveAsync("nomail.example.com");
            Assert.Empty(await new MxTargetInspector(zone).InspectAsync(nullMx));
            var ip = await new MxResolver(zone).ResolveAsync("ip.example.com");
            var check = Assert.Single(await new MxTargetInspector(zone).InspectAsync(ip));
            Assert.Equal(MxTargetAddressStatus.NotChecked, check.AddressStatus);
            Assert.False(zone.WasAsked("192.0.2.7", DnsClient.QueryType.A));
        }
    }
}
