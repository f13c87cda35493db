using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace MailSecurity.Tests.Results
{
    /// <summary>
    /// The namespace rule (issue 17): the public surface of MailSecurity.dll is what scripts see — the result types the
    /// cmdlets write, everything reachable from them through public properties and methods (their parts and enums), Finding and the
    /// finding catalog. They live in the root namespace <c>MailSecurity</c>; every sub-namespace (Dns, Spf, Smtp, Report,
    /// ...) is machinery and internal. A new public type that no result reaches fails here: make it internal, or make it
    /// part of a result.
    /// </summary>
    public sealed class PublicSurfaceTests
    {
        private static readonly Assembly Core = typeof(Finding).Assembly;

        // What the cmdlets write (their [OutputType]s; DESIGN.md §2 "Key properties").
        private static readonly Type[] Outputs =
        {
            typeof(MailAuthReport), typeof(SpfCheckResult), typeof(SmtpTlsProbe), typeof(MtaStsPolicyResult), typeof(DaneResult),
            typeof(HopSecurity), typeof(MessagePath), typeof(ResultChange),
        };

        // Public without being the declared type of a result's property: the finding catalog that about_MailSecurity and
        // scripts read (a FindingDescriptor per code), and the runtime types of the results' lists (declared as
        // IReadOnlyList<T>; scripts see FindingList/ValueList<T> in GetType() and Export-Clixml, one CSV cell each).
        private static readonly Type[] AlsoPublic = { typeof(FindingCatalog), typeof(FindingDescriptor), typeof(FindingList), typeof(ValueList<>) };

        // Result enums shipped in the Dns sub-namespace before the rule: scripts cast to these names, so they stay there.
        private static readonly string[] ShippedOutsideRoot = { "MailSecurity.Dns.DnssecStatus", "MailSecurity.Dns.DnsLookupStatus", "MailSecurity.Dns.DnssecValidatedBy" };

        [Fact]
        public void Every_public_type_is_reached_from_a_result_or_is_the_finding_catalog()
        {
            var reached = Reachable(Outputs.Concat(AlsoPublic));
            var stray = Core.GetExportedTypes().Where(t => !reached.Contains(t)).Select(t => t.FullName).OrderBy(n => n).ToList();
            Assert.True(stray.Count == 0, "Public types no result reaches (make them internal): " + string.Join(", ", stray));
        }

        [Fact]
        public void Public_types_live_in_the_root_namespace()
        {
            var outside = Core.GetExportedTypes()
                .Where(t => t.Namespace != "MailSecurity" && !ShippedOutsideRoot.Contains(t.FullName))
                .Select(t => t.FullName).OrderBy(n => n).ToList();
            Assert.True(outside.Count == 0, "Public types outside the root namespace: " + string.Join(", ", outside));
        }

        [Fact]
        public void The_rule_catches_machinery()
        {
            // The walk must not reach everything: an internal parser is not exported, and a public result does not drag
            // in machinery through non-public members.
            var reached = Reachable(Outputs);
            Assert.Contains(typeof(HopSecurityLevel), reached);
            Assert.Contains(typeof(Finding), reached);
            Assert.DoesNotContain(typeof(MailSecurity.Spf.SpfRecordParser), reached);
            Assert.False(typeof(MailSecurity.Spf.SpfRecordParser).IsVisible);
            Assert.False(typeof(MailSecurity.Report.ReportBuilder).IsVisible);
        }

        private static HashSet<Type> Reachable(IEnumerable<Type> roots)
        {
            var seen = new HashSet<Type>();
            var queue = new Queue<Type>(roots);
            while (queue.Count > 0)
            {
                var t = queue.Dequeue();
                foreach (var part in Parts(t))
                {
                    if (part.Assembly != Core || !seen.Add(part)) continue;
                    foreach (var p in part.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)) queue.Enqueue(p.PropertyType);
                    foreach (var f in part.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)) queue.Enqueue(f.FieldType);
                    // A result's own public methods (AuthMethodResult.GetProperties()) are part of what scripts see too.
                    foreach (var m in part.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Where(m => !m.IsSpecialName)) queue.Enqueue(m.ReturnType);
                    if (part.BaseType is not null) queue.Enqueue(part.BaseType);
                    foreach (var i in part.GetInterfaces()) queue.Enqueue(i);
                }
            }
            return seen;
        }

        // A type and the types it is made of (array elements, nullable and generic arguments).
        private static IEnumerable<Type> Parts(Type t)
        {
            if (t.IsArray || t.IsByRef) return Parts(t.GetElementType()!);
            if (t.IsGenericType) return new[] { t.IsConstructedGenericType ? t.GetGenericTypeDefinition() : t }.Concat(t.GetGenericArguments().SelectMany(Parts));
            return new[] { t };
        }
    }
}
