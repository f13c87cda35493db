using System;
using MailSecurity.Report;

namespace MailSecurity
{
    /// <summary>
    /// The report matrix column whose cell a finding code colours. On a <c>*Findings</c> class it sets the column of every code
    /// declared there, so a new code lands in the right column without touching the report; on one descriptor field it
    /// overrides the class for that code (a hop-verdict code about TLS-RPT colours the TLS-RPT cell). A class without it
    /// holds message-mode codes, which belong to no column. <see cref="FindingCatalog"/> reads it into
    /// <see cref="FindingDescriptor.ReportColumn"/>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
    internal sealed class ReportColumnAttribute : Attribute
    {
        /// <summary>Puts the codes of a class, or one code, in a column.</summary>
        /// <param name="column">The matrix column.</param>
        public ReportColumnAttribute(ReportCheck column)
        {
            Column = column;
        }

        /// <summary>The matrix column.</summary>
        public ReportCheck Column { get; }
    }
}
