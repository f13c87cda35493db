using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace MailSecurity.Tests.Results
{
    /// <summary>
    /// Results built one way (issue 17, docs/ARCHITECTURE.md): a result with many values is built from its internal
    /// builder through an internal constructor, so no call site is a run of positional arguments and <c>null</c>s. A public
    /// constructor of <see cref="MaxParameters"/> or more parameters on an exported type fails here.
    /// </summary>
    public sealed class ResultConstructionTests
    {
        // The brief of issue 17 item 3: every public constructor of 8 or more parameters goes.
        private const int MaxParameters = 8;

        // Converted family by family; this list only shrinks (empty when the work is done).
        private static readonly string[] NotYetConverted =
        {
        };

        [Fact]
        public void No_exported_type_has_a_wide_public_constructor()
        {
            var wide = WideConstructors(typeof(Finding).Assembly.GetExportedTypes())
                .Where(w => !NotYetConverted.Contains(w.Type.FullName))
                .Select(w => $"{w.Type.FullName}({w.Parameters})").OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.True(wide.Count == 0, "Public constructors with " + MaxParameters + "+ parameters (build these from an internal builder): " + string.Join(", ", wide));
        }

        [Fact]
        public void Not_yet_converted_lists_only_types_that_still_have_one()
        {
            var stillWide = WideConstructors(typeof(Finding).Assembly.GetExportedTypes()).Select(w => w.Type.FullName).ToHashSet();
            var stale = NotYetConverted.Where(n => !stillWide.Contains(n)).ToList();
            Assert.True(stale.Count == 0, "Converted, remove from NotYetConverted: " + string.Join(", ", stale));
        }

        [Fact]
        public void The_rule_catches_a_wide_constructor()
        {
            var found = WideConstructors(new[] { typeof(WideExample), typeof(NarrowExample), typeof(BuiltExample) }).Select(w => w.Type).ToList();
            Assert.Equal(new[] { typeof(WideExample) }, found);
        }

        private static IEnumerable<(Type Type, int Parameters)> WideConstructors(IEnumerable<Type> types)
            => from t in types
               from c in t.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
               let n = c.GetParameters().Length
               where n >= MaxParameters
               select (t, n);

        public sealed class WideExample
        {
            public WideExample(int a, int b, int c, int d, int e, int f, int g, int h) => Sum = a + b + c + d + e + f + g + h;

            public int Sum { get; }
        }

        public sealed class NarrowExample
        {
            public NarrowExample(int a, int b, int c, int d, int e, int f, int g) => Sum = a + b + c + d + e + f + g;

            public int Sum { get; }
        }

        public sealed class BuiltExample
        {
            internal BuiltExample(int a, int b, int c, int d, int e, int f, int g, int h) => Sum = a + b + c + d + e + f + g + h;

            public int Sum { get; }
        }
    }
}
