using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace MailSecurity.Commands
{
    /// <summary>
    /// Reads the domain or host names an input object stands for: a string, or an object from Exchange or another module
    /// whose properties hold them: accepted domains (DomainName, an SmtpDomainWithSubdomains that may be a wildcard),
    /// mailboxes (PrimarySmtpAddress: its domain), send connectors (SmartHosts, or AddressSpaces), rows with Domain or
    /// HostName columns, and the same objects deserialized by remoting or Import-Clixml (property bags whose values keep
    /// the original ToString). Written here because PowerShell's own binding converts an object it cannot bind by
    /// property name to one string of all its properties ("@{Name=...; DomainName=...}").
    /// </summary>
    internal static class PipelineNames
    {
        /// <summary>Properties that name a domain, in the order they are tried.</summary>
        private static readonly string[] DomainProperties = { "DomainName", "Domain", "PrimarySmtpAddress", "AddressSpaces", "HostName", "Name" };

        /// <summary>Properties that name a host to connect to (a send connector's smart hosts first).</summary>
        private static readonly string[] HostProperties = { "SmartHosts", "HostName", "ComputerName" };

        /// <summary>
        /// The domain names <paramref name="input"/> stands for, or null when it names none. With
        /// <paramref name="hostsElsewhere"/> (cmdlets that also take -HostName), an object that names hosts (a send
        /// connector with smart hosts, a row with a HostName column) is left to -HostName.
        /// </summary>
        public static IReadOnlyList<string>? ReadDomains(object? input, bool hostsElsewhere)
        {
            var value = Unwrap(input);
            switch (value)
            {
                case null:
                    return null;
                case string s:
                    return new[] { s };
            }

            if (IsDomainValue(input!))
            {
                // An SmtpDomainWithSubdomains or SmtpAddress-like value piped on its own.
                var text = Text(input);
                return text is null ? null : new[] { DomainOfAddress(text) };
            }

            if (hostsElsewhere && NamesHosts(input!) && !Has(input!, "DomainName") && !Has(input!, "Domain"))
            {
                return null;
            }

            foreach (var name in DomainProperties)
            {
                var property = Property(input!, name);
                if (property is null)
                {
                    continue;
                }

                var texts = Texts(property.Value);
                switch (name)
                {
                    case "PrimarySmtpAddress":
                        texts = texts.Select(DomainOfAddress).ToList();
                        break;
                    case "AddressSpaces":
                        texts = texts.Select(AddressSpaceDomain).Where(t => t != null).Select(t => t!).ToList();
                        break;
                }

                if (texts.Count > 0)
                {
                    return texts;
                }
            }

            return null;
        }

        /// <summary>The host names or address literals a property value (or an array typed on the command line) holds.</summary>
        public static IReadOnlyList<string> ReadHosts(object? value) => Texts(value);

        /// <summary>True when the object names hosts to connect to: non-empty SmartHosts, or a HostName or ComputerName.</summary>
        public static bool NamesHosts(object input) => HostProperties.Any(p => Property(input, p) is PSPropertyInfo info && Texts(info.Value).Count > 0);

        /// <summary>
        /// Files (message mode) and disposable objects such as MimeKit messages are never domains: they are left to the
        /// parameters that take them.
        /// </summary>
        public static bool IsOtherInput(object? input) => Unwrap(input) is FileSystemInfo || (Unwrap(input) is IDisposable && !(Unwrap(input) is string));

        /// <summary>The text of one value: a string, or an object's own ToString when that names something, else its Domain or Address.</summary>
        internal static string? Text(object? value)
        {
            var v = Unwrap(value);
            switch (v)
            {
                case null:
                    return null;
                case string s:
                    return s;
            }

            if (value != null && IsTrue(Property(value, "IncludeSubDomains")?.Value))
            {
                // Exchange's SmtpDomainWithSubdomains: an accepted domain that includes its subdomains is *.domain.
                var domain = Text(Property(value, "Domain")?.Value) ?? Text(Property(value, "Address")?.Value);
                if (!string.IsNullOrEmpty(domain))
                {
                    return domain!.StartsWith("*.", StringComparison.Ordinal) ? domain : "*." + domain;
                }
            }

            // A deserialized object keeps its original ToString; a live Exchange value's ToString is the name itself.
            var shown = value is PSObject ps ? ps.ToString() : v.ToString();
            if (Plausible(shown, v))
            {
                return shown;
            }

            return Text(Property(value!, "Address")?.Value) ?? Text(Property(value!, "Domain")?.Value);
        }

        private static List<string> Texts(object? value)
        {
            var list = new List<string>();
            var v = Unwrap(value);
            if (v is null)
            {
                return list;
            }

            if (v is string s)
            {
                if (s.Length > 0)
                {
                    list.Add(s);
                }

                return list;
            }

            if (v is IEnumerable many && !(v is IDictionary))
            {
                foreach (var item in many)
                {
                    var t = Text(item);
                    if (!string.IsNullOrEmpty(t))
                    {
                        list.Add(t!);
                    }
                }

                return list;
            }

            var one = Text(value);
            if (!string.IsNullOrEmpty(one))
            {
                list.Add(one!);
            }

            return list;
        }

        /// <summary>The domain of an address (<c>user@contoso.com</c> gives <c>contoso.com</c>); other text unchanged.</summary>
        private static string DomainOfAddress(string text)
        {
            var at = text.LastIndexOf('@');
            return at >= 0 ? text.Substring(at + 1) : text;
        }

        /// <summary>
        /// The domain of an Exchange address space as shown ("SMTP:contoso.com;1", "smtp:*.contoso.com;10", "*"): null for
        /// address spaces of other types (X400, non-SMTP connectors), which name no domain.
        /// </summary>
        private static string? AddressSpaceDomain(string text)
        {
            var s = text.Trim();
            var colon = s.IndexOf(':');
            if (colon > 0)
            {
                if (!string.Equals(s.Substring(0, colon), "SMTP", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                s = s.Substring(colon + 1);
            }

            var semicolon = s.IndexOf(';');
            return semicolon >= 0 ? s.Substring(0, semicolon) : s;
        }

        private static bool IsDomainValue(object input)
            => Has(input, "IncludeSubDomains") || (Has(input, "Local") && Has(input, "Domain") && !Has(input, "DomainName"));

        private static bool Has(object input, string name) => Property(input, name) != null;

        private static bool IsTrue(object? value) => Unwrap(value) is bool b ? b : (Unwrap(value) is string s && bool.TryParse(s, out var parsed) && parsed);

        /// <summary>A ToString that names something rather than a type or a property bag.</summary>
        private static bool Plausible(string? shown, object value)
            => !string.IsNullOrWhiteSpace(shown)
               && !shown!.StartsWith("@{", StringComparison.Ordinal)
               && !string.Equals(shown, value.GetType().FullName, StringComparison.Ordinal)
               && !shown.StartsWith("System.", StringComparison.Ordinal)
               && shown.IndexOfAny(new[] { ' ', '\t', '\r', '\n' }) < 0;

        private static PSPropertyInfo? Property(object input, string name)
        {
            if (Unwrap(input) is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is string key && string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return new PSNoteProperty(name, entry.Value);
                    }
                }

                return null;
            }

            return PSObject.AsPSObject(input).Properties[name];
        }

        private static object? Unwrap(object? value) => value is PSObject p && !(p.BaseObject is PSCustomObject) ? p.BaseObject : value;
    }

    /// <summary>
    /// The part every name-reading parameter transformation shares: nothing stays nothing (the cmdlet reports NoInput),
    /// and a string binds as it is; anything else goes to <see cref="TransformObject"/>.
    /// </summary>
    internal abstract class NameInputAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public sealed override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (inputData is null)
            {
                return null;
            }

            var raw = inputData is PSObject p ? p.BaseObject : inputData;
            return raw is string ? inputData : TransformObject(inputData, raw);
        }

        /// <summary>Reads a non-string input (<paramref name="raw"/> is its base object).</summary>
        protected abstract object? TransformObject(object inputData, object raw);
    }

    /// <summary>
    /// Lets -Domain take whatever the pipeline or the command line brings (see <see cref="PipelineNames"/>): strings
    /// as they are, objects by the domain they name. Files, messages and (with <see cref="HostsElsewhere"/>) objects
    /// that name hosts are left unchanged so that they bind to the parameters made for them; anything else that names
    /// no domain is refused with a message that says which properties were looked for.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class DomainInputAttribute : NameInputAttribute
    {
        /// <summary>The cmdlet also has -HostName: objects naming hosts bind there.</summary>
        public bool HostsElsewhere { get; set; }

        /// <inheritdoc />
        protected override object? TransformObject(object inputData, object raw)
        {
            if (raw is IEnumerable items && !(raw is IDictionary))
            {
                // -Domain a, b or -Domain (Get-AcceptedDomain): each element on its own.
                var all = new List<string>();
                foreach (var item in items)
                {
                    all.AddRange(ReadOrThrow(item));
                }

                return all.ToArray();
            }

            if (PipelineNames.IsOtherInput(inputData) || (HostsElsewhere && PipelineNames.ReadDomains(inputData, hostsElsewhere: true) is null && PipelineNames.NamesHosts(inputData)))
            {
                return inputData;
            }

            return ReadOrThrow(inputData).ToArray();
        }

        private IEnumerable<string> ReadOrThrow(object? item)
        {
            if (item is null)
            {
                return new[] { string.Empty };
            }

            return PipelineNames.ReadDomains(item, HostsElsewhere)
                ?? throw new ArgumentTransformationMetadataException(
                    $"The input object ({Describe(item)}) names no domain: it has no DomainName, Domain, PrimarySmtpAddress, AddressSpaces, HostName or Name property with a value.");
        }

        internal static string Describe(object item)
        {
            var names = item is PSObject ps ? ps.TypeNames : PSObject.AsPSObject(item).TypeNames;
            return names.Count > 0 ? names[0] : item.GetType().FullName ?? "object";
        }
    }

    /// <summary>Lets -HostName take host names from strings or from property values such as a send connector's SmartHosts (live or deserialized).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class HostInputAttribute : NameInputAttribute
    {
        /// <inheritdoc />
        protected override object? TransformObject(object inputData, object raw)
        {
            var hosts = PipelineNames.ReadHosts(inputData);
            return hosts.Count > 0 ? hosts.ToArray() : inputData;
        }
    }
}
