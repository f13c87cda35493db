using System;
using System.Collections.Generic;
using MailSecurity.Dns;

namespace MailSecurity.Delivery
{
    /// <summary>The state the hop decision fills in before it is frozen into a <see cref="HopSecurity"/>.</summary>
    internal sealed class HopSecurityBuilder
    {
        public string Domain = string.Empty;
        public string MxHost = string.Empty;
        public ushort Preference;
        public HopSecurityLevel Level;
        public string Reason = string.Empty;
        public List<Finding> DeliveryRisks = new List<Finding>();
        public bool RequireTlsReady;
        public string RequireTlsDetail = string.Empty;
        public MxStatus MxStatus = MxStatus.Found;
        public DnsLookupStatus MxLookupStatus = DnsLookupStatus.Success;
        public DnssecStatus MxDnssecStatus;
        public IReadOnlyList<string> Addresses = Array.Empty<string>();
        public DaneResult? Dane;
        public MtaStsHopEvidence? MtaSts;
        public IReadOnlyList<SmtpTlsProbe> Probes = Array.Empty<SmtpTlsProbe>();
        public bool? TlsRptPresent;
        public List<Finding> Findings = new List<Finding>();
    }
}
