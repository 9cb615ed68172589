using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace OSUpgrade
{
    /// <summary>
    /// An open OSUpgrade site: its database and content library. Every operation on packages goes
    /// through a site. Dispose it to close it; calls on one site from several threads take turns.
    /// </summary>
    public sealed partial class Site : IDisposable
    {
        private readonly SiteHandle handle;
        private NativeMethods.LogCallback? logCallback;

        private Site(SiteHandle handle)
        {
            this.handle = handle;
        }

        /// <summary>The environment variable that names the embedded default site.</summary>
        public const string SiteVariable = "OSUPGRADE_SITE";

        /// <summary>The native library's version, e.g. "0.1.0".</summary>
        public static string LibraryVersion => Native.FirstCall(() => Utf8.FromNative(NativeMethods.osu_version()));

        /// <summary>
        /// Opens an existing site. <paramref name="path"/> names the database file or the folder that
        /// holds <c>site.db</c>; a path that holds no site throws <see cref="OSUpgradeNotFoundException"/>
        /// (opening never creates: see <see cref="Create"/>). Null opens the embedded default, created
        /// on first use: <c>$OSUPGRADE_SITE</c>, else <c>%ProgramData%\OSUpgrade</c> on Windows and
        /// <c>~/.local/share/osupgrade</c> elsewhere.
        /// </summary>
        /// <param name="path">The site's database file or folder; null for the embedded default.</param>
        /// <param name="siteCode">When given, the code the site must have (and the embedded default's when it is made).</param>
        /// <returns>The open site.</returns>
        /// <exception cref="OSUpgradeNotFoundException">No site is at the path.</exception>
        /// <exception cref="OSUpgradeConflictException">The site has another code.</exception>
        /// <exception cref="OSUpgradeInvalidArgumentException">The path or code is malformed.</exception>
        /// <exception cref="DllNotFoundException">The native library is missing; the message says where it was looked for.</exception>
        public static Site Open(string? path = null, string? siteCode = null)
        {
            // On Unix, .NET keeps its own copy of the environment: a variable set from .NET (or
            // $env: in PowerShell) never reaches the native library's getenv, so it is read here,
            // and the embedded default it names is created on first use as the library would.
            if (path == null)
            {
                var fromEnvironment = Environment.GetEnvironmentVariable(SiteVariable);
                if (!string.IsNullOrEmpty(fromEnvironment))
                {
                    return OpenOrCreate(fromEnvironment!, siteCode);
                }
            }

            return Native.FirstCall(() => Take(NativeMethods.osu_site_open(Utf8.ToNative(path), Utf8.ToNative(siteCode), out var handle), handle));
        }

        /// <summary>
        /// Creates a site at <paramref name="path"/> (a folder, made if needed, that will hold
        /// <c>site.db</c> and the content library; or a database file name) and opens it.
        /// </summary>
        /// <param name="path">The folder or database file of the new site.</param>
        /// <param name="siteCode">Its three-character code, which prefixes its package IDs (default OSU).</param>
        /// <returns>The open site.</returns>
        /// <exception cref="OSUpgradeConflictException">A site exists at the path already.</exception>
        /// <exception cref="OSUpgradeInvalidArgumentException">The path or code is malformed.</exception>
        public static Site Create(string path, string? siteCode = null)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            return Native.FirstCall(() => Take(NativeMethods.osu_site_create(Utf8.ToNative(path)!, Utf8.ToNative(siteCode), out var handle), handle));
        }

        private static Site OpenOrCreate(string path, string? siteCode)
        {
            try
            {
                return Open(path, siteCode);
            }
            catch (OSUpgradeNotFoundException)
            {
                try
                {
                    return Create(path, siteCode);
                }
                catch (OSUpgradeConflictException)
                {
                    return Open(path, siteCode); // another process made it meanwhile
                }
            }
        }

        private static Site Take(OSUpgradeStatus status, SiteHandle handle)
        {
            if (status != OSUpgradeStatus.Ok)
            {
                handle.Dispose();
            }

            Native.ThrowIfFailed(status);
            return new Site(handle);
        }

        /// <summary>The site's summary: paths, code, schema version, package count, library size, bytes saved.</summary>
        /// <returns>The summary.</returns>
        public SiteInfo GetInfo()
        {
            var status = NativeMethods.osu_site_info(Handle, out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.SiteInfo);
        }

        /// <summary>
        /// Sets how many retired content versions each package keeps beside its current one (0 to
        /// 100; default 1). It takes effect when a package next gets a new content version.
        /// </summary>
        /// <param name="count">The number of retired versions to keep.</param>
        /// <exception cref="OSUpgradeInvalidArgumentException">The count is negative or above 100.</exception>
        public void SetRetainedContentVersions(int count)
        {
            if (count < 0)
            {
                throw new OSUpgradeInvalidArgumentException(OSUpgradeStatus.InvalidArgument, "count: must not be negative");
            }

            Native.ThrowIfFailed(NativeMethods.osu_site_set_retained_content_versions(Handle, (uint)count));
        }

        /// <summary>
        /// Adds an upgrade package from a Windows setup source folder (setup.exe at its root,
        /// sources\install.wim or sources\install.esd): every file goes into the content library, the
        /// metadata of every image index is read, and the package is recorded with a new ID. A failed
        /// or cancelled add records nothing.
        /// </summary>
        /// <param name="sourcePath">The setup source folder.</param>
        /// <param name="name">The package name (required).</param>
        /// <param name="version">The package version; Name and Version together must be unique.</param>
        /// <param name="comment">A comment.</param>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels the add.</param>
        /// <returns>The new package.</returns>
        /// <exception cref="OSUpgradeNotFoundException">The folder does not exist.</exception>
        /// <exception cref="OSUpgradeInvalidArgumentException">It is not a Windows setup source folder.</exception>
        /// <exception cref="OSUpgradeInvalidImageException">Its install image is damaged.</exception>
        /// <exception cref="OSUpgradeConflictException">A package with this Name and Version exists.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public UpgradePackage AddPackage(
            string sourcePath,
            string name,
            string? version = null,
            string? comment = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            RequireArgument(sourcePath, nameof(sourcePath));
            RequireArgument(name, nameof(name));
            var site = Handle;
            var json = WithProgress(progress, cancellationToken, callback =>
            {
                var status = NativeMethods.osu_package_add(
                    site,
                    Utf8.ToNative(sourcePath)!,
                    Utf8.ToNative(name)!,
                    Utf8.ToNative(version),
                    Utf8.ToNative(comment),
                    callback,
                    IntPtr.Zero,
                    out var result);
                return (status, result);
            });
            return Json.Read(json, RecordContext.Default.UpgradePackage);
        }

        /// <summary>Gets a package by ID.</summary>
        /// <param name="id">The package ID, e.g. OSU00001.</param>
        /// <returns>The package.</returns>
        /// <exception cref="OSUpgradeNotFoundException">There is no such package.</exception>
        public UpgradePackage GetPackage(string id)
        {
            RequireArgument(id, nameof(id));
            var status = NativeMethods.osu_package_get(Handle, Utf8.ToNative(id)!, out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.UpgradePackage);
        }

        /// <summary>Lists packages by name, with * and ? wildcards in any letter case, ordered by ID.</summary>
        /// <param name="namePattern">The name or wildcard pattern; null lists all packages.</param>
        /// <returns>The matching packages.</returns>
        public IReadOnlyList<UpgradePackage> GetPackages(string? namePattern = null)
        {
            var status = NativeMethods.osu_package_list(Handle, Utf8.ToNative(namePattern), out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.ListUpgradePackage);
        }

        /// <summary>Changes a package's Name, Version and Comment; a null argument leaves that field as it is.</summary>
        /// <param name="id">The package ID.</param>
        /// <param name="name">The new name, or null.</param>
        /// <param name="version">The new version, or null.</param>
        /// <param name="comment">The new comment, or null.</param>
        /// <returns>The updated package.</returns>
        /// <exception cref="OSUpgradeNotFoundException">There is no such package.</exception>
        /// <exception cref="OSUpgradeConflictException">Another package has the resulting Name and Version.</exception>
        public UpgradePackage SetPackage(string id, string? name = null, string? version = null, string? comment = null)
        {
            RequireArgument(id, nameof(id));
            var status = NativeMethods.osu_package_set(
                Handle,
                Utf8.ToNative(id)!,
                Utf8.ToNative(name),
                Utf8.ToNative(version),
                Utf8.ToNative(comment),
                out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.UpgradePackage);
        }

        /// <summary>
        /// Removes a package: first its content from every distribution point that holds it, then its
        /// records and the library content no other package uses.
        /// </summary>
        /// <param name="id">The package ID.</param>
        /// <exception cref="OSUpgradeNotFoundException">There is no such package.</exception>
        public void RemovePackage(string id)
        {
            RequireArgument(id, nameof(id));
            Native.ThrowIfFailed(NativeMethods.osu_package_remove(Handle, Utf8.ToNative(id)!));
        }

        /// <summary>
        /// Reads the package's source folder again and, when its content changed, records it as the next
        /// content version (Configuration Manager's "reload from the original source location"). An
        /// unchanged source changes nothing. Distribution points get the new version with
        /// <see cref="RedistributeContent"/>.
        /// </summary>
        /// <param name="id">The package ID.</param>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels the reload, which then changes nothing.</param>
        /// <returns>The package, with its current content version.</returns>
        public UpgradePackage ReloadPackageContent(string id, IProgress<OSUpgradeProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            RequireArgument(id, nameof(id));
            var site = Handle;
            var json = WithProgress(progress, cancellationToken, callback =>
            {
                var status = NativeMethods.osu_package_reload_content(site, Utf8.ToNative(id)!, callback, IntPtr.Zero, out var result);
                return (status, result);
            });
            return Json.Read(json, RecordContext.Default.UpgradePackage);
        }

        /// <summary>Adds a distribution point: an absolute folder, created if needed and proved writable.</summary>
        /// <param name="name">The point's name, unique in the site.</param>
        /// <param name="path">An absolute folder: a local disk, a mounted share, a UNC path on Windows.</param>
        /// <param name="description">A description.</param>
        /// <returns>The new point.</returns>
        /// <exception cref="OSUpgradeInvalidArgumentException">The path is relative or a file.</exception>
        /// <exception cref="OSUpgradeIOException">The folder cannot be created or written.</exception>
        /// <exception cref="OSUpgradeConflictException">The name is taken.</exception>
        public DistributionPoint AddDistributionPoint(string name, string path, string? description = null)
        {
            RequireArgument(name, nameof(name));
            RequireArgument(path, nameof(path));
            var status = NativeMethods.osu_distribution_point_add(Handle, Utf8.ToNative(name)!, Utf8.ToNative(path)!, Utf8.ToNative(description), out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.DistributionPoint);
        }

        /// <summary>Gets a distribution point by name.</summary>
        /// <param name="name">The point's name.</param>
        /// <returns>The point.</returns>
        /// <exception cref="OSUpgradeNotFoundException">There is no such point.</exception>
        public DistributionPoint GetDistributionPoint(string name)
        {
            RequireArgument(name, nameof(name));
            var status = NativeMethods.osu_distribution_point_get(Handle, Utf8.ToNative(name)!, out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.DistributionPoint);
        }

        /// <summary>Lists every distribution point, by name.</summary>
        /// <returns>The points.</returns>
        public IReadOnlyList<DistributionPoint> GetDistributionPoints()
        {
            var status = NativeMethods.osu_distribution_point_list(Handle, out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.ListDistributionPoint);
        }

        /// <summary>Renames a distribution point or changes its description; null leaves a field as it is.</summary>
        /// <param name="name">The point's name.</param>
        /// <param name="newName">The new name, or null.</param>
        /// <param name="description">The new description, or null.</param>
        /// <returns>The updated point.</returns>
        public DistributionPoint SetDistributionPoint(string name, string? newName = null, string? description = null)
        {
            RequireArgument(name, nameof(name));
            var status = NativeMethods.osu_distribution_point_set(Handle, Utf8.ToNative(name)!, Utf8.ToNative(newName), Utf8.ToNative(description), out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.DistributionPoint);
        }

        /// <summary>Removes a distribution point; one that holds packages only with <paramref name="force"/>, which first removes their content.</summary>
        /// <param name="name">The point's name.</param>
        /// <param name="force">Removes the content of the packages on it first.</param>
        /// <exception cref="OSUpgradeConflictException">The point holds packages and force is false.</exception>
        public void RemoveDistributionPoint(string name, bool force = false)
        {
            RequireArgument(name, nameof(name));
            Native.ThrowIfFailed(NativeMethods.osu_distribution_point_remove(Handle, Utf8.ToNative(name)!, force));
        }

        /// <summary>
        /// Distributes packages to distribution points (Configuration Manager's Distribute Content): only
        /// files that differ are copied, every byte verified against the library's hash, several points at
        /// once. A job that fails is reported with <see cref="DistributionState.Failed"/> and its error, and
        /// leaves its point at the previous version; the others go on.
        /// </summary>
        /// <param name="packageIds">The packages.</param>
        /// <param name="distributionPointNames">The points.</param>
        /// <param name="options">How many jobs run at once.</param>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels every job; each point keeps its previous version.</param>
        /// <returns>The status of every job.</returns>
        /// <exception cref="OSUpgradeNotFoundException">A package or point does not exist.</exception>
        public IReadOnlyList<DistributionStatus> DistributeContent(
            IEnumerable<string> packageIds,
            IEnumerable<string> distributionPointNames,
            DistributeOptions? options = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            var packages = NamesJson(packageIds, nameof(packageIds));
            var points = NamesJson(distributionPointNames, nameof(distributionPointNames));
            var optionsJson = OptionsJson(options);
            var site = Handle;
            var json = WithProgress(progress, cancellationToken, callback =>
            {
                var status = NativeMethods.osu_content_distribute(site, packages, points, optionsJson, callback, IntPtr.Zero, out var result);
                return (status, result);
            });
            return Json.Read(json, RecordContext.Default.ListDistributionStatus);
        }

        /// <summary>
        /// Brings every distribution point that holds a package to its current content version
        /// (Configuration Manager's Update Distribution Points).
        /// </summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="options">How many jobs run at once.</param>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels every job.</param>
        /// <returns>The status of every job.</returns>
        public IReadOnlyList<DistributionStatus> RedistributeContent(
            string packageId,
            DistributeOptions? options = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            RequireArgument(packageId, nameof(packageId));
            var optionsJson = OptionsJson(options);
            var site = Handle;
            var json = WithProgress(progress, cancellationToken, callback =>
            {
                var status = NativeMethods.osu_content_redistribute(site, Utf8.ToNative(packageId)!, optionsJson, callback, IntPtr.Zero, out var result);
                return (status, result);
            });
            return Json.Read(json, RecordContext.Default.ListDistributionStatus);
        }

        /// <summary>
        /// Validates a package on a distribution point (Configuration Manager's Validate): re-hashes every
        /// file there and reports each missing, altered and unexpected one. A point that does not match is
        /// recorded as failed.
        /// </summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="distributionPointName">The point.</param>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels the validation.</param>
        /// <returns>What the validation found.</returns>
        /// <exception cref="OSUpgradeNotFoundException">The package is not installed on the point.</exception>
        public ValidationReport ValidateContent(
            string packageId,
            string distributionPointName,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            RequireArgument(packageId, nameof(packageId));
            RequireArgument(distributionPointName, nameof(distributionPointName));
            var site = Handle;
            var json = WithProgress(progress, cancellationToken, callback =>
            {
                var status = NativeMethods.osu_content_validate(site, Utf8.ToNative(packageId)!, Utf8.ToNative(distributionPointName)!, callback, IntPtr.Zero, out var result);
                return (status, result);
            });
            return Json.Read(json, RecordContext.Default.ValidationReport);
        }

        /// <summary>Removes a package's content from a distribution point.</summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="distributionPointName">The point.</param>
        /// <exception cref="OSUpgradeNotFoundException">The package is not on the point.</exception>
        public void RemoveContent(string packageId, string distributionPointName)
        {
            RequireArgument(packageId, nameof(packageId));
            RequireArgument(distributionPointName, nameof(distributionPointName));
            Native.ThrowIfFailed(NativeMethods.osu_content_remove(Handle, Utf8.ToNative(packageId)!, Utf8.ToNative(distributionPointName)!));
        }

        /// <summary>Gets the status of packages on distribution points, narrowed to a package and/or a point.</summary>
        /// <param name="packageId">A package ID, or null for all.</param>
        /// <param name="distributionPointName">A point, or null for all.</param>
        /// <returns>The statuses, by package and point.</returns>
        public IReadOnlyList<DistributionStatus> GetDistributionStatus(string? packageId = null, string? distributionPointName = null)
        {
            var status = NativeMethods.osu_distribution_status_list(Handle, Utf8.ToNative(packageId), Utf8.ToNative(distributionPointName), out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.ListDistributionStatus);
        }

        /// <summary>Gets, per package, how many points it targets and how many hold its current version, are busy or failed.</summary>
        /// <param name="packageId">A package ID, or null for all.</param>
        /// <returns>The summaries, by package.</returns>
        public IReadOnlyList<DistributionSummary> GetDistributionSummaries(string? packageId = null)
        {
            var status = NativeMethods.osu_distribution_summary_list(Handle, Utf8.ToNative(packageId), out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.ListDistributionSummary);
        }

        /// <summary>
        /// Imports update files (.msu, .cab) into the site's catalog: each path is a file, or a folder whose
        /// .msu and .cab files (at any depth) are taken. What each update is comes from its entry in
        /// <paramref name="catalogPath"/> (a JSON catalog file, see the README) or else from its file name
        /// (windows10.0-kb5034441-x64_&lt;hash&gt;.msu). All or nothing: a file that is no cabinet, or whose KB,
        /// architecture or Windows version cannot be told, refuses the call and nothing is kept.
        /// </summary>
        /// <param name="paths">Update files and folders.</param>
        /// <param name="catalogPath">A catalog file, or null.</param>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels the import, which then keeps nothing.</param>
        /// <returns>The updates, in the catalog.</returns>
        /// <exception cref="OSUpgradeInvalidArgumentException">A file is not an update, or not one that can be told.</exception>
        /// <exception cref="OSUpgradeConflictException">The catalog has the update with other content.</exception>
        public IReadOnlyList<SoftwareUpdate> ImportUpdates(
            IEnumerable<string> paths,
            string? catalogPath = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            var pathsJson = NamesJson(paths, nameof(paths));
            var site = Handle;
            var json = WithProgress(progress, cancellationToken, callback =>
            {
                var status = NativeMethods.osu_update_import(site, pathsJson, Utf8.ToNative(catalogPath), callback, IntPtr.Zero, out var result);
                return (status, result);
            });
            return Json.Read(json, RecordContext.Default.ListSoftwareUpdate);
        }

        /// <summary>Gets an update of the catalog by ID (KB5034441-x64, any letter case).</summary>
        /// <param name="id">The update ID.</param>
        /// <returns>The update.</returns>
        /// <exception cref="OSUpgradeNotFoundException">The catalog has no such update.</exception>
        public SoftwareUpdate GetUpdate(string id)
        {
            RequireArgument(id, nameof(id));
            var status = NativeMethods.osu_update_get(Handle, Utf8.ToNative(id)!, out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.SoftwareUpdate);
        }

        /// <summary>Lists the catalog's updates whose ID, KB or title matches a pattern (* and ? wildcards), by KB.</summary>
        /// <param name="pattern">The pattern; null lists all.</param>
        /// <returns>The updates.</returns>
        public IReadOnlyList<SoftwareUpdate> GetUpdates(string? pattern = null)
        {
            var status = NativeMethods.osu_update_list(Handle, Utf8.ToNative(pattern), out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.ListSoftwareUpdate);
        }

        /// <summary>Removes an update from the catalog (and its file from the library unless something else uses it).</summary>
        /// <param name="id">The update ID.</param>
        /// <exception cref="OSUpgradeConflictException">A schedule uses it.</exception>
        public void RemoveUpdate(string id)
        {
            RequireArgument(id, nameof(id));
            Native.ThrowIfFailed(NativeMethods.osu_update_remove(Handle, Utf8.ToNative(id)!));
        }

        /// <summary>
        /// The catalog's updates that apply to a package (its architecture and build, not in its images yet,
        /// not superseded by what they hold), in installation order: servicing stack, cumulative, the rest.
        /// </summary>
        /// <param name="packageId">The package ID.</param>
        /// <returns>The applicable updates.</returns>
        public IReadOnlyList<ApplicableUpdate> GetApplicableUpdates(string packageId)
        {
            RequireArgument(packageId, nameof(packageId));
            var status = NativeMethods.osu_update_list_applicable(Handle, Utf8.ToNative(packageId)!, out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.ListApplicableUpdate);
        }

        /// <summary>
        /// The updates each image of a package holds: those found in it when it was imported and those servicing
        /// applied, with the content version each first appeared in.
        /// </summary>
        /// <param name="packageId">The package ID.</param>
        /// <returns>The updates, by image and index.</returns>
        public IReadOnlyList<AppliedUpdate> GetAppliedUpdates(string packageId)
        {
            RequireArgument(packageId, nameof(packageId));
            var status = NativeMethods.osu_update_list_applied(Handle, Utf8.ToNative(packageId)!, out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.ListAppliedUpdate);
        }

        /// <summary>Creates a servicing schedule for a package. Every update must apply to it.</summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="settings">The schedule's settings; UpdateIds is required.</param>
        /// <returns>The schedule, with its next run.</returns>
        /// <exception cref="OSUpgradeInvalidArgumentException">An update does not apply (the message says why), or a setting is out of range.</exception>
        public Schedule CreateSchedule(string packageId, ScheduleSettings settings)
        {
            RequireArgument(packageId, nameof(packageId));
            var json = (settings ?? throw new ArgumentNullException(nameof(settings))).ToJson();
            var status = NativeMethods.osu_schedule_create(Handle, Utf8.ToNative(packageId)!, json, out var result);
            return Json.Read(Native.TakeJson(status, result), RecordContext.Default.Schedule);
        }

        /// <summary>Gets a schedule by ID.</summary>
        /// <param name="id">The schedule ID.</param>
        /// <returns>The schedule.</returns>
        /// <exception cref="OSUpgradeNotFoundException">There is no such schedule.</exception>
        public Schedule GetSchedule(long id)
        {
            var status = NativeMethods.osu_schedule_get(Handle, id, out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.Schedule);
        }

        /// <summary>Lists the schedules of a package, or of every package.</summary>
        /// <param name="packageId">A package ID, or null for all.</param>
        /// <returns>The schedules, by ID.</returns>
        public IReadOnlyList<Schedule> GetSchedules(string? packageId = null)
        {
            var status = NativeMethods.osu_schedule_list(Handle, Utf8.ToNative(packageId), out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.ListSchedule);
        }

        /// <summary>Changes a schedule; a setting left null stays as it is. Its next run is computed anew.</summary>
        /// <param name="id">The schedule ID.</param>
        /// <param name="settings">What to change.</param>
        /// <returns>The schedule.</returns>
        public Schedule SetSchedule(long id, ScheduleSettings settings)
        {
            var json = (settings ?? throw new ArgumentNullException(nameof(settings))).ToJson();
            var status = NativeMethods.osu_schedule_set(Handle, id, json, out var result);
            return Json.Read(Native.TakeJson(status, result), RecordContext.Default.Schedule);
        }

        /// <summary>Removes a schedule; its run history stays with the package.</summary>
        /// <param name="id">The schedule ID.</param>
        public void RemoveSchedule(long id)
        {
            Native.ThrowIfFailed(NativeMethods.osu_schedule_remove(Handle, id));
        }

        /// <summary>
        /// Runs a schedule now: services the package's image with the schedule's updates through the site's
        /// engine, records the result as the next content version, then updates the distribution points where
        /// the schedule says so. A run that fails is recorded and returned (see <see cref="ServicingRun.State"/>).
        /// </summary>
        /// <param name="id">The schedule ID.</param>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels the run, which then changes nothing.</param>
        /// <returns>The run.</returns>
        /// <exception cref="OSUpgradeInvalidArgumentException">No servicing engine is available here; nothing was touched.</exception>
        /// <exception cref="OSUpgradeBusyException">Another runner services the package.</exception>
        public ServicingRun RunSchedule(long id, IProgress<OSUpgradeProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            var site = Handle;
            var json = WithProgress(progress, cancellationToken, callback =>
            {
                var status = NativeMethods.osu_schedule_run(site, id, callback, IntPtr.Zero, out var result);
                return (status, result);
            });
            return Json.Read(json, RecordContext.Default.ServicingRun);
        }

        /// <summary>Runs every enabled schedule that is due (what the OS scheduler calls every few minutes).</summary>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels the run under way.</param>
        /// <returns>The runs made; empty when none was due.</returns>
        public IReadOnlyList<ServicingRun> RunDueSchedules(IProgress<OSUpgradeProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            var site = Handle;
            var json = WithProgress(progress, cancellationToken, callback =>
            {
                var status = NativeMethods.osu_schedule_run_due(site, callback, IntPtr.Zero, out var result);
                return (status, result);
            });
            return Json.Read(json, RecordContext.Default.ListServicingRun);
        }

        /// <summary>The servicing runs of a schedule and/or a package, newest first.</summary>
        /// <param name="scheduleId">A schedule ID, or null for all.</param>
        /// <param name="packageId">A package ID, or null for all.</param>
        /// <returns>The runs, each with its results.</returns>
        public IReadOnlyList<ServicingRun> GetServicingRuns(long? scheduleId = null, string? packageId = null)
        {
            var status = NativeMethods.osu_servicing_run_list(Handle, scheduleId ?? 0, Utf8.ToNative(packageId), out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.ListServicingRun);
        }

        /// <summary>Sets the engine the site services with: DISM, or an admin's program (see the README's "The command engine").</summary>
        /// <param name="engine">The engine.</param>
        /// <param name="commandPath">The command engine's program, an absolute path; null or empty for DISM.</param>
        public void SetServicingEngine(ServicingEngineKind engine, string? commandPath = null)
        {
            var name = engine == ServicingEngineKind.Dism ? "dism" : "command";
            var program = string.IsNullOrEmpty(commandPath) ? null : commandPath;
            Native.ThrowIfFailed(NativeMethods.osu_servicing_engine_set(Handle, Utf8.ToNative(name)!, Utf8.ToNative(program)));
        }

        /// <summary>The engine the site services with, and whether this machine has it.</summary>
        /// <returns>The engine.</returns>
        public ServicingEngine GetServicingEngine()
        {
            var status = NativeMethods.osu_servicing_engine_get(Handle, out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.ServicingEngine);
        }

        /// <summary>
        /// <see cref="AddPackage"/> on a thread-pool thread, for callers that must not block (a UI, a
        /// service). Progress is reported from that thread; a <see cref="Progress{T}"/> made on a UI
        /// thread posts it back there.
        /// </summary>
        /// <param name="sourcePath">The setup source folder.</param>
        /// <param name="name">The package name (required).</param>
        /// <param name="version">The package version.</param>
        /// <param name="comment">A comment.</param>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels the add, which then records nothing.</param>
        /// <returns>The new package.</returns>
        public Task<UpgradePackage> AddPackageAsync(
            string sourcePath,
            string name,
            string? version = null,
            string? comment = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default) =>
            Task.Run(() => AddPackage(sourcePath, name, version, comment, progress, cancellationToken), cancellationToken);

        /// <summary><see cref="ReloadPackageContent"/> on a thread-pool thread.</summary>
        /// <param name="id">The package ID.</param>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels the reload, which then changes nothing.</param>
        /// <returns>The package, with its current content version.</returns>
        public Task<UpgradePackage> ReloadPackageContentAsync(string id, IProgress<OSUpgradeProgress>? progress = null, CancellationToken cancellationToken = default) =>
            Task.Run(() => ReloadPackageContent(id, progress, cancellationToken), cancellationToken);

        /// <summary><see cref="DistributeContent"/> on a thread-pool thread.</summary>
        /// <param name="packageIds">The packages.</param>
        /// <param name="distributionPointNames">The points.</param>
        /// <param name="options">How many jobs run at once.</param>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels every job; each point keeps its previous version.</param>
        /// <returns>The status of every job.</returns>
        public Task<IReadOnlyList<DistributionStatus>> DistributeContentAsync(
            IEnumerable<string> packageIds,
            IEnumerable<string> distributionPointNames,
            DistributeOptions? options = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default) =>
            Task.Run(() => DistributeContent(packageIds, distributionPointNames, options, progress, cancellationToken), cancellationToken);

        /// <summary><see cref="RedistributeContent"/> on a thread-pool thread.</summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="options">How many jobs run at once.</param>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels every job.</param>
        /// <returns>The status of every job.</returns>
        public Task<IReadOnlyList<DistributionStatus>> RedistributeContentAsync(
            string packageId,
            DistributeOptions? options = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default) =>
            Task.Run(() => RedistributeContent(packageId, options, progress, cancellationToken), cancellationToken);

        /// <summary><see cref="ValidateContent"/> on a thread-pool thread.</summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="distributionPointName">The point.</param>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels the validation.</param>
        /// <returns>What the validation found.</returns>
        public Task<ValidationReport> ValidateContentAsync(
            string packageId,
            string distributionPointName,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default) =>
            Task.Run(() => ValidateContent(packageId, distributionPointName, progress, cancellationToken), cancellationToken);

        /// <summary><see cref="ImportUpdates"/> on a thread-pool thread.</summary>
        /// <param name="paths">Update files and folders.</param>
        /// <param name="catalogPath">A catalog file, or null.</param>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels the import, which then keeps nothing.</param>
        /// <returns>The updates, in the catalog.</returns>
        public Task<IReadOnlyList<SoftwareUpdate>> ImportUpdatesAsync(
            IEnumerable<string> paths,
            string? catalogPath = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default) =>
            Task.Run(() => ImportUpdates(paths, catalogPath, progress, cancellationToken), cancellationToken);

        /// <summary><see cref="RunSchedule"/> on a thread-pool thread.</summary>
        /// <param name="id">The schedule ID.</param>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels the run, which then changes nothing.</param>
        /// <returns>The run.</returns>
        public Task<ServicingRun> RunScheduleAsync(long id, IProgress<OSUpgradeProgress>? progress = null, CancellationToken cancellationToken = default) =>
            Task.Run(() => RunSchedule(id, progress, cancellationToken), cancellationToken);

        /// <summary><see cref="RunDueSchedules"/> on a thread-pool thread.</summary>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels the run under way.</param>
        /// <returns>The runs made.</returns>
        public Task<IReadOnlyList<ServicingRun>> RunDueSchedulesAsync(IProgress<OSUpgradeProgress>? progress = null, CancellationToken cancellationToken = default) =>
            Task.Run(() => RunDueSchedules(progress, cancellationToken), cancellationToken);

        /// <summary>
        /// Hands the log records of this site's operations to <paramref name="callback"/> (null stops it), on the
        /// thread that called each operation, e.g. to forward them to Microsoft.Extensions.Logging:
        /// <c>site.SetLogCallback(e =&gt; logger.Log(e.Severity == OSUpgradeLogSeverity.Error ? LogLevel.Error : LogLevel.Information, "{Component}: {Message}", e.Component, e.Message))</c>.
        /// The records also go to the site's Logs folder. An exception the callback throws is dropped with its record.
        /// </summary>
        /// <param name="callback">Receives each record, or null.</param>
        public void SetLogCallback(Action<OSUpgradeLogEntry>? callback)
        {
            NativeMethods.LogCallback? native = null;
            if (callback != null)
            {
                native = (level, component, message, _) =>
                {
                    try
                    {
                        callback(new OSUpgradeLogEntry((OSUpgradeLogSeverity)level, Utf8.FromNative(component), Utf8.FromNative(message)));
                    }
                    catch (Exception)
                    {
                        // It must not unwind through native frames.
                    }
                };
            }

            Native.ThrowIfFailed(NativeMethods.osu_site_set_log_callback(Handle, native, IntPtr.Zero));
            logCallback = native; // kept alive while the library may call it
        }

        /// <summary>Closes the site. Calling it again does nothing.</summary>
        public void Dispose()
        {
            handle.Dispose();
        }

        private SiteHandle Handle
        {
            get
            {
                if (handle.IsClosed)
                {
                    throw new ObjectDisposedException(nameof(Site));
                }

                return handle;
            }
        }

        private static void RequireArgument(string value, string name)
        {
            if (value == null)
            {
                throw new ArgumentNullException(name);
            }
        }

        /// <summary>
        /// Makes a native call with a progress callback that hands each report to
        /// <paramref name="progress"/> and cancels when the token is cancelled. An exception
        /// thrown by the progress receiver stops the call and is rethrown here: it must never unwind
        /// through native frames.
        /// </summary>
        private static string WithProgress(
            IProgress<OSUpgradeProgress>? progress,
            CancellationToken cancellationToken,
            Func<NativeMethods.ProgressCallback?, (OSUpgradeStatus Status, IntPtr Json)> call)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ExceptionDispatchInfo? receiverFailure = null;
            NativeMethods.ProgressCallback? callback = null;
            if (progress != null || cancellationToken.CanBeCanceled)
            {
                callback = (report, _) =>
                {
                    try
                    {
                        progress?.Report(new OSUpgradeProgress(Marshal.PtrToStructure<NativeMethods.Progress>(report)));
                        return cancellationToken.IsCancellationRequested ? 1 : 0;
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
            receiverFailure?.Throw();
            if (status == OSUpgradeStatus.Cancelled)
            {
                throw new OperationCanceledException(Utf8.FromNative(NativeMethods.osu_last_error_message()), cancellationToken);
            }

            return Native.TakeJson(status, json);
        }

        private static byte[]? OptionsJson(DistributeOptions? options) =>
            options == null ? null : Json.Write(options, RecordContext.Default.DistributeOptions);

        private static byte[] NamesJson(IEnumerable<string> names, string argument)
        {
            if (names == null)
            {
                throw new ArgumentNullException(argument);
            }

            return Json.Write(names.ToArray(), RecordContext.Default.StringArray);
        }
    }
}
