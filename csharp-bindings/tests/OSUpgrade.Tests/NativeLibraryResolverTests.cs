using System;
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
    }
}
