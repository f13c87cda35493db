using System;
using System.Collections.Generic;

namespace MailSecurity.Report
{
    /// <summary>The checks that make up the columns of the report's domain matrix, in column order.</summary>
    internal enum ReportCheck
    {
        /// <summary>The MX RRset (and the DNS state around it).</summary>
        Mx,
        /// <summary>The SPF policy, and SPF checks of given addresses.</summary>
        Spf,
        /// <summary>The DMARC policy.</summary>
        Dmarc,
        /// <summary>DKIM keys.</summary>
        Dkim,
        /// <summary>MTA-STS: the TXT record, the policy and its MX coverage.</summary>
        MtaSts,
        /// <summary>The TLS-RPT record.</summary>
        TlsRpt,
        /// <summary>The BIMI record.</summary>
        Bimi,
        /// <summary>STARTTLS and the certificate on each MX.</summary>
        StartTls,
        /// <summary>DANE (TLSA) on each MX.</summary>
        Dane,
        /// <summary>The hop security level of the weakest MX.</summary>
        HopLevel,
    }

    /// <summary>How a matrix cell is coloured. Ordered: a higher value is worse.</summary>
    internal enum ReportRating
    {
        /// <summary>No result covered this check.</summary>
        NotChecked = 0,
        /// <summary>Checked, nothing worse than informational findings.</summary>
        Good = 1,
        /// <summary>Nothing wrong, but nothing there either (an optional record not published, a null MX).</summary>
        Neutral = 2,
        /// <summary>The worst finding is a Warning.</summary>
        Warning = 3,
        /// <summary>The worst finding is an Error, or a delivery risk exists.</summary>
        Error = 4,
        /// <summary>The worst finding is Critical.</summary>
        Critical = 5,
    }

    /// <summary>What a report row stands for.</summary>
    internal enum ReportEntryKind
    {
        /// <summary>A mail domain.</summary>
        Domain,
        /// <summary>A host probed on its own (not an MX of a domain in the report).</summary>
        Host,
    }

    /// <summary>One cell of a report table: short text, a rating that decides its colour, and a longer explanation.</summary>
    internal sealed class ReportCell
    {
        /// <summary>Creates a cell.</summary>
        public ReportCell(string column, string text, ReportRating rating, string detail)
        {
            Column = column ?? string.Empty;
            Text = text ?? string.Empty;
            Rating = rating;
            Detail = detail ?? string.Empty;
        }

        /// <summary>The column header.</summary>
        public string Column { get; }

        /// <summary>What the cell shows.</summary>
        public string Text { get; }

        /// <summary>How it is coloured.</summary>
        public ReportRating Rating { get; }

        /// <summary>Where the text and rating come from (shown as a tooltip).</summary>
        public string Detail { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Column}: {Text} ({Rating})";
    }

    /// <summary>A finding as the report shows it, with the catalog's meaning and remedy when the code is known.</summary>
    internal sealed class ReportFinding
    {
        /// <summary>Creates the entry.</summary>
        public ReportFinding(string code, Severity severity, string message, string target, string reference, ReportCheck? check, string source)
        {
            Code = code ?? string.Empty;
            Severity = severity;
            Message = message ?? string.Empty;
            Target = target ?? string.Empty;
            Reference = reference ?? string.Empty;
            Check = check;
            Source = source ?? string.Empty;
        }

        /// <summary>The finding code.</summary>
        public string Code { get; }

        /// <summary>Its severity.</summary>
        public Severity Severity { get; }

        /// <summary>The occurrence's message.</summary>
        public string Message { get; }

        /// <summary>The domain, host or record concerned.</summary>
        public string Target { get; }

        /// <summary>The RFC rule behind it.</summary>
        public string Reference { get; }

        /// <summary>The matrix column the code belongs to, or null (message-mode codes).</summary>
        public ReportCheck? Check { get; }

        /// <summary>Which result reported it (e.g. <c>Get-MailAuthRecords</c>, <c>Resolve-HopSecurity mx1.example.com</c>).</summary>
        public string Source { get; }

        /// <inheritdoc />
        public override string ToString() => $"[{Severity}] {Code}: {Message}";
    }

