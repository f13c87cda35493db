using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace MailSecurity.Dane
{
    /// <summary>
    /// The certificates available for building a chain from the server certificate (node 0): the rest of the
    /// presented chain in any order, certificates from Full(0) TLSA records, and (generic profile) PKIX trust
    /// anchors. Edges are "issued by" with the signature verified; no platform store is consulted.
    /// </summary>
    /// <remarks>
    /// Written here instead of using X509Chain because X509Chain consults the platform store and network
    /// (AIA fetching) and cannot stop at an arbitrary DANE-TA anchor on netstandard2.0; limits bound the work
    /// a hostile server can cause with long or looping chains.
    /// </remarks>
    internal sealed class CertificateGraph
    {
        internal const int MaxCertificates = 32;
        internal const int MaxDepth = 12;
        private const int MaxPathVisits = 4096;

        private readonly List<CandidateCertificate> _nodes = new List<CandidateCertificate>();
        private readonly List<int>?[] _issuers;

        public CertificateGraph(IReadOnlyList<X509Certificate2> presented, IEnumerable<byte[]> fromDns, IEnumerable<X509Certificate2> pkixAnchors)
        {
            for (var i = 0; i < presented.Count && _nodes.Count < MaxCertificates; i++)
            {
                var cert = presented[i];
                if (cert is null || (i > 0 && IndexOf(cert.RawData) >= 0))
                {
                    continue;
                }

                _nodes.Add(new CandidateCertificate(cert.RawData, cert, i));
            }

            foreach (var der in fromDns)
            {
                var existing = IndexOf(der);
                if (existing >= 0)
                {
                    _nodes[existing].FromDns = true;
                }
                else if (_nodes.Count < MaxCertificates)
                {
                    _nodes.Add(new CandidateCertificate(der, null, -1) { FromDns = true });
                }
            }

            foreach (var anchor in pkixAnchors)
            {
                var existing = IndexOf(anchor.RawData);
                if (existing >= 0)
                {
                    _nodes[existing].IsPkixAnchor = true;
                }
                else if (_nodes.Count < MaxCertificates)
                {
                    _nodes.Add(new CandidateCertificate(anchor.RawData, null, -1) { IsPkixAnchor = true });
                }
            }

            _issuers = new List<int>?[_nodes.Count];
        }

        public IReadOnlyList<CandidateCertificate> Nodes => _nodes;

        public CandidateCertificate Leaf => _nodes[0];

        /// <summary>True for nodes a DANE path may use: presented by the server or taken from a TLSA record.</summary>
        public bool IsDaneAvailable(int index) => _nodes[index].PresentedIndex >= 0 || _nodes[index].FromDns;

        /// <summary>Indices of the nodes that issued (and signed) node <paramref name="index"/>.</summary>
        public IReadOnlyList<int> IssuersOf(int index)
        {
            var list = _issuers[index];
            if (list is null)
            {
                list = new List<int>();
                for (var j = 0; j < _nodes.Count; j++)
                {
                    if (j != index && _nodes[index].IsIssuedBy(_nodes[j]))
                    {
                        list.Add(j);
                    }
                }

                _issuers[index] = list;
            }

            return list;
        }

        /// <summary>
        /// Visits every simple path that starts at the server certificate, shortest first along each branch.
        /// <paramref name="visit"/> returns false to stop extending the current path.
        /// </summary>
        public void Walk(Func<int, bool> admit, Func<IReadOnlyList<int>, bool> visit)
        {
            var path = new List<int> { 0 };
            var onPath = new bool[_nodes.Count];
            onPath[0] = true;
            var budget = MaxPathVisits;
            Extend(path, onPath, admit, visit, ref budget);
        }

        /// <summary>The path from the server certificate through presented certificates only, as far as it goes (longest).</summary>
        public IReadOnlyList<int> LongestPresentedPath()
        {
            IReadOnlyList<int> best = new[] { 0 };
            Walk(i => _nodes[i].PresentedIndex >= 0, p =>
            {
                if (p.Count > best.Count)
                {
                    best = new List<int>(p);
                }

                return true;
            });
            return best;
        }

        /// <summary>Describes a node for messages.</summary>
        public string Describe(int index)
        {
            var n = _nodes[index];
            var origin = n.PresentedIndex >= 0
                ? string.Format(CultureInfo.InvariantCulture, "presented #{0}", n.PresentedIndex)
                : n.FromDns ? "from a TLSA record" : "trust anchor";
            return $"'{n.Subject}' ({origin})";
        }

        private void Extend(List<int> path, bool[] onPath, Func<int, bool> admit, Func<IReadOnlyList<int>, bool> visit, ref int budget)
        {
            if (budget-- <= 0 || !visit(path) || path.Count > MaxDepth)
            {
                return;
            }

            foreach (var issuer in IssuersOf(path[path.Count - 1]))
            {
                if (onPath[issuer] || !admit(issuer))
                {
                    continue;
                }

                path.Add(issuer);
                onPath[issuer] = true;
                Extend(path, onPath, admit, visit, ref budget);
                path.RemoveAt(path.Count - 1);
                onPath[issuer] = false;
            }
        }

        private int IndexOf(byte[] der)
        {
            for (var i = 0; i < _nodes.Count; i++)
            {
                if (CandidateCertificate.Equal(_nodes[i].Der, der))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
