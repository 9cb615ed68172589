using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization.Metadata;
using System.Threading;

namespace OSUpgrade
{
    /// <summary>
    /// One wrapper per native call, named as the C function is (as LibGit2Sharp's Proxy does): it
    /// marshals the arguments, makes the call, checks its status in one place and reads the record
    /// it returns. <see cref="Site"/> above it checks the caller's arguments and names them.
    /// </summary>
    internal static class Proxy
    {
        internal static SiteHandle osu_site_open(string? path, string? siteCode) =>
            Take(NativeMethods.osu_site_open(Optional(path), Optional(siteCode), out var site), site);

        internal static SiteHandle osu_site_create(string path, string? siteCode) =>
            Take(NativeMethods.osu_site_create(Text(path), Optional(siteCode), out var site), site);

        internal static SiteInfo osu_site_info(SiteHandle site) =>
            Read(NativeMethods.osu_site_info(site, out var json), json, RecordContext.Default.SiteInfo);

        internal static void osu_site_set_retained_content_versions(SiteHandle site, uint count) =>
            Native.ThrowIfFailed(NativeMethods.osu_site_set_retained_content_versions(site, count));

        internal static void osu_site_set_log_callback(SiteHandle site, NativeMethods.LogCallback? callback) =>
            Native.ThrowIfFailed(NativeMethods.osu_site_set_log_callback(site, callback, IntPtr.Zero));

        internal static UpgradePackage osu_package_add(
            SiteHandle site, string sourcePath, string name, string? version, string? comment, Reporting reporting) =>
            reporting.Call(callback => (NativeMethods.osu_package_add(
                site, Text(sourcePath), Text(name), Optional(version), Optional(comment), callback, IntPtr.Zero, out var json), json),
                RecordContext.Default.UpgradePackage);

        internal static UpgradePackage osu_package_get(SiteHandle site, string id) =>
            Read(NativeMethods.osu_package_get(site, Text(id), out var json), json, RecordContext.Default.UpgradePackage);

        internal static List<UpgradePackage> osu_package_list(SiteHandle site, string? namePattern) =>
            Read(NativeMethods.osu_package_list(site, Optional(namePattern), out var json), json, RecordContext.Default.ListUpgradePackage);

        internal static UpgradePackage osu_package_set(SiteHandle site, string id, string? name, string? version, string? comment) =>
            Read(
                NativeMethods.osu_package_set(site, Text(id), Optional(name), Optional(version), Optional(comment), out var json),
                json,
                RecordContext.Default.UpgradePackage);

        internal static void osu_package_remove(SiteHandle site, string id) =>
            Native.ThrowIfFailed(NativeMethods.osu_package_remove(site, Text(id)));

        internal static UpgradePackage osu_package_reload_content(SiteHandle site, string id, Reporting reporting) =>
            reporting.Call(callback => (NativeMethods.osu_package_reload_content(
                site, Text(id), callback, IntPtr.Zero, out var json), json),
                RecordContext.Default.UpgradePackage);

        internal static DistributionPoint osu_distribution_point_add(SiteHandle site, string name, string path, string? description) =>
            Read(
                NativeMethods.osu_distribution_point_add(site, Text(name), Text(path), Optional(description), out var json),
                json,
                RecordContext.Default.DistributionPoint);

        internal static DistributionPoint osu_distribution_point_get(SiteHandle site, string name) =>
            Read(NativeMethods.osu_distribution_point_get(site, Text(name), out var json), json, RecordContext.Default.DistributionPoint);

        internal static List<DistributionPoint> osu_distribution_point_list(SiteHandle site) =>
            Read(NativeMethods.osu_distribution_point_list(site, out var json), json, RecordContext.Default.ListDistributionPoint);

        internal static DistributionPoint osu_distribution_point_set(SiteHandle site, string name, string? newName, string? description) =>
            Read(
                NativeMethods.osu_distribution_point_set(site, Text(name), Optional(newName), Optional(description), out var json),
                json,
                RecordContext.Default.DistributionPoint);

        internal static void osu_distribution_point_remove(SiteHandle site, string name, bool force) =>
            Native.ThrowIfFailed(NativeMethods.osu_distribution_point_remove(site, Text(name), force));