    /// <summary>A key/value line of evidence.</summary>
    internal sealed class ReportEvidenceItem
    {
        /// <summary>Creates the line.</summary>
        /// <param name="label">What the value is.</param>
        /// <param name="value">The value as text (raw record text is kept as it came).</param>
        /// <param name="preformatted">Show the value with its line breaks and spacing (records, policies, traces).</param>
        public ReportEvidenceItem(string label, string value, bool preformatted = false)
        {
            Label = label ?? string.Empty;
            Value = value ?? string.Empty;
            Preformatted = preformatted;
        }

        /// <summary>What the value is.</summary>
        public string Label { get; }

        /// <summary>The value.</summary>
        public string Value { get; }

        /// <summary>True to keep line breaks and spacing.</summary>
        public bool Preformatted { get; }
    }

    /// <summary>A table of evidence (for example one row per MX host), whose cells may be colour-coded.</summary>
    internal sealed class ReportTable
    {
        /// <summary>Creates the table.</summary>
        public ReportTable(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<ReportCell>> rows)
        {
            Headers = headers ?? Array.Empty<string>();
            Rows = rows ?? Array.Empty<IReadOnlyList<ReportCell>>();
        }

        /// <summary>Column headers.</summary>
        public IReadOnlyList<string> Headers { get; }

        /// <summary>Rows of cells.</summary>
        public IReadOnlyList<IReadOnlyList<ReportCell>> Rows { get; }
    }

    /// <summary>The evidence one result contributed to a domain's drill-down.</summary>
    internal sealed class ReportEvidence
    {
        /// <summary>Creates the section.</summary>
        public ReportEvidence(string title, IReadOnlyList<ReportEvidenceItem> items, ReportTable? table = null)
        {
            Title = title ?? string.Empty;
            Items = items ?? Array.Empty<ReportEvidenceItem>();
            Table = table;
        }

        /// <summary>Which result the evidence comes from.</summary>
        public string Title { get; }

        /// <summary>Key/value lines.</summary>
        public IReadOnlyList<ReportEvidenceItem> Items { get; }

        /// <summary>An optional table.</summary>
        public ReportTable? Table { get; }
    }

    /// <summary>One row of the matrix and its drill-down section: a domain (or a host probed on its own).</summary>
    internal sealed class ReportEntry
    {
        /// <summary>Creates the entry.</summary>
        internal ReportEntry(ReportEntryBuilder b)
        {
            Id = b.Id;
            Name = b.Name;
            Kind = b.Kind;
            Cells = b.Cells ?? Array.Empty<ReportCell>();
            Findings = b.Findings ?? Array.Empty<ReportFinding>();
            Evidence = b.Evidence ?? Array.Empty<ReportEvidence>();
            WeakestLevel = b.WeakestLevel;
            ResultCount = b.ResultCount;
        }

        /// <summary>The same entry under its anchor, given once the rows are sorted.</summary>
        /// <param name="id">The anchor (<c>d1</c>, <c>d2</c> ...).</param>
        internal ReportEntry WithId(string id) => new ReportEntry(new ReportEntryBuilder
        {
            Id = id,
            Name = Name,
            Kind = Kind,
            Cells = Cells,
            Findings = Findings,
            Evidence = Evidence,
            WeakestLevel = WeakestLevel,
            ResultCount = ResultCount,
        });

        /// <summary>The anchor of the drill-down section (<c>d1</c>, <c>d2</c> ...), never derived from the name.</summary>
        public string Id { get; }

        /// <summary>The domain or host name, as the results gave it.</summary>
        public string Name { get; }

        /// <summary>Domain or host.</summary>
        public ReportEntryKind Kind { get; }

        /// <summary>One cell per matrix column.</summary>
        public IReadOnlyList<ReportCell> Cells { get; }

        /// <summary>Every finding of every result of the entry, worst first, without duplicates.</summary>
        public IReadOnlyList<ReportFinding> Findings { get; }

        /// <summary>The evidence, one section per result.</summary>
        public IReadOnlyList<ReportEvidence> Evidence { get; }

        /// <summary>The level of the weakest MX, when Resolve-HopSecurity results were given.</summary>
        public HopSecurityLevel? WeakestLevel { get; }

        /// <summary>How many result objects went into the entry.</summary>
        public int ResultCount { get; }

        /// <summary>The worst severity among the findings, or null when there are none.</summary>
        public Severity? WorstSeverity
        {
            get
            {
                Severity? worst = null;
                foreach (var f in Findings)
                {
                    if (worst is null || f.Severity > worst)
                    {
                        worst = f.Severity;
                    }
                }

                return worst;
            }
        }

