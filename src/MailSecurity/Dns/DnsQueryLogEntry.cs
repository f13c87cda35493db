using System;
using System.Globalization;

namespace MailSecurity.Dns
{
    /// <summary>One query the resolver sent, for <c>-Verbose</c> and for the benchmark's query count.</summary>
    internal sealed class DnsQueryLogEntry
    {
        internal DnsQueryLogEntry(string name, string type, string server, string outcome, bool authenticData, int answerCount, TimeSpan elapsed, string purpose)
        {
            Name = name;
            Type = type;
            Server = server;
            Outcome = outcome;
            AuthenticData = authenticData;
            AnswerCount = answerCount;
            Elapsed = elapsed;
            Purpose = purpose;
            Time = DateTimeOffset.Now;
        }

        /// <summary>Query name.</summary>
        public string Name { get; }

        /// <summary>Query type.</summary>
        public string Type { get; }

        /// <summary>Server asked.</summary>
        public string Server { get; }

        /// <summary>Response code or failure.</summary>
        public string Outcome { get; }

        /// <summary>AD bit of the response.</summary>
        public bool AuthenticData { get; }

        /// <summary>Records in the answer section.</summary>
        public int AnswerCount { get; }

        /// <summary>Round-trip time.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>Why it was sent: <c>query</c>, <c>cd-probe</c> (bogus check) or <c>ds-probe</c> (DNSSEC classification: the DS walk, asked only for DNSSEC-dependent verdicts).</summary>
        public string Purpose { get; }

        /// <summary>When it completed.</summary>
        public DateTimeOffset Time { get; }

        /// <inheritdoc />
        public override string ToString()
            => string.Format(
                CultureInfo.InvariantCulture,
                "DNS {0} {1} @{2}: {3}{4}, {5} answer(s), {6:0} ms{7}",
                Name,
                Type,
                Server,
                Outcome,
                AuthenticData ? " AD" : string.Empty,
                AnswerCount,
                Elapsed.TotalMilliseconds,
                Purpose == DnsResolver.QueryPurpose ? string.Empty : " [" + Purpose + "]");
    }
}
