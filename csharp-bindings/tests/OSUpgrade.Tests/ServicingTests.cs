using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace OSUpgrade.Tests
{
    /// <summary>The third job through the .NET face: the catalog, schedules, runs, history.</summary>
    /// <remarks>Its update files and test engine are bash scripts: not run under wine.</remarks>
    [Trait("Requires", "Posix")]
    public sealed class ServicingTests : IClassFixture<SourceFixture>, IDisposable
    {
        private readonly Scratch scratch = new Scratch();
        private readonly Site site;
        private readonly UpgradePackage package;
        private readonly string updates;

        public ServicingTests(SourceFixture sources)
        {
            site = Site.Create(scratch["site"]);
            package = site.AddPackage(sources.Good, "Windows 10 22H2", "1");
            updates = scratch["updates"];
            MakeUpdate("windows10.0-kb5034441-x64_22bb.msu", "KB5034441", "19041.3930");
            MakeUpdate("windows10.0-kb5035001-x64_77aa.msu", "KB5035001", "19041.4046", "--broken");
        }

        public void Dispose()
        {
            site.Dispose();
            scratch.Dispose();
        }

        private static string Fixture(string name) => Path.Combine(SourceFixture.RepositoryRoot, "tests", "fixtures", name);

        private void MakeUpdate(string fileName, string kb, string build, params string[] flags)
        {
            Directory.CreateDirectory(updates);
            var start = new ProcessStartInfo("bash") { UseShellExecute = false };
            foreach (var argument in new[] { Fixture("make-update.sh"), Path.Combine(updates, fileName), kb, build }.Concat(flags))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
        }

        [Fact]
        public void Updates_are_imported_found_applicable_and_refused_when_they_are_none()
        {
            var junk = scratch["junk.msu"];
            File.WriteAllText(junk, "<html>not an update</html>");
            var refused = Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.ImportUpdates(new[] { junk }));
            Assert.Contains("junk.msu", refused.Message);
            Assert.Empty(site.GetUpdates());

            var progress = new RecordingProgress();
            var imported = site.ImportUpdates(new[] { updates }, progress: progress);
            Assert.Equal(new[] { "KB5034441-x64", "KB5035001-x64" }, imported.Select(u => u.Id).OrderBy(id => id));
            Assert.Contains(progress.Reports, r => r.Report.Operation == OSUpgradeOperation.ImportUpdates);
            var update = site.GetUpdate("kb5034441-x64");
            // With no catalog, its package manifest (Package_for_RollupFix) says it is cumulative.
            Assert.Equal(("KB5034441", "x64", "Windows 10", UpdateClassification.Cumulative), (update.Kb, update.Architecture, update.Product, update.Classification));

            var applied = site.GetAppliedUpdates(package.Id);
            Assert.Contains(applied, a => a.Kb == "KB5026361" && a.Origin == "image" && a.ImageIndex == 2 && a.Build == "19041.2965");
            var applicable = site.GetApplicableUpdates(package.Id);
            Assert.Equal(new[] { 1, 2 }, applicable.Single(a => a.Id == "KB5034441-x64").ImageIndexes);
            Assert.Empty(site.GetNotApplicableUpdates(package.Id));
            Assert.Throws<OSUpgradeNotFoundException>(() => site.GetUpdate("KB1234567-x64"));
        }

        [Fact]
        public void A_recurrence_number_out_of_range_is_refused_naming_its_field_and_bounds()
        {
            site.ImportUpdates(new[] { updates });
            var settings = new ScheduleSettings
            {
                UpdateIds = new[] { "KB5034441-x64" },
                Recurrence = Recurrence.MonthlyOnWeekday(2, DayOfWeek.Tuesday, -400),
            };
            var refused = Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.CreateSchedule(package.Id, settings));
            Assert.Contains("offsetDays: -400 is not between 0 and 27", refused.Message);
            Assert.Empty(site.GetSchedules(package.Id));
        }

        [Fact]
        public void A_schedule_runs_records_its_results_and_keeps_its_history()
        {
            site.ImportUpdates(new[] { updates });
            var unknown = Assert.Throws<OSUpgradeNotFoundException>(() =>
                site.CreateSchedule(package.Id, new ScheduleSettings { UpdateIds = new[] { "KB5026361-x64" } }));
            Assert.Contains("KB5026361-x64", unknown.Message);
            var noUpdates = Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.CreateSchedule(package.Id, new ScheduleSettings()));
            Assert.Contains("update_ids", noUpdates.Message);

            var schedule = site.CreateSchedule(package.Id, new ScheduleSettings
            {
                UpdateIds = new[] { "KB5034441-x64", "KB5035001-x64" },
                Recurrence = Recurrence.MonthlyOnWeekday(2, DayOfWeek.Tuesday, 7),
                Start = new DateTime(2030, 1, 1, 22, 0, 0),
                Utc = true,
            });
            Assert.Equal(new DateTimeOffset(2030, 1, 15, 22, 0, 0, TimeSpan.Zero), schedule.NextRunAt);
            Assert.Equal(RecurrenceKind.MonthlyOnWeekday, schedule.Recurrence.Kind);
            Assert.Equal(DayOfWeek.Tuesday, schedule.Recurrence.Weekday);
            Assert.True(schedule.ContinueOnError);
            var nextRuns = site.GetScheduleNextRuns(schedule.Id, 3);
            Assert.Equal(
                new[] { new DateTimeOffset(2030, 1, 15, 22, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 2, 19, 22, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 3, 19, 22, 0, 0, TimeSpan.Zero) },
                nextRuns.Select(run => run.RunAt));
            Assert.All(nextRuns, run => Assert.Equal((schedule.Id, package.Id), (run.ScheduleId, run.PackageId)));
            Assert.StartsWith("count: ", Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.GetScheduleNextRuns(schedule.Id, 0)).Message);

            if (!OperatingSystem.IsWindows())
            {
                var noEngine = Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.RunSchedule(schedule.Id));
                Assert.Contains("only Windows has", noEngine.Message);
            }

            site.SetServicingEngine(ServicingEngineKind.Command, Fixture("test-engine.sh"));
            var engine = site.GetServicingEngine();
            Assert.Equal((ServicingEngineKind.Command, true), (engine.Engine, engine.Available));
            Assert.Equal(TimeSpan.FromHours(2), engine.MaxRunTime);
            site.SetServicingMaxRunTime(TimeSpan.FromMinutes(90));
            Assert.Equal(TimeSpan.FromMinutes(90), site.GetServicingEngine().MaxRunTime);
            var tooShort = Assert.Throws<OSUpgradeInvalidArgumentException>(() => site.SetServicingMaxRunTime(TimeSpan.FromMilliseconds(500)));
            Assert.StartsWith("maxRunTime: ", tooShort.Message);

            var progress = new RecordingProgress();
            var run = site.RunSchedule(schedule.Id, progress);
            Assert.Equal(ServicingRunState.PartiallySucceeded, run.State);
            Assert.Equal(2, run.ContentVersionTo);
            Assert.Equal(OSUpgradeStatus.ServicingFailed, run.ErrorStatus);
            Assert.IsType<OSUpgradeServicingFailedException>(run.GetErrorException());
            Assert.Contains(run.Results, r => r.UpdateId == "KB5035001-x64" && r.State == "Failed" && r.ExitCode == 87);
            Assert.Contains(progress.Reports, r => r.Report.Phase == OSUpgradePhase.Servicing && r.Report.CurrentFile.StartsWith("KB5034441 on install:"));
            Assert.All(progress.Reports, r => Assert.Equal(Environment.CurrentManagedThreadId, r.ThreadId));

            Assert.Equal(2, site.GetPackage(package.Id).ContentVersion);
            Assert.False(run.PointsPending);
            Assert.Equal("", run.PointsError);
            Assert.Contains(site.GetAppliedUpdates(package.Id), a => a.UpdateId == "KB5034441-x64" && a.ContentVersion == 2 && a.RunId == run.Id);
            var leftOut = site.GetNotApplicableUpdates(package.Id).Single(u => u.Id == "KB5034441-x64");
            Assert.Equal((package.Id, "image 1 holds KB5034441 already; image 2 holds KB5034441 already"), (leftOut.PackageId, leftOut.Reason));
            var versions = site.GetContentVersions(package.Id);
            Assert.Equal(
                new[] { (2L, ContentVersionState.Current, "serviced"), (1L, ContentVersionState.Retained, "added") },
                versions.Select(v => (v.Number, v.State, v.Origin!)));
            Assert.True(versions[0].Size > 0 && versions[0].CreatedAt.HasValue);
            Assert.Throws<OSUpgradeNotFoundException>(() => site.GetContentVersions("OSU99999"));
            Assert.Equal(run.Id, site.GetServicingRuns(schedule.Id).Single().Id);
            Assert.Empty(site.RunDueSchedules());

            var changed = site.SetSchedule(schedule.Id, new ScheduleSettings { Recurrence = Recurrence.Weekly(DayOfWeek.Monday), Enabled = false });
            Assert.False(changed.Enabled);
            Assert.Equal(new[] { DayOfWeek.Monday }, changed.Recurrence.Days);
            Assert.Throws<OSUpgradeConflictException>(() => site.RemoveUpdate("KB5034441-x64"));
            site.RemoveSchedule(schedule.Id);
            Assert.Throws<OSUpgradeNotFoundException>(() => site.GetSchedule(schedule.Id));
            site.RemoveUpdate("KB5034441-x64");
        }

        [Fact]
        public void A_run_services_the_winre_image_and_boot_wim_when_asked()
        {
            var catalog = scratch["catalog.json"];
            MakeUpdate("windows10.0-kb5034232-x64_88bb.cab", "KB5034232", "19041.3920");
            File.WriteAllText(catalog, "{ \"updates\": [ { \"fileName\": \"windows10.0-kb5034232-x64_88bb.cab\", \"classification\": \"SafeOs\", \"builds\": [19045] },"
                + " { \"fileName\": \"windows10.0-kb5034441-x64_22bb.msu\", \"classification\": \"Cumulative\", \"builds\": [19045] } ] }");
            site.ImportUpdates(new[] { updates }, catalog);
            var safeOs = site.GetApplicableUpdates(package.Id).Single(u => u.Id == "KB5034232-x64");
            Assert.Equal(new[] { "winre" }, safeOs.Targets);
            Assert.Throws<OSUpgradeInvalidArgumentException>(() =>
                site.CreateSchedule(package.Id, new ScheduleSettings { UpdateIds = new[] { "KB5034232-x64" } }));

            site.SetServicingEngine(ServicingEngineKind.Command, Fixture("test-engine.sh"));
            var schedule = site.CreateSchedule(package.Id, new ScheduleSettings
            {
                UpdateIds = new[] { "KB5034232-x64", "KB5034441-x64" },
                ServiceWinRe = true,
                ServiceBootImage = true,
            });
            Assert.True(schedule.ServiceWinRe && schedule.ServiceBootImage);
            var run = site.RunSchedule(schedule.Id);
            Assert.Equal(ServicingRunState.Succeeded, run.State);
            Assert.Equal(new[] { "winre", "install", "winre", "install", "boot", "boot" }, run.Results.Select(r => r.Image));
            Assert.Contains(site.GetAppliedUpdates(package.Id), a => a.Image == "winre" && a.Kb == "KB5034232" && a.ContentVersion == 2);
        }
    }
}
