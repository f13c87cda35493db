using System.Collections.Generic;
using System.Linq;
using MailSecurity.Message;

namespace MailSecurity
{
    /// <summary>One <c>ptype.property=value</c> of an Authentication-Results entry (RFC 8601 §2.2), e.g. <c>header.d=example.org</c>.</summary>
    public sealed class AuthResultProperty
    {
        /// <summary>Creates a property.</summary>
        public AuthResultProperty(string propertyType, string property, string value)
        {
            PropertyType = propertyType;
            Property = property;
            Value = value;
        }

        /// <summary>The ptype: <c>smtp</c>, <c>header</c>, <c>body</c> or <c>policy</c>.</summary>
        public string PropertyType { get; }

        /// <summary>The property name (<c>d</c>, <c>mailfrom</c>, <c>from</c>...).</summary>
        public string Property { get; }

        /// <summary>The value.</summary>
        public string Value { get; }

        /// <inheritdoc />
        public override string ToString() => $"{PropertyType}.{Property}={Value}";
    }

    /// <summary>One method result of an Authentication-Results field, e.g. <c>dkim=pass header.d=example.org</c>.</summary>
    public sealed class AuthMethodResult
    {
        private readonly IReadOnlyList<AuthResultProperty> _properties;

        /// <summary>Creates a method result.</summary>
        internal AuthMethodResult(AuthMethodResultBuilder b)
        {
            Method = b.Method;
            Version = b.Version;
            Result = b.Result;
            Reason = b.Reason;
            Comment = b.Comment;
            Action = b.Action;
            Recognized = b.Recognized;
            _properties = b.Properties;
        }

        /// <summary>The method, lower case (<c>spf</c>, <c>dkim</c>, <c>dmarc</c>, <c>arc</c>, <c>iprev</c>, <c>auth</c>...).</summary>
        public string Method { get; }

        /// <summary>The method version, when given (<c>dkim/1</c>).</summary>
        public int? Version { get; }

        /// <summary>The result, lower case (<c>pass</c>, <c>fail</c>...).</summary>
        public string Result { get; }

        /// <summary>The <c>reason=</c> value.</summary>
        public string? Reason { get; }

        /// <summary>The comment after the result.</summary>
        public string? Comment { get; }

        /// <summary>The <c>action=</c> value Microsoft 365 writes for DMARC.</summary>
        public string? Action { get; }

        /// <summary>False when the result is not one RFC 8601 defines for a method it defines; such entries MUST be ignored (RFC 8601 §2.7).</summary>
        public bool Recognized { get; }

        /// <summary>The properties as written (<c>header.d=example.org header.s=s1</c>); see <see cref="GetProperties"/> for the parsed list.</summary>
        /// <remarks>A string rather than a list keeps the result within <c>ConvertTo-Json -Depth 5</c>.</remarks>
        public string Properties => string.Join(" ", _properties.Select(p => p.ToString()));

        /// <summary>The parsed properties.</summary>
        public IReadOnlyList<AuthResultProperty> GetProperties() => _properties;

        /// <summary>The value of one property (<c>header.d</c>), or <c>null</c>.</summary>
        public string? GetProperty(string propertyType, string property)
            => _properties.FirstOrDefault(p => string.Equals(p.PropertyType, propertyType, System.StringComparison.OrdinalIgnoreCase)
                && string.Equals(p.Property, property, System.StringComparison.OrdinalIgnoreCase))?.Value;

        /// <inheritdoc />
        public override string ToString()
            => $"{Method}={Result}{(_properties.Count == 0 ? string.Empty : " " + Properties)}";
    }

    /// <summary>One Authentication-Results field as found in the message, and where it was added.</summary>
    public sealed class AuthResultsHeader
    {
        /// <summary>Creates a field.</summary>
        internal AuthResultsHeader(AuthResultsHeaderBuilder b)
        {
            Position = b.Position;
            AuthServId = b.AuthServId;
            Version = b.Version;
            Parsed = b.Parsed;
            Results = b.Results;
            AddedAtHop = b.AddedAtHop;
            Trusted = b.Trusted;
            Raw = b.Raw;
        }

        /// <summary>Position of the field in the header block (0 = top).</summary>
        public int Position { get; }

        /// <summary>The authserv-id; empty when the field has none (Microsoft 365 writes it without one).</summary>
        public string? AuthServId { get; }

        /// <summary>The authres-version, when given.</summary>
        public int? Version { get; }

        /// <summary>False when the field could not be parsed (it is kept raw and ignored).</summary>
        public bool Parsed { get; }

        /// <summary>The method results, in order; empty for <c>none</c>.</summary>
        public IReadOnlyList<AuthMethodResult> Results { get; }

        /// <summary>The hop (see <see cref="MessageHop.Index"/>) whose receiving server added the field; <c>null</c> when it lies below every Received field.</summary>
        public int? AddedAtHop { get; }

        /// <summary>True when the authserv-id is one the receiving domain is taken to use (RFC 8601 §5); see <see cref="MessageAuthentication.TrustedAuthServIds"/>.</summary>
        public bool Trusted { get; }

        /// <summary>The field value, unfolded.</summary>
        public string Raw { get; }

        /// <inheritdoc />
        public override string ToString() => $"{AuthServId}; {string.Join("; ", Results.Select(r => r.ToString()))}";
    }

    /// <summary>The Authentication-Results fields of one authserv-id (RFC 8601 §2.5: the id names the ADMD that vouches for them).</summary>
    public sealed class AuthServResults
    {
        private readonly IReadOnlyList<AuthResultsHeader> _headers;

        /// <summary>Creates a group from its fields (top, i.e. newest, first).</summary>
        public AuthServResults(string authServId, bool trusted, int? addedAtHop, IReadOnlyList<AuthResultsHeader> headers)
        {
            AuthServId = authServId;
            Trusted = trusted;
            AddedAtHop = addedAtHop;
            _headers = headers;
            Results = headers.SelectMany(h => h.Results).ToList();
        }

        /// <summary>The authserv-id (empty for fields without one).</summary>
        public string AuthServId { get; }

        /// <summary>True when at least one of its fields is trusted (the id is trusted and the field was added at a recorded hop).</summary>
        public bool Trusted { get; }

        /// <summary>The newest hop at which a field of this id was added.</summary>
        public int? AddedAtHop { get; }

        /// <summary>How many fields carry this id (see <see cref="MessageAuthentication.Headers"/> for each).</summary>
        public int FieldCount => _headers.Count;

        /// <summary>Every method result of those fields, newest field first.</summary>
        public IReadOnlyList<AuthMethodResult> Results { get; }

        /// <summary>
        /// The newest recognised result of a method (<c>spf</c>, <c>dmarc</c>, <c>arc</c>), or for <c>dkim</c> <c>pass</c> when any
        /// signature passed; only trusted fields count when the group is trusted. <c>null</c> when there is none.
        /// </summary>
        public string? ResultOf(string method)
        {
            var matches = _headers.Where(h => !Trusted || h.Trusted)
                .SelectMany(h => h.Results)
                .Where(r => r.Recognized && string.Equals(r.Method, method, System.StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (matches.Count == 0)
            {
                return null;
            }

            // Several DKIM signatures: one passing signature is enough for the domain that made it (RFC 6376 §6.1).
            return string.Equals(method, "dkim", System.StringComparison.OrdinalIgnoreCase) && matches.Any(m => m.Result == "pass") ? "pass" : matches[0].Result;
        }

        /// <inheritdoc />
        public override string ToString() => $"{AuthServId}: {string.Join("; ", Results.Select(r => r.ToString()))}";
    }
}
