using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>
    /// The rows of a report while results are added: one per domain (or host without a domain), the MX hosts of each domain,
    /// the host results waiting to join those domains, and the analysed messages.
    /// </summary>
    internal sealed class ReportRows
    {
        private readonly Dictionary<string, ReportRow> _rows = new Dictionary<string, ReportRow>(StringComparer.OrdinalIgnoreCase);
        private readonly List<ReportRow> _order = new List<ReportRow>();
        private readonly List<(string Host, Action<ReportRow> Apply)> _hostResults = new List<(string, Action<ReportRow>)>();
        private readonly Dictionary<string, List<string>> _mxOf = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        private readonly List<ReportMessage> _messages = new List<ReportMessage>();

        /// <summary>The analysed messages, in the order they were added.</summary>
        public IReadOnlyList<ReportMessage> Messages => _messages;

        /// <summary>The row of a domain (or host), made on first use.</summary>
        /// <param name="name">The domain or host name; blank names share one row.</param>
        /// <param name="kind">Whether a new row is a domain or a host.</param>
        public ReportRow Row(string? name, ReportEntryKind kind = ReportEntryKind.Domain)
        {
            var key = string.IsNullOrWhiteSpace(name) ? "(no name)" : name!.Trim();
            if (!_rows.TryGetValue(key, out var entry))
            {
                entry = new ReportRow(key, kind);
                _rows.Add(key, entry);
                _order.Add(entry);
            }

            return entry;
        }

        /// <summary>Notes that <paramref name="host"/> is an MX host of <paramref name="domain"/>, so its host results join that row.</summary>
        /// <param name="domain">The domain.</param>
        /// <param name="host">The MX host name.</param>
        public void NoteMx(string domain, string? host)
        {
            if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(domain))
            {
                return;
            }

            if (!_mxOf.TryGetValue(host!.Trim(), out var list))
            {
                list = new List<string>();
                _mxOf.Add(host.Trim(), list);
            }

            if (!list.Contains(domain, StringComparer.OrdinalIgnoreCase))
            {
                list.Add(domain);
            }
        }

        /// <summary>
        /// Adds a result about one host (a STARTTLS probe, a DANE check without a domain): it joins every domain in the report
        /// whose MX is that host, and otherwise gets a host row of its own. Applied when the report is built, when every MX is known.
        /// </summary>
        /// <param name="host">The host name.</param>
        /// <param name="apply">Adds the result to one row.</param>
        public void AddHostResult(string host, Action<ReportRow> apply) => _hostResults.Add((host, apply));

        /// <summary>The id of the next analysed message (<c>m1</c>, <c>m2</c>, ...).</summary>
        public string NextMessageId() => "m" + (_messages.Count + 1).ToString(CultureInfo.InvariantCulture);

        /// <summary>Adds an analysed message.</summary>
        /// <param name="message">The message.</param>
        public void AddMessage(ReportMessage message) => _messages.Add(message);

        /// <summary>Joins the waiting host results to their rows and returns every row in the order it was made.</summary>
        public IReadOnlyList<ReportRow> Complete()
        {
            // Host results join every domain whose MX is that host; the rest get rows of their own.
            foreach (var (host, apply) in _hostResults)
            {
                var domains = _mxOf.TryGetValue(host, out var list) ? list.Where(d => _rows.ContainsKey(d)).ToList() : new List<string>();
                if (domains.Count == 0)
                {
                    apply(Row(host, ReportEntryKind.Host));
                    continue;
                }

                foreach (var d in domains)
                {
                    apply(_rows[d]);
                }
            }

            // Applied once: a second build sees them in the rows already.
            _hostResults.Clear();
            return _order;
        }
    }
}
