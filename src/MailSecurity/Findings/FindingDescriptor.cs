using System;

namespace MailSecurity
{
    /// <summary>
    /// The catalog entry behind a finding code: its stable code, default severity, what it means,
    /// the RFC rule behind it and how to fix it. Codes never change meaning once shipped.
    /// </summary>
    /// <remarks>
    /// Declare descriptors as <c>public static readonly</c> fields of a static class named
    /// <c>*Findings</c> in the folder of the concern; <see cref="FindingCatalog"/> finds them by reflection,
    /// so the help catalog and its completeness test need no hand-kept list.
    /// </remarks>
    public sealed class FindingDescriptor
    {
        /// <summary>Creates a descriptor.</summary>
        /// <param name="code">Stable dotted code, e.g. <c>MtaSts.MxNotCovered</c>.</param>
        /// <param name="severity">Default severity.</param>
        /// <param name="meaning">One plain sentence saying what the finding means.</param>
        /// <param name="reference">RFC and section, e.g. <c>RFC 8461 §4.1</c>.</param>
        /// <param name="remedy">How an administrator fixes it (empty for informational codes).</param>
        /// <exception cref="ArgumentException">The code is not of the form <c>Area.Name</c>.</exception>
        public FindingDescriptor(string code, Severity severity, string meaning, string reference, string remedy)
        {
            if (string.IsNullOrEmpty(code) || code.IndexOf('.') <= 0 || code.EndsWith(".", StringComparison.Ordinal))
            {
                throw new ArgumentException("A finding code must look like 'Area.Name'.", nameof(code));
            }

            Code = code;
            Severity = severity;
            Meaning = meaning ?? throw new ArgumentNullException(nameof(meaning));
            Reference = reference ?? string.Empty;
            Remedy = remedy ?? string.Empty;
        }

        /// <summary>Stable dotted code.</summary>
        public string Code { get; }

        /// <summary>Default severity.</summary>
        public Severity Severity { get; }

        /// <summary>What the finding means, in one sentence.</summary>
        public string Meaning { get; }

        /// <summary>RFC and section behind the rule.</summary>
        public string Reference { get; }

        /// <summary>How to fix it.</summary>
        public string Remedy { get; }

        /// <summary>
        /// The report matrix column whose cell this code colours, or null for message-mode codes. Set once per findings class
        /// (or per code) with <see cref="ReportColumnAttribute"/>; <see cref="FindingCatalog"/> reads it.
        /// </summary>
        internal Report.ReportCheck? ReportColumn
        {
            get
            {
                // The catalog sets the column when it first lists the descriptors; a descriptor used before that asks it to.
                _ = FindingCatalog.Descriptors;
                return _reportColumn;
            }

            set => _reportColumn = value;
        }

        private Report.ReportCheck? _reportColumn;

        /// <summary>Creates a finding of this code.</summary>
        /// <param name="message">One plain sentence specific to this occurrence.</param>
        /// <param name="target">What the finding is about: a domain, host, record or address.</param>
        /// <param name="severity">Overrides the default severity when the context makes it worse or milder.</param>
        public Finding Create(string message, string? target = null, Severity? severity = null)
            => new Finding(Code, severity ?? Severity, message, target ?? string.Empty, Reference);

        /// <inheritdoc />
        public override string ToString() => Code;
    }
}
