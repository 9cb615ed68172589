using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Runtime.InteropServices;
using Xunit;

namespace OSUpgrade.Tests
{
    public sealed class NativeLibraryResolverTests
    {
        [Fact]
        public void The_library_is_looked_for_beside_the_assembly_then_under_runtimes()
        {
            var candidates = NativeLibraryResolver.CandidatePaths();
            // On Windows not osupgrade.dll, the namesake of the assembly OSUpgrade.dll there.
            var expected = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "libosupgrade.dll" : "libosupgrade.so";
            Assert.EndsWith(expected, candidates[0]);
            Assert.EndsWith(System.IO.Path.Combine("runtimes", expected.EndsWith(".dll") ? "win-x64" : "linux-x64", "native", expected), candidates[1]);
        }

        [Fact]
        public void The_override_variable_names_the_only_candidate_and_the_error_names_it()
        {
            var previous = Environment.GetEnvironmentVariable(NativeLibraryResolver.OverrideVariable);
            try
            {
                Environment.SetEnvironmentVariable(NativeLibraryResolver.OverrideVariable, "/nowhere/libosupgrade.so");
                Assert.Equal(new[] { "/nowhere/libosupgrade.so" }, NativeLibraryResolver.CandidatePaths());
                var error = NativeLibraryResolver.NotFound();
                Assert.Contains("/nowhere/libosupgrade.so", error.Message);
                Assert.Contains(NativeLibraryResolver.OverrideVariable, error.Message);
            }
            finally
            {
                Environment.SetEnvironmentVariable(NativeLibraryResolver.OverrideVariable, previous);
            }
        }

        [Fact]
        public void A_library_that_needs_a_missing_system_library_is_refused_naming_it()
        {
            // A copy of the real library whose import of a system library names one no system has.
            var (needed, lacking) = OperatingSystem.IsWindows()
                ? ("bcryptprimitives.dll", "bcryptprimitivez.dll")
                : ("libgcc_s.so.1", "libgcc_z.so.1");
            using var scratch = new Scratch();
            var library = scratch[NativeLibraryResolver.FileName];
            var original = NativeLibraryResolver.CandidatePaths().First(File.Exists);
            var image = File.ReadAllBytes(original);
            ReplaceEverywhere(image, needed, lacking);
            File.WriteAllBytes(library, image);
            // On Windows the SQLite it links comes beside it.
            var sqlite = Path.Combine(Path.GetDirectoryName(original)!, "e_sqlite3.dll");
            if (File.Exists(sqlite))
            {
                File.Copy(sqlite, scratch["e_sqlite3.dll"]);
            }

            var said = OpenSiteInOtherProcess(library, scratch["site"]);

            Assert.StartsWith("System.DllNotFoundException: OSUpgrade's native library", said);
            Assert.Contains(library, said);
            // Windows says only "module not found"; the error names the module.
            Assert.Contains(OperatingSystem.IsWindows() ? $"it needs {lacking}, which this system does not have" : lacking, said);
            Assert.False(Directory.Exists(scratch["site"]));
            if (File.Exists(scratch["e_sqlite3.dll"]))
            {
                // What comes with the library is not the system's to lack.
                File.Delete(scratch["e_sqlite3.dll"]);
                Assert.Contains("e_sqlite3.dll, which comes with it, is missing beside it", OpenSiteInOtherProcess(library, scratch["site"]));
            }
        }

        private static string OpenSiteInOtherProcess(string library, string site)
        {
            var start = ThisProgram.StartInfo();
            start.ArgumentList.Add(Program.OpenSiteArgument);
            start.ArgumentList.Add(site);
            start.Environment[NativeLibraryResolver.OverrideVariable] = library;
            start.RedirectStandardOutput = true;
            using var process = System.Diagnostics.Process.Start(start)!;
            var said = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return said;
        }

        private static void ReplaceEverywhere(byte[] image, string name, string replacement)
        {
            var found = Encoding.ASCII.GetBytes(name);
            var places = Enumerable.Range(0, image.Length - found.Length)
                .Where(i => image.AsSpan(i, found.Length).SequenceEqual(found)).ToList();
            Assert.NotEmpty(places);
            places.ForEach(at => Encoding.ASCII.GetBytes(replacement).CopyTo(image, at));
        }

        [Fact]
        public void The_imports_of_a_windows_library_are_read_from_its_import_directory()
        {
            var library = Directory.EnumerateFiles(AppContext.BaseDirectory, "libosupgrade.dll", SearchOption.AllDirectories).FirstOrDefault();
            Assert.SkipWhen(library == null, "no Windows build of the library beside the tests (./build.sh windows)");

            var imports = WindowsImports.Read(library!);

            Assert.Contains("e_sqlite3.dll", imports);
            Assert.Contains("bcryptprimitives.dll", imports);
            Assert.Contains("KERNEL32.dll", imports, StringComparer.OrdinalIgnoreCase);
            Assert.Empty(WindowsImports.Read(Encoding.ASCII.GetBytes("MZ not a library")));
        }
    }
}
