using System;

namespace OSUpgrade
{
    /// <summary>
    /// An open OSUpgrade site: its database and content library. Every operation on packages goes
    /// through a site. Dispose it to close it; calls on one site from several threads take turns.
    /// The operations are in one file per area: Site.Packages.cs, Site.Distribution.cs,
    /// Site.Groups.cs, Site.Updates.cs, Site.Schedules.cs; the native calls behind them are in
    /// Proxy.cs.
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

            return Native.FirstCall(() => new Site(Proxy.osu_site_open(path, siteCode)));
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
            RequireArgument(path, nameof(path));
            return Native.FirstCall(() => new Site(Proxy.osu_site_create(path, siteCode)));
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

        /// <summary>The site's summary: paths, code, schema version, package count, library size, bytes saved.</summary>
        /// <returns>The summary.</returns>
        public SiteInfo GetInfo()
        {
            return Proxy.osu_site_info(Handle);
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

            Proxy.osu_site_set_retained_content_versions(Handle, (uint)count);
        }

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

            Proxy.osu_site_set_log_callback(Handle, native);
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

        private static void RequireArgument(object? value, string name)
        {
            if (value == null)
            {
                throw new ArgumentNullException(name);
            }
        }
    }
}
