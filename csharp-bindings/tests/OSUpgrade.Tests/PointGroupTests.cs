using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace OSUpgrade.Tests
{
    public sealed class PointGroupTests : IClassFixture<SourceFixture>, IDisposable
    {
        private readonly Scratch scratch = new Scratch();
        private readonly Site site;
        private readonly UpgradePackage package;

        public PointGroupTests(SourceFixture sources)
        {
            site = Site.Create(scratch["site"]);
            package = site.AddPackage(sources.Good, "Windows 10 22H2", "1");
        }

        public void Dispose()
        {
            site.Dispose();
            scratch.Dispose();
        }

        private string Point(string name)
        {
            var path = scratch[Path.Combine("points", name)];
            site.AddDistributionPoint(name, path);
            return path;
        }

        [Fact]
        public async Task A_group_gives_its_packages_to_every_point_and_to_points_that_join_later()
        {
            var dp1 = Point("DP1");
            var dp2 = Point("DP2");
            var group = site.CreateDistributionPointGroup("Branches", "branch offices");
            Assert.Empty(group.Members);

            site.AddDistributionPointsToGroup("branches", new[] { "DP1" });
            var statuses = await site.DistributeContentToGroupAsync(new[] { package.Id }, "Branches");
            Assert.Equal("DP1", Assert.Single(statuses).DistributionPoint);

            var reports = new RecordingProgress();
            var joined = site.AddDistributionPointsToGroup("Branches", new[] { "dp2" }, progress: reports);
            Assert.Equal((DistributionState.Installed, "DP2"), (Assert.Single(joined).State, joined[0].DistributionPoint));
            Assert.All(reports.Reports, r => Assert.Equal(Environment.CurrentManagedThreadId, r.ThreadId));
            Assert.True(File.Exists(Path.Combine(dp2, package.Id, "setup.exe")));

            group = site.GetDistributionPointGroup("BRANCHES");
            Assert.Equal(new[] { "DP1", "DP2" }, group.Members);
            Assert.Equal(new[] { package.Id }, group.PackageIds);
            Assert.Equal(site.GetInfo().DatabasePath, group.SitePath);

            File.WriteAllText(Path.Combine(dp1, package.Id, "setup.exe"), "tampered");
            var validation = site.ValidateContentOnGroup("Branches");
            Assert.Equal(2, validation.Count);
            Assert.Equal("DP1", Assert.Single(validation, r => !r.Valid).DistributionPoint);

            site.RemoveContentFromGroup(package.Id, "Branches");
            Assert.False(Directory.Exists(Path.Combine(dp2, package.Id)));
            Assert.Empty(site.GetDistributionStatus(package.Id));
        }

        [Fact]
        public void Groups_are_renamed_emptied_and_removed_and_say_what_is_wrong()
        {
            Point("DP1");
            var created = site.CreateDistributionPointGroup("G1");
            Assert.Matches("^\\{[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\\}$", created.Id);
            Assert.Throws<OSUpgradeConflictException>(() => site.CreateDistributionPointGroup("g1"));
            var wildcard = Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.CreateDistributionPointGroup("G*"));
            Assert.Contains("G*", wildcard.Message);
            Assert.Throws<OSUpgradeNotFoundException>(() => site.AddDistributionPointsToGroup("G1", new[] { "DP9" }));
            Assert.Throws<OSUpgradeNotFoundException>(() => site.RemoveContentFromGroup(package.Id, "G1"));
            var notCarried = Assert.Throws<OSUpgradeNotFoundException>(() => site.ValidateContentOnGroup("g1", package.Id));
            Assert.Contains("is not distributed to distribution point group 'G1'", notCarried.Message);
            Assert.Throws<ArgumentNullException>(() => site.DistributeContentToGroup(null!, "G1"));

            Assert.Empty(site.AddDistributionPointsToGroup("G1", new[] { "DP1" }));
            Assert.Throws<OSUpgradeNotFoundException>(() => site.RemoveDistributionPointsFromGroup("G1", new[] { "DP2" }));
            Assert.Empty(site.RemoveDistributionPointsFromGroup("G1", new[] { "dp1" }).Members);
            var renamed = site.SetDistributionPointGroup("G1", newName: "Offices", description: "all offices");
            Assert.Equal(("Offices", "all offices", created.Id), (renamed.Name, renamed.Description, renamed.Id));
            Assert.Equal("Offices", Assert.Single(site.GetDistributionPointGroups()).Name);
            site.RemoveDistributionPointGroup("offices");
            Assert.Empty(site.GetDistributionPointGroups());
            Assert.Throws<OSUpgradeNotFoundException>(() => site.GetDistributionPointGroup("Offices"));
        }
    }
}
