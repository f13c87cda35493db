using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;

namespace MailSecurity.TestPeers.Dns
{
    /// <summary>DNS record types the in-memory server can serve.</summary>
    public enum ZoneRecordType : ushort
    {
        A = 1,
        NS = 2,
        CNAME = 5,
        SOA = 6,
        PTR = 12,
        MX = 15,
        TXT = 16,
        AAAA = 28,
        SPF = 99,
    }

    /// <summary>One record of a zone: a type and its data in presentation-like form.</summary>
    public sealed class ZoneRecord
    {
        public ZoneRecord(ZoneRecordType type, string? text = null, IReadOnlyList<string>? strings = null, ushort preference = 0, bool timesOut = false)
        {
            Type = type;
            Text = text ?? string.Empty;
            Strings = strings ?? Array.Empty<string>();
            Preference = preference;
            TimesOut = timesOut;
        }

        public ZoneRecordType Type { get; }

        /// <summary>Address (A/AAAA), target name (MX/PTR/CNAME/NS) or the SOA fields.</summary>
        public string Text { get; }

        /// <summary>TXT/SPF character-strings (each may be longer than 255 octets; the encoder splits them).</summary>
        public IReadOnlyList<string> Strings { get; }

        public ushort Preference { get; }

        /// <summary>A query for this type at this name never gets an answer.</summary>
        public bool TimesOut { get; }

