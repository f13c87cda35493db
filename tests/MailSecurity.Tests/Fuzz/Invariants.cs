using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace MailSecurity.Tests.Fuzz
{
    /// <summary>
    /// What every parse result of untrusted text must satisfy, whatever the input: each finding message (and every other
    /// message-like string: errors, problems, details) is one bounded sentence of real text (no controls, no lone
    /// surrogates), and the number of findings stays bounded.
    /// </summary>
    internal static class Invariants
    {
        /// <summary>The longest message a parser may produce: a sentence with a few shortened excerpts.</summary>
        public const int MaxMessage = 1000;

        /// <summary>The most findings one parse may produce (repeated problems are summarised).</summary>
        public const int MaxFindings = 100;

        /// <summary>Checks every <see cref="Finding"/> reachable from <paramref name="result"/> through public properties.</summary>
        public static void Findings(object? result)
        {
            var findings = new List<Finding>();
            Walk(result, findings, new HashSet<object>(ReferenceEqualityComparer.Instance), 0);
            foreach (var f in findings)
            {
                Message(f.Message);
                Assert.True(f.Target.Length <= MaxMessage, $"a finding target of {f.Target.Length} characters");
            }
        }

        /// <summary>Checks messages such as parse errors.</summary>
        public static void Messages(IEnumerable<string?> messages)
        {
            var count = 0;
            foreach (var m in messages)
            {
                count++;
                Message(m);
            }

            Assert.True(count <= MaxFindings, $"{count} messages from one parse");
        }

        /// <summary>One message: bounded, no control characters, no lone surrogates.</summary>
        public static void Message(string? message)
        {
            if (message is null)
            {
                return;
            }

            Assert.True(message.Length <= MaxMessage, $"a message of {message.Length} characters: {Mutants.Show(message)}");
            for (var i = 0; i < message.Length; i++)
            {
                var c = message[i];
                if (char.IsHighSurrogate(c) && i + 1 < message.Length && char.IsLowSurrogate(message[i + 1]))
                {
                    i++;
                    continue;
                }

                Assert.False(char.IsControl(c) || char.IsSurrogate(c), $"a message with the character U+{(int)c:X4}: {Mutants.Show(message)}");
            }
        }

        private static void Walk(object? o, List<Finding> findings, HashSet<object> seen, int depth)
        {
            if (o is null || depth > 6 || o is string || o.GetType().IsPrimitive || o.GetType().IsEnum || !seen.Add(o))
            {
                return;
            }

            if (o is Finding f)
            {
                findings.Add(f);
                return;
            }

            if (o is IEnumerable e && o is not IDictionary)
            {
                var inList = 0;
                foreach (var item in e)
                {
                    inList += item is Finding ? 1 : 0;
                    Walk(item, findings, seen, depth + 1);
                }

                if (inList > MaxFindings)
                {
                    // The message is built only on failure: this walk runs on every fuzz input.
                    Assert.Fail($"{inList} findings in one list: " + string.Join(", ", e.OfType<Finding>().GroupBy(x => x.Code).Select(g => $"{g.Key} x{g.Count()}")) + "; first: " + e.OfType<Finding>().FirstOrDefault()?.Message);
                }
                return;
            }

            var type = o.GetType();
            if (type.Namespace is null || !type.Namespace.StartsWith("MailSecurity", StringComparison.Ordinal))
            {
                return;
            }

            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (p.GetIndexParameters().Length > 0)
                {
                    continue;
                }

                object? value;
                try
                {
                    value = p.GetValue(o);
                }
                catch (TargetInvocationException ex)
                {
                    throw new InvalidOperationException($"{type.Name}.{p.Name} throws {ex.InnerException?.GetType().Name}: {ex.InnerException?.Message}", ex.InnerException);
                }

                if (p.Name is "Message" or "Detail" or "Error" && value is string s && type != typeof(Finding))
                {
                    Message(s);
                }

                Walk(value, findings, seen, depth + 1);
            }
        }
    }
}
