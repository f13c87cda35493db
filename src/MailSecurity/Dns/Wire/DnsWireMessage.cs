using System;
using System.Collections.Generic;
using DnsClient;
using DnsClient.Protocol;

namespace MailSecurity.Dns.Wire
{
    /// <summary>A parsed DNS response: what <see cref="DnsResolver"/> reads of it.</summary>
    internal sealed class DnsWireResponse
    {
        public DnsWireResponse(DnsHeaderResponseCode responseCode, bool authenticData, bool truncated, IReadOnlyList<DnsResourceRecord> answers, IReadOnlyList<DnsResourceRecord> authorities)
        {
            ResponseCode = responseCode;
            AuthenticData = authenticData;
            Truncated = truncated;
            Answers = answers;
            Authorities = authorities;
        }

        /// <summary>The header's RCODE (RFC 1035 §4.1.1).</summary>
        public DnsHeaderResponseCode ResponseCode { get; }

        /// <summary>The AD bit (RFC 4035 §3.2.3).</summary>
        public bool AuthenticData { get; }

        /// <summary>The TC bit: the answer did not fit the UDP payload (RFC 1035 §4.1.1, RFC 7766 §5).</summary>
        public bool Truncated { get; }

        /// <summary>The answer section, signatures included.</summary>
        public IReadOnlyList<DnsResourceRecord> Answers { get; }

        /// <summary>The authority section (SOA, NS, NSEC/NSEC3 and their signatures).</summary>
        public IReadOnlyList<DnsResourceRecord> Authorities { get; }

        /// <summary>A response DnsClient's own transport (TCP) returned, as the same shape.</summary>
        public static DnsWireResponse From(IDnsQueryResponse response)
            => new DnsWireResponse(response.Header.ResponseCode, response.Header.IsAuthenticData, response.Header.ResultTruncated, ToArray(response.Answers), ToArray(response.Authorities));

        private static DnsResourceRecord[] ToArray(IReadOnlyList<DnsResourceRecord> records)
        {
            var copy = new DnsResourceRecord[records.Count];
            for (var i = 0; i < copy.Length; i++)
            {
                copy[i] = records[i];
            }

            return copy;
        }
    }

    /// <summary>A response that is not a well-formed DNS message (RFC 1035 §4.1).</summary>
    internal sealed class DnsWireFormatException : FormatException
    {
        public DnsWireFormatException(string message)
            : base(message)
        {
        }
    }

    /// <summary>
    /// Writes queries and reads responses in the DNS wire format (RFC 1035 §4.1) for <see cref="DnsUdpExchange"/>.
    /// </summary>
    /// <remarks>
    /// DnsClient.NET parses responses only inside its own transport, which opens a socket per query (the largest share of a
    /// bulk run's DNS cost, tests/bench/README.md); its wire reader (<see cref="DnsDatagramReader"/>) and record types are
    /// public, so this class keeps both and writes only the query and the dispatch from RR type to record, giving the same
    /// record objects the rest of the module (and the DNSSEC canonical form) reads.
    /// </remarks>
    internal static class DnsWireMessage
    {
        /// <summary>Header length (RFC 1035 §4.1.1).</summary>
        internal const int HeaderLength = 12;

        /// <summary>
        /// The UDP payload size advertised in EDNS (RFC 6891 §6.2.3): 1232 bytes, which fits the IPv6 minimum MTU without
        /// fragmentation (the value of DNS Flag Day 2020); a larger answer comes back truncated and is asked again over TCP.
        /// </summary>
        internal const ushort UdpPayloadSize = 1232;

