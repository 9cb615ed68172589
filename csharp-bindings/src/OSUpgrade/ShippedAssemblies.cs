using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace OSUpgrade
{
    /// <summary>
    /// Answers .NET Framework's requests for older versions of the assemblies shipped beside this
    /// one. Windows PowerShell 5.1 has no binding redirects for them, and the netstandard2.0 set
    /// asks for versions older than it ships (System.Memory wants System.Buffers 4.0.2.0 and
    /// System.Runtime.CompilerServices.Unsafe 4.0.4.1 where 4.0.3.0 and 6.0.0.0 ship): the load
    /// would fail (dotnet/runtime#66232). .NET Core and later bind to the newer version by
    /// themselves: there nothing is registered (and only <see cref="Find"/> is built, for the tests).
    /// </summary>
    internal static class ShippedAssemblies
    {
#if !NET
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void Register()
        {
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                AppDomain.CurrentDomain.AssemblyResolve += (_, request) =>
                {
                    var path = Find(FolderOfThisAssembly, new AssemblyName(request.Name));
                    return path == null ? null : Assembly.LoadFrom(path);
                };
            }
        }

        private static string FolderOfThisAssembly => Path.GetDirectoryName(typeof(ShippedAssemblies).Assembly.Location) ?? string.Empty;
#endif

        /// <summary>
        /// The shipped file that may stand for <paramref name="requested"/>: the same name and
        /// public key, and a version at least the one asked for; else null.
        /// </summary>
        internal static string? Find(string folder, AssemblyName requested)
        {
            var path = Path.Combine(folder, requested.Name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            var shipped = AssemblyName.GetAssemblyName(path);
            var sameKey = Convert.ToBase64String(shipped.GetPublicKeyToken() ?? Array.Empty<byte>())
                == Convert.ToBase64String(requested.GetPublicKeyToken() ?? Array.Empty<byte>());
            var newEnough = requested.Version == null || (shipped.Version != null && shipped.Version >= requested.Version);
            return sameKey && newEnough ? path : null;
        }
    }
}

#if !NET
namespace System.Runtime.CompilerServices
{
    /// <summary>The C# compiler's module initializer marker, which netstandard2.0 lacks.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    internal sealed class ModuleInitializerAttribute : Attribute
    {
    }
}
#endif