        internal static List<DistributionStatus> osu_content_distribute(
            SiteHandle site, IEnumerable<string> packageIds, IEnumerable<string> distributionPoints, DistributeOptions? options, Reporting reporting) =>
            reporting.Call(callback => (NativeMethods.osu_content_distribute(
                site, Names(packageIds), Names(distributionPoints), Options(options), callback, IntPtr.Zero, out var json), json),
                RecordContext.Default.ListDistributionStatus);

        internal static List<DistributionStatus> osu_content_redistribute(
            SiteHandle site, string packageId, DistributeOptions? options, Reporting reporting) =>
            reporting.Call(callback => (NativeMethods.osu_content_redistribute(
                site, Text(packageId), Options(options), callback, IntPtr.Zero, out var json), json),
                RecordContext.Default.ListDistributionStatus);

        internal static ValidationReport osu_content_validate(SiteHandle site, string packageId, string distributionPoint, Reporting reporting) =>
            reporting.Call(callback => (NativeMethods.osu_content_validate(
                site, Text(packageId), Text(distributionPoint), callback, IntPtr.Zero, out var json), json),
                RecordContext.Default.ValidationReport);

        internal static void osu_content_remove(SiteHandle site, string packageId, string distributionPoint) =>
            Native.ThrowIfFailed(NativeMethods.osu_content_remove(site, Text(packageId), Text(distributionPoint)));

        internal static List<DistributionStatus> osu_distribution_status_list(SiteHandle site, string? packageId, string? distributionPoint) =>
            Read(
                NativeMethods.osu_distribution_status_list(site, Optional(packageId), Optional(distributionPoint), out var json),
                json,
                RecordContext.Default.ListDistributionStatus);

        internal static List<DistributionSummary> osu_distribution_summary_list(SiteHandle site, string? packageId) =>
            Read(NativeMethods.osu_distribution_summary_list(site, Optional(packageId), out var json), json, RecordContext.Default.ListDistributionSummary);

        internal static DistributionPointGroup osu_distribution_point_group_create(SiteHandle site, string name, string? description) =>
            Read(
                NativeMethods.osu_distribution_point_group_create(site, Text(name), Optional(description), out var json),
                json,
                RecordContext.Default.DistributionPointGroup);

        internal static DistributionPointGroup osu_distribution_point_group_get(SiteHandle site, string name) =>
            Read(NativeMethods.osu_distribution_point_group_get(site, Text(name), out var json), json, RecordContext.Default.DistributionPointGroup);

        internal static List<DistributionPointGroup> osu_distribution_point_group_list(SiteHandle site) =>
            Read(NativeMethods.osu_distribution_point_group_list(site, out var json), json, RecordContext.Default.ListDistributionPointGroup);

        internal static DistributionPointGroup osu_distribution_point_group_set(SiteHandle site, string name, string? newName, string? description) =>
            Read(
                NativeMethods.osu_distribution_point_group_set(site, Text(name), Optional(newName), Optional(description), out var json),
                json,
                RecordContext.Default.DistributionPointGroup);

        internal static void osu_distribution_point_group_remove(SiteHandle site, string name) =>
            Native.ThrowIfFailed(NativeMethods.osu_distribution_point_group_remove(site, Text(name)));

        internal static List<DistributionStatus> osu_distribution_point_group_add_points(
            SiteHandle site, string group, IEnumerable<string> distributionPoints, DistributeOptions? options, Reporting reporting) =>
            reporting.Call(callback => (NativeMethods.osu_distribution_point_group_add_points(
                site, Text(group), Names(distributionPoints), Options(options), callback, IntPtr.Zero, out var json), json),
                RecordContext.Default.ListDistributionStatus);

        internal static DistributionPointGroup osu_distribution_point_group_remove_points(
            SiteHandle site, string group, IEnumerable<string> distributionPoints) =>
            Read(
                NativeMethods.osu_distribution_point_group_remove_points(site, Text(group), Names(distributionPoints), out var json),
                json,
                RecordContext.Default.DistributionPointGroup);

        internal static List<DistributionStatus> osu_content_distribute_to_group(
            SiteHandle site, IEnumerable<string> packageIds, string group, DistributeOptions? options, Reporting reporting) =>
            reporting.Call(callback => (NativeMethods.osu_content_distribute_to_group(
                site, Names(packageIds), Text(group), Options(options), callback, IntPtr.Zero, out var json), json),
                RecordContext.Default.ListDistributionStatus);

