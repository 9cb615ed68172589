using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OSUpgrade
{
    public sealed partial class Site
    {
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
            return Proxy.osu_distribution_point_add(Handle, name, path, description);
        }

        /// <summary>Gets a distribution point by name.</summary>
        /// <param name="name">The point's name.</param>
        /// <returns>The point.</returns>
        /// <exception cref="OSUpgradeNotFoundException">There is no such point.</exception>
        public DistributionPoint GetDistributionPoint(string name)
        {
            RequireArgument(name, nameof(name));
            return Proxy.osu_distribution_point_get(Handle, name);
        }

        /// <summary>Lists every distribution point, by name.</summary>
        /// <returns>The points.</returns>
        public IReadOnlyList<DistributionPoint> GetDistributionPoints()
        {
            return Proxy.osu_distribution_point_list(Handle);
        }

        /// <summary>Renames a distribution point or changes its description; null leaves a field as it is.</summary>
        /// <param name="name">The point's name.</param>
        /// <param name="newName">The new name, or null.</param>
        /// <param name="description">The new description, or null.</param>
        /// <returns>The updated point.</returns>
        public DistributionPoint SetDistributionPoint(string name, string? newName = null, string? description = null)
        {
            RequireArgument(name, nameof(name));
            return Proxy.osu_distribution_point_set(Handle, name, newName, description);
        }

        /// <summary>Removes a distribution point; one that holds packages only with <paramref name="force"/>, which first removes their content.</summary>
        /// <param name="name">The point's name.</param>
        /// <param name="force">Removes the content of the packages on it first.</param>
        /// <exception cref="OSUpgradeConflictException">The point holds packages and force is false.</exception>
        public void RemoveDistributionPoint(string name, bool force = false)
        {
            RequireArgument(name, nameof(name));
            Proxy.osu_distribution_point_remove(Handle, name, force);
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
            RequireArgument(packageIds, nameof(packageIds));
            RequireArgument(distributionPointNames, nameof(distributionPointNames));
            return Proxy.osu_content_distribute(Handle, packageIds, distributionPointNames, options, new Reporting(progress, cancellationToken));
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
            return Proxy.osu_content_redistribute(Handle, packageId, options, new Reporting(progress, cancellationToken));
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
            return Proxy.osu_content_validate(Handle, packageId, distributionPointName, new Reporting(progress, cancellationToken));
        }

        /// <summary>Removes a package's content from a distribution point.</summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="distributionPointName">The point.</param>
        /// <exception cref="OSUpgradeNotFoundException">The package is not on the point.</exception>
        public void RemoveContent(string packageId, string distributionPointName)
        {
            RequireArgument(packageId, nameof(packageId));
            RequireArgument(distributionPointName, nameof(distributionPointName));
            Proxy.osu_content_remove(Handle, packageId, distributionPointName);
        }

        /// <summary>Gets the status of packages on distribution points, narrowed to a package and/or a point.</summary>
        /// <param name="packageId">A package ID, or null for all.</param>
        /// <param name="distributionPointName">A point, or null for all.</param>
        /// <returns>The statuses, by package and point.</returns>
        public IReadOnlyList<DistributionStatus> GetDistributionStatus(string? packageId = null, string? distributionPointName = null)
        {
            return Proxy.osu_distribution_status_list(Handle, packageId, distributionPointName);
        }

        /// <summary>Gets, per package, how many points it targets and how many hold its current version, are busy or failed.</summary>
        /// <param name="packageId">A package ID, or null for all.</param>
        /// <returns>The summaries, by package.</returns>
        public IReadOnlyList<DistributionSummary> GetDistributionSummaries(string? packageId = null)
        {
            return Proxy.osu_distribution_summary_list(Handle, packageId);
        }

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
    }
}
