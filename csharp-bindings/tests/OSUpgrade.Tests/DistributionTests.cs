using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;

namespace OSUpgrade.Tests
{
    public sealed class DistributionTests : IClassFixture<SourceFixture>, IDisposable
    {
        private readonly SourceFixture sources;
        private readonly Scratch scratch = new Scratch();
        private readonly Site site;
        private readonly UpgradePackage package;

        public DistributionTests(SourceFixture sources)
        {
            this.sources = sources;
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
            site.AddDistributionPoint(name, path, "test point");
            return path;
        }

        [Fact]
        public void Points_are_added_listed_renamed_and_removed()
        {
            var path = Point("DP1");
            var point = site.GetDistributionPoint("dp1");
            Assert.Equal(("DP1", path, "test point"), (point.Name, point.Path, point.Description));
            Assert.Single(site.GetDistributionPoints());
            Assert.Equal("Branch-01", site.SetDistributionPoint("DP1", newName: "Branch-01").Name);
            site.RemoveDistributionPoint("Branch-01");
            Assert.Empty(site.GetDistributionPoints());
            Assert.Throws<OSUpgradeNotFoundException>(() => site.GetDistributionPoint("Branch-01"));
        }

        [Fact]
        public void Bad_points_are_refused_with_the_right_exception()
        {
            var relative = Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.AddDistributionPoint("DP1", "relative/dp1"));
            Assert.Contains("relative/dp1", relative.Message);
            Point("DP1");
            Assert.Throws<OSUpgradeConflictException>(() => site.AddDistributionPoint("dp1", scratch["other"]));
            Assert.Throws<OSUpgradeNotFoundException>(() => site.DistributeContent(new[] { package.Id }, new[] { "DP9" }));
            var workers = Assert.Throws<OSUpgradeInvalidArgumentException>(
                () => site.DistributeContent(new[] { package.Id }, new[] { "DP1" }, new DistributeOptions { Workers = 0 }));
            Assert.Equal("options", workers.ParamName);
            var empty = Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.DistributeContent(Array.Empty<string>(), new[] { "DP1" }));
            Assert.Equal("packageIds", empty.ParamName);
            Assert.StartsWith("package_ids", empty.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Distributing_lands_the_package_and_reports_progress_on_the_calling_thread()
        {
            var path = Point("DP1");
            Point("DP2");
            var reports = new System.Collections.Generic.List<(OSUpgradeProgress Report, int Thread)>();
            var progress = new SynchronousProgress<OSUpgradeProgress>(p => reports.Add((p, Environment.CurrentManagedThreadId)));

            var statuses = site.DistributeContent(new[] { package.Id }, new[] { "DP1", "DP2" }, new DistributeOptions { Workers = 2 }, progress);

            Assert.Equal(2, statuses.Count);
            Assert.All(statuses, s => Assert.Equal(DistributionState.Installed, s.State));
            Assert.All(statuses, s => Assert.Equal(1, s.InstalledContentVersion));
            Assert.True(File.Exists(Path.Combine(path, package.Id, "setup.exe")));
            Assert.NotEmpty(reports);
            Assert.All(reports, r => Assert.Equal(Environment.CurrentManagedThreadId, r.Thread));
            Assert.Contains(reports, r => r.Report.DistributionPoint == "DP2");
            Assert.All(reports, r => Assert.Equal((OSUpgradeOperation.Distribute, OSUpgradePhase.Copying, package.Id, 2L), (r.Report.Operation, r.Report.Phase, r.Report.PackageId, r.Report.JobsTotal)));
            var summary = Assert.Single(site.GetDistributionSummaries(package.Id));
            Assert.Equal((2L, 2L, 0L), (summary.Targeted, summary.Installed, summary.Failed));
        }

        [Fact]
        public void Validation_names_the_altered_file_and_redistribution_repairs_it()
        {
            var path = Point("DP1");
            site.DistributeContent(new[] { package.Id }, new[] { "DP1" });
            File.WriteAllText(Path.Combine(path, package.Id, "sources", "ei.cfg"), "[EditionID]\nTampered\n");

            var report = site.ValidateContent(package.Id, "DP1");
            Assert.False(report.Valid);
            Assert.Equal(new[] { "sources/ei.cfg" }, report.Altered);
            Assert.Empty(report.Missing);
            Assert.Empty(report.Unexpected);
            var failed = Assert.Single(site.GetDistributionStatus(package.Id, "DP1"));
            Assert.Equal(DistributionState.Failed, failed.State);
            Assert.Contains("sources/ei.cfg", failed.LastError);

            var repaired = Assert.Single(site.RedistributeContent(package.Id));
            Assert.Equal((DistributionState.Installed, 1L), (repaired.State, repaired.FilesCopied));
            Assert.True(site.ValidateContent(package.Id, "DP1").Valid);
        }

        [Fact]
        public void A_reloaded_source_becomes_a_new_content_version_on_the_points()
        {
            var source = sources.MakeSource("reloadable");
            var reloadable = site.AddPackage(source, "Reloadable", "1");
            var path = Point("DP1");
            site.DistributeContent(new[] { reloadable.Id }, new[] { "DP1" });
            File.WriteAllText(Path.Combine(source, "sources", "new-file.txt"), "version 2");

            var reloaded = site.ReloadPackageContent(reloadable.Id);
            Assert.Equal(2, reloaded.ContentVersion);
            var status = Assert.Single(site.RedistributeContent(reloadable.Id));
            Assert.Equal((2L, 1L), (status.InstalledContentVersion ?? 0, status.FilesCopied));
            Assert.Equal("version 2", File.ReadAllText(Path.Combine(path, reloadable.Id, "sources", "new-file.txt")));
        }

        [Fact]
        public void A_changed_large_image_reaches_the_point_by_the_chunks_that_changed()
        {
            var source = sources.MakeSource("large-image", "--small-files", "5", "--image-mib", "24");
            var large = site.AddPackage(source, "Large", "1");
            Point("DP1");
            site.DistributeContent(new[] { large.Id }, new[] { "DP1" });
            // Servicing appends to an image: a mebibyte more at the end of this one.
            var appended = new byte[1 << 20];
            new Random(7).NextBytes(appended);
            using (var image = new FileStream(Path.Combine(source, "sources", "install.wim"), FileMode.Append))
            {
                image.Write(appended, 0, appended.Length);
            }

            site.ReloadPackageContent(large.Id);
            var reports = new List<OSUpgradeProgress>();
            var status = Assert.Single(site.RedistributeContent(large.Id, progress: new SynchronousProgress<OSUpgradeProgress>(reports.Add)));
            Assert.Equal(DistributionState.Installed, status.State);
            Assert.InRange(status.BytesCopied, 1, 3L << 20);
            Assert.InRange(status.BytesReused, 20L << 20, 26L << 20);
            Assert.Equal(status.BytesReused, reports.Last().BytesReused);
            Assert.Equal(status.BytesReused, site.GetDistributionStatus(large.Id, "DP1").Single().BytesReused);
            Assert.True(site.ValidateContent(large.Id, "DP1").Valid);
        }

        [Fact]
        public void Cancelling_distribution_throws_and_leaves_the_point_without_the_package()
        {
            var path = Point("DP1");
            using var cancellation = new CancellationTokenSource();
            var progress = new SynchronousProgress<OSUpgradeProgress>(_ => cancellation.Cancel());
            Assert.ThrowsAny<OperationCanceledException>(
                () => site.DistributeContent(new[] { package.Id }, new[] { "DP1" }, progress: progress, cancellationToken: cancellation.Token));
            Assert.False(File.Exists(Path.Combine(path, ".osupgrade", package.Id + ".json")));
            Assert.Equal(DistributionState.Failed, site.GetDistributionStatus(package.Id).Single().State);
        }

        [Fact]
        public void Content_and_points_are_removed_and_a_point_with_content_needs_force()
        {
            var path = Point("DP1");
            site.DistributeContent(new[] { package.Id }, new[] { "DP1" });
            Assert.Throws<OSUpgradeConflictException>(() => site.RemoveDistributionPoint("DP1"));
            site.RemoveContent(package.Id, "DP1");
            Assert.False(Directory.Exists(Path.Combine(path, package.Id)));
            Assert.Throws<OSUpgradeNotFoundException>(() => site.RemoveContent(package.Id, "DP1"));
            site.DistributeContent(new[] { package.Id }, new[] { "DP1" });
            site.RemoveDistributionPoint("DP1", force: true);
            Assert.False(Directory.Exists(Path.Combine(path, package.Id)));
        }

        [Fact]
        public void Validating_while_another_process_changes_the_package_there_is_busy()
        {
            var path = Point("DP1");
            site.DistributeContent(new[] { package.Id }, new[] { "DP1" });
            using (new OtherProcessLock(Path.Combine(path, ".osupgrade", package.Id + ".lock")))
            {
                var error = Assert.Throws<OSUpgradeBusyException>(() => site.ValidateContent(package.Id, "DP1"));
                Assert.Equal(OSUpgradeStatus.Busy, error.Status);
                Assert.Contains("another process", error.Message);
            }

            Assert.True(site.ValidateContent(package.Id, "DP1").Valid);
        }

        [Fact]
        public void A_damaged_library_blob_fails_the_job_with_the_file_named()
        {
            var source = sources.MakeSource("damaged");
            var damaged = site.AddPackage(source, "Damaged", "1");
            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(source, "sources", "ei.cfg")))).ToLowerInvariant();
            File.WriteAllText(Path.Combine(scratch["site"], "files", hash.Substring(0, 2), hash), "tampered");
            Point("DP1");
            var status = Assert.Single(site.DistributeContent(new[] { damaged.Id }, new[] { "DP1" }));
            Assert.Equal(DistributionState.Failed, status.State);
            Assert.Contains("sources/ei.cfg", status.LastError);
            Assert.Equal(OSUpgradeStatus.DamagedContent, status.LastErrorStatus);
            var exception = Assert.IsType<OSUpgradeDamagedContentException>(status.GetLastErrorException());
            Assert.Equal(status.LastError, exception.Message);
        }

        [Fact]
        public void Distributing_while_another_process_changes_the_package_there_is_refused_and_its_status_kept()
        {
            var path = Point("DP1");
            var before = Assert.Single(site.DistributeContent(new[] { package.Id }, new[] { "DP1" }));
            Assert.Null(before.GetLastErrorException());
            using (new OtherProcessLock(Path.Combine(path, ".osupgrade", package.Id + ".lock")))
            {
                var error = Assert.Throws<OSUpgradeBusyException>(() => site.DistributeContent(new[] { package.Id }, new[] { "DP1" }));
                Assert.Contains("another process", error.Message);
            }

            var after = Assert.Single(site.GetDistributionStatus(package.Id, "DP1"));
            Assert.Equal((before.State, before.ModifiedAt), (after.State, after.ModifiedAt));
        }

        // Wine makes a symbolic link a Unix link, not a reparse point its own file functions see.
        [Fact]
        [Trait("Requires", "Posix")]
        public void Validation_reports_a_link_planted_in_the_package_folder_without_following_it()
        {
            var path = Point("DP1");
            site.DistributeContent(new[] { package.Id }, new[] { "DP1" });
            var outside = scratch["outside"];
            Directory.CreateDirectory(outside);
            var linked = Path.Combine(path, package.Id, "support");
            Directory.Delete(linked, recursive: true);
            Directory.CreateSymbolicLink(linked, outside);

            var report = site.ValidateContent(package.Id, "DP1");
            Assert.False(report.Valid);
            Assert.Equal(new[] { "support" }, report.Links);

            site.RedistributeContent(package.Id);
            Assert.True(site.ValidateContent(package.Id, "DP1").Valid);
            Assert.Empty(Directory.GetFileSystemEntries(outside));
        }
    }
}
