using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace MailSecurity.TestPeers.Dns
{
    /// <summary>A parsed DNS query (RFC 1035 §4.1): what the in-memory server needs to answer it.</summary>
    public sealed class DnsQuery
    {
        public ushort Id { get; init; }

        public ushort Flags { get; init; }

        /// <summary>The question name as sent (labels decoded byte-for-byte as Latin-1, joined with dots, no trailing dot).</summary>
        public string Name { get; init; } = string.Empty;

        public ushort Type { get; init; }

        public ushort Class { get; init; }

        /// <summary>The question section exactly as received, echoed in the response.</summary>
        public byte[] QuestionBytes { get; init; } = Array.Empty<byte>();

        /// <summary>The EDNS(0) UDP payload size offered (RFC 6891 §6.2.3), or null without OPT.</summary>
        public int? EdnsPayloadSize { get; init; }

        public bool DnssecOk { get; init; }

        public bool RecursionDesired => (Flags & 0x0100) != 0;
    }

    /// <summary>Hand-written RFC 1035 message encoding for the test server (test code: no compression needed).</summary>
    public static class DnsWire
    {
        public const int RcodeNoError = 0;
        public const int RcodeFormErr = 1;
        public const int RcodeServFail = 2;
        public const int RcodeNxDomain = 3;
        public const int RcodeRefused = 5;

        /// <summary>Parses a query; returns null when the packet is too broken to answer.</summary>
        public static DnsQuery? ParseQuery(byte[] packet, int length)
        {
            if (length < 12)
            {
                return null;
            }

            var id = (ushort)((packet[0] << 8) | packet[1]);
            var flags = (ushort)((packet[2] << 8) | packet[3]);
            var qd = (packet[4] << 8) | packet[5];
            var ar = (packet[10] << 8) | packet[11];
            if (qd != 1)
            {
                return null;
            }

            var pos = 12;
            if (!TryReadName(packet, length, ref pos, out var name))
            {
                return null;
            }

            if (pos + 4 > length)
            {
                return null;
            }

            var type = (ushort)((packet[pos] << 8) | packet[pos + 1]);
            var cls = (ushort)((packet[pos + 2] << 8) | packet[pos + 3]);
            pos += 4;
            var question = new byte[pos - 12];
            Array.Copy(packet, 12, question, 0, question.Length);
            int? edns = null;
            var dnssecOk = false;
            for (var i = 0; i < ar && pos < length; i++)
            {
                if (!TryReadName(packet, length, ref pos, out _) || pos + 10 > length)
                {
                    break;
                }

                var rrType = (packet[pos] << 8) | packet[pos + 1];
                var rrClass = (packet[pos + 2] << 8) | packet[pos + 3];
                var ttlFlags = (packet[pos + 6] << 8) | packet[pos + 7];
                var rdLength = (packet[pos + 8] << 8) | packet[pos + 9];
                pos += 10 + rdLength;
                if (rrType == 41)
                {
                    edns = Math.Max(512, rrClass);
                    dnssecOk = (ttlFlags & 0x8000) != 0;
                }
            }

            return new DnsQuery { Id = id, Flags = flags, Name = name, Type = type, Class = cls, QuestionBytes = question, EdnsPayloadSize = edns, DnssecOk = dnssecOk };
        }

        private static bool TryReadName(byte[] packet, int length, ref int pos, out string name)
        {
            var labels = new List<string>();
            var jumped = false;
            var end = pos;
            var guard = 0;
            var p = pos;
            while (true)
            {
                if (p >= length || ++guard > 128)
                {
                    name = string.Empty;
                    return false;
                }

                var len = packet[p];
                if (len == 0)
                {
                    p++;
                    break;
                }

                if ((len & 0xC0) == 0xC0)
                {
                    if (p + 1 >= length)
                    {
                        name = string.Empty;
                        return false;
                    }

                    if (!jumped)
                    {
                        end = p + 2;
                    }

                    jumped = true;
                    p = ((len & 0x3F) << 8) | packet[p + 1];
                    continue;
                }

                if (p + 1 + len > length)
                {
                    name = string.Empty;
                    return false;
                }

                labels.Add(Encoding.Latin1.GetString(packet, p + 1, len));
                p += 1 + len;
            }

            pos = jumped ? end : p;
            name = string.Join(".", labels);
            return true;
        }

        /// <summary>Encodes a name; labels are written as UTF-8 (Latin-1 for names that came from a query).</summary>
        public static void WriteName(List<byte> buffer, string name)
        {
            var n = name.EndsWith(".", StringComparison.Ordinal) ? name[..^1] : name;
            if (n.Length > 0)
            {
                foreach (var label in n.Split('.'))
                {
                    var bytes = IsLatin1Only(label) ? Encoding.Latin1.GetBytes(label) : Encoding.UTF8.GetBytes(label);
                    if (bytes.Length == 0 || bytes.Length > 63)
                    {
                        throw new ArgumentException($"label '{label}' cannot be encoded");
                    }

                    buffer.Add((byte)bytes.Length);
                    buffer.AddRange(bytes);
                }
            }

            buffer.Add(0);
        }

        private static bool IsLatin1Only(string s)
        {
            foreach (var ch in s)
            {
                if (ch > 0xFF)
                {
                    return false;
                }
            }

            return true;
        }

        private static void WriteUInt16(List<byte> b, int v)
        {
            b.Add((byte)(v >> 8));
            b.Add((byte)v);
        }

        private static void WriteUInt32(List<byte> b, uint v)
        {
            b.Add((byte)(v >> 24));
            b.Add((byte)(v >> 16));
            b.Add((byte)(v >> 8));
            b.Add((byte)v);
        }

        /// <summary>Encodes one resource record; returns false (writing nothing) when its data cannot be encoded.</summary>
        public static bool TryWriteRecord(List<byte> buffer, string owner, ZoneRecord record, uint ttl = 300)
        {
            var rr = new List<byte>();
            try
            {
                WriteName(rr, owner);
                WriteUInt16(rr, (int)record.Type);
                WriteUInt16(rr, 1);
                WriteUInt32(rr, ttl);
                var rdata = new List<byte>();
                switch (record.Type)
                {
                    case ZoneRecordType.A:
                    case ZoneRecordType.AAAA:
                        rdata.AddRange(IPAddress.Parse(record.Text).GetAddressBytes());
                        break;
                    case ZoneRecordType.MX:
                        WriteUInt16(rdata, record.Preference);
                        WriteName(rdata, record.Text);
                        break;
                    case ZoneRecordType.TXT:
                    case ZoneRecordType.SPF:
                        foreach (var s in record.Strings)
                        {
                            var bytes = Encoding.UTF8.GetBytes(s);
                            var offset = 0;
                            do
                            {
                                var chunk = Math.Min(255, bytes.Length - offset);
                                rdata.Add((byte)chunk);
                                for (var i = 0; i < chunk; i++)
                                {
                                    rdata.Add(bytes[offset + i]);
                                }

                                offset += chunk;
                            }
                            while (offset < bytes.Length);
                        }

                        break;
                    case ZoneRecordType.SOA:
                        var f = record.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        WriteName(rdata, f.Length > 0 ? f[0] : "ns.invalid");
                        WriteName(rdata, f.Length > 1 ? f[1] : "hostmaster.invalid");
                        for (var i = 2; i < 7; i++)
                        {
                            WriteUInt32(rdata, f.Length > i ? uint.Parse(f[i], System.Globalization.CultureInfo.InvariantCulture) : 300u);
                        }

                        break;
                    default:
                        WriteName(rdata, record.Text);
                        break;
                }

                if (rdata.Count > 65535)
                {
                    return false;
                }

                WriteUInt16(rr, rdata.Count);
                rr.AddRange(rdata);
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (FormatException)
            {
                return false;
            }

            buffer.AddRange(rr);
            return true;
        }

        /// <summary>Builds a complete response message.</summary>
        public static byte[] BuildResponse(DnsQuery query, int rcode, IReadOnlyList<(string Owner, ZoneRecord Record)> answers, IReadOnlyList<(string Owner, ZoneRecord Record)> authority, bool truncated, int? idOverride = null)
        {
            var b = new List<byte>(512);
            WriteUInt16(b, idOverride ?? query.Id);
            var flags = 0x8000 | (query.Flags & 0x7800) | 0x0400 | (query.Flags & 0x0100) | 0x0080 | (rcode & 0xF);
            if (truncated)
            {
                flags |= 0x0200;
            }

            WriteUInt16(b, flags);
            WriteUInt16(b, 1);
            var anPos = b.Count;
            WriteUInt16(b, 0);
            var nsPos = b.Count;
            WriteUInt16(b, 0);
            WriteUInt16(b, query.EdnsPayloadSize.HasValue ? 1 : 0);
            b.AddRange(query.QuestionBytes);
            var an = 0;
            if (!truncated)
            {
                foreach (var (owner, record) in answers)
                {
                    if (TryWriteRecord(b, owner, record))
                    {
                        an++;
                    }
                }
            }

            var ns = 0;
            if (!truncated)
            {
                foreach (var (owner, record) in authority)
                {
                    if (TryWriteRecord(b, owner, record))
                    {
                        ns++;
                    }
                }
            }

            b[anPos] = (byte)(an >> 8);
            b[anPos + 1] = (byte)an;
            b[nsPos] = (byte)(ns >> 8);
            b[nsPos + 1] = (byte)ns;
            if (query.EdnsPayloadSize.HasValue)
            {
                // OPT (RFC 6891 §6.1.2): root owner, our payload size, DO echoed.
                b.Add(0);
                WriteUInt16(b, 41);
                WriteUInt16(b, 4096);
                WriteUInt32(b, query.DnssecOk ? 0x8000u : 0u);
                WriteUInt16(b, 0);
            }

            return b.ToArray();
        }
    }
}
