using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MailSecurity.Dns;

namespace MailSecurity.Smtp
{
    /// <summary>A snapshot of the request, so that a request object can be reused or changed while probes run.</summary>
    internal sealed class SmtpProbeSettings
    {
        public SmtpProbeSettings(SmtpTlsProbeRequest r)
        {
            Address = r.Address.IsIPv4MappedToIPv6 ? r.Address.MapToIPv4() : r.Address;
            var isAddress = IPAddress.TryParse(r.HostName, out _);
            HostName = isAddress ? Address.ToString() : (DomainName.TryNormalize(r.HostName, out var n, out _) ? n : r.HostName);
            Port = r.Port;
            ImplicitTls = r.ImplicitTls;
            HeloName = string.IsNullOrWhiteSpace(r.HeloName) ? null : r.HeloName!.Trim();
            var sni = string.IsNullOrWhiteSpace(r.ServerName) ? HostName : r.ServerName!.Trim();
            ServerName = IPAddress.TryParse(sni, out _) ? null : sni;
            ReferenceNames = r.ReferenceNames.Count > 0 ? r.ReferenceNames.ToList() : new List<string> { HostName };
            Timeout = r.Timeout <= TimeSpan.Zero ? TimeSpan.FromSeconds(10) : r.Timeout;
            IncludeTranscript = r.IncludeTranscript;
            AllowedVersions = r.AllowedVersions.Distinct().ToList();
            ProbeVersions = r.ProbeVersions.Distinct().ToList();
            CheckRevocation = r.CheckRevocation;
            TrustAnchors = r.TrustAnchors?.ToList();
            MaxSessionBytes = Math.Max(4096, r.MaxSessionBytes);
            MaxReplyLines = Math.Max(4, r.MaxReplyLines);
            MaxLineLength = Math.Max(512, r.MaxLineLength);
        }

        public string HostName { get; }

        public IPAddress Address { get; }

        public int Port { get; }

        public bool ImplicitTls { get; }

        public string? HeloName { get; }

        public string? ServerName { get; }

        public IReadOnlyList<string> ReferenceNames { get; }

        public TimeSpan Timeout { get; }

        public bool IncludeTranscript { get; }

        public IReadOnlyList<TlsVersion> AllowedVersions { get; }

        public IReadOnlyList<TlsVersion> ProbeVersions { get; }

        public bool CheckRevocation { get; }

        public IReadOnlyList<X509Certificate2>? TrustAnchors { get; }

        public int MaxSessionBytes { get; }

        public int MaxReplyLines { get; }

        public int MaxLineLength { get; }
    }
}