        internal static List<ValidationReport> osu_content_validate_on_group(SiteHandle site, string group, string? packageId, Reporting reporting) =>
            reporting.Call(callback => (NativeMethods.osu_content_validate_on_group(
                site, Text(group), Optional(packageId), callback, IntPtr.Zero, out var json), json),
                RecordContext.Default.ListValidationReport);

        internal static void osu_content_remove_from_group(SiteHandle site, string packageId, string group) =>
            Native.ThrowIfFailed(NativeMethods.osu_content_remove_from_group(site, Text(packageId), Text(group)));

        internal static List<SoftwareUpdate> osu_update_import(
            SiteHandle site, IEnumerable<string> paths, string? catalogPath, Reporting reporting) =>
            reporting.Call(callback => (NativeMethods.osu_update_import(
                site, Names(paths), Optional(catalogPath), callback, IntPtr.Zero, out var json), json),
                RecordContext.Default.ListSoftwareUpdate);

        internal static SoftwareUpdate osu_update_get(SiteHandle site, string id) =>
            Read(NativeMethods.osu_update_get(site, Text(id), out var json), json, RecordContext.Default.SoftwareUpdate);

        internal static List<SoftwareUpdate> osu_update_list(SiteHandle site, string? pattern) =>
            Read(NativeMethods.osu_update_list(site, Optional(pattern), out var json), json, RecordContext.Default.ListSoftwareUpdate);

        internal static void osu_update_remove(SiteHandle site, string id) =>
            Native.ThrowIfFailed(NativeMethods.osu_update_remove(site, Text(id)));

        internal static List<ApplicableUpdate> osu_update_list_applicable(SiteHandle site, string packageId) =>
            Read(NativeMethods.osu_update_list_applicable(site, Text(packageId), out var json), json, RecordContext.Default.ListApplicableUpdate);

        internal static List<ContentVersion> osu_content_version_list(SiteHandle site, string packageId) =>
            Read(NativeMethods.osu_content_version_list(site, Text(packageId), out var json), json, RecordContext.Default.ListContentVersion);

        internal static List<NotApplicableUpdate> osu_update_list_not_applicable(SiteHandle site, string packageId) =>
            Read(NativeMethods.osu_update_list_not_applicable(site, Text(packageId), out var json), json, RecordContext.Default.ListNotApplicableUpdate);

        internal static List<AppliedUpdate> osu_update_list_applied(SiteHandle site, string packageId) =>
            Read(NativeMethods.osu_update_list_applied(site, Text(packageId), out var json), json, RecordContext.Default.ListAppliedUpdate);

        internal static Schedule osu_schedule_create(SiteHandle site, string packageId, ScheduleSettings settings) =>
            Read(NativeMethods.osu_schedule_create(site, Text(packageId), settings.ToJson(), out var json), json, RecordContext.Default.Schedule);

        internal static Schedule osu_schedule_get(SiteHandle site, long id) =>
            Read(NativeMethods.osu_schedule_get(site, id, out var json), json, RecordContext.Default.Schedule);

        internal static List<Schedule> osu_schedule_list(SiteHandle site, string? packageId) =>
            Read(NativeMethods.osu_schedule_list(site, Optional(packageId), out var json), json, RecordContext.Default.ListSchedule);

        internal static Schedule osu_schedule_set(SiteHandle site, long id, ScheduleSettings settings) =>
            Read(NativeMethods.osu_schedule_set(site, id, settings.ToJson(), out var json), json, RecordContext.Default.Schedule);

        internal static void osu_schedule_remove(SiteHandle site, long id) =>
            Native.ThrowIfFailed(NativeMethods.osu_schedule_remove(site, id));

        internal static List<ScheduleNextRun> osu_schedule_next_runs(SiteHandle site, long id, int count) =>
            Read(NativeMethods.osu_schedule_next_runs(site, id, count, out var json), json, RecordContext.Default.ListScheduleNextRun);

