using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace OSUpgrade.Tests
{
    public sealed class SiteTests : IClassFixture<SourceFixture>, IDisposable
    {
        private readonly SourceFixture sources;
        private readonly Scratch scratch = new Scratch();

        public SiteTests(SourceFixture sources)
        {
            this.sources = sources;
        }

        public void Dispose() => scratch.Dispose();

        private Site OpenSite(string name = "site") =>
            File.Exists(Path.Combine(scratch[name], "site.db")) ? Site.Open(scratch[name]) : Site.Create(scratch[name]);

        [Fact]
        public void The_library_version_is_the_native_crates_version()
        {
            Assert.Equal("0.1.0", Site.LibraryVersion);
        }

        [Fact]
        public async Task The_long_operations_have_task_forms_that_report_progress_and_cancel()
        {
            using var site = OpenSite();
            var reports = 0;
            var package = await site.AddPackageAsync(sources.Good, "Windows 10 22H2", "async",
                progress: new SynchronousProgress<OSUpgradeProgress>(_ => Interlocked.Increment(ref reports)));
            Assert.Equal("OSU00001", package.Id);
            Assert.True(reports > 0);
            site.AddDistributionPoint("DP1", scratch["dp1"]);
            var statuses = await site.DistributeContentAsync(new[] { package.Id }, new[] { "DP1" });
            Assert.Equal(DistributionState.Installed, statuses.Single().State);
            Assert.True((await site.ValidateContentAsync(package.Id, "DP1")).Valid);
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => site.AddPackageAsync(sources.Other, "Cancelled", cancellationToken: cancelled.Token));
            using var midway = new CancellationTokenSource();
            var stopping = new SynchronousProgress<OSUpgradeProgress>(p => { if (p.FilesDone > 10) midway.Cancel(); });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => site.AddPackageAsync(sources.Other, "Cancelled", progress: stopping, cancellationToken: midway.Token));
            Assert.Single(site.GetPackages());
        }

        [Fact]
        public void Failures_are_the_dotnet_exceptions_a_caller_catches_with_their_status()
        {
            using var site = OpenSite();
            var missing = Assert.Throws<OSUpgradeNotFoundException>(() => site.GetPackage("OSU0FFFF"));
            Assert.IsAssignableFrom<System.Collections.Generic.KeyNotFoundException>(missing);
            Assert.Equal(OSUpgradeStatus.NotFound, ((IOSUpgradeException)missing).Status);
            var refused = Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.AddPackage(scratch.Path, "No source"));
            Assert.IsAssignableFrom<ArgumentException>(refused);
            Assert.Equal("sourcePath", refused.ParamName);
            Assert.StartsWith("source_path: ", refused.Message);
            Assert.DoesNotContain("(Parameter", refused.Message);
            site.AddPackage(sources.Good, "Windows 10", "1");
            var taken = Assert.Throws<OSUpgradeConflictException>(() => site.AddPackage(sources.Good, "Windows 10", "1"));
            Assert.IsAssignableFrom<InvalidOperationException>(taken);
            var file = scratch["a-file"];
            File.WriteAllText(file, "not a folder");
            var notFolder = Assert.ThrowsAny<Exception>(() => site.AddDistributionPoint("DP9", Path.Combine(file, "dp")));
            Assert.True(notFolder is IOException || notFolder is ArgumentException, notFolder.GetType().Name);
            Assert.IsAssignableFrom<IOSUpgradeException>(notFolder);
            // The standard constructors, as callers and serializers expect them.
            var cause = new InvalidOperationException("cause");
            Assert.Same(cause, new OSUpgradeIOException("wrapped", cause).InnerException);
            Assert.Equal(OSUpgradeStatus.Busy, new OSUpgradeBusyException().Status);
            Assert.IsAssignableFrom<IOException>(new OSUpgradeDamagedContentException("bad blob"));
            Assert.IsAssignableFrom<FormatException>(new OSUpgradeInvalidImageException("not a WIM"));
            // The kind comes with the status, not from the words of the message.
            Assert.IsType<OSUpgradeAccessDeniedException>(OSUpgradeException.FromStatus(OSUpgradeStatus.AccessDenied, "/srv/dp: Zugriff verweigert (os error 13)"));
            Assert.IsType<OSUpgradeIOException>(OSUpgradeException.FromStatus(OSUpgradeStatus.IO, "/srv/dp: Permission denied in a file name"));
            Assert.IsAssignableFrom<IOException>(OSUpgradeException.FromStatus(OSUpgradeStatus.DiskFull, "/srv/dp: No space left on device (os error 28)"));
        }

        [Fact]
        public void Log_records_reach_the_handler_on_the_calling_thread()
        {
            using var site = OpenSite();
            var entries = new System.Collections.Generic.List<(OSUpgradeLogEntry Entry, int Thread)>();
            site.SetLogCallback(e => entries.Add((e, Environment.CurrentManagedThreadId)));
            var package = site.AddPackage(sources.Good, "Windows 10 22H2", "log");
            site.AddDistributionPoint("DP1", scratch["dp-log"]);
            site.DistributeContent(new[] { package.Id }, new[] { "DP1" });
            Assert.Contains(entries, e => e.Entry.Component == "package" && e.Entry.Message.StartsWith($"added {package.Id}") && e.Entry.Severity == OSUpgradeLogSeverity.Information);
            Assert.Contains(entries, e => e.Entry.Component == "distribution");
            Assert.All(entries, e => Assert.Equal(Environment.CurrentManagedThreadId, e.Thread));
            Assert.Throws<OSUpgradeNotFoundException>(() => site.ReloadPackageContent("OSU0FFFF"));
            site.SetLogCallback(null);
            var count = entries.Count;
            site.ValidateContent(package.Id, "DP1");
            Assert.Equal(count, entries.Count);
            Assert.True(File.Exists(Path.Combine(scratch["site"], "Logs", "package.log")));
        }

        [Fact]
        public void Adding_a_source_returns_the_package_with_its_images()
        {
            using var site = OpenSite();
            var package = site.AddPackage(sources.Good, "Windows 10 22H2", "19045.2965", "Pilot");

            Assert.Equal("OSU00001", package.Id);
            Assert.Equal("Windows 10 22H2", package.Name);
            Assert.Equal("19045.2965", package.Version);
            Assert.Equal("Pilot", package.Comment);
            Assert.Equal(sources.Good, package.SourcePath);
            Assert.Equal(1, package.ContentVersion);
            Assert.Equal(Directory.GetFiles(sources.Good, "*", SearchOption.AllDirectories).Length, package.FileCount);
            Assert.True(package.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
            Assert.Collection(
                package.Images,
                pro =>
                {
                    Assert.Equal(1, pro.Index);
                    Assert.Equal("Windows 10 Pro", pro.Name);
                    Assert.Equal("Professional", pro.EditionId);
                    Assert.Equal("x64", pro.Architecture);
                    Assert.Equal("10.0.19045.2965", pro.Version);
                    Assert.Equal(new[] { "en-US", "de-DE" }, pro.Languages);
                    Assert.Equal("en-US", pro.DefaultLanguage);
                },
                enterprise => Assert.Equal("Enterprise", enterprise.EditionId));
        }

        [Fact]
        public void Packages_are_got_listed_by_wildcard_set_and_removed()
        {
            using var site = OpenSite();
            var ten = site.AddPackage(sources.Good, "Windows 10 22H2", "1");
            site.AddPackage(sources.Good, "Windows 11 24H2", "1");

            Assert.Equal("Windows 10 22H2", site.GetPackage(ten.Id).Name);
            Assert.Equal(2, site.GetPackages().Count);
            Assert.Equal(new[] { "Windows 11 24H2" }, site.GetPackages("windows 11*").Select(p => p.Name));
            Assert.Empty(site.GetPackages("Server*"));

            var updated = site.SetPackage(ten.Id, comment: "Broad");
            Assert.Equal(("Windows 10 22H2", "1", "Broad"), (updated.Name, updated.Version, updated.Comment));

            site.RemovePackage(ten.Id);
            Assert.Throws<OSUpgradeNotFoundException>(() => site.GetPackage(ten.Id));
            Assert.Single(site.GetPackages());
        }

        [Fact]
        public void The_site_summary_counts_packages_and_bytes_saved()
        {
            using var site = Site.Create(scratch["lab"], "LAB");
            var first = site.AddPackage(sources.Good, "Windows 10", "1");
            site.AddPackage(sources.Good, "Windows 10", "2");
            var info = site.GetInfo();

            Assert.Equal("LAB", info.SiteCode);
            Assert.Equal(Path.Combine(scratch["lab"], "site.db"), info.DatabasePath);
            Assert.Equal(10, info.SchemaVersion);
            Assert.Equal(2, info.PackageCount);
            Assert.Equal(2 * first.Size, info.ContentSize);
            Assert.True(info.BytesSaved >= first.Size, $"saved {info.BytesSaved}");
            Assert.StartsWith("LAB", site.GetPackages()[0].Id);
        }

        [Fact]
        public void The_default_site_follows_osupgrade_site_set_from_dotnet()
        {
            var previous = Environment.GetEnvironmentVariable(Site.SiteVariable);
            try
            {
                Environment.SetEnvironmentVariable(Site.SiteVariable, scratch["from-environment"]);
                using var site = Site.Open();
                Assert.Equal(Path.Combine(scratch["from-environment"], "site.db"), site.GetInfo().DatabasePath);
            }
            finally
            {
                Environment.SetEnvironmentVariable(Site.SiteVariable, previous);
            }
        }

        [Fact]
        public void A_missing_source_folder_is_not_found_naming_the_path()
        {
            using var site = OpenSite();
            var missing = scratch["no-such-source"];
            var error = Assert.Throws<OSUpgradeNotFoundException>(() => site.AddPackage(missing, "Windows 10"));
            Assert.Equal(OSUpgradeStatus.NotFound, error.Status);
            Assert.Contains(missing, error.Message);
        }

        [Fact]
        public void A_source_without_setup_exe_is_an_invalid_argument()
        {
            var source = sources.MakeSource("no-setup");
            File.Delete(Path.Combine(source, "setup.exe"));
            using var site = OpenSite();
            var error = Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.AddPackage(source, "Windows 10"));
            Assert.Contains("no setup.exe", error.Message);
            Assert.Empty(site.GetPackages());
        }

        [Fact]
        public void A_corrupt_install_wim_is_an_invalid_image()
        {
            var source = sources.MakeSource("corrupt");
            File.WriteAllBytes(Path.Combine(source, "sources", "install.wim"), new byte[4096]);
            using var site = OpenSite();
            var error = Assert.Throws<OSUpgradeInvalidImageException>(() => site.AddPackage(source, "Windows 10"));
            Assert.Contains("install.wim", error.Message);
            Assert.Equal(0, site.GetInfo().BlobCount);
        }

        [Fact]
        public void The_same_name_and_version_is_a_conflict()
        {
            using var site = OpenSite();
            site.AddPackage(sources.Good, "Windows 10", "22H2");
            var error = Assert.Throws<OSUpgradeConflictException>(() => site.AddPackage(sources.Other, "WINDOWS 10", "22h2"));
            Assert.Contains("OSU00001", error.Message);
        }

        [Fact]
        public void Opening_a_site_under_a_file_is_an_io_error()
        {
            var file = scratch["a-file"];
            File.WriteAllText(file, "not a folder");
            var error = Assert.Throws<OSUpgradeIOException>(() => Site.Create(Path.Combine(file, "site")));
            Assert.Contains("a-file", error.Message);
        }

        [Fact]
        public void Another_site_code_for_an_existing_site_is_a_conflict_and_a_bad_one_invalid()
        {
            Site.Create(scratch["coded"], "ABC").Dispose();
            Assert.Throws<OSUpgradeConflictException>(() => Site.Open(scratch["coded"], "XYZ"));
            var error = Assert.Throws<OSUpgradeInvalidArgumentException>(() => Site.Create(scratch["other"], "TOOLONG"));
            Assert.Contains("site_code", error.Message);
        }

        [Fact]
        public void Opening_a_path_without_a_site_is_not_found_and_creates_nothing()
        {
            var typo = scratch["Lba"];
            var error = Assert.Throws<OSUpgradeNotFoundException>(() => Site.Open(typo));
            Assert.Contains("Lba", error.Message);
            Assert.False(Directory.Exists(typo));
            Site.Create(typo).Dispose();
            Assert.Throws<OSUpgradeConflictException>(() => Site.Create(typo));
        }

        [Fact]
        public void Every_record_names_the_site_it_came_from()
        {
            using var site = OpenSite();
            var package = site.AddPackage(sources.Good, "Windows 10");
            var databasePath = site.GetInfo().DatabasePath;
            Assert.Equal(databasePath, package.SitePath);
            Assert.Equal(databasePath, Assert.Single(site.GetPackages()).SitePath);
            Assert.Equal(databasePath, site.GetInfo().SitePath);
        }

        [Fact]
        public void The_retained_content_versions_are_the_sites_to_set()
        {
            using var site = OpenSite();
            Assert.Equal(1, site.GetInfo().RetainedContentVersions);
            site.SetRetainedContentVersions(3);
            Assert.Equal(3, site.GetInfo().RetainedContentVersions);
            Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.SetRetainedContentVersions(101));
            Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.SetRetainedContentVersions(-1));
        }

        [Fact]
        public void Null_and_blank_arguments_are_refused()
        {
            using var site = OpenSite();
            Assert.Throws<ArgumentNullException>(() => site.AddPackage(null!, "Windows 10"));
            Assert.Throws<ArgumentNullException>(() => site.GetPackage(null!));
            var error = Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.AddPackage(sources.Good, "   "));
            Assert.Contains("name", error.Message);
        }

        [Fact]
        public void Progress_is_reported_on_the_calling_thread_through_every_phase()
        {
            using var site = OpenSite();
            var progress = new RecordingProgress();
            site.AddPackage(sources.Good, "Windows 10", progress: progress);

            Assert.All(progress.Reports, r => Assert.Equal(Environment.CurrentManagedThreadId, r.ThreadId));
            var phases = progress.Reports.Select(r => r.Report.Phase).Distinct();
            Assert.Equal(new[] { OSUpgradePhase.Scanning, OSUpgradePhase.ReadingImage, OSUpgradePhase.Importing, OSUpgradePhase.Recording }, phases);
            Assert.All(progress.Reports, r => Assert.Equal((OSUpgradeOperation.Add, string.Empty, string.Empty), (r.Report.Operation, r.Report.PackageId, r.Report.DistributionPoint)));
            var last = progress.Reports.Last().Report;
            Assert.Equal(last.FilesTotal, last.FilesDone);
            Assert.Equal(100, last.PercentComplete);
            Assert.Contains(progress.Reports, r => r.Report.CurrentFile.Length > 0);
        }

        [Fact]
        public void Cancelling_the_token_stops_the_add_and_records_nothing()
        {
            using var site = OpenSite();
            using var cancellation = new CancellationTokenSource();
            var progress = new RecordingProgress(p =>
            {
                if (p.FilesDone >= 20)
                {
                    cancellation.Cancel();
                }
            });
            var error = Assert.ThrowsAny<OperationCanceledException>(
                () => site.AddPackage(sources.Good, "Windows 10", progress: progress, cancellationToken: cancellation.Token));
            Assert.Equal(cancellation.Token, error.CancellationToken);
            Assert.Empty(site.GetPackages());
            Assert.Equal(0, site.GetInfo().BlobCount);
        }

        [Fact]
        public void A_token_cancelled_before_the_call_records_nothing()
        {
            using var site = OpenSite();
            Assert.ThrowsAny<OperationCanceledException>(
                () => site.AddPackage(sources.Good, "Windows 10", cancellationToken: new CancellationToken(canceled: true)));
            Assert.Empty(site.GetPackages());
        }

        [Fact]
        public void A_progress_receiver_that_reads_the_same_site_gets_busy_instead_of_hanging()
        {
            using var site = OpenSite();
            Exception? inner = null;
            var progress = new RecordingProgress(p =>
            {
                if (inner == null)
                {
                    try
                    {
                        site.GetPackages();
                    }
                    catch (Exception error)
                    {
                        inner = error;
                    }
                }
            });
            var added = site.AddPackage(sources.Good, "Windows 10", progress: progress);

            var busy = Assert.IsType<OSUpgradeBusyException>(inner);
            Assert.Contains("callback", busy.Message);
            Assert.Equal(added.Id, Assert.Single(site.GetPackages()).Id);
        }

        [Fact]
        public void An_exception_from_the_progress_receiver_stops_the_add_and_is_rethrown()
        {
            using var site = OpenSite();
            var progress = new RecordingProgress(p =>
            {
                if (p.Phase == OSUpgradePhase.Importing)
                {
                    throw new InvalidOperationException("receiver failed");
                }
            });
            var error = Assert.Throws<InvalidOperationException>(() => site.AddPackage(sources.Good, "Windows 10", progress: progress));
            Assert.Equal("receiver failed", error.Message);
            Assert.Empty(site.GetPackages());
        }

        [Fact]
        public void Disposing_twice_is_harmless_and_use_after_dispose_throws()
        {
            var site = OpenSite();
            site.Dispose();
            site.Dispose();
            Assert.Throws<ObjectDisposedException>(() => site.GetPackages());
            Assert.Throws<ObjectDisposedException>(() => site.GetInfo());
        }

        [Fact]
        public async Task Two_sites_on_one_database_add_at_once()
        {
            var path = scratch["shared"];
            Site.Create(path).Dispose();
            var adds = new[] { sources.Good, sources.Other }.Select((source, i) => Task.Run(() =>
            {
                using var site = Site.Open(path);
                return site.AddPackage(source, "Windows 10 " + i).Id;
            }));
            var ids = await Task.WhenAll(adds);
            Assert.Equal(2, ids.Distinct().Count());
            using var check = Site.Open(path);
            Assert.Equal(2, check.GetPackages().Count);
        }
    }
}
