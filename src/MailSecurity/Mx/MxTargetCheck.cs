using System.Collections.Generic;
using MailSecurity.Dns;
using MailSecurity.Mx;

namespace MailSecurity
{
    /// <summary>Whether an MX host resolves to addresses.</summary>
    public enum MxTargetAddressStatus
    {
        /// <summary>At least one A or AAAA record.</summary>
        HasAddress,
        /// <summary>No A and no AAAA record (NODATA or NXDOMAIN).</summary>
        NoAddress,
        /// <summary>An address lookup failed and none succeeded.</summary>
        LookupFailed,
        /// <summary>Not checked: the target is an IP literal.</summary>
        NotChecked,
    }

    /// <summary>The address check of one MX host: CNAME use and A/AAAA records.</summary>
    public sealed class MxTargetCheck
    {
        /// <summary>Creates a check result.</summary>
        internal MxTargetCheck(MxTargetCheckBuilder b)
        {
            HostName = b.HostName;
            Preference = b.Preference;
            AddressStatus = b.AddressStatus;
            Addresses = b.Addresses;
            CnameChain = b.CnameChain;
            CanonicalName = b.CanonicalName;
            DnssecStatus = b.DnssecStatus;
            Findings = b.Findings;
        }

        /// <summary>The MX target as published.</summary>
        public string HostName { get; }

        /// <summary>The MX preference.</summary>
        public ushort Preference { get; }

        /// <summary>Address outcome.</summary>
        public MxTargetAddressStatus AddressStatus { get; }

        /// <summary>A and AAAA addresses.</summary>
        public IReadOnlyList<string> Addresses { get; }

        /// <summary>CNAME links from the MX target, as "alias -> target" (empty when the target is canonical).</summary>
        public IReadOnlyList<string> CnameChain { get; }

        /// <summary>True when the MX target is an alias (RFC 2181 §10.3).</summary>
        public bool IsCname => CnameChain.Count > 0;

        /// <summary>The end of the CNAME chain (the target itself when none).</summary>
        public string CanonicalName { get; }

        /// <summary>DNSSEC state of the address answer.</summary>
        public DnssecStatus DnssecStatus { get; }

        /// <summary>Findings.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Preference} {HostName}: {AddressStatus}{(IsCname ? " (CNAME)" : string.Empty)}";
    }
}
