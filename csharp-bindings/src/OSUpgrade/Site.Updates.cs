using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OSUpgrade
{
    public sealed partial class Site
    {
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
            RequireArgument(paths, nameof(paths));
            return Proxy.osu_update_import(Handle, paths, catalogPath, new Reporting(progress, cancellationToken));
        }

        /// <summary>Gets an update of the catalog by ID (KB5034441-x64, any letter case).</summary>
        /// <param name="id">The update ID.</param>
        /// <returns>The update.</returns>
        /// <exception cref="OSUpgradeNotFoundException">The catalog has no such update.</exception>
        public SoftwareUpdate GetUpdate(string id)
        {
            RequireArgument(id, nameof(id));
            return Proxy.osu_update_get(Handle, id);
        }

        /// <summary>Lists the catalog's updates whose ID, KB or title matches a pattern (* and ? wildcards), by KB.</summary>
        /// <param name="pattern">The pattern; null lists all.</param>
        /// <returns>The updates.</returns>
        public IReadOnlyList<SoftwareUpdate> GetUpdates(string? pattern = null)
        {
            return Proxy.osu_update_list(Handle, pattern);
        }

        /// <summary>Removes an update from the catalog (and its file from the library unless something else uses it).</summary>
        /// <param name="id">The update ID.</param>
        /// <exception cref="OSUpgradeConflictException">A schedule uses it.</exception>
        public void RemoveUpdate(string id)
        {
            RequireArgument(id, nameof(id));
            Proxy.osu_update_remove(Handle, id);
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
            return Proxy.osu_update_list_applicable(Handle, packageId);
        }

        /// <summary>
        /// The catalog's updates that <see cref="GetApplicableUpdates"/> leaves out for a package, each with why
        /// (<see cref="NotApplicableUpdate.Reason"/>), in installation order.
        /// </summary>
        /// <param name="packageId">The package ID.</param>
        /// <returns>The updates not offered.</returns>
        public IReadOnlyList<NotApplicableUpdate> GetNotApplicableUpdates(string packageId)
        {
            RequireArgument(packageId, nameof(packageId));
            return Proxy.osu_update_list_not_applicable(Handle, packageId);
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
            return Proxy.osu_update_list_applied(Handle, packageId);
        }

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
    }
}
