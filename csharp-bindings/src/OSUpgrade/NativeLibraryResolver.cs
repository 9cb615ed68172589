using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace OSUpgrade
{
    /// <summary>
    /// Finds the native library: the file <see cref="OverrideVariable"/> names, else beside this
    /// assembly (the build tree, the PowerShell module's folder), else under
    /// <c>runtimes/&lt;rid&gt;/native/</c> beside it (a NuGet package's layout), else the runtime's own search.
    /// </summary>
    internal static class NativeLibraryResolver
    {
        /// <summary>Names the native library's full path, for development.</summary>
        internal const string OverrideVariable = "OSUPGRADE_NATIVE_LIBRARY";

        private static int registered;

        internal static string FileName
        {
            get
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    return "osupgrade.dll";
                }

                return RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "libosupgrade.dylib" : "libosupgrade.so";
            }
        }

        /// <summary>Installs the search once per process, before the first native call.</summary>
        internal static void EnsureRegistered()
        {
            if (Interlocked.Exchange(ref registered, 1) == 1)
            {
                return;
            }
#if NET
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
#else
            PreloadOnWindows();
#endif
        }

        /// <summary>Where the library is looked for, in order.</summary>
        internal static IReadOnlyList<string> CandidatePaths()
        {
            var overridden = Environment.GetEnvironmentVariable(OverrideVariable);
            if (!string.IsNullOrEmpty(overridden))
            {
                return new[] { overridden! };
            }

            var assemblyFolder = Path.GetDirectoryName(typeof(NativeLibraryResolver).Assembly.Location) ?? string.Empty;
            return new[]
            {
                Path.Combine(assemblyFolder, FileName),
                Path.Combine(assemblyFolder, "runtimes", RuntimeIdentifier, "native", FileName),
            };
        }

        internal static DllNotFoundException NotFound(string? detail = null)
        {
            return new DllNotFoundException(
                $"OSUpgrade's native library ({FileName}) was not found. Looked at: {string.Join(", ", CandidatePaths())}, " +
                $"then the system's search path.{(detail == null ? string.Empty : " " + detail)} " +
                $"Set {OverrideVariable} to its full path to use another build.");
        }

        private static string RuntimeIdentifier
        {
            get
            {
                var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                    : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx" : "linux";
                return os + "-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
            }
        }

#if NET
        private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (libraryName != NativeMethods.LibraryName)
            {
                return IntPtr.Zero;
            }

            foreach (var candidate in CandidatePaths())
            {
                if (File.Exists(candidate))
                {
                    return NativeLibrary.Load(candidate);
                }
            }

            if (NativeLibrary.TryLoad(libraryName, assembly, searchPath, out var handle))
            {
                return handle;
            }

            throw NotFound();
        }
#else
        [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryW(string path);

        // .NET Framework has no resolver hook; a library loaded by full path first is the one
        // DllImport("osupgrade") then binds to.
        private static void PreloadOnWindows()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return;
            }

            foreach (var candidate in CandidatePaths())
            {
                if (File.Exists(candidate) && LoadLibraryW(candidate) != IntPtr.Zero)
                {
                    return;
                }
            }
        }
#endif
    }
}
