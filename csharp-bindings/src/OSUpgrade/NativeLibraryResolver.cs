using System;
using System.Collections.Generic;
using System.ComponentModel;
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
                // Not osupgrade.dll: Windows file names ignore case, and that would be this
                // assembly's (OSUpgrade.dll) namesake in one folder.
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    return "libosupgrade.dll";
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

        /// <summary>
        /// The library is there but the system cannot load it. Windows says only "module not
        /// found" or "procedure not found", so on Windows this names the DLLs it imports that
        /// cannot be loaded: the SQLite that ships beside it, or the system's.
        /// </summary>
        internal static DllNotFoundException CannotLoad(string library, string reason)
        {
            var detail = reason.TrimEnd('.', ' ', '\r', '\n');
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                var missing = MissingImports(library);
                var shipped = missing.FindAll(IsShippedBeside);
                var system = missing.FindAll(import => !IsShippedBeside(import));
                detail = shipped.Count > 0
                    ? $"{string.Join(", ", shipped)}, which comes with it, is missing beside it ({detail})"
                    : system.Count > 0
                        ? $"it needs {string.Join(", ", system)}, which this system does not have ({detail}). {WindowsRequirement}"
                        : $"{detail}. {WindowsRequirement}";
            }

            return new DllNotFoundException($"OSUpgrade's native library {library} could not be loaded: {detail}.");
        }

        // Rust's standard library needs Windows 10's bcryptprimitives.dll (ProcessPrng): on
        // Windows 8.1 the DLL is missing or, where something put one there, the function.
        /// <summary>The SQLite the Windows library links, shipped beside it.</summary>
        private const string SqliteFileName = "e_sqlite3.dll";

        private const string WindowsRequirement = "OSUpgrade runs on Windows 10, Windows Server 2016 and later";

        private static bool IsShippedBeside(string import) =>
            string.Equals(import, SqliteFileName, StringComparison.OrdinalIgnoreCase);

        private static List<string> MissingImports(string library)
        {
            var folder = Path.GetDirectoryName(library) ?? string.Empty;
            var missing = new List<string>();
            foreach (var import in WindowsImports.Read(library))
            {
                if (!File.Exists(Path.Combine(folder, import)) && !CanLoad(import))
                {
                    missing.Add(import);
                }
            }

            return missing;
        }

        private static bool CanLoad(string systemLibrary)
        {
#if NET
            return NativeLibrary.TryLoad(systemLibrary, out _);
#else
            return LoadLibraryW(systemLibrary) != IntPtr.Zero;
#endif
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
                    LoadSqliteBeside(candidate);
                    try
                    {
                        return NativeLibrary.Load(candidate);
                    }
                    catch (DllNotFoundException e)
                    {
                        throw CannotLoad(candidate, e.Message);
                    }
                }
            }

            if (NativeLibrary.TryLoad(FileName, assembly, searchPath, out var handle))
            {
                return handle;
            }

            throw NotFound();
        }
#else
        [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryW(string path);

        // .NET Framework has no resolver hook; a library loaded by full path first is the one
        // DllImport("libosupgrade") then binds to.
        private static void PreloadOnWindows()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return;
            }

            foreach (var candidate in CandidatePaths())
            {
                if (File.Exists(candidate))
                {
                    LoadSqliteBeside(candidate);
                    if (LoadLibraryW(candidate) == IntPtr.Zero)
                    {
                        throw CannotLoad(candidate, new Win32Exception(Marshal.GetLastWin32Error()).Message);
                    }

                    return;
                }
            }
        }
#endif

        /// <summary>
        /// On Windows the library links e_sqlite3.dll, shipped beside it; Windows looks for a
        /// library's dependencies beside the program, not beside the library, so it is loaded
        /// from there first (a library already loaded by that name is the one the link binds to).
        /// </summary>
        private static void LoadSqliteBeside(string library)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return;
            }

            var sqlite = Path.Combine(Path.GetDirectoryName(library) ?? string.Empty, SqliteFileName);
            if (File.Exists(sqlite))
            {
#if NET
                NativeLibrary.TryLoad(sqlite, out _);
#else
                LoadLibraryW(sqlite);
#endif
            }
        }
    }
}
