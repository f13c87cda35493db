using System;
using System.Collections.Generic;
using MailSecurity.Dns;

namespace MailSecurity.Mx
{
    /// <summary>The values of a <see cref="MxTargetCheck"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class MxTargetCheckBuilder
    {
        public string HostName = string.Empty;
        public ushort Preference;
        public MxTargetAddressStatus AddressStatus;
        public IReadOnlyList<string> Addresses = Array.Empty<string>();
        public IReadOnlyList<string> CnameChain = Array.Empty<string>();
        public string CanonicalName = string.Empty;
        public DnssecStatus DnssecStatus;
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
    }
}
