using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using MailSecurity.Dns;

namespace MailSecurity.Commands
{
    /// <summary>Completes -DnsServer with the resolvers the system is configured with.</summary>
    public sealed class DnsServerCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            foreach (var server in SystemResolvers.List())
            {
                if (server.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    yield return new CompletionResult(server, server, CompletionResultType.ParameterValue, "Configured resolver " + server);
                }
            }
        }
    }
}
