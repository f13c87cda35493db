using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DnsClient.Protocol;

namespace MailSecurity.Dns.Dnssec
{
    /// <summary>
    /// The canonical form of RRsets (RFC 4034 §6) and the data an RRSIG signs (RFC 4034 §3.1.8.1).
    /// </summary>
    /// <remarks>
    /// DnsClient parses records and does not keep their RDATA octets, so each type we validate is re-encoded here from
    /// DnsClient's fields; a type without an encoder cannot be validated locally (the caller says so, it never guesses).
    /// Where the wire length is fixed by the fields (no compressible names), the re-encoding is checked against the
    /// received RDATA length.
    /// </remarks>
    internal static class CanonicalForm
    {
        /// <summary>Canonical RDATA of <paramref name="record"/>, or null with the reason when it cannot be rebuilt exactly.</summary>
        public static byte[]? TryEncodeRdata(DnsResourceRecord record, out string? error)
        {
            error = null;
            var w = new WireWriter();
            bool checkLength = true;
            switch (record)
            {
                case ARecord a:
                    w.Bytes(a.Address.GetAddressBytes());
                    break;
                case AaaaRecord aaaa:
                    w.Bytes(aaaa.Address.GetAddressBytes());
                    break;
                // RFC 4034 §6.2 item 3: names in the RDATA of NS, CNAME, SOA, PTR, MX and SRV are lower-cased.
                case NsRecord ns:
                    w.Name(ns.NSDName, lower: true);
                    checkLength = false;
                    break;
                case CNameRecord cname:
                    w.Name(cname.CanonicalName, lower: true);
                    checkLength = false;
                    break;
                case PtrRecord ptr:
                    w.Name(ptr.PtrDomainName, lower: true);
                    checkLength = false;
                    break;
                case MxRecord mx:
                    w.U16(mx.Preference).Name(mx.Exchange, lower: true);
                    checkLength = false;
                    break;
                case SrvRecord srv:
                    w.U16(srv.Priority).U16(srv.Weight).U16(srv.Port).Name(srv.Target, lower: true);
                    checkLength = false;
                    break;
                case SoaRecord soa:
                    w.Name(soa.MName, lower: true).Name(soa.RName, lower: true)
                        .U32(soa.Serial).U32(soa.Refresh).U32(soa.Retry).U32(soa.Expire).U32(soa.Minimum);
                    checkLength = false;
                    break;
                case TxtRecord txt:
                    foreach (var s in TxtStrings(txt))
                    {
                        if (s.Length > 255)
                        {
                            error = "a TXT string is longer than 255 octets";
                            return null;
                        }

                        w.U8((byte)s.Length).Bytes(s);
                    }

                    break;
                case DsRecord ds:
                    w.U16((ushort)ds.KeyTag).U8((byte)ds.Algorithm).U8(ds.DigestType).Bytes(ds.Digest);
                    break;
                case DnsKeyRecord key:
                    w.Bytes(DnskeyRdata(key));
                    break;
                case NSecRecord nsec:
                    // The next owner name is signed as sent (RFC 3755 §4, RFC 6840 §5.1); it is never compressed.
                    w.Name(nsec.NextDomainName, lower: false).Bytes(nsec.TypeBitMapsRaw);
                    break;
                case NSec3Record nsec3:
                    w.U8(nsec3.HashAlgorithm).U8(nsec3.Flags).U16((ushort)nsec3.Iterations)
                        .U8((byte)nsec3.Salt.Length).Bytes(nsec3.Salt)
                        .U8((byte)nsec3.NextOwnersName.Length).Bytes(nsec3.NextOwnersName)
                        .Bytes(nsec3.TypeBitMapsRaw);
                    break;
                case NSec3ParamRecord param:
                    w.U8(param.HashAlgorithm).U8(param.Flags).U16((ushort)param.Iterations).U8((byte)param.Salt.Length).Bytes(param.Salt);
                    break;
                case TlsaRecord tlsa:
                    w.U8((byte)tlsa.CertificateUsage).U8((byte)tlsa.Selector).U8((byte)tlsa.MatchingType).Bytes(tlsa.CertificateAssociationData);
                    break;
                case UnknownRecord unknown:
                    w.Bytes(unknown.Data);
                    break;
                case NullRecord nul:
                    w.Bytes(nul.Anything);
                    break;
                default:
                    error = $"records of type {record.RecordType} cannot be validated locally";
                    return null;
            }

            var rdata = w.ToArray();
            if (checkLength && rdata.Length != record.RawDataLength)
            {
                error = $"the {record.RecordType} record of {record.DomainName} could not be rebuilt exactly ({rdata.Length} octets instead of {record.RawDataLength})";
                return null;
            }

            return rdata;
        }

        /// <summary>The RDATA of a DNSKEY record (flags, protocol, algorithm, key; RFC 4034 §2.1).</summary>
        public static byte[] DnskeyRdata(DnsKeyRecord key)
            => new WireWriter().U16((ushort)key.Flags).U8(key.Protocol).U8((byte)key.Algorithm).Bytes(key.PublicKey).ToArray();

