using System;
using System.Collections.Generic;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Exim 3 and 4. The FROM value is the verified reverse name or the literal (<c>from rdns ([ip]:port helo=name ident=x)</c>,
    /// <c>from [ip] (helo=name)</c>; Exim 3: <c>from rdns (helo) [a.b.c.d.port] (ident)</c>), the HELO name appearing only when it
    /// differs; local submissions name the user (<c>from root (helo=x) by host with local-esmtp</c>). TLS details follow the
    /// protocol: <c>(TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256)</c>, <c>(TLSv1:AES256-SHA:256)</c>, GnuTLS's <c>(TLS-1.0:RSA_ARCFOUR_MD5:16)</c>,
    /// Exim 3's <c>(Cipher TLSv1:DES-CBC3-SHA:168)</c>, <c>(tls_cipher TLS-1.0:...)</c>, and Exim 4.93+'s bare <c>(TLS1.3)</c>.
    /// </summary>
    internal sealed class EximReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            var stamp = facts.Stamp;
            var from = stamp.First("from");
            var exim = AnyComment(facts, t => Starts(t, "Exim") || Has(t, "/exim)") || t.EndsWith("/exim", StringComparison.OrdinalIgnoreCase) || Has(t, "incSMTP Exim"))
                || (from != null && from.Comments.Exists(c => Has(c.Text, "helo=") || Has(c.Text, "ident=")))
                || (from != null && HasFivePartLiteral(from));
            if (!exim)
            {
                return;
            }

            facts.Convention = FromConvention.ReverseFirst;
            if (from != null && from.Value != null && !HasAddress(from) && !HostText.IsQualifiedName(from.Value))
            {
                // "from root (helo=x) by host with local-esmtp": a login name, no connection.
                facts.Convention = FromConvention.LocalUser;
            }
        }

        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            var text = comment.Text;
            if (Starts(text, "Exim") || Has(text, "/exim"))
            {
                facts.Software ??= text.Split(';')[0].Trim();
                return true;
            }

            if (Starts(text, "envelope-from"))
            {
                return true;
            }

            if (TryReadTls(text, facts))
            {
                return true;
            }

            if (!TcpInfo.InFrom(comment))
            {
                return false;
            }

            if (Has(text, "helo=") || Has(text, "ident=") || Has(text, "port="))
            {
                var rest = new List<string>();
                foreach (var w in TcpInfo.Words(comment))
                {
                    if (Starts(w, "helo="))
                    {
                        facts.ExplicitHelo ??= HostText.Trim(w.Substring(5));
                    }
                    else if (Starts(w, "ident="))
                    {
                        facts.Ident ??= w.Substring(6);
                    }
                    else if (!Starts(w, "port="))
                    {
                        rest.Add(w);
                    }
                }

                TcpInfo.Read(rest, facts);
                return true;
            }

            // Exim 3: "from rdns (helo) [ip.port] (ident)" - the comment before the bracketed address is the HELO name,
            // the one after it the ident.
            var clause = comment.Clause;
            if (clause.Values.Count >= 2 && clause.Values[1].Kind == ReceivedTokenKind.Literal && facts.Convention == FromConvention.ReverseFirst)
            {
                var single = TcpInfo.Words(comment);
                if (single.Length == 1 && comment.AfterValues == 1 && HostText.LooksLikeHostName(single[0]))
                {
                    facts.ExplicitHelo ??= HostText.Trim(single[0]);
                    return true;
                }

                if (single.Length == 1 && comment.AfterValues >= 2)
                {
                    facts.Ident ??= single[0];
                    return true;
                }
            }

            return false;
        }

        /// <summary>Exim's cipher comments (any clause): version[:cipher[:bits]], optionally after "Cipher " or "tls_cipher ".</summary>
        private static bool TryReadTls(string text, ReceivedFacts facts)
        {
            var t = text;
            if (Starts(t, "Cipher "))
            {
                t = t.Substring(7).Trim();
            }
            else if (Starts(t, "tls_cipher "))
            {
                t = t.Substring(11).Trim();
            }

            if (t.IndexOf(' ') >= 0)
            {
                return false;
            }

            var parts = t.Split(':');
            if (!TlsVersionText.IsVersion(parts[0]))
            {
                return false;
            }

            facts.TlsStated = true;
            facts.SetVersion(parts[0]);
            if (parts.Length > 1)
            {
                facts.SetCipher(parts[1]);
            }

            return true;
        }

        private static bool HasFivePartLiteral(ReceivedClause from)
        {
            foreach (var v in from.Values)
            {
                if (v.Kind == ReceivedTokenKind.Literal && v.Text.Trim('[', ']').Split('.').Length == 5)
                {
                    return true;
                }
            }

            foreach (var c in from.Comments)
            {
                foreach (var w in HostText.Words(c.Text))
                {
                    if (w.StartsWith("[", StringComparison.Ordinal) && w.Trim('[', ']').Split('.').Length == 5)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool HasAddress(ReceivedClause from)
        {
            if (from.Values.Exists(v => v.Kind == ReceivedTokenKind.Literal || AddressText.IsAddress(v.Text)))
            {
                return true;
            }

            return from.Comments.Exists(c => c.Text.IndexOf('[') >= 0 || Array.Exists(HostText.Words(c.Text), AddressText.IsAddress));
        }
    }
}
