using System.IO;
using System.Reflection;
using Xunit;

namespace OSUpgrade.Tests
{
    /// <summary>What Windows PowerShell 5.1 is answered when it asks for an older shipped assembly.</summary>
    public sealed class ShippedAssembliesTests
    {
        private static readonly string Folder = Path.GetDirectoryName(typeof(System.Text.Json.JsonSerializer).Assembly.Location)!;

        [Fact]
        public void An_older_version_with_the_same_key_is_answered_with_the_shipped_file()
        {
            var found = ShippedAssemblies.Find(Folder, new AssemblyName("System.Text.Json, Version=4.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"));
            Assert.Equal(Path.Combine(Folder, "System.Text.Json.dll"), found);
        }

        [Fact]
        public void A_newer_version_another_key_or_a_missing_file_is_left_alone()
        {
            Assert.Null(ShippedAssemblies.Find(Folder, new AssemblyName("System.Text.Json, Version=99.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")));
            Assert.Null(ShippedAssemblies.Find(Folder, new AssemblyName("System.Text.Json, Version=4.0.0.0, Culture=neutral, PublicKeyToken=0000000000000000")));
            Assert.Null(ShippedAssemblies.Find(Folder, new AssemblyName("Not.Shipped, Version=1.0.0.0")));
        }
    }
}
