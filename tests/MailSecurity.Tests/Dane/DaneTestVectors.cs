using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace MailSecurity.Tests.Dane
{
    /// <summary>One case of OpenSSL's test/danetest.in, parsed from the shared conformance copy.</summary>
    public sealed class DaneTestVector
    {
        public DaneTestVector(int number, bool noNameChecks, int expectedVerifyCode, int expectedDepth, IReadOnlyList<(byte Usage, byte Selector, byte MatchingType, string Hex)> records, IReadOnlyList<X509Certificate2> chain)
        {
            Number = number;
            NoNameChecks = noNameChecks;
            ExpectedVerifyCode = expectedVerifyCode;
            ExpectedDepth = expectedDepth;
            Records = records;
            Chain = chain;
        }

        public int Number { get; }

        public bool NoNameChecks { get; }

        /// <summary>OpenSSL X509_V_* code: 0 OK, 65 DANE no match, 62 host name mismatch, 20 unable to get local issuer.</summary>
        public int ExpectedVerifyCode { get; }

        public int ExpectedDepth { get; }

        public IReadOnlyList<(byte Usage, byte Selector, byte MatchingType, string Hex)> Records { get; }

        public IReadOnlyList<X509Certificate2> Chain { get; }
    }

    /// <summary>
    /// Reads tests/conformance/dane/danetest.in (a copy of OpenSSL's file; origin and licence in tests/conformance/README.md). Format per the
    /// conformance README: "# N" starts a case; the first data line holds TLSA count, certificate count,
    /// nonamechecks, expected verify code and expected depth; then the TLSA lines; then PEM certificates.
    /// </summary>
    public static class DaneTestVectors
    {
        private static readonly Lazy<IReadOnlyList<DaneTestVector>> Cases = new Lazy<IReadOnlyList<DaneTestVector>>(Load);

        public static IReadOnlyList<DaneTestVector> All => Cases.Value;

        public static DaneTestVector Get(int number) => All.Single(c => c.Number == number);

        public static IEnumerable<object[]> Numbers() => All.Select(c => new object[] { c.Number });

        /// <summary>The "Root CA" certificate of the file: the only PKIX trust anchor (see the conformance README).</summary>
        public static X509Certificate2 RootCa => All.SelectMany(c => c.Chain).First(c => c.Subject == "CN=Root CA" && c.Issuer == "CN=Root CA");

        public static string RepositoryRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MailSecurity.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("MailSecurity.sln not found above " + AppContext.BaseDirectory);
        }

        public static string FilePath => Path.Combine(RepositoryRoot(), "tests", "conformance", "dane", "danetest.in");

        private static IReadOnlyList<DaneTestVector> Load()
        {
            var lines = File.ReadAllLines(FilePath);
            var header = new Regex(@"^# (\d+)\s*$");
            var result = new List<DaneTestVector>();
            var i = 0;
            while (i < lines.Length)
            {
                var m = header.Match(lines[i]);
                i++;
                if (!m.Success)
                {
                    continue;
                }

                var number = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                while (lines[i].Trim().Length == 0 || lines[i].StartsWith("#", StringComparison.Ordinal))
                {
                    i++;
                }

                var head = lines[i++].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                var records = new List<(byte, byte, byte, string)>();
                while (records.Count < head[0])
                {
                    var line = lines[i++].Trim();
                    if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    records.Add((byte.Parse(f[0], CultureInfo.InvariantCulture), byte.Parse(f[1], CultureInfo.InvariantCulture), byte.Parse(f[2], CultureInfo.InvariantCulture), string.Concat(f.Skip(3))));
                }

                var chain = new List<X509Certificate2>();
                while (chain.Count < head[1])
                {
                    if (lines[i++].Trim() != "-----BEGIN CERTIFICATE-----")
                    {
                        continue; // subject=/issuer=/notBefore=/notAfter= lines
                    }

                    var b64 = new StringBuilder();
                    while (lines[i].Trim() != "-----END CERTIFICATE-----")
                    {
                        b64.Append(lines[i++].Trim());
                    }

                    i++;
                    chain.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(b64.ToString())));
                }

                result.Add(new DaneTestVector(number, head[2] == 1, head[3], head[4], records, chain));
            }

            return result;
        }
    }
}
