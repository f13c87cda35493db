using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dkim;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using MailSecurity.Records;

namespace MailSecurity.TlsRpt
{
    /// <summary>The outcome of parsing one v=TLSRPTv1 record.</summary>
    internal sealed class TlsRptParseResult
    {
        internal TlsRptParseResult(IReadOnlyList<TlsRptReportUri> uris, bool hasRua, IReadOnlyDictionary<string, string> extensions, IReadOnlyList<string> errors, bool whitespaceBeforeSeparator)
        {
            ReportUris = uris;
            HasRua = hasRua;
            Extensions = extensions;
            Errors = errors;
            WhitespaceBeforeSeparator = whitespaceBeforeSeparator;
        }

        /// <summary>The rua URIs.</summary>
        public IReadOnlyList<TlsRptReportUri> ReportUris { get; }

        /// <summary>True when a rua field is present.</summary>
        public bool HasRua { get; }

        /// <summary>Extension fields.</summary>
        public IReadOnlyDictionary<string, string> Extensions { get; }

        /// <summary>Grammar violations outside the URIs.</summary>
        public IReadOnlyList<string> Errors { get; }

        /// <summary>True when white space separates the version from the first ';'.</summary>
        public bool WhitespaceBeforeSeparator { get; }
    }

    /// <summary>
    /// Parses TLS-RPT records by the RFC 8460 §3 ABNF: <c>v=TLSRPTv1</c> first and case-sensitive, rua required, only
    /// mailto: and https: URIs, with ',', '!' and ';' percent-encoded inside a URI. The record shape (version, ';'-separated
    /// name=value fields, white space before ';' allowed by the ABNF and flagged) is the MTA-STS one: <see cref="VersionedFieldList"/>.
    /// </summary>
    internal static class TlsRptRecordParser
    {
        private const string Version = "v=TLSRPTv1";

        /// <summary>True when the record begins with the exact version, followed by the end, white space or ';'.</summary>
        public static bool IsTlsRptRecord(string text) => VersionedFieldList.BeginsWithVersion(text, Version);

        /// <summary>Parses a record; one that does not begin with v=TLSRPTv1 (<see cref="IsTlsRptRecord"/>) is invalid with that error.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static TlsRptParseResult Parse(string text)
        {
            var list = VersionedFieldList.Parse(text, Version);
            var errors = list.Errors.ToList();
            var uris = new List<TlsRptReportUri>();
            var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
            var hasRua = false;
            foreach (var field in list.Fields)
            {
                var name = field.Key;
                var value = field.Value;
                if (name == "rua")
                {
                    if (hasRua)
                    {
                        errors.Add("rua appears more than once");
                        continue;
                    }

                    hasRua = true;
                    // tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
                    foreach (var entry in value.Split(','))
                    {
                        uris.Add(ParseUri(entry.Trim(' ', '\t')));
                    }

                    continue;
                }

                // Extension fields share the MTA-STS syntax (RFC 8460 §3 tlsrpt-extension).
                if (!VersionedFieldList.IsExtensionName(name) || !VersionedFieldList.IsExtensionValue(value))
                {
                    errors.Add($"'{DisplayText.Shorten(name + "=" + value)}' is not a valid field");
                    continue;
                }

                if (!extensions.ContainsKey(name))
                {
                    extensions[name] = value;
                }
            }

            return new TlsRptParseResult(uris, hasRua, extensions, DisplayText.LimitProblems(errors), list.WhitespaceBeforeSeparator);
        }

        /// <summary>Checks one rua entry: an absolute mailto: or https: URI with a usable address or host.</summary>
        internal static TlsRptReportUri ParseUri(string entry)
        {
            if (entry.Length == 0)
            {
                return new TlsRptReportUri(entry, null, null, "the entry is empty");
            }

            foreach (var c in entry)
            {
                if (c <= ' ' || c > '~' || c == '!')
                {
                    return new TlsRptReportUri(entry, null, null, c == '!' ? "it contains an unencoded '!'" : "it contains white space, a control or a non-ASCII character");
                }
            }

            if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri))
            {
                return new TlsRptReportUri(entry, null, null, "it is not an absolute URI");
            }

            var scheme = uri.Scheme.ToLowerInvariant();
            if (scheme == "mailto")
            {
                var addr = entry.Substring(entry.IndexOf(':') + 1);
                var q = addr.IndexOf('?');
                if (q >= 0)
                {
                    addr = addr.Substring(0, q);
                }

                addr = Uri.UnescapeDataString(addr);
                var at = addr.LastIndexOf('@');
                if (at <= 0 || at == addr.Length - 1 || !DomainName.TryNormalize(addr.Substring(at + 1), out var domain, out _))
                {
                    return new TlsRptReportUri(entry, scheme, null, "the mailto address is not local@domain");
                }

                return new TlsRptReportUri(entry, scheme, domain, null);
            }

            if (scheme == "https")
            {
                return string.IsNullOrEmpty(uri.Host) || !DomainName.TryNormalize(uri.IdnHost, out var host, out _)
                    ? new TlsRptReportUri(entry, scheme, null, "the https URI has no usable host")
                    : new TlsRptReportUri(entry, scheme, host, null);
            }

            return new TlsRptReportUri(entry, scheme, null, $"the scheme '{DisplayText.Shorten(scheme)}' is not defined for TLS-RPT (only mailto and https)");
        }
    }
}
