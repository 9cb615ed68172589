using System;
using System.Runtime.InteropServices;

// The library is never looked for in the current directory or on PATH first.
[assembly: DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]

namespace OSUpgrade
{
    /// <summary>Every function of <c>osupgrade.h</c>, as the runtime calls it.</summary>
    internal static class NativeMethods
    {
        /// <summary>
        /// Not "osupgrade": on Windows that is osupgrade.dll, which Windows' loader (case-blind) takes
        /// for this managed assembly, OSUpgrade.dll, beside it, and .NET Framework has no resolver
        /// to say otherwise. A library preloaded as libosupgrade.dll is the one this name binds to.
        /// </summary>
        internal const string LibraryName = "libosupgrade";

        /// <summary><c>osu_progress_callback</c>: non-zero cancels.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int ProgressCallback(IntPtr progress, IntPtr userData);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_site_open(byte[]? path, byte[]? siteCode, out SiteHandle site);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_site_create(byte[] path, byte[]? siteCode, out SiteHandle site);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_site_close(IntPtr site);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_site_info(SiteHandle site, out IntPtr json);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_site_set_retained_content_versions(SiteHandle site, uint count);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_package_add(
            SiteHandle site,
            byte[] sourcePath,
            byte[] name,
            byte[]? version,
            byte[]? comment,
            ProgressCallback? progress,
            IntPtr userData,
            out IntPtr packageJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_package_get(SiteHandle site, byte[] packageId, out IntPtr packageJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_package_list(SiteHandle site, byte[]? namePattern, out IntPtr packagesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_package_set(
            SiteHandle site,
            byte[] packageId,
            byte[]? name,
            byte[]? version,
            byte[]? comment,
            out IntPtr packageJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_package_remove(SiteHandle site, byte[] packageId);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_package_reload_content(
            SiteHandle site, byte[] packageId, ProgressCallback? progress, IntPtr userData, out IntPtr packageJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_point_add(
            SiteHandle site, byte[] name, byte[] path, byte[]? description, out IntPtr pointJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_point_get(SiteHandle site, byte[] name, out IntPtr pointJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_point_list(SiteHandle site, out IntPtr pointsJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_point_set(
            SiteHandle site, byte[] name, byte[]? newName, byte[]? description, out IntPtr pointJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_point_remove(
            SiteHandle site, byte[] name, [MarshalAs(UnmanagedType.U1)] bool force);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_content_distribute(
            SiteHandle site,
            byte[] packageIdsJson,
            byte[] distributionPointsJson,
            byte[]? optionsJson,
            ProgressCallback? progress,
            IntPtr userData,
            out IntPtr statusesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_point_group_create(SiteHandle site, byte[] name, byte[]? description, out IntPtr groupJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_point_group_get(SiteHandle site, byte[] name, out IntPtr groupJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_point_group_list(SiteHandle site, out IntPtr groupsJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_point_group_set(SiteHandle site, byte[] name, byte[]? newName, byte[]? description, out IntPtr groupJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_point_group_remove(SiteHandle site, byte[] name);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_point_group_add_points(
            SiteHandle site, byte[] name, byte[] distributionPointsJson, byte[]? optionsJson, ProgressCallback? progress, IntPtr userData, out IntPtr statusesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_point_group_remove_points(SiteHandle site, byte[] name, byte[] distributionPointsJson, out IntPtr groupJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_content_distribute_to_group(
            SiteHandle site, byte[] packageIdsJson, byte[] group, byte[]? optionsJson, ProgressCallback? progress, IntPtr userData, out IntPtr statusesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_content_validate_on_group(
            SiteHandle site, byte[] group, byte[]? packageId, ProgressCallback? progress, IntPtr userData, out IntPtr reportsJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_content_remove_from_group(SiteHandle site, byte[] packageId, byte[] group);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_content_redistribute(
            SiteHandle site, byte[] packageId, byte[]? optionsJson, ProgressCallback? progress, IntPtr userData, out IntPtr statusesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_content_validate(
            SiteHandle site, byte[] packageId, byte[] distributionPoint, ProgressCallback? progress, IntPtr userData, out IntPtr reportJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_content_remove(SiteHandle site, byte[] packageId, byte[] distributionPoint);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_status_list(
            SiteHandle site, byte[]? packageId, byte[]? distributionPoint, out IntPtr statusesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_distribution_summary_list(SiteHandle site, byte[]? packageId, out IntPtr summariesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_update_import(
            SiteHandle site, byte[] pathsJson, byte[]? catalogPath, ProgressCallback? progress, IntPtr userData, out IntPtr updatesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_update_get(SiteHandle site, byte[] updateId, out IntPtr updateJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_update_list(SiteHandle site, byte[]? pattern, out IntPtr updatesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_update_remove(SiteHandle site, byte[] updateId);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_update_list_applicable(SiteHandle site, byte[] packageId, out IntPtr updatesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_content_version_list(SiteHandle site, byte[] packageId, out IntPtr versionsJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_update_list_not_applicable(SiteHandle site, byte[] packageId, out IntPtr updatesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_update_list_applied(SiteHandle site, byte[] packageId, out IntPtr updatesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_schedule_create(SiteHandle site, byte[] packageId, byte[]? settingsJson, out IntPtr scheduleJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_schedule_get(SiteHandle site, long scheduleId, out IntPtr scheduleJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_schedule_list(SiteHandle site, byte[]? packageId, out IntPtr schedulesJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_schedule_set(SiteHandle site, long scheduleId, byte[] settingsJson, out IntPtr scheduleJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_schedule_remove(SiteHandle site, long scheduleId);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_schedule_next_runs(SiteHandle site, long scheduleId, int count, out IntPtr nextRunsJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_schedule_run(
            SiteHandle site, long scheduleId, ProgressCallback? progress, IntPtr userData, out IntPtr runJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_schedule_run_due(SiteHandle site, ProgressCallback? progress, IntPtr userData, out IntPtr runsJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_servicing_run_list(SiteHandle site, long scheduleId, byte[]? packageId, out IntPtr runsJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_servicing_engine_set(SiteHandle site, byte[] engine, byte[]? commandPath);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_servicing_max_run_time_set(SiteHandle site, uint seconds);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_servicing_engine_get(SiteHandle site, out IntPtr engineJson);

        /// <summary><c>osu_log_callback</c>.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void LogCallback(int level, IntPtr component, IntPtr message, IntPtr userData);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern OSUpgradeStatus osu_site_set_log_callback(SiteHandle site, LogCallback? callback, IntPtr userData);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void osu_string_free(IntPtr value);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr osu_last_error_message();

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr osu_version();

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern IntPtr osu_status_name(int status);

        /// <summary>The progress report as C lays it out (<c>osu_progress</c>).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Progress
        {
            public int Phase;
            public IntPtr CurrentFile;
            public ulong BytesDone;
            public ulong BytesTotal;
            public ulong FilesDone;
            public ulong FilesTotal;
            public int Operation;
            public IntPtr PackageId;
            public IntPtr DistributionPoint;
            public ulong JobsDone;
            public ulong JobsTotal;
            public ulong BytesReused;
        }
    }
}