        /// <summary>
        /// The octets an RRSIG signs (RFC 4034 §3.1.8.1): its RDATA without the signature, then every RR of the set in
        /// canonical form — owner lower-cased (or the wildcard the RRSIG's Labels field points to, RFC 4035 §5.3.2),
        /// the RRSIG's original TTL, canonical RDATA — sorted by RDATA (RFC 4034 §6.3), duplicates removed.
        /// </summary>
        public static byte[]? TryBuildSignedData(RRSigRecord sig, IReadOnlyList<DnsResourceRecord> rrset, out string? error)
        {
            error = null;
            var w = new WireWriter()
                .U16((ushort)sig.CoveredType).U8((byte)sig.Algorithm).U8(sig.Labels)
                .U32((uint)sig.OriginalTtl)
                .U32((uint)sig.SignatureExpiration.ToUnixTimeSeconds())
                .U32((uint)sig.SignatureInception.ToUnixTimeSeconds())
                .U16((ushort)sig.KeyTag)
                .Name(sig.SignersName, lower: true);
            if (rrset.Count == 0)
            {
                error = "empty RRset";
                return null;
            }

            var owner = DnssecName.From(rrset[0].DomainName);
            if (sig.Labels > owner.SignatureLabelCount)
            {
                error = $"the RRSIG of {owner} claims {sig.Labels} labels, more than the owner name has (RFC 4035 §5.3.1)";
                return null;
            }

            // A signature over fewer labels than the owner has was made for the wildcard that expanded into it.
            var signedOwner = sig.Labels < owner.SignatureLabelCount ? owner.Suffix(sig.Labels).Wildcard() : owner;
            var ownerWire = signedOwner.ToWire(lowerCase: true);
            var rdatas = new List<byte[]>(rrset.Count);
            foreach (var rr in rrset)
            {
                var rdata = TryEncodeRdata(rr, out error);
                if (rdata is null)
                {
                    return null;
                }

                rdatas.Add(rdata);
            }

            rdatas.Sort(CompareOctets);
            byte[]? previous = null;
            foreach (var rdata in rdatas)
            {
                if (previous != null && CompareOctets(previous, rdata) == 0)
                {
                    continue; // RFC 4034 §6.3: an RRset has no duplicate RRs.
                }

                w.Bytes(ownerWire).U16((ushort)sig.CoveredType).U16(1).U32((uint)sig.OriginalTtl).U16((ushort)rdata.Length).Bytes(rdata);
                previous = rdata;
            }

            return w.ToArray();
        }

        /// <summary>Octet-string order, shorter first on a common prefix (RFC 4034 §6.3).</summary>
        public static int CompareOctets(byte[] a, byte[] b)
        {
            var n = Math.Min(a.Length, b.Length);
            for (var i = 0; i < n; i++)
            {
                if (a[i] != b[i])
                {
                    return a[i].CompareTo(b[i]);
                }
            }

            return a.Length.CompareTo(b.Length);
        }

        /// <summary>
        /// The character-strings of a TXT record as octets. DnsClient keeps a UTF-8 decoding and an escaped form; the
        /// UTF-8 one is exact unless the octets were not UTF-8 (then it holds U+FFFD and the escaped form is decoded).
        /// </summary>
        private static IEnumerable<byte[]> TxtStrings(TxtRecord txt)
        {
            var utf8 = txt.Text.ToList();
            var escaped = txt.EscapedText.ToList();
            for (var i = 0; i < utf8.Count; i++)
            {
                if (utf8[i].IndexOf('\uFFFD') < 0 || i >= escaped.Count)
                {
                    yield return Encoding.UTF8.GetBytes(utf8[i]);
                }
                else
                {
                    yield return Unescape(escaped[i]);
                }
            }
        }

        private static byte[] Unescape(string s)
        {
            var bytes = new List<byte>(s.Length);
            for (var i = 0; i < s.Length; i++)
            {
                if (s[i] == '\\' && i + 3 < s.Length && char.IsDigit(s[i + 1]) && char.IsDigit(s[i + 2]) && char.IsDigit(s[i + 3]))
                {
                    bytes.Add((byte)((s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0')));
                    i += 3;
                }
                else if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] == '"')
                {
                    bytes.Add((byte)'"');
                    i++;
                }
                else
                {
                    bytes.Add((byte)s[i]);
                }
            }

            return bytes.ToArray();
        }

        /// <summary>A small big-endian writer for wire-format data.</summary>
        internal sealed class WireWriter
        {
            private readonly List<byte> _buffer = new List<byte>(256);

            public WireWriter U8(byte value)
            {
                _buffer.Add(value);
                return this;
            }

            public WireWriter U16(ushort value)
            {
                _buffer.Add((byte)(value >> 8));
                _buffer.Add((byte)value);
                return this;
            }

            public WireWriter U32(uint value)
            {
                _buffer.Add((byte)(value >> 24));
                _buffer.Add((byte)(value >> 16));
                _buffer.Add((byte)(value >> 8));
                _buffer.Add((byte)value);
                return this;
            }

            public WireWriter Bytes(IEnumerable<byte> bytes)
            {
                _buffer.AddRange(bytes);
                return this;
            }

            public WireWriter Name(DnsClient.DnsString name, bool lower) => Bytes(DnssecName.From(name).ToWire(lower));

            public byte[] ToArray() => _buffer.ToArray();
        }
    }
}
