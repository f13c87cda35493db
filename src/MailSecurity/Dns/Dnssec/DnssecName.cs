using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace MailSecurity.Dns.Dnssec
{
    /// <summary>
    /// A domain name as DNSSEC sees it: a list of labels (raw octets, most specific first) with the canonical wire
    /// form and the canonical ordering of RFC 4034 §6.1/§6.2. Case is kept (RDATA names of some types are signed as
    /// sent, RFC 3597 §7, RFC 6840 §5.1); equality and ordering ignore ASCII case (RFC 4343).
    /// </summary>
    internal sealed class DnssecName : IEquatable<DnssecName>, IComparable<DnssecName>
    {
        private readonly byte[][] _labels;

        private DnssecName(byte[][] labels) => _labels = labels;

        /// <summary>The root name.</summary>
        public static DnssecName Root { get; } = new DnssecName(Array.Empty<byte[]>());

        /// <summary>Labels, excluding the root label.</summary>
        public int LabelCount => _labels.Length;

        /// <summary>True when the first label is <c>*</c> (RFC 4592 §2.1.1).</summary>
        public bool IsWildcard => _labels.Length > 0 && _labels[0].Length == 1 && _labels[0][0] == (byte)'*';

        /// <summary>The RRSIG Labels value of an owner name: labels without the root and a leading <c>*</c> (RFC 4034 §3.1.3).</summary>
        public int SignatureLabelCount => IsWildcard ? _labels.Length - 1 : _labels.Length;

        /// <summary>The parent name (the root's parent is the root).</summary>
        public DnssecName Parent => _labels.Length == 0 ? this : new DnssecName(_labels.Skip(1).ToArray());

        /// <summary>
        /// The wire name of a name DnsClient read from a response. DnsClient hands A-labels back decoded to U-labels
        /// (<c>xn--mller-kva</c> as <c>müller</c>), in <see cref="DnsClient.DnsString.Value"/> and for names inside record
        /// data also in <see cref="DnsClient.DnsString.Original"/>; a signature covers the A-label bytes, so each label with
        /// non-ASCII characters is encoded back to its A-label (IDNA round-trips a label it decoded).
        /// </summary>
        public static DnssecName From(DnsClient.DnsString name)
        {
            var text = string.IsNullOrEmpty(name.Original) ? name.Value : name.Original;
            if (text.All(c => c < 0x80))
            {
                return Parse(text);
            }

            var idn = new IdnMapping { AllowUnassigned = true, UseStd3AsciiRules = false };
            try
            {
                return Parse(string.Join(".", text.Split('.').Select(l => l.All(c => c < 0x80) || l.Length == 0 ? l : idn.GetAscii(l))));
            }
            catch (ArgumentException)
            {
                // Not an IDN DnsClient decoded: keep the characters (their signature then fails: bogus, never secure).
                return Parse(text);
            }
        }

        /// <summary>Parses a name in presentation form (<c>\DDD</c> and <c>\X</c> escapes, optional trailing dot).</summary>
        /// <exception cref="FormatException">A label is empty or longer than 63 octets, or an escape is broken.</exception>
        public static DnssecName Parse(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            if (text.Length == 0 || text == ".")
            {
                return Root;
            }

            var labels = new List<byte[]>();
            var current = new List<byte>();
            var total = 1;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '.')
                {
                    AddLabel(labels, current, ref total);
                    continue;
                }

                if (c == '\\')
                {
                    if (IsDigits(text, i + 1))
                    {
                        var value = int.Parse(text.Substring(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture);
                        if (value > 255)
                        {
                            throw new FormatException($"'{text}': escape \\{value} is not an octet");
                        }

                        current.Add((byte)value);
                        i += 3;
                        continue;
                    }

                    if (i + 1 >= text.Length)
                    {
                        throw new FormatException($"'{text}': the name ends in a lone backslash");
                    }

                    c = text[++i];
                }

                if (c > 0xFF)
                {
                    // Names reach us as A-labels; a character beyond Latin-1 cannot be one octet on the wire.
                    foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                    {
                        current.Add(b);
                    }

                    continue;
                }

                current.Add((byte)c);
            }

            if (current.Count > 0)
            {
                AddLabel(labels, current, ref total);
            }

            if (total > 255)
            {
                throw new FormatException($"'{text}' is longer than 255 octets (RFC 1035 §2.3.4)");
            }

            return new DnssecName(labels.ToArray());
        }

        /// <summary>True when this name equals <paramref name="ancestor"/> or lies below it.</summary>
        public bool IsAtOrBelow(DnssecName ancestor)
        {
            if (ancestor._labels.Length > _labels.Length)
            {
                return false;
            }

            var offset = _labels.Length - ancestor._labels.Length;
            for (var i = 0; i < ancestor._labels.Length; i++)
            {
                if (CompareLabels(_labels[offset + i], ancestor._labels[i]) != 0)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>True when this name lies strictly below <paramref name="ancestor"/>.</summary>
        public bool IsBelow(DnssecName ancestor) => _labels.Length > ancestor._labels.Length && IsAtOrBelow(ancestor);

        /// <summary>The closest common ancestor of this name and <paramref name="other"/> (RFC 4035 §5.4 closest encloser candidates).</summary>
        public DnssecName CommonAncestor(DnssecName other)
        {
            var n = 0;
            while (n < _labels.Length && n < other._labels.Length
                && CompareLabels(_labels[_labels.Length - 1 - n], other._labels[other._labels.Length - 1 - n]) == 0)
            {
                n++;
            }

            return Suffix(n);
        }

        /// <summary>The last <paramref name="count"/> labels of this name (the ancestor with that many labels).</summary>
        public DnssecName Suffix(int count)
        {
            if (count < 0 || count > _labels.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            return count == _labels.Length ? this : new DnssecName(_labels.Skip(_labels.Length - count).ToArray());
        }

        /// <summary>This name with one more label in front (for the wildcard <c>*.name</c> and hashed owner names).</summary>
        public DnssecName Prepend(byte[] label) => new DnssecName(new[] { label }.Concat(_labels).ToArray());

        /// <summary>The wildcard name directly below this one: <c>*.this</c> (RFC 4592 §2.1.1).</summary>
        public DnssecName Wildcard() => Prepend(new[] { (byte)'*' });

        /// <summary>The first label's octets.</summary>
        public byte[] FirstLabel => _labels.Length == 0 ? Array.Empty<byte>() : _labels[0];

        /// <summary>Wire form; lower case when <paramref name="lowerCase"/> (RFC 4034 §6.2), uncompressed.</summary>
        public byte[] ToWire(bool lowerCase = true)
        {
            var buffer = new byte[_labels.Sum(l => l.Length + 1) + 1];
            var i = 0;
            foreach (var label in _labels)
            {
                buffer[i++] = (byte)label.Length;
                foreach (var b in label)
                {
                    buffer[i++] = lowerCase ? Lower(b) : b;
                }
            }

            buffer[i] = 0;
            return buffer;
        }

        /// <summary>Canonical DNS name order (RFC 4034 §6.1): labels compared from the root down as lower-case octet strings.</summary>
        public int CompareTo(DnssecName? other)
        {
            if (other is null)
            {
                return 1;
            }

            var a = _labels.Length - 1;
            var b = other._labels.Length - 1;
            while (a >= 0 && b >= 0)
            {
                var c = CompareLabels(_labels[a--], other._labels[b--]);
                if (c != 0)
                {
                    return c;
                }
            }

            return _labels.Length.CompareTo(other._labels.Length);
        }

        /// <inheritdoc />
        public bool Equals(DnssecName? other) => other != null && other._labels.Length == _labels.Length && CompareTo(other) == 0;

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as DnssecName);

        /// <inheritdoc />
        public override int GetHashCode()
        {
            var h = 17;
            foreach (var label in _labels)
            {
                foreach (var b in label)
                {
                    h = unchecked(h * 31 + Lower(b));
                }

                h = unchecked(h * 31 + 46);
            }

            return h;
        }

        /// <summary>Presentation form in lower case, without the trailing dot (<c>.</c> for the root).</summary>
        public override string ToString()
        {
            if (_labels.Length == 0)
            {
                return ".";
            }

            var sb = new StringBuilder();
            foreach (var label in _labels)
            {
                if (sb.Length > 0)
                {
                    sb.Append('.');
                }

                foreach (var raw in label)
                {
                    var b = Lower(raw);
                    if (b <= 32 || b > 126)
                    {
                        sb.Append('\\').Append(b.ToString("000", CultureInfo.InvariantCulture));
                    }
                    else if (b == '.' || b == '\\' || b == '"' || b == ';' || b == '(' || b == ')')
                    {
                        sb.Append('\\').Append((char)b);
                    }
                    else
                    {
                        sb.Append((char)b);
                    }
                }
            }

            return sb.ToString();
        }

        private static bool IsDigits(string s, int start)
            => start + 3 <= s.Length && char.IsDigit(s[start]) && char.IsDigit(s[start + 1]) && char.IsDigit(s[start + 2]);

        private static void AddLabel(List<byte[]> labels, List<byte> current, ref int total)
        {
            if (current.Count == 0 || current.Count > 63)
            {
                throw new FormatException(current.Count == 0 ? "empty label" : "label longer than 63 octets (RFC 1035 §2.3.4)");
            }

            total += current.Count + 1;
            labels.Add(current.ToArray());
            current.Clear();
        }

        private static byte Lower(byte b) => b >= (byte)'A' && b <= (byte)'Z' ? (byte)(b + 32) : b;

        private static int CompareLabels(byte[] x, byte[] y)
        {
            var n = Math.Min(x.Length, y.Length);
            for (var i = 0; i < n; i++)
            {
                var c = Lower(x[i]).CompareTo(Lower(y[i]));
                if (c != 0)
                {
                    return c;
                }
            }

            return x.Length.CompareTo(y.Length);
        }
    }
}
