using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OSUpgrade
{
    public sealed partial class Site
    {
        /// <summary>Creates a distribution point group (Configuration Manager's New-CMDistributionPointGroup).</summary>
        /// <param name="name">The group's name, unique in the site in any letter case; no space at either end, none of <c>* ? [ ] `</c>.</param>
        /// <param name="description">A description.</param>
        /// <returns>The new group, with no points and no packages.</returns>
        /// <exception cref="OSUpgradeInvalidArgumentException">The name is empty or unusable.</exception>
        /// <exception cref="OSUpgradeConflictException">The name is taken.</exception>
        public DistributionPointGroup CreateDistributionPointGroup(string name, string? description = null)
        {
            RequireArgument(name, nameof(name));
            return Proxy.osu_distribution_point_group_create(Handle, name, description);
        }

        /// <summary>Gets a distribution point group by name.</summary>
        /// <param name="name">The group's name (any letter case).</param>
        /// <returns>The group.</returns>
        /// <exception cref="OSUpgradeNotFoundException">There is no such group.</exception>
        public DistributionPointGroup GetDistributionPointGroup(string name)
        {
            RequireArgument(name, nameof(name));
            return Proxy.osu_distribution_point_group_get(Handle, name);
        }

        /// <summary>Lists every distribution point group, by name.</summary>
        /// <returns>The groups.</returns>
        public IReadOnlyList<DistributionPointGroup> GetDistributionPointGroups()
        {
            return Proxy.osu_distribution_point_group_list(Handle);
        }

        /// <summary>Renames a group or changes its description; null leaves a field as it is.</summary>
        /// <param name="name">The group's name.</param>
        /// <param name="newName">The new name, or null.</param>
        /// <param name="description">The new description, or null.</param>
        /// <returns>The updated group.</returns>
        /// <exception cref="OSUpgradeNotFoundException">There is no such group.</exception>
        /// <exception cref="OSUpgradeConflictException">The new name is taken.</exception>
        public DistributionPointGroup SetDistributionPointGroup(string name, string? newName = null, string? description = null)
        {
            RequireArgument(name, nameof(name));
            return Proxy.osu_distribution_point_group_set(Handle, name, newName, description);
        }

        /// <summary>Removes a group. Its points keep the content they hold.</summary>
        /// <param name="name">The group's name.</param>
        /// <exception cref="OSUpgradeNotFoundException">There is no such group.</exception>
        public void RemoveDistributionPointGroup(string name)
        {
            RequireArgument(name, nameof(name));
            Proxy.osu_distribution_point_group_remove(Handle, name);
        }

        /// <summary>
        /// Makes distribution points members of a group, then gives them the packages the group carries
        /// (as <see cref="DistributeContent"/> does).
        /// </summary>
        /// <param name="groupName">The group.</param>
        /// <param name="distributionPointNames">The points; a member named again stays one.</param>
        /// <param name="options">How many jobs run at once.</param>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels the distribution; the points stay members.</param>
        /// <returns>The status of every job; none when the group carries no package.</returns>
        /// <exception cref="OSUpgradeNotFoundException">The group or a point does not exist; then no point joins.</exception>
        public IReadOnlyList<DistributionStatus> AddDistributionPointsToGroup(
            string groupName,
            IEnumerable<string> distributionPointNames,
            DistributeOptions? options = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            RequireArgument(groupName, nameof(groupName));
            RequireArgument(distributionPointNames, nameof(distributionPointNames));
            return Proxy.osu_distribution_point_group_add_points(Handle, groupName, distributionPointNames, options, new Reporting(progress, cancellationToken));
        }

        /// <summary>Takes distribution points out of a group. They keep the content they hold.</summary>
        /// <param name="groupName">The group.</param>
        /// <param name="distributionPointNames">The points, each a member of the group.</param>
        /// <returns>The group as it is now.</returns>
        /// <exception cref="OSUpgradeNotFoundException">The group does not exist or a point is not a member; then none leaves.</exception>
        public DistributionPointGroup RemoveDistributionPointsFromGroup(string groupName, IEnumerable<string> distributionPointNames)
        {
            RequireArgument(groupName, nameof(groupName));
            RequireArgument(distributionPointNames, nameof(distributionPointNames));
            return Proxy.osu_distribution_point_group_remove_points(Handle, groupName, distributionPointNames);
        }

        /// <summary>
        /// Distributes packages to every point of a group (as <see cref="DistributeContent"/> does) and
        /// records that the group carries them, so that a point that joins later is given them too.
        /// </summary>
        /// <param name="packageIds">The packages.</param>
        /// <param name="groupName">The group.</param>
        /// <param name="options">How many jobs run at once.</param>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels every job; each point keeps its previous version.</param>
        /// <returns>The status of every job; none for a group without points.</returns>
        /// <exception cref="OSUpgradeNotFoundException">A package or the group does not exist.</exception>
        public IReadOnlyList<DistributionStatus> DistributeContentToGroup(
            IEnumerable<string> packageIds,
            string groupName,
            DistributeOptions? options = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            RequireArgument(packageIds, nameof(packageIds));
            RequireArgument(groupName, nameof(groupName));
            return Proxy.osu_content_distribute_to_group(Handle, packageIds, groupName, options, new Reporting(progress, cancellationToken));
        }

        /// <summary>
        /// Validates the packages a group carries (or one package) on each point of the group that
        /// holds them, as <see cref="ValidateContent"/> does.
        /// </summary>
        /// <param name="groupName">The group.</param>
        /// <param name="packageId">One package the group carries, or null for every package it carries.</param>
        /// <param name="progress">Receives progress on the calling thread.</param>
        /// <param name="cancellationToken">Cancels the validation.</param>
        /// <returns>A report per package and point.</returns>
        /// <exception cref="OSUpgradeNotFoundException">The group does not exist, or does not carry the package.</exception>
        /// <exception cref="OSUpgradeBusyException">Another process is changing one of the points.</exception>
        public IReadOnlyList<ValidationReport> ValidateContentOnGroup(
            string groupName,
            string? packageId = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            RequireArgument(groupName, nameof(groupName));
            return Proxy.osu_content_validate_on_group(Handle, groupName, packageId, new Reporting(progress, cancellationToken));
        }

        /// <summary>
        /// Removes a package's content from the points of a group, and the group no longer carries it;
        /// a point keeps it where another of its groups still carries it.
        /// </summary>
        /// <param name="packageId">The package ID.</param>
        /// <param name="groupName">The group.</param>
        /// <exception cref="OSUpgradeNotFoundException">The group does not carry the package.</exception>
        public void RemoveContentFromGroup(string packageId, string groupName)
        {
            RequireArgument(packageId, nameof(packageId));
            RequireArgument(groupName, nameof(groupName));
            Proxy.osu_content_remove_from_group(Handle, packageId, groupName);
        }

        /// <summary><see cref="AddDistributionPointsToGroup"/> on a thread-pool thread.</summary>
        /// <param name="groupName">The group.</param>
        /// <param name="distributionPointNames">The points.</param>
        /// <param name="options">How many jobs run at once.</param>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels the distribution.</param>
        /// <returns>The status of every job.</returns>
        public Task<IReadOnlyList<DistributionStatus>> AddDistributionPointsToGroupAsync(
            string groupName,
            IEnumerable<string> distributionPointNames,
            DistributeOptions? options = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default) =>
            Task.Run(() => AddDistributionPointsToGroup(groupName, distributionPointNames, options, progress, cancellationToken), cancellationToken);

        /// <summary><see cref="DistributeContentToGroup"/> on a thread-pool thread.</summary>
        /// <param name="packageIds">The packages.</param>
        /// <param name="groupName">The group.</param>
        /// <param name="options">How many jobs run at once.</param>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels every job.</param>
        /// <returns>The status of every job.</returns>
        public Task<IReadOnlyList<DistributionStatus>> DistributeContentToGroupAsync(
            IEnumerable<string> packageIds,
            string groupName,
            DistributeOptions? options = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default) =>
            Task.Run(() => DistributeContentToGroup(packageIds, groupName, options, progress, cancellationToken), cancellationToken);

        /// <summary><see cref="ValidateContentOnGroup"/> on a thread-pool thread.</summary>
        /// <param name="groupName">The group.</param>
        /// <param name="packageId">One package, or null for all the group carries.</param>
        /// <param name="progress">Receives progress.</param>
        /// <param name="cancellationToken">Cancels the validation.</param>
        /// <returns>A report per package and point.</returns>
        public Task<IReadOnlyList<ValidationReport>> ValidateContentOnGroupAsync(
            string groupName,
            string? packageId = null,
            IProgress<OSUpgradeProgress>? progress = null,
            CancellationToken cancellationToken = default) =>
            Task.Run(() => ValidateContentOnGroup(groupName, packageId, progress, cancellationToken), cancellationToken);
    }
}