        internal static ServicingRun osu_schedule_run(SiteHandle site, long id, Reporting reporting) =>
            reporting.Call(callback => (NativeMethods.osu_schedule_run(site, id, callback, IntPtr.Zero, out var json), json),
                RecordContext.Default.ServicingRun);

        internal static List<ServicingRun> osu_schedule_run_due(SiteHandle site, Reporting reporting) =>
            reporting.Call(callback => (NativeMethods.osu_schedule_run_due(site, callback, IntPtr.Zero, out var json), json),
                RecordContext.Default.ListServicingRun);

        internal static List<ServicingRun> osu_servicing_run_list(SiteHandle site, long? scheduleId, string? packageId) =>
            Read(
                NativeMethods.osu_servicing_run_list(site, scheduleId ?? 0, Optional(packageId), out var json),
                json,
                RecordContext.Default.ListServicingRun);

        internal static void osu_servicing_engine_set(SiteHandle site, string engine, string? commandPath) =>
            Native.ThrowIfFailed(NativeMethods.osu_servicing_engine_set(site, Text(engine), Optional(commandPath)));

        internal static void osu_servicing_max_run_time_set(SiteHandle site, uint seconds) =>
            Native.ThrowIfFailed(NativeMethods.osu_servicing_max_run_time_set(site, seconds));

        internal static ServicingEngine osu_servicing_engine_get(SiteHandle site) =>
            Read(NativeMethods.osu_servicing_engine_get(site, out var json), json, RecordContext.Default.ServicingEngine);

        private static byte[] Text(string value) => Utf8.ToNative(value)!;

        private static byte[]? Optional(string? value) => Utf8.ToNative(value);

        private static byte[] Names(IEnumerable<string> names) => Json.Write(names.ToArray(), RecordContext.Default.StringArray);

        private static byte[]? Options(DistributeOptions? options) =>
            options == null ? null : Json.Write(options, RecordContext.Default.DistributeOptions);

        private static T Read<T>(OSUpgradeStatus status, IntPtr json, JsonTypeInfo<T> type) =>
            Json.Read(Native.TakeJson(status, json), type);

        private static SiteHandle Take(OSUpgradeStatus status, SiteHandle site)
        {
            if (status != OSUpgradeStatus.Ok)
            {
                site.Dispose();
            }

            Native.ThrowIfFailed(status);
            return site;
        }
    }

    /// <summary>
    /// Where a long call's progress goes and what cancels it: the native callback it gets, made
    /// only when someone listens, reports on the calling thread and asks to stop once the token is
    /// cancelled; an exception the receiver throws stops the call and is rethrown after it.
    /// </summary>
    internal readonly struct Reporting
    {
        private readonly IProgress<OSUpgradeProgress>? progress;
        private readonly CancellationToken cancellationToken;

        internal Reporting(IProgress<OSUpgradeProgress>? progress, CancellationToken cancellationToken)
        {
            this.progress = progress;
            this.cancellationToken = cancellationToken;
        }

        internal T Call<T>(Func<NativeMethods.ProgressCallback?, (OSUpgradeStatus Status, IntPtr Json)> call, JsonTypeInfo<T> type)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ExceptionDispatchInfo? receiverFailure = null;
            NativeMethods.ProgressCallback? callback = null;
            // A struct's lambdas cannot capture this: they capture copies.
            var (listener, token) = (progress, cancellationToken);
            if (listener != null || token.CanBeCanceled)
            {
                callback = (report, _) =>
                {
                    try
                    {
                        listener?.Report(new OSUpgradeProgress(Marshal.PtrToStructure<NativeMethods.Progress>(report)));
                        return token.IsCancellationRequested ? 1 : 0;
                    }
                    catch (Exception e)
                    {
                        receiverFailure = ExceptionDispatchInfo.Capture(e);
                        return 1;
                    }
                };
            }

            var (status, json) = call(callback);
            GC.KeepAlive(callback);
            if (receiverFailure != null)
            {
                if (status == OSUpgradeStatus.Ok)
                {
                    NativeMethods.osu_string_free(json);
                }

                receiverFailure.Throw();
            }

            if (status == OSUpgradeStatus.Cancelled)
            {
                throw new OperationCanceledException(Utf8.FromNative(NativeMethods.osu_last_error_message()), token);
            }

            return Json.Read(Native.TakeJson(status, json), type);
        }
    }
}