        /// <summary>
        /// Writes a query for <paramref name="name"/>/<paramref name="type"/>: RD set (a stub asks a recursive resolver), one
        /// question, and an OPT pseudo-RR with the DO bit so signatures come back (RFC 3225 §3).
        /// </summary>
        /// <param name="name">A normalised name (A-labels, no trailing dot); empty for the root.</param>
        /// <param name="type">The record type.</param>
        /// <param name="id">The message ID.</param>
        /// <param name="checkingDisabled">Sets CD (RFC 4035 §3.2.2): the resolver answers without validating.</param>
        /// <returns>The message.</returns>
        /// <exception cref="ArgumentException">A label is empty, longer than 63 octets, or the name longer than 255 (RFC 1035 §2.3.4).</exception>
        public static byte[] WriteQuery(string name, ushort type, ushort id, bool checkingDisabled = false)
        {
            var nameLength = EncodedNameLength(name);
            var buffer = new byte[HeaderLength + nameLength + 4 + 11];
            WriteId(buffer, id);
            buffer[2] = 0x01; // RD
            buffer[3] = checkingDisabled ? (byte)0x10 : (byte)0;
            buffer[5] = 1; // QDCOUNT
            buffer[11] = 1; // ARCOUNT: the OPT pseudo-RR
            var i = WriteName(name, buffer, HeaderLength);
            buffer[i++] = (byte)(type >> 8);
            buffer[i++] = (byte)type;
            buffer[i++] = 0;
            buffer[i++] = 1; // class IN

            // OPT (RFC 6891 §6.1.2): root owner, type 41, class = payload size, TTL = extended RCODE 0, version 0, DO set.
            buffer[i++] = 0;
            buffer[i++] = 0;
            buffer[i++] = 41;
            buffer[i++] = UdpPayloadSize >> 8;
            buffer[i++] = UdpPayloadSize & 0xFF;
            buffer[i++] = 0;
            buffer[i++] = 0;
            buffer[i++] = 0x80; // DO
            buffer[i++] = 0;
            buffer[i++] = 0;
            buffer[i] = 0; // RDLENGTH 0
            return buffer;
        }

        /// <summary>The message ID of a message (its first two octets).</summary>
        public static ushort ReadId(byte[] message) => (ushort)((message[0] << 8) | message[1]);

        /// <summary>Sets the message ID of a message.</summary>
        public static void WriteId(byte[] message, ushort id)
        {
            message[0] = (byte)(id >> 8);
            message[1] = (byte)id;
        }

        /// <summary>The RCODE of a message's header (RFC 1035 §4.1.1); the message has at least a header.</summary>
        public static int ReadResponseCode(byte[] message) => message[3] & 0x0F;