        /// <inheritdoc />
        public override string ToString() => Name;
    }

    /// <summary>One message analysed by Resolve-HopSecurity in message mode.</summary>
    internal sealed class ReportMessage
    {
        /// <summary>Creates the entry.</summary>
        public ReportMessage(string id, string source, IReadOnlyList<ReportCell> cells, IReadOnlyList<ReportFinding> findings, IReadOnlyList<ReportEvidence> evidence)
        {
            Id = id;
            Source = source;
            Cells = cells ?? Array.Empty<ReportCell>();
            Findings = findings ?? Array.Empty<ReportFinding>();
            Evidence = evidence ?? Array.Empty<ReportEvidence>();
        }

        /// <summary>The anchor of the drill-down section (<c>m1</c>, <c>m2</c> ...).</summary>
        public string Id { get; }

        /// <summary>Where the message came from (file name, HeaderText, Message-ID).</summary>
        public string Source { get; }

        /// <summary>The summary cells (hops, encryption, authentication results).</summary>
        public IReadOnlyList<ReportCell> Cells { get; }

        /// <summary>Its findings, worst first.</summary>
        public IReadOnlyList<ReportFinding> Findings { get; }

        /// <summary>The hops and other evidence.</summary>
        public IReadOnlyList<ReportEvidence> Evidence { get; }
    }

    /// <summary>A finding code across the whole report: how bad, how many domains, and what to do about it.</summary>
    internal sealed class ReportProblem
    {
        /// <summary>Creates the entry.</summary>
        internal ReportProblem(ReportProblemBuilder b)
        {
            Code = b.Code;
            Severity = b.Severity;
            Meaning = b.Meaning ?? string.Empty;
            Remedy = b.Remedy ?? string.Empty;
            Reference = b.Reference ?? string.Empty;
            Entries = b.Entries ?? Array.Empty<ReportEntry>();
            MessageCount = b.MessageCount;
            Example = b.Example ?? string.Empty;
        }

        /// <summary>The finding code.</summary>
        public string Code { get; }

        /// <summary>The worst severity it was reported with.</summary>
        public Severity Severity { get; }

        /// <summary>What it means (from the finding catalog), or empty for a code this version does not know.</summary>
        public string Meaning { get; }

        /// <summary>How to fix it (from the finding catalog).</summary>
        public string Remedy { get; }

        /// <summary>The RFC rule behind it.</summary>
        public string Reference { get; }

        /// <summary>The domains and hosts that have it, in matrix order.</summary>
        public IReadOnlyList<ReportEntry> Entries { get; }

        /// <summary>How many analysed messages have it.</summary>
        public int MessageCount { get; }

        /// <summary>One occurrence's message, as an example.</summary>
        public string Example { get; }
    }

    /// <summary>Everything the HTML report shows; built by <see cref="ReportBuilder"/>, rendered by <see cref="HtmlReportWriter"/>.</summary>
    internal sealed class ReportDocument
    {
        /// <summary>Creates the document.</summary>
        public ReportDocument(string title, DateTimeOffset generatedAt, IReadOnlyList<string> columns, IReadOnlyList<ReportEntry> entries,
            IReadOnlyList<ReportMessage> messages, IReadOnlyList<ReportProblem> problems, int resultCount)
        {
            Title = title ?? string.Empty;
            GeneratedAt = generatedAt;
            Columns = columns ?? Array.Empty<string>();
            Entries = entries ?? Array.Empty<ReportEntry>();
            Messages = messages ?? Array.Empty<ReportMessage>();
            Problems = problems ?? Array.Empty<ReportProblem>();
            ResultCount = resultCount;
        }

        /// <summary>The page title.</summary>
        public string Title { get; }

        /// <summary>When the report was made.</summary>
        public DateTimeOffset GeneratedAt { get; }

        /// <summary>The matrix column headers (after the domain column).</summary>
        public IReadOnlyList<string> Columns { get; }

        /// <summary>The matrix rows, worst first.</summary>
        public IReadOnlyList<ReportEntry> Entries { get; }

        /// <summary>Messages analysed in message mode.</summary>
        public IReadOnlyList<ReportMessage> Messages { get; }

        /// <summary>Finding codes of severity Warning or worse, worst first.</summary>
        public IReadOnlyList<ReportProblem> Problems { get; }

        /// <summary>How many result objects the report was built from.</summary>
        public int ResultCount { get; }
    }
}