        public override string ToString() => Type switch
        {
            ZoneRecordType.TXT or ZoneRecordType.SPF => $"{Type} {string.Join(" ", Strings.Select(s => "\"" + s + "\""))}",
            ZoneRecordType.MX => $"MX {Preference} {Text}",
            _ => $"{Type} {Text}",
        };
    }

    /// <summary>The records of one owner name, plus the suite's TIMEOUT marker.</summary>
    public sealed class ZoneEntry
    {
        public List<ZoneRecord> Records { get; } = new();

        /// <summary>The name carries the test suite's "TIMEOUT" marker: every type without records of its own times out.</summary>
        public bool TimeoutMarker { get; set; }

        public bool TimesOut(ZoneRecordType type)
            => Records.Any(r => r.Type == type && r.TimesOut) || (TimeoutMarker && !Records.Any(r => r.Type == type && !r.TimesOut));
    }

    /// <summary>
    /// An in-memory zone: owner name (case-insensitive, no trailing dot) → records. Loads the JSON form used by the
    /// RFC 7208 test suite's <c>zonedata</c>: <c>{"name": [ {"A": "192.0.2.1"}, {"MX": [10, "mx.example"]},
    /// {"TXT": "text" | ["str1", "str2"]}, {"SPF": ...}, {"PTR"|"CNAME"|"NS": "target"}, {"SOA": "mname rname serial refresh retry expire minimum"},
    /// "TIMEOUT" ] }</c>. A TXT value of <c>"NONE"</c> is no record but counts as "has TXT" (the suite's convention).
    /// </summary>
    public sealed class DnsZone
    {
        private readonly Dictionary<string, ZoneEntry> _entries = new(StringComparer.OrdinalIgnoreCase);

        public IReadOnlyDictionary<string, ZoneEntry> Entries => _entries;

        public static string Key(string name)
        {
            var n = name.EndsWith(".", StringComparison.Ordinal) ? name[..^1] : name;
            return n.ToLowerInvariant();
        }

        public ZoneEntry GetOrAdd(string name)
        {
            var key = Key(name);
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new ZoneEntry();
                _entries[key] = entry;
            }

            return entry;
        }

        public DnsZone Add(string name, ZoneRecord record)
        {
            GetOrAdd(name).Records.Add(record);
            return this;
        }

        public DnsZone AddA(string name, string address) => Add(name, new ZoneRecord(ZoneRecordType.A, address));

        public DnsZone AddAaaa(string name, string address) => Add(name, new ZoneRecord(ZoneRecordType.AAAA, address));

        public DnsZone AddTxt(string name, params string[] strings) => Add(name, new ZoneRecord(ZoneRecordType.TXT, strings: strings));

        public DnsZone AddMx(string name, ushort preference, string host) => Add(name, new ZoneRecord(ZoneRecordType.MX, host, preference: preference));

        public DnsZone AddPtr(string name, string target) => Add(name, new ZoneRecord(ZoneRecordType.PTR, target));

        public DnsZone AddCname(string name, string target) => Add(name, new ZoneRecord(ZoneRecordType.CNAME, target));

        public DnsZone AddTimeout(string name)
        {
            GetOrAdd(name).TimeoutMarker = true;
            return this;
        }

        public bool TryGet(string name, out ZoneEntry entry) => _entries.TryGetValue(Key(name), out entry!);

        /// <summary>True when <paramref name="name"/> has no records but a descendant exists (an empty non-terminal: NODATA, not NXDOMAIN).</summary>
        public bool IsEmptyNonTerminal(string name)
        {
            var suffix = "." + Key(name);
            return _entries.Keys.Any(k => k.EndsWith(suffix, StringComparison.Ordinal));
        }

        /// <summary>Loads a zone file: either a zonedata object, or an object with a "zonedata" property.</summary>
        public static DnsZone Load(string path, bool spfAsTxt)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("zonedata", out var zd))
            {
                root = zd;
            }

            return FromJson(root, spfAsTxt);
        }

        /// <summary>
        /// Builds a zone from a suite <c>zonedata</c> element. With <paramref name="spfAsTxt"/>, SPF-type records are
        /// also served as TXT unless the name has TXT records of its own (what the suite's header asks of drivers).
        /// </summary>
        public static DnsZone FromJson(JsonElement zonedata, bool spfAsTxt)
        {
            var zone = new DnsZone();
            foreach (var property in zonedata.EnumerateObject())
            {
                var entry = zone.GetOrAdd(property.Name);
                var hasTxt = false;
                var spf = new List<ZoneRecord>();
                var items = property.Value.ValueKind == JsonValueKind.Array ? property.Value.EnumerateArray().ToList() : new List<JsonElement> { property.Value };
                foreach (var item in items)
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        if (string.Equals(item.GetString(), "TIMEOUT", StringComparison.Ordinal))
                        {
                            entry.TimeoutMarker = true;
                        }

                        continue;
                    }

                    foreach (var rr in item.EnumerateObject())
                    {
                        if (!Enum.TryParse<ZoneRecordType>(rr.Name, ignoreCase: true, out var type))
                        {
                            throw new InvalidDataException($"unsupported record type '{rr.Name}' at {property.Name}");
                        }

                        if (type == ZoneRecordType.TXT)
                        {
                            hasTxt = true;
                        }

                        if (rr.Value.ValueKind == JsonValueKind.String && string.Equals(rr.Value.GetString(), "NONE", StringComparison.Ordinal))
                        {
                            continue;
                        }

                        if (rr.Value.ValueKind == JsonValueKind.String && string.Equals(rr.Value.GetString(), "TIMEOUT", StringComparison.Ordinal))
                        {
                            entry.Records.Add(new ZoneRecord(type, timesOut: true));
                            continue;
                        }

                        var record = Parse(type, rr.Value);
                        entry.Records.Add(record);
                        if (type == ZoneRecordType.SPF)
                        {
                            spf.Add(record);
                        }
                    }
                }

                if (spfAsTxt && !hasTxt)
                {
                    foreach (var s in spf)
                    {
                        entry.Records.Add(new ZoneRecord(ZoneRecordType.TXT, strings: s.Strings));
                    }
                }
            }

            return zone;
        }

        private static ZoneRecord Parse(ZoneRecordType type, JsonElement value)
        {
            switch (type)
            {
                case ZoneRecordType.TXT:
                case ZoneRecordType.SPF:
                    return value.ValueKind == JsonValueKind.Array
                        ? new ZoneRecord(type, strings: value.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList())
                        : new ZoneRecord(type, strings: new[] { value.GetString() ?? string.Empty });
                case ZoneRecordType.MX:
                    var parts = value.EnumerateArray().ToList();
                    return new ZoneRecord(type, parts[1].GetString() ?? string.Empty, preference: (ushort)parts[0].GetInt32());
                case ZoneRecordType.A:
                case ZoneRecordType.AAAA:
                    var text = value.GetString() ?? string.Empty;
                    if (!IPAddress.TryParse(text, out _))
                    {
                        throw new InvalidDataException($"bad address '{text}'");
                    }

                    return new ZoneRecord(type, text);
                default:
                    return new ZoneRecord(type, value.GetString() ?? string.Empty);
            }
        }
    }
}
