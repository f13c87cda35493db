using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
#if NET8_0_OR_GREATER
using System.Runtime.Loader;
#endif

namespace MailSecurity.Commands
{
    /// <summary>
    /// Isolates the module's dependencies (its core, MailKit, MimeKit, DnsClient, BouncyCastle) from other
    /// modules that ship other versions of them. They live in <c>Dependencies/</c> next to this assembly, where
    /// PowerShell's own probing does not look. On PowerShell 7 they load into a private AssemblyLoadContext;
    /// on Windows PowerShell 5.1 an AssemblyResolve handler loads them from that folder.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const string CoreAssemblyName = "MailSecurity";

        private static readonly string DependencyDirectory =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "Dependencies");

#if NET8_0_OR_GREATER
        private static readonly DependencyLoadContext Context = new DependencyLoadContext(DependencyDirectory);

        /// <summary>Hooks the default context so that the core's dependencies come from the private context.</summary>
        public void OnImport()
        {
            AssemblyLoadContext.Default.Resolving += ResolveCore;
            // Load the (small) core now so its type names resolve in scripts right after Import-Module, e.g.
            // [MailSecurity.Severity]::Error; MailKit, MimeKit and BouncyCastle still load only when first used.
            _ = Assembly.Load(new AssemblyName(CoreAssemblyName));
        }

        /// <summary>Unhooks the handler.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveCore;

        private static Assembly? ResolveCore(AssemblyLoadContext defaultContext, AssemblyName name)
        {
            if (string.Equals(name.Name, CoreAssemblyName, StringComparison.Ordinal))
            {
                // The core (whose result types users name in scripts, e.g. [MailSecurity.Severity]) loads in the
                // default context so PowerShell can resolve its type names; only its dependencies are isolated.
                return defaultContext.LoadFromAssemblyPath(Path.Combine(DependencyDirectory, CoreAssemblyName + ".dll"));
            }

            // A dependency of the core (MailKit, MimeKit, DnsClient, BouncyCastle...): our private copy, even when
            // another module already loaded a different version into the default context.
            var path = Path.Combine(DependencyDirectory, name.Name + ".dll");
            return File.Exists(path) ? Context.LoadFromAssemblyName(name) : null;
        }

        private sealed class DependencyLoadContext : AssemblyLoadContext
        {
            private readonly string _directory;
            private readonly System.Collections.Generic.HashSet<string> _platform;

            public DependencyLoadContext(string directory)
                : base("MailSecurity.Dependencies", isCollectible: false)
            {
                _directory = directory;
                // Assemblies the runtime or PowerShell itself ships (the TPA list) are shared, not isolated:
                // their copies are at least as new as ours and their types must be the same as the caller's.
                _platform = new System.Collections.Generic.HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
                foreach (var file in tpa.Split(Path.PathSeparator))
                {
                    if (file.Length > 0)
                    {
                        _platform.Add(Path.GetFileNameWithoutExtension(file));
                    }
                }
            }

            protected override Assembly? Load(AssemblyName assemblyName)
            {
                var simpleName = assemblyName.Name ?? string.Empty;
                if (_platform.Contains(simpleName))
                {
                    return null;
                }

                var path = Path.Combine(_directory, simpleName + ".dll");
                return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }
        }
#else
        /// <summary>Installs the AssemblyResolve handler for Windows PowerShell 5.1 and loads the core.</summary>
        public void OnImport()
        {
            AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;
            _ = Assembly.Load(new AssemblyName(CoreAssemblyName));
        }

        /// <summary>Removes the handler.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            var path = Path.Combine(DependencyDirectory, name.Name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            // .NET Framework binds strong-named assemblies by full name, so a module that loaded another
            // version keeps its own; we hand out ours only when the runtime asks for exactly this file's version.
            var candidate = AssemblyName.GetAssemblyName(path);
            if (name.Version != null && candidate.Version != null && candidate.Version < name.Version)
            {
                return null;
            }

            return Assembly.LoadFrom(path);
        }
#endif
    }
}
