using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace OSUpgrade.Tests
{
    /// <summary><see cref="OSUpgradeStatus"/> is the header's <c>osu_status</c>, name for name, code for code.</summary>
    public sealed class StatusTests
    {
        [Fact]
        [Trait("Requires", "Posix")] // the header is read by its path in the repository
        public void OSUpgradeStatus_is_the_headers_enum()
        {
            var header = File.ReadAllText(Path.Combine(SourceFixture.RepositoryRoot, "include", "osupgrade.h"));
            var body = Regex.Match(header, @"enum osu_status\b[^{]*\{(?<body>[^}]*)\}").Groups["body"].Value;
            var declared = Regex.Matches(body, @"(?<name>OSU_[A-Z_]+) = (?<code>\d+),")
                .Select(m => (m.Groups["name"].Value, int.Parse(m.Groups["code"].Value)))
                .ToList();
            Assert.NotEmpty(declared);
            var managed = Enum.GetValues<OSUpgradeStatus>().Select(s => (HeaderName(s), (int)s)).ToList();
            Assert.Equal(declared, managed);
        }

        [Fact]
        public void The_library_names_every_status_as_the_header_does()
        {
            Assert.NotEmpty(Site.LibraryVersion); // loads the library
            foreach (var status in Enum.GetValues<OSUpgradeStatus>())
            {
                Assert.Equal(HeaderName(status), Utf8.FromNative(NativeMethods.osu_status_name((int)status)));
            }

            var pastTheLast = Enum.GetValues<OSUpgradeStatus>().Max(s => (int)s) + 1;
            Assert.Equal("OSU_UNKNOWN", Utf8.FromNative(NativeMethods.osu_status_name(pastTheLast)));
        }

        /// <summary><c>NotFound</c> is <c>OSU_NOT_FOUND</c>, <c>IO</c> is <c>OSU_IO</c>.</summary>
        private static string HeaderName(OSUpgradeStatus status) =>
            "OSU_" + Regex.Replace(status.ToString(), "(?<=[a-z])(?=[A-Z])", "_").ToUpperInvariant();
    }
}
