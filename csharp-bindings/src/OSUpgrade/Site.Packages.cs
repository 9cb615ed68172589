using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OSUpgrade
{
    public sealed partial class Site
    {
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
            return Proxy.osu_package_add(Handle, sourcePath, name, version, comment, new Reporting(progress, cancellationToken));
        }

        /// <summary>Gets a package by ID.</summary>
        /// <param name="id">The package ID, e.g. OSU00001.</param>
        /// <returns>The package.</returns>
        /// <exception cref="OSUpgradeNotFoundException">There is no such package.</exception>
        public UpgradePackage GetPackage(string id)
        {
            RequireArgument(id, nameof(id));
            return Proxy.osu_package_get(Handle, id);
        }

        /// <summary>Lists packages by name, with * and ? wildcards in any letter case, ordered by ID.</summary>
        /// <param name="namePattern">The name or wildcard pattern; null lists all packages.</param>
        /// <returns>The matching packages.</returns>
        public IReadOnlyList<UpgradePackage> GetPackages(string? namePattern = null)
        {
            return Proxy.osu_package_list(Handle, namePattern);
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
            return Proxy.osu_package_set(Handle, id, name, version, comment);
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
            Proxy.osu_package_remove(Handle, id);
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
            return Proxy.osu_package_reload_content(Handle, id, new Reporting(progress, cancellationToken));
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

        /// <summary>
        /// A package's content versions, newest first: the current one, those the library keeps, and the earlier
        /// ones it collected, each with the distribution points that hold it.
        /// </summary>
        /// <param name="packageId">The package ID.</param>
        /// <returns>The versions.</returns>
        /// <exception cref="OSUpgradeNotFoundException">There is no such package.</exception>
        public IReadOnlyList<ContentVersion> GetContentVersions(string packageId)
        {
            RequireArgument(packageId, nameof(packageId));
            return Proxy.osu_content_version_list(Handle, packageId);
        }
    }
}
