# Exchange stand-ins: compiled types shaped like the Exchange Management Shell's (Microsoft.Exchange.Data types as
# documented for Get-AcceptedDomain, Get-Mailbox and Get-SendConnector: names, and a ToString that is the name itself),
# so the input binding can be tested, and demonstrated, without Exchange. Dot-source it.
if (-not ('Contoso.Exchange.AcceptedDomain' -as [type])) {
    Add-Type -TypeDefinition @'
using System.Collections.Generic;
namespace Contoso.Exchange
{
    public sealed class SmtpDomainWithSubdomains
    {
        public SmtpDomainWithSubdomains(string domain, bool includeSubDomains) { Domain = domain; IncludeSubDomains = includeSubDomains; }
        public string Domain { get; }
        public bool IncludeSubDomains { get; }
        public bool IsStar => false;
        public string Address => IncludeSubDomains ? "*." + Domain : Domain;
        public override string ToString() => Address;
    }
    public sealed class AcceptedDomain
    {
        public AcceptedDomain(string name, SmtpDomainWithSubdomains domainName) { Name = name; DomainName = domainName; }
        public string Name { get; }
        public SmtpDomainWithSubdomains DomainName { get; }
        public string DomainType => "Authoritative";
        public bool Default => false;
        public override string ToString() => Name;
    }
    public sealed class SmtpAddress
    {
        public SmtpAddress(string address) { Address = address; }
        public string Address { get; }
        public string Local => Address.Substring(0, Address.IndexOf('@'));
        public string Domain => Address.Substring(Address.IndexOf('@') + 1);
        public bool IsValidAddress => true;
        public override string ToString() => Address;
    }
    public sealed class Mailbox
    {
        public Mailbox(string name, string address) { Name = name; DisplayName = name; PrimarySmtpAddress = new SmtpAddress(address); }
        public string Name { get; }
        public string DisplayName { get; }
        public SmtpAddress PrimarySmtpAddress { get; }
        public override string ToString() => Name;
    }
    public sealed class SmartHost
    {
        public SmartHost(string host) { Address = host; }
        public string Address { get; }
        public bool IsIPAddress => Address.StartsWith("[");
        public override string ToString() => Address;
    }
    public sealed class AddressSpace
    {
        public AddressSpace(string address, int cost) { Address = address; Cost = cost; }
        public string Type => "SMTP";
        public string Address { get; }
        public int Cost { get; }
        public override string ToString() => Type + ":" + Address + ";" + Cost;
    }
    public sealed class SendConnector
    {
        public SendConnector(string name, string[] smartHosts, string[] addressSpaces)
        {
            Name = name;
            SmartHosts = new List<SmartHost>();
            foreach (var h in smartHosts) SmartHosts.Add(new SmartHost(h));
            AddressSpaces = new List<AddressSpace>();
            foreach (var a in addressSpaces) AddressSpaces.Add(new AddressSpace(a, 1));
            Fqdn = "outbound.contoso.example";
        }
        public string Name { get; }
        public List<SmartHost> SmartHosts { get; }
        public List<AddressSpace> AddressSpaces { get; }
        public string Fqdn { get; }
        public bool DNSRoutingEnabled => SmartHosts.Count == 0;
        public override string ToString() => Name;
    }
}
'@
}

function New-AcceptedDomain([string] $Name, [string] $Domain, [switch] $IncludeSubDomains) {
    [Contoso.Exchange.AcceptedDomain]::new($Name, [Contoso.Exchange.SmtpDomainWithSubdomains]::new($Domain, [bool] $IncludeSubDomains))
}
