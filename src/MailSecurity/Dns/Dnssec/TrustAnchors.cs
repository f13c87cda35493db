using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace MailSecurity.Dns.Dnssec
{
    /// <summary>One trust anchor: a DS digest or a whole DNSKEY for a zone (RFC 4033 §2, RFC 4035 §4.4).</summary>
    internal sealed class TrustAnchor
    {
        public TrustAnchor(DnssecName zone, int keyTag, int algorithm, int digestType, byte[] digest)
        {
            Zone = zone;
            KeyTag = keyTag;
            Algorithm = algorithm;
            DigestType = digestType;
            Digest = digest;
        }

        public TrustAnchor(DnssecName zone, byte[] dnskeyRdata)
        {
            Zone = zone;
            DnskeyRdata = dnskeyRdata;
            KeyTag = DnssecCrypto.KeyTag(dnskeyRdata);
            Algorithm = dnskeyRdata.Length > 3 ? dnskeyRdata[3] : 0;
        }

        public DnssecName Zone { get; }

        public int KeyTag { get; }

        public int Algorithm { get; }

        /// <summary>DS digest type, or 0 for a DNSKEY anchor.</summary>
        public int DigestType { get; }

        public byte[]? Digest { get; }

        /// <summary>The anchor key's RDATA, for a DNSKEY anchor.</summary>
        public byte[]? DnskeyRdata { get; }

        public override string ToString() => DnskeyRdata is null
            ? $"{Zone} DS {KeyTag} {Algorithm} {DigestType}"
            : $"{Zone} DNSKEY (key tag {KeyTag}, algorithm {Algorithm})";
    }

    /// <summary>
    /// The trust anchors validation starts from: the root zone's KSKs by default, or the DS/DNSKEY records of a file
    /// in zone-file syntax (what Unbound's <c>trust-anchor-file</c> reads) for private trees and the lab.
    /// </summary>
    internal sealed class TrustAnchors
    {
        private readonly Dictionary<DnssecName, List<TrustAnchor>> _byZone;

        private TrustAnchors(IEnumerable<TrustAnchor> anchors, string source)
        {
            _byZone = anchors.GroupBy(a => a.Zone).ToDictionary(g => g.Key, g => g.ToList());
            Source = source;
        }

        /// <summary>
        /// The IANA root zone trust anchors (https://data.iana.org/root-anchors/root-anchors.xml): KSK-2017 (20326) and
        /// KSK-2024 (38696), both RSA/SHA-256 with SHA-256 digests.
        /// </summary>
        /// <remarks>
        /// To update after a root KSK rollover: compare with root-anchors.xml (or Debian's dns-root-data root.ds),
        /// add the new key's DS line here and drop a revoked one; users can meanwhile pass a file with -TrustAnchorPath.
        /// </remarks>
        public static TrustAnchors Root { get; } = Parse(
            ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n" +
            ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16\n",
            "built-in root KSKs (20326, 38696)");

        /// <summary>
        /// The anchors of a run: the built-in root KSKs, plus those of <paramref name="path"/> when given (a private tree's or
        /// the lab's); root anchors in the file replace the built-in ones (how a user follows a root KSK rollover before
        /// the module is updated).
        /// </summary>
        /// <exception cref="FormatException">The file holds a malformed record or no anchor.</exception>
        /// <exception cref="IOException">The file cannot be read.</exception>
        public static TrustAnchors ForRun(string? path)
        {
            if (path is null)
            {
                return Root;
            }

            var file = Load(path);
            var root = file.For(DnssecName.Root).Count > 0 ? Array.Empty<TrustAnchor>() : Root.For(DnssecName.Root);
            return new TrustAnchors(file._byZone.Values.SelectMany(a => a).Concat(root), $"{file.Source} and {(root.Count > 0 ? Root.Source : "its own root anchors")}");
        }

        /// <summary>Where the anchors came from, for evidence.</summary>
        public string Source { get; }

        /// <summary>The zones that have anchors.</summary>
        public IEnumerable<DnssecName> Zones => _byZone.Keys;

        /// <summary>The anchors of one zone (empty when it has none).</summary>
        public IReadOnlyList<TrustAnchor> For(DnssecName zone) => _byZone.TryGetValue(zone, out var list) ? list : (IReadOnlyList<TrustAnchor>)Array.Empty<TrustAnchor>();

        /// <summary>The closest zone at or above <paramref name="name"/> that has an anchor, or null (then nothing below is secure).</summary>
        public DnssecName? ClosestAnchor(DnssecName name)
        {
            for (var n = name; ; n = n.Parent)
            {
                if (_byZone.ContainsKey(n))
                {
                    return n;
                }

                if (n.LabelCount == 0)
                {
                    return null;
                }
            }
        }

        /// <summary>Reads a trust-anchor file (DS and DNSKEY records in zone-file syntax; comments, parentheses, $ORIGIN and $TTL allowed).</summary>
        /// <exception cref="FormatException">A record is malformed (the message names the line), or the file holds no anchor.</exception>
        /// <exception cref="IOException">The file cannot be read.</exception>
        public static TrustAnchors Load(string path) => Parse(File.ReadAllText(path), path);

        /// <summary>Parses trust anchors from zone-file text.</summary>
        /// <exception cref="FormatException">A record is malformed, or there is no anchor.</exception>
        public static TrustAnchors Parse(string text, string source)
        {
            var anchors = new List<TrustAnchor>();
            DnssecName origin = DnssecName.Root;
            DnssecName? lastOwner = null;
            foreach (var (line, number) in LogicalLines(text))
            {
                var tokens = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries).ToList();
                if (tokens.Count == 0)
                {
                    continue;
                }

                if (tokens[0].Equals("$ORIGIN", StringComparison.OrdinalIgnoreCase) && tokens.Count > 1)
                {
                    origin = Absolute(tokens[1], origin);
                    continue;
                }

                if (tokens[0].StartsWith("$", StringComparison.Ordinal))
                {
                    continue; // $TTL and other directives do not matter for anchors.
                }

                DnssecName owner;
                if (char.IsWhiteSpace(line[0]))
                {
                    owner = lastOwner ?? throw new FormatException($"{source} line {number}: a record without an owner name");
                }
                else
                {
                    owner = tokens[0] == "@" ? origin : Absolute(tokens[0], origin);
                    tokens.RemoveAt(0);
                }

                lastOwner = owner;

                // Optional TTL and class, in either order (RFC 1035 §5.1).
                while (tokens.Count > 0 && (tokens[0].All(char.IsDigit) || tokens[0].Equals("IN", StringComparison.OrdinalIgnoreCase)))
                {
                    tokens.RemoveAt(0);
                }

                if (tokens.Count == 0)
                {
                    throw new FormatException($"{source} line {number}: no record type");
                }

                var type = tokens[0].ToUpperInvariant();
                var fields = tokens.Skip(1).ToList();
                try
                {
                    if (type == "DS" && fields.Count >= 4)
                    {
                        var hex = string.Concat(fields.Skip(3));
                        anchors.Add(new TrustAnchor(owner, ParseInt(fields[0], 65535), ParseInt(fields[1], 255), ParseInt(fields[2], 255), Hex(hex)));
                    }
                    else if (type == "DNSKEY" && fields.Count >= 4)
                    {
                        var key = Convert.FromBase64String(string.Concat(fields.Skip(3)));
                        var rdata = new CanonicalForm.WireWriter().U16((ushort)ParseInt(fields[0], 65535)).U8((byte)ParseInt(fields[1], 255)).U8((byte)ParseInt(fields[2], 255)).Bytes(key).ToArray();
                        anchors.Add(new TrustAnchor(owner, rdata));
                    }
                    else
                    {
                        throw new FormatException($"expected a DS or DNSKEY record, found '{line.Trim()}'");
                    }
                }
                catch (FormatException ex)
                {
                    throw new FormatException($"{source} line {number}: {ex.Message}", ex);
                }
            }

            if (anchors.Count == 0)
            {
                throw new FormatException($"{source}: no DS or DNSKEY record found");
            }

            return new TrustAnchors(anchors, source);
        }

        private static DnssecName Absolute(string name, DnssecName origin)
        {
            if (name.EndsWith(".", StringComparison.Ordinal))
            {
                return DnssecName.Parse(name);
            }

            return DnssecName.Parse(origin.LabelCount == 0 ? name : name + "." + origin);
        }

        private static int ParseInt(string s, int max)
        {
            if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v > max)
            {
                throw new FormatException($"'{s}' is not a number from 0 to {max}");
            }

            return v;
        }

        private static byte[] Hex(string hex)
        {
            if (hex.Length == 0 || hex.Length % 2 != 0)
            {
                throw new FormatException("the digest is not an even number of hex digits");
            }

            var bytes = new byte[hex.Length / 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                if (!byte.TryParse(hex.Substring(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]))
                {
                    throw new FormatException($"'{hex}' is not hexadecimal");
                }
            }

            return bytes;
        }

        /// <summary>Lines with comments removed and parenthesised continuations joined (RFC 1035 §5.1).</summary>
        private static IEnumerable<(string Line, int Number)> LogicalLines(string text)
        {
            var sb = new StringBuilder();
            var depth = 0;
            var start = 0;
            var lines = text.Replace("\r\n", "\n").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var raw = lines[i];
                var semicolon = raw.IndexOf(';');
                var content = semicolon >= 0 ? raw.Substring(0, semicolon) : raw;
                if (depth == 0)
                {
                    sb.Clear();
                    start = i + 1;
                }

                foreach (var c in content)
                {
                    if (c == '(')
                    {
                        depth++;
                        sb.Append(' ');
                    }
                    else if (c == ')')
                    {
                        depth = Math.Max(0, depth - 1);
                        sb.Append(' ');
                    }
                    else
                    {
                        sb.Append(c);
                    }
                }

                sb.Append(' ');
                if (depth == 0 && sb.ToString().Trim().Length > 0)
                {
                    yield return (sb.ToString().TrimEnd(), start);
                }
            }
        }
    }
}
