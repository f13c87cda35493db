using System;
using System.Collections.Generic;

namespace MailSecurity.Message
{
    /// <summary>The values of a <see cref="MessagePath"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class MessagePathBuilder
    {
        public string Source = string.Empty;
        public string? MessageId;
        public string? Subject;
        public string? HeaderFrom;
        public DateTimeOffset? Date;
        public int HeaderCount;
        public bool BodyAvailable;
        public IReadOnlyList<MessageHop> Hops = Array.Empty<MessageHop>();
        public MessageAuthentication Authentication = null!;
        public bool? EncryptedAllHops;
        public MessageHop? WeakestHop;
        public int? FirstAuthResultsHop;
        public TimeSpan? TransitTime;
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
        public MessageProtection? Protection;
    }
}
