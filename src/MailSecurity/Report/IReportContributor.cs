using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>
    /// Turns one result type into its part of the report: cells, findings and evidence of a domain or host row, or an analysed
    /// message. It reads the result through <see cref="ReportSource"/>, so a live result and one read back from a file
    /// (JSON, CLIXML) take the same path. <see cref="ReportBuilder"/> holds one contributor per result type and only assembles
    /// the document.
    /// </summary>
    internal interface IReportContributor
    {
        /// <summary>The result type this contributor reads, as PowerShell names it (<c>MailSecurity.HopSecurity</c>).</summary>
        string TypeName { get; }

        /// <summary>Adds what one result says to the rows of the report.</summary>
        /// <param name="result">A result of <see cref="TypeName"/>.</param>
        /// <param name="rows">The rows the report is built from.</param>
        void Contribute(ReportSource result, ReportRows rows);
    }
}
