using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace OsUpgrade
{
    /// <summary>
    /// An open OSUpgrade site: its database and content library. Every operation on packages goes
    /// through a site. Dispose it to close it; calls on one site from several threads take turns.
    /// </summary>
    public sealed class Site : IDisposable
    {
        private readonly SiteHandle handle;

        private Site(SiteHandle handle)
        {
            this.handle = handle;
        }

        /// <summary>The environment variable that names the embedded default site.</summary>
        public const string SiteVariable = "OSUPGRADE_SITE";

        /// <summary>The native library's version, e.g. "0.1.0".</summary>
        public static string LibraryVersion => Native.FirstCall(() => Utf8.FromNative(NativeMethods.osu_version()));

        /// <summary>
        /// Opens a site, creating it if needed. <paramref name="path"/> names the database file or the
        /// folder that holds <c>site.db</c> (a new path without an extension is a folder); null opens
        /// the embedded default: <c>$OSUPGRADE_SITE</c>, else <c>%ProgramData%\OSUpgrade</c> on Windows
        /// and <c>~/.local/share/osupgrade</c> elsewhere.
        /// </summary>
        /// <param name="path">The site's database file or folder; null for the embedded default.</param>
        /// <param name="siteCode">The code of a new site (default OSU); for an existing site it must match.</param>
        /// <returns>The open site.</returns>
        /// <exception cref="OsUpgradeConflictException">The site exists with another code.</exception>
        /// <exception cref="OsUpgradeInvalidArgumentException">The path or code is malformed.</exception>
        /// <exception cref="DllNotFoundException">The native library is missing; the message says where it was looked for.</exception>
        public static Site Open(string? path = null, string? siteCode = null)
        {
            // On Unix, .NET keeps its own copy of the environment: a variable set from .NET (or
            // $env: in PowerShell) never reaches the native library's getenv, so it is read here.
            if (path == null)
            {
                var fromEnvironment = Environment.GetEnvironmentVariable(SiteVariable);
                path = string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment;
            }

            return Native.FirstCall(() =>
            {
                var status = NativeMethods.osu_site_open(Utf8.ToNative(path), Utf8.ToNative(siteCode), out var handle);
                if (status != OsUpgradeStatus.Ok)
                {
                    handle.Dispose();
                }

                Native.ThrowIfFailed(status);
                return new Site(handle);
            });
        }

        /// <summary>The site's summary: paths, code, schema version, package count, library size, bytes saved.</summary>
        /// <returns>The summary.</returns>
        public SiteInfo GetInfo()
        {
            var status = NativeMethods.osu_site_info(Handle, out var json);
            return Json.Read(Native.TakeJson(status, json), RecordContext.Default.SiteInfo);
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
        /// <exception cref="OsUpgradeNotFoundException">The folder does not exist.</exception>
        /// <exception cref="OsUpgradeInvalidArgumentException">It is not a Windows setup source folder.</exception>
        /// <exception cref="OsUpgradeInvalidImageException">Its install image is damaged.</exception>
        /// <exception cref="OsUpgradeConflictException">A package with this Name and Version exists.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public UpgradePackage AddPackage(
            string sourcePath,
            string name,
            string? version = null,
            string? comment = null,
            IProgress<AddPackageProgress>? progress = null,
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
        /// <exception cref="OsUpgradeNotFoundException">There is no such package.</exception>
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
        /// <exception cref="OsUpgradeNotFoundException">There is no such package.</exception>
        /// <exception cref="OsUpgradeConflictException">Another package has the resulting Name and Version.</exception>
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

        /// <summary>Removes a package and the content no other package uses.</summary>
        /// <param name="id">The package ID.</param>
        /// <exception cref="OsUpgradeNotFoundException">There is no such package.</exception>
        public void RemovePackage(string id)
        {
            RequireArgument(id, nameof(id));
            Native.ThrowIfFailed(NativeMethods.osu_package_remove(Handle, Utf8.ToNative(id)!));
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
        /// Makes a native call with a progress callback that reports to <paramref name="progress"/> and
        /// cancels when the token is cancelled. An exception thrown by the progress receiver stops the
        /// call and is rethrown here: it must never unwind through native frames.
        /// </summary>
        private static string WithProgress(
            IProgress<AddPackageProgress>? progress,
            CancellationToken cancellationToken,
            Func<NativeMethods.ProgressCallback?, (OsUpgradeStatus Status, IntPtr Json)> call)
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
                        progress?.Report(new AddPackageProgress(Marshal.PtrToStructure<NativeMethods.Progress>(report)));
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
            if (status == OsUpgradeStatus.Cancelled)
            {
                throw new OperationCanceledException(Utf8.FromNative(NativeMethods.osu_last_error_message()), cancellationToken);
            }

            return Native.TakeJson(status, json);
        }
    }
}
