using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dmarc;
using Xunit;

namespace MailSecurity.Tests.Dmarc
{
    public class DmarcTreeWalkTests
    {
        [Fact]
        public void Walk_of_the_rfc9989_section_4_10_example_makes_eight_queries()
        {
            // RFC 9989 §4.10: the example's eight queries, in order.
            var expected = new[]
            {
                "a.b.c.d.e.f.g.h.i.j.mail.example.com", "g.h.i.j.mail.example.com", "h.i.j.mail.example.com", "i.j.mail.example.com",
                "j.mail.example.com", "mail.example.com", "example.com", "com",
            };
            Assert.Equal(expected, DmarcTreeWalk.Names("a.b.c.d.e.f.g.h.i.j.mail.example.com"));
        }

        [Fact]
        public void Walk_of_the_appendix_b_4_2_example_skips_to_seven_labels()
        {
            var expected = new[]
            {
                "a.b.c.d.e.f.g.h.i.j.k.example.com", "g.h.i.j.k.example.com", "h.i.j.k.example.com", "i.j.k.example.com",
                "j.k.example.com", "k.example.com", "example.com", "com",
            };
            Assert.Equal(expected, DmarcTreeWalk.Names("a.b.c.d.e.f.g.h.i.j.k.example.com"));
        }

        [Fact]
        public void Walk_of_the_section_5_1_8_example_never_reaches_the_zone_cut()
        {
            var names = DmarcTreeWalk.Names("mail.a.b.c.d.e.f.g.example.com");
            Assert.Equal(new[] { "mail.a.b.c.d.e.f.g.example.com", "c.d.e.f.g.example.com", "d.e.f.g.example.com", "e.f.g.example.com", "f.g.example.com", "g.example.com", "example.com", "com" }, names);
            Assert.DoesNotContain("b.c.d.e.f.g.example.com", names);
        }

        [Theory]
        [InlineData("com", new[] { "com" })]
        [InlineData("example.com", new[] { "example.com", "com" })]
        [InlineData("a.b.c.d.e.f.g.h", new[] { "a.b.c.d.e.f.g.h", "b.c.d.e.f.g.h", "c.d.e.f.g.h", "d.e.f.g.h", "e.f.g.h", "f.g.h", "g.h", "h" })]
        public void Short_names_drop_one_label_at_a_time(string start, string[] expected)
        {
            Assert.Equal(expected, DmarcTreeWalk.Names(start));
        }

        [Fact]
        public void No_walk_exceeds_eight_queries_and_every_walk_ends_at_the_tld()
        {
            for (var n = 1; n <= 40; n++)
            {
                var start = string.Join(".", Enumerable.Range(0, n).Select(i => "l" + i));
                var names = DmarcTreeWalk.Names(start);
                Assert.True(names.Count <= DmarcTreeWalk.MaxQueries, $"{n} labels gave {names.Count} queries");
                Assert.Equal(start, names[0]);
                Assert.Equal("l" + (n - 1), names[names.Count - 1]);
                // Fewer than 8 labels: one query per label; 8 or more: the start plus the 7-label jump down to the TLD.
                Assert.Equal(System.Math.Min(n, 8), names.Count);
            }
        }

        private static string Org(string start, params (string Domain, DmarcPsdFlag Psd)[] records)
            => DmarcTreeWalk.SelectOrganizationalDomain(start, records.Select(r => new KeyValuePair<string, DmarcPsdFlag>(r.Domain, r.Psd)).ToList(), out _);

        [Fact]
        public void Organizational_domain_follows_the_section_4_10_2_examples()
        {
            // Records at mail.example.com and example.com: the fewest labels wins.
            Assert.Equal("example.com", Org("a.mail.example.com", ("mail.example.com", DmarcPsdFlag.Undeclared), ("example.com", DmarcPsdFlag.Undeclared)));
            // psd=n at mail.example.com: that name.
            Assert.Equal("mail.example.com", Org("a.mail.example.com", ("mail.example.com", DmarcPsdFlag.No)));
            // Only _dmarc.com with psd=y: one label below it.
            Assert.Equal("example.com", Org("a.mail.example.com", ("com", DmarcPsdFlag.Yes)));
            // Nothing found: the start itself.
            Assert.Equal("a.mail.example.com", Org("a.mail.example.com"));
        }

        [Fact]
        public void Organizational_domain_follows_the_appendix_b_4_3_psd_example()
        {
            Assert.Equal("giant.bank.example", Org("giant.bank.example", ("giant.bank.example", DmarcPsdFlag.Undeclared), ("bank.example", DmarcPsdFlag.Yes)));
            Assert.Equal("giant.bank.example", Org("mail.giant.bank.example", ("giant.bank.example", DmarcPsdFlag.Undeclared), ("bank.example", DmarcPsdFlag.Yes)));
            Assert.Equal("mega.bank.example", Org("mail.mega.bank.example", ("bank.example", DmarcPsdFlag.Yes)));
        }

        [Fact]
        public void Psd_yes_at_the_start_does_not_move_the_organizational_domain_below_it()
        {
            // Rule 2 excludes the start name; rule 3 then picks the start.
            Assert.Equal("bank.example", Org("bank.example", ("bank.example", DmarcPsdFlag.Yes)));
        }

        [Fact]
        public void Psd_yes_after_a_jump_names_the_label_below_on_the_start_path()
        {
            // 10 labels: psd=y at example.com makes the name one label below it, on the path to the start, the Organizational Domain.
            Assert.Equal("h.example.com", Org("a.b.c.d.e.f.g.h.example.com", ("example.com", DmarcPsdFlag.Yes)));
        }
    }
}
