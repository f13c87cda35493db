using System;
using System.Globalization;
using System.Linq;
using System.Net.Sockets;
using MailSecurity.Dns;
using MailSecurity.Tls;

namespace MailSecurity.Smtp
{
    /// <summary>
    /// The verdict of one probe session, decided once from the session as recorded (<see cref="SmtpSessionRecord"/>)
    /// and the probe settings: outcome, failure phase, error, capabilities, the certificate verdict (PKIX and host
    /// name, the one place both are judged for Test-SmtpStartTls, Test-DaneTlsa, Get-MtaStsPolicy and the hop
    /// verdict) and findings. Pure: no I/O and no clock (the verification time is the session's start), so protocol
    /// edge cases are tested by replaying recorded transcripts (tests/MailSecurity.Tests/Smtp/Transcripts).
    /// </summary>
    internal static class SmtpSessionClassifier
    {
        private const int ExpiresSoonDays = 14;

        /// <summary>Decides the verdict of one recorded session.</summary>
        /// <param name="session">The session as recorded.</param>
        /// <param name="settings">What was probed and how.</param>
        /// <returns>The result, ready for timings and the transcript.</returns>
        public static SmtpTlsProbeBuilder Classify(SmtpSessionRecord session, SmtpProbeSettings settings)
        {
            if (session is null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            if (settings is null)
            {
                throw new ArgumentNullException(nameof(settings));
            }

            var b = new SmtpTlsProbeBuilder
            {
                HostName = settings.HostName,
                Address = settings.Address.ToString(),
                Port = settings.Port,
                ImplicitTls = settings.ImplicitTls,
                ServerName = settings.ServerName,
                StartedAt = session.StartedAt,
                HeloName = session.HeloName,
                ConnectTime = session.ConnectTime,
            };
            if (settings.ImplicitTls && settings.Port == 25)
            {
                b.Findings.Add(SmtpFindings.ImplicitTlsOnPort25.Create($"Implicit TLS was requested on port 25 of {b.Target}.", b.HostName));
            }

            if (!session.Connected)
            {
                FailConnect(b, session.Failure, session.TimedOut, settings.Timeout);
            }
            else
            {
                ClassifySession(b, session, settings);
            }

            return b;
        }

        private static void FailConnect(SmtpTlsProbeBuilder b, SmtpSessionFailure? failure, bool timedOut, TimeSpan timeout)
        {
            b.Outcome = SmtpTlsOutcome.ConnectFailed;
            b.FailurePhase = SmtpProbePhase.Connect;
            var code = failure?.SocketError;
            if (timedOut || code == SocketError.TimedOut)
            {
                b.Error = $"The TCP connection to {b.Address} port {b.Port} did not complete within {timeout.TotalSeconds:0.#} s.";
                b.Findings.Add(SmtpFindings.ConnectTimeout.Create(b.Error, b.HostName));
            }
            else if (code == SocketError.ConnectionRefused || code == SocketError.ConnectionReset)
            {
                b.Error = $"The TCP connection to {b.Address} port {b.Port} was refused.";
                b.Findings.Add(SmtpFindings.ConnectRefused.Create(b.Error, b.HostName));
            }
            else
            {
                b.Error = $"The TCP connection to {b.Address} port {b.Port} failed: {failure?.Message}";
                b.Findings.Add(SmtpFindings.ConnectFailed.Create(b.Error, b.HostName));
            }
        }

        private static void ClassifySession(SmtpTlsProbeBuilder b, SmtpSessionRecord session, SmtpProbeSettings s)
        {
            var replies = session.Replies;
            var failure = session.Failure;
            var greeting = replies.FirstOrDefault(r => r.Command is null);
            var ehlo = replies.FirstOrDefault(r => r.Command == "EHLO" && !r.InsideTls);
            var helo = replies.FirstOrDefault(r => r.Command == "HELO" && !r.InsideTls);
            var startTls = replies.FirstOrDefault(r => r.Command == "STARTTLS");
            var ehloTls = replies.FirstOrDefault(r => r.Command == "EHLO" && r.InsideTls);
            if (greeting != null)
            {
                b.BannerCode = greeting.Code;
                b.Banner = string.Join(" ", greeting.Texts);
            }

            if (ehlo?.Code == 250)
            {
                b.CapabilitiesBeforeTls = EhloCapabilities.FromEhloReply(ehlo.Texts);
            }

            if (ehloTls?.Code == 250)
            {
                b.CapabilitiesAfterTls = EhloCapabilities.FromEhloReply(ehloTls.Texts);
            }

            b.StartTlsOffered = !s.ImplicitTls && EhloCapabilities.Has(b.CapabilitiesBeforeTls, "STARTTLS");
            b.StartTlsReply = startTls?.OneLine();
            b.CertificateChain = session.CertificateChain;
            b.TlsEstablished = session.TlsEstablished;
            b.TlsProtocol = session.TlsProtocol;
            b.CipherSuite = session.CipherSuite;
            b.KeyExchange = session.KeyExchange;
            var phase = session.LastPhase;
            var target = b.Target;

            if (failure is null)
            {
                if (ehlo != null && ehlo.Code != 250 && helo?.Code == 250)
                {
                    b.Findings.Add(SmtpFindings.EhloRejected.Create($"{target} answered EHLO with '{ehlo.OneLine()}'; only HELO works, so no extension such as STARTTLS can be offered.", b.HostName));
                }

                // RFC 3207 §2, §4: STARTTLS is an EHLO extension; a session that completed without TLS was not offered it.
                if (!b.TlsEstablished)
                {
                    b.Outcome = SmtpTlsOutcome.NoStartTls;
                    b.Error = $"{target} does not offer STARTTLS.";
                    b.Findings.Add(SmtpFindings.NoStartTls.Create($"{target} does not offer STARTTLS: its EHLO reply lists {(b.CapabilitiesBeforeTls.Count == 0 ? "no extensions" : string.Join(", ", b.CapabilitiesBeforeTls.Select(EhloCapabilities.Keyword)))}.", b.HostName));
                }
                else
                {
                    EvaluateCertificate(b, s);
                }
            }
            else if (session.LimitExceeded != null)
            {
                Fail(b, SmtpTlsOutcome.ProtocolViolation, phase, $"{target} exceeded the probe's limits during {Describe(phase)}: {session.LimitExceeded}.", SmtpFindings.ResponseLimitExceeded);
            }
            else if (session.TimedOut)
            {
                Fail(b, SmtpTlsOutcome.Timeout, phase, $"{target} did not answer within {s.Timeout.TotalSeconds:0.#} s during {Describe(phase)}.", SmtpFindings.SessionTimeout);
            }
            else if (greeting is null && s.ImplicitTls && !session.TlsEstablished)
            {
                Fail(b, SmtpTlsOutcome.HandshakeFailed, SmtpProbePhase.TlsHandshake, $"The implicit TLS handshake with {target} failed: {failure.Description}", TlsFindings.HandshakeFailed);
            }
            else if (greeting is null)
            {
                var why = session.MalformedLine != null
                    ? $"{target} did not greet with an SMTP reply; it sent '{DomainName.Printable(session.MalformedLine)}' (not an SMTP server?)."
                    : session.ServerBytes == 0
                        ? $"{target} closed the connection without sending a greeting."
                        : $"{target} sent no complete greeting: {failure.Description}";
                Fail(b, SmtpTlsOutcome.ProtocolViolation, SmtpProbePhase.Greeting, why, SmtpFindings.ProtocolViolation);
            }
            // RFC 5321 §3.1, §4.2.3: only 220 opens a session; 421 and 554 (or anything else) refuse service.
            else if (greeting.Code != 220)
            {
                Fail(b, SmtpTlsOutcome.ServerRefused, SmtpProbePhase.Greeting, $"{target} greeted with '{greeting.OneLine()}' instead of 220.", SmtpFindings.BannerError);
            }
            // RFC 5321 §3.2, §4.1.4: a refused EHLO falls back to HELO; with both refused there is no session.
            else if (!s.ImplicitTls && ehlo != null && ehlo.Code != 250 && (helo is null || helo.Code != 250))
            {
                Fail(b, SmtpTlsOutcome.ServerRefused, SmtpProbePhase.Ehlo, $"{target} rejected EHLO ('{ehlo.OneLine()}'){(helo is null ? string.Empty : $" and HELO ('{helo.OneLine()}')")}.", SmtpFindings.EhloRejected);
            }
            // RFC 3207 §4: 220 starts TLS; 454, 501 (or any other reply) refuse it.
            else if (startTls != null && startTls.Code != 220)
            {
                Fail(b, SmtpTlsOutcome.StartTlsRejected, SmtpProbePhase.StartTls, $"{target} offers STARTTLS but answered the STARTTLS command with '{startTls.OneLine()}'.", SmtpFindings.StartTlsRejected);
            }
            // RFC 3207 §4.2: after the 220 the handshake starts at once; a failure now is a TLS failure.
            else if ((startTls?.Code == 220 || s.ImplicitTls) && (!session.TlsEstablished || failure.TlsHandshake))
            {
                Fail(b, SmtpTlsOutcome.HandshakeFailed, SmtpProbePhase.TlsHandshake, $"The TLS handshake with {target} failed after {(s.ImplicitTls ? "connecting" : "STARTTLS was accepted")}: {failure.Description}", TlsFindings.HandshakeFailed);
                b.TlsEstablished = false;
            }
            else
            {
                var why = session.MalformedLine != null
                    ? $"{target} sent a line that is not an SMTP reply during {Describe(phase)}: '{DomainName.Printable(session.MalformedLine)}'."
                    : $"The session with {target} broke during {Describe(phase)}: {failure.Description}";
                Fail(b, SmtpTlsOutcome.ProtocolViolation, phase, why, SmtpFindings.ProtocolViolation);
            }

            if (failure != null && b.TlsEstablished && b.CertificateChain.Count > 0)
            {
                // The session failed after the handshake: the certificate is still judged, for the evidence, but the
                // outcome and the error stay those of the failure.
                var outcome = b.Outcome;
                var error = b.Error;
                EvaluateCertificate(b, s);
                b.Outcome = outcome;
                b.Error = error;
            }

            AddCapabilityFindings(b, session, target);
        }

        private static void EvaluateCertificate(SmtpTlsProbeBuilder b, SmtpProbeSettings s)
        {
            var target = b.Target;
            b.Pkix = PkixValidator.Validate(b.CertificateChain, new PkixValidationOptions { CheckRevocation = s.CheckRevocation, TrustAnchors = s.TrustAnchors, VerificationTime = b.StartedAt });
            if (b.CertificateChain.Count > 0)
            {
                HostNameMatch? match = null;
                foreach (var name in s.ReferenceNames)
                {
                    var m = HostNameMatcher.Match(b.CertificateChain[0], name);
                    match ??= m;
                    if (m.Matches)
                    {
                        match = m;
                        break;
                    }
                }

                b.HostNameMatch = match;
            }

            var p = b.Pkix.Problems;
            var reasons = string.Join(" ", b.Pkix.Reasons);
            if ((p & CertificateProblems.SelfSigned) != 0)
            {
                b.Findings.Add(TlsFindings.SelfSigned.Create($"{target} presents a self-signed certificate ({b.CertificateChain[0].Subject}).", b.HostName));
            }
            else if ((p & CertificateProblems.Untrusted) != 0)
            {
                b.Findings.Add(TlsFindings.CertificateUntrusted.Create($"The chain of {target} does not lead to a trusted root: {reasons}", b.HostName));
            }

            if ((p & CertificateProblems.IncompleteChain) != 0 && (p & CertificateProblems.SelfSigned) == 0)
            {
                b.Findings.Add(TlsFindings.IncompleteChain.Create($"The chain of {target} is incomplete ({b.CertificateChain.Count} certificate(s) sent): {reasons}", b.HostName));
            }

            if ((p & CertificateProblems.Expired) != 0)
            {
                b.Findings.Add(TlsFindings.CertificateExpired.Create($"The chain of {target} contains an expired certificate: {reasons}", b.HostName));
            }

            if ((p & CertificateProblems.NotYetValid) != 0)
            {
                b.Findings.Add(TlsFindings.CertificateNotYetValid.Create($"The chain of {target} contains a certificate that is not valid yet: {reasons}", b.HostName));
            }

            if ((p & CertificateProblems.WrongUsage) != 0)
            {
                b.Findings.Add(TlsFindings.CertificateWrongUsage.Create($"The chain of {target} is not valid for server authentication: {reasons}", b.HostName));
            }

            if ((p & CertificateProblems.Revoked) != 0)
            {
                b.Findings.Add(TlsFindings.CertificateRevoked.Create($"The chain of {target} contains a revoked certificate: {reasons}", b.HostName));
            }

            if ((p & CertificateProblems.RevocationUnknown) != 0)
            {
                b.Findings.Add(TlsFindings.RevocationUnknown.Create($"The revocation status of the chain of {target} is unknown: {reasons}", b.HostName));
            }

            if ((p & (CertificateProblems.InvalidChain | CertificateProblems.NoCertificate)) != 0)
            {
                b.Findings.Add(TlsFindings.CertificateChainInvalid.Create($"The chain of {target} is invalid: {reasons}", b.HostName));
            }

            if (b.HostNameMatch != null && !b.HostNameMatch.Matches)
            {
                b.Findings.Add(TlsFindings.CertificateHostMismatch.Create($"{target}: {b.HostNameMatch.Explanation}", b.HostName));
            }
            else if (b.HostNameMatch?.Source == HostNameMatchSource.CommonName)
            {
                b.Findings.Add(TlsFindings.MatchedByCommonNameOnly.Create($"{target}: {b.HostNameMatch.Explanation}", b.HostName));
            }

            if (b.CertificateChain.Count > 0)
            {
                var days = (new DateTimeOffset(b.CertificateChain[0].NotAfter.ToUniversalTime(), TimeSpan.Zero) - b.StartedAt).TotalDays;
                if (days >= 0 && days < ExpiresSoonDays)
                {
                    b.Findings.Add(TlsFindings.CertificateExpiresSoon.Create($"The certificate of {target} expires in {Math.Floor(days).ToString(CultureInfo.InvariantCulture)} day(s), on {b.CertificateChain[0].NotAfter.ToUniversalTime():yyyy-MM-dd}.", b.HostName));
                }
            }

            if (b.TlsProtocol.HasValue && TlsVersions.IsLegacy(b.TlsProtocol.Value))
            {
                b.Findings.Add(TlsFindings.LegacyProtocol.Create($"{target} negotiated {TlsVersions.ToDisplayName(b.TlsProtocol.Value)}.", b.HostName));
            }

            var valid = b.Pkix.IsValid && b.HostNameMatch?.Matches == true;
            b.Outcome = valid ? SmtpTlsOutcome.Success : SmtpTlsOutcome.CertificateInvalid;
            if (!valid)
            {
                b.Error = !b.Pkix.IsValid
                    ? $"The certificate of {target} fails PKIX validation ({b.Pkix.Problems})."
                    : $"The certificate of {target} does not name {b.HostNameMatch?.ReferenceName}.";
            }
        }

        private static void AddCapabilityFindings(SmtpTlsProbeBuilder b, SmtpSessionRecord session, string target)
        {
            if (EhloCapabilities.Has(b.CapabilitiesBeforeTls, "AUTH"))
            {
                b.Findings.Add(SmtpFindings.AuthBeforeTls.Create($"{target} advertises AUTH {EhloCapabilities.Parameters(b.CapabilitiesBeforeTls, "AUTH")} before TLS.", b.HostName));
            }

            // RFC 3207 §4.2: the server must not offer STARTTLS again inside TLS.
            if (EhloCapabilities.Has(b.CapabilitiesAfterTls, "STARTTLS"))
            {
                b.Findings.Add(SmtpFindings.StartTlsAdvertisedAfterTls.Create($"{target} advertises STARTTLS again inside the TLS session.", b.HostName));
            }

            if (b.TlsEstablished && EhloCapabilities.Has(b.CapabilitiesAfterTls, "REQUIRETLS"))
            {
                b.Findings.Add(SmtpFindings.RequireTlsAdvertised.Create($"{target} advertises REQUIRETLS after STARTTLS.", b.HostName));
            }

            // RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets, code and CRLF included.
            if (session.LongestLine > 512)
            {
                b.Findings.Add(SmtpFindings.ReplyLineTooLong.Create($"{target} sent a reply line of {session.LongestLine} octets (RFC 5321 allows 512).", b.HostName));
            }
        }

        private static void Fail(SmtpTlsProbeBuilder b, SmtpTlsOutcome outcome, SmtpProbePhase phase, string message, FindingDescriptor descriptor)
        {
            b.Outcome = outcome;
            b.FailurePhase = phase;
            b.Error = message;
            b.Findings.Add(descriptor.Create(message, b.HostName));
        }

        private static string Describe(SmtpProbePhase phase) => phase switch
        {
            SmtpProbePhase.Connect => "the TCP connection",
            SmtpProbePhase.Greeting => "the greeting",
            SmtpProbePhase.Ehlo => "EHLO",
            SmtpProbePhase.StartTls => "STARTTLS",
            SmtpProbePhase.TlsHandshake => "the TLS handshake",
            SmtpProbePhase.EhloAfterTls => "EHLO inside TLS",
            _ => "QUIT",
        };
    }
}