        /// <summary>
        /// True when <paramref name="response"/> is a response (QR set) whose question section is the query's, octet for
        /// octet but for the case of ASCII letters (RFC 5452 §9.1: a resolver accepts only answers to the question it asked;
        /// RFC 4343: names compare case-insensitively).
        /// </summary>
        public static bool AnswersQuestion(byte[] query, byte[] response, int responseLength)
        {
            if (responseLength < HeaderLength || (response[2] & 0x80) == 0 || response[4] != 0)
            {
                return false;
            }

            if (response[5] == 0)
            {
                // An error answer may leave the question out (FORMERR, REFUSED, NOTIMP): matched by ID and source alone, it
                // carries no data that could poison anything.
                return ReadResponseCode(response) != 0;
            }

            if (response[5] != 1)
            {
                return false;
            }

            // The query's question runs from the header to its OPT record (11 octets at the end).
            var questionLength = query.Length - HeaderLength - 11;
            if (responseLength < HeaderLength + questionLength)
            {
                return false;
            }

            for (var i = HeaderLength; i < HeaderLength + questionLength; i++)
            {
                if (AsciiLower(query[i]) != AsciiLower(response[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Parses a response to one of our queries.</summary>
        /// <exception cref="DnsWireFormatException">The message is cut short, a record overruns its RDLENGTH, or a name is malformed.</exception>
        public static DnsWireResponse Parse(byte[] message, int length)
        {
            if (length < HeaderLength)
            {
                throw new DnsWireFormatException($"the response has {length} octets, fewer than a DNS header");
            }

            try
            {
                var reader = new DnsDatagramReader(new ArraySegment<byte>(message, 0, length));
                reader.Advance(2); // ID, matched by the exchange
                var flags = reader.ReadUInt16NetworkOrder();
                var questions = reader.ReadUInt16NetworkOrder();
                var answerCount = reader.ReadUInt16NetworkOrder();
                var authorityCount = reader.ReadUInt16NetworkOrder();
                reader.Advance(2); // ARCOUNT: the additional section (OPT, glue) is not read
                for (var q = 0; q < questions; q++)
                {
                    SkipName(reader, length);
                    reader.Advance(4);
                }

                var answers = ReadSection(reader, answerCount, length);
                var authorities = ReadSection(reader, authorityCount, length);
                return new DnsWireResponse(
                    (DnsHeaderResponseCode)(flags & 0x000F),
                    (flags & 0x0020) != 0,
                    (flags & 0x0200) != 0,
                    answers,
                    authorities);
            }
            catch (Exception ex) when (ex is IndexOutOfRangeException || ex is ArgumentOutOfRangeException || ex is ArgumentException || ex is InvalidOperationException || ex is DnsResponseParseException || ex is OverflowException)
            {
                throw new DnsWireFormatException($"the response is not a well-formed DNS message ({DisplayText.FirstLine(ex.Message, 160)})");
            }
        }

        private static DnsResourceRecord[] ReadSection(DnsDatagramReader reader, int count, int length)
        {
            if (count == 0)
            {
                return Array.Empty<DnsResourceRecord>();
            }

            // A record takes at least 11 octets: a count beyond what the message holds is a lie (hostile or broken server).
            if (count > (length - reader.Index) / 11)
            {
                throw new DnsWireFormatException($"the response claims {count} records in {length - reader.Index} octets");
            }

            var records = new DnsResourceRecord[count];
            for (var i = 0; i < count; i++)
            {
                records[i] = ReadRecord(reader, length);
            }

            return records;
        }

        private static DnsResourceRecord ReadRecord(DnsDatagramReader reader, int length)
        {
            var owner = reader.ReadQuestionQueryString();
            var type = (ResourceRecordType)reader.ReadUInt16NetworkOrder();
            var @class = (QueryClass)reader.ReadUInt16NetworkOrder();
            var ttl = (int)reader.ReadUInt32NetworkOrder();
            int rdLength = reader.ReadUInt16NetworkOrder();
            var start = reader.Index;
            if (start + rdLength > length)
            {
                throw new DnsWireFormatException($"a {type} record of {rdLength} octets runs past the end of the response");
            }

            var info = new ResourceRecordInfo(owner, type, @class, ttl, rdLength);
            var record = ReadData(reader, info, start, rdLength);
            if (reader.Index != start + rdLength)
            {
                throw new DnsWireFormatException($"a {type} record's data does not match its length of {rdLength} octets");
            }

            return record;
        }

        // RDATA layouts: RFC 1035 §3.3 and §3.4 (A, NS, CNAME, SOA, PTR, MX, TXT, NULL), RFC 3596 §2.2 (AAAA), RFC 2782 (SRV),
        // RFC 4034 §2-§5 (DNSKEY, RRSIG, NSEC, DS), RFC 5155 §3-§4 (NSEC3, NSEC3PARAM), RFC 6698 §2.1 (TLSA); any other type
        // keeps its data as received (RFC 3597 §5), which is all the DNSSEC canonical form needs of a type we do not read.
        private static DnsResourceRecord ReadData(DnsDatagramReader reader, ResourceRecordInfo info, int start, int rdLength)
        {
            switch (info.RecordType)
            {
                case ResourceRecordType.A:
                    RequireLength(rdLength, 4, "A");
                    return new ARecord(info, reader.ReadIPAddress());
                case ResourceRecordType.AAAA:
                    RequireLength(rdLength, 16, "AAAA");
                    return new AaaaRecord(info, reader.ReadIPv6Address());
                case ResourceRecordType.NS:
                    return new NsRecord(info, reader.ReadDnsName());
                case ResourceRecordType.CNAME:
                    return new CNameRecord(info, reader.ReadDnsName());
                case ResourceRecordType.PTR:
                    return new PtrRecord(info, reader.ReadDnsName());
                case ResourceRecordType.MX:
                    return new MxRecord(info, reader.ReadUInt16NetworkOrder(), reader.ReadDnsName());
                case ResourceRecordType.SRV:
                    return new SrvRecord(info, reader.ReadUInt16NetworkOrder(), reader.ReadUInt16NetworkOrder(), reader.ReadUInt16NetworkOrder(), reader.ReadDnsName());
                case ResourceRecordType.SOA:
                    return new SoaRecord(info, reader.ReadDnsName(), reader.ReadDnsName(), reader.ReadUInt32NetworkOrder(), reader.ReadUInt32NetworkOrder(), reader.ReadUInt32NetworkOrder(), reader.ReadUInt32NetworkOrder(), reader.ReadUInt32NetworkOrder());
                case ResourceRecordType.TXT:
                case ResourceRecordType.SPF:
                    return ReadTxt(reader, info, start, rdLength);
                case ResourceRecordType.NULL:
                    return new NullRecord(info, Copy(reader.ReadBytes(rdLength)));
                case ResourceRecordType.DS:
                    return new DsRecord(info, reader.ReadUInt16NetworkOrder(), reader.ReadByte(), reader.ReadByte(), Rest(reader, start, rdLength));
                case ResourceRecordType.DNSKEY:
                    return new DnsKeyRecord(info, reader.ReadUInt16NetworkOrder(), reader.ReadByte(), reader.ReadByte(), Rest(reader, start, rdLength));
                case ResourceRecordType.TLSA:
                    return new TlsaRecord(info, reader.ReadByte(), reader.ReadByte(), reader.ReadByte(), Rest(reader, start, rdLength));
                case ResourceRecordType.RRSIG:
                    return new RRSigRecord(info, reader.ReadUInt16NetworkOrder(), reader.ReadByte(), reader.ReadByte(), reader.ReadUInt32NetworkOrder(),
                        reader.ReadUInt32NetworkOrder(), reader.ReadUInt32NetworkOrder(), reader.ReadUInt16NetworkOrder(), reader.ReadDnsName(), Rest(reader, start, rdLength));
                case ResourceRecordType.NSEC:
                    return new NSecRecord(info, reader.ReadDnsName(), Rest(reader, start, rdLength));
                case ResourceRecordType.NSEC3:
                {
                    var algorithm = reader.ReadByte();
                    var flags = reader.ReadByte();
                    var iterations = reader.ReadUInt16NetworkOrder();
                    var salt = Copy(reader.ReadBytes(reader.ReadByte()));
                    var next = Copy(reader.ReadBytes(reader.ReadByte()));
                    return new NSec3Record(info, algorithm, flags, iterations, salt, next, Rest(reader, start, rdLength));
                }

                case ResourceRecordType.NSEC3PARAM:
                {
                    var algorithm = reader.ReadByte();
                    var flags = reader.ReadByte();
                    var iterations = reader.ReadUInt16NetworkOrder();
                    return new NSec3ParamRecord(info, algorithm, flags, iterations, Copy(reader.ReadBytes(reader.ReadByte())));
                }

                default:
                    return new UnknownRecord(info, Copy(reader.ReadBytes(rdLength)));
            }
        }

        /// <summary>Moves past a name without reading it (RFC 1035 §4.1.4: labels end at a zero octet or a pointer).</summary>
        private static void SkipName(DnsDatagramReader reader, int length)
        {
            while (reader.Index < length)
            {
                var octet = reader.ReadByte();
                if (octet == 0)
                {
                    return;
                }

                if ((octet & 0xC0) == 0xC0)
                {
                    reader.Advance(1);
                    return;
                }

                if ((octet & 0xC0) != 0)
                {
                    throw new DnsWireFormatException($"a name holds the reserved label type 0x{octet & 0xC0:x2}");
                }

                reader.Advance(octet);
            }

            throw new DnsWireFormatException("a name runs past the end of the response");
        }

        /// <summary>Throws unless an address record has its one valid length (RFC 1035 §3.4.1, RFC 3596 §2.2).</summary>
        private static void RequireLength(int rdLength, int expected, string type)
        {
            if (rdLength != expected)
            {
                throw new DnsWireFormatException($"an {type} record has {rdLength} octets of data instead of {expected}");
            }
        }

        /// <summary>TXT RDATA: one or more length-prefixed character-strings (RFC 1035 §3.3.14), kept escaped and as UTF-8.</summary>
        private static TxtRecord ReadTxt(DnsDatagramReader reader, ResourceRecordInfo info, int start, int rdLength)
        {
            var escaped = new List<string>(1);
            var utf8 = new List<string>(1);
            while (reader.Index - start < rdLength)
            {
                var bytes = reader.ReadBytes(reader.ReadByte());
                utf8.Add(DnsDatagramReader.ReadUTF8String(bytes));
                escaped.Add(DnsDatagramReader.ParseString(Copy(bytes)));
            }

            return new TxtRecord(info, escaped.ToArray(), utf8.ToArray());
        }

        /// <summary>The rest of the RDATA from the reader's position.</summary>
        private static byte[] Rest(DnsDatagramReader reader, int start, int rdLength)
        {
            var remaining = start + rdLength - reader.Index;
            if (remaining < 0)
            {
                throw new DnsWireFormatException("a record's fixed fields run past its length");
            }

            return Copy(reader.ReadBytes(remaining));
        }

        private static byte[] Copy(ArraySegment<byte> bytes)
        {
            var copy = new byte[bytes.Count];
            Buffer.BlockCopy(bytes.Array!, bytes.Offset, copy, 0, bytes.Count);
            return copy;
        }

        private static int EncodedNameLength(string name)
        {
            if (name.Length == 0 || name == ".")
            {
                return 1;
            }

            var length = 1;
            var labelStart = 0;
            for (var i = 0; i <= name.Length; i++)
            {
                if (i == name.Length || name[i] == '.')
                {
                    var label = i - labelStart;
                    if (label == 0 && i == name.Length && i > 0)
                    {
                        break; // a trailing dot
                    }

                    if (label == 0 || label > 63)
                    {
                        throw new ArgumentException($"'{DomainName.Printable(name)}' has a label of {label} octets (1 to 63 allowed, RFC 1035 §2.3.4).", nameof(name));
                    }

                    length += 1 + label;
                    labelStart = i + 1;
                }
                else if (name[i] > 0x7E || name[i] < 0x20)
                {
                    throw new ArgumentException($"'{DomainName.Printable(name)}' holds a character outside printable US-ASCII; names are sent as A-labels.", nameof(name));
                }
            }

            if (length > 255)
            {
                throw new ArgumentException($"'{DomainName.Printable(name)}' is {length} octets long on the wire (255 allowed, RFC 1035 §2.3.4).", nameof(name));
            }

            return length;
        }

        private static int WriteName(string name, byte[] buffer, int offset)
        {
            if (name.Length == 0 || name == ".")
            {
                buffer[offset] = 0;
                return offset + 1;
            }

            var lengthAt = offset++;
            var count = 0;
            foreach (var ch in name)
            {
                if (ch == '.')
                {
                    buffer[lengthAt] = (byte)count;
                    lengthAt = offset++;
                    count = 0;
                    continue;
                }

                buffer[offset++] = (byte)ch;
                count++;
            }

            if (count > 0)
            {
                buffer[lengthAt] = (byte)count;
                buffer[offset++] = 0;
            }
            else
            {
                buffer[lengthAt] = 0; // the name ended with a dot: that length octet is the root's
            }

            return offset;
        }

        private static byte AsciiLower(byte b) => b >= (byte)'A' && b <= (byte)'Z' ? (byte)(b | 0x20) : b;
    }
}
