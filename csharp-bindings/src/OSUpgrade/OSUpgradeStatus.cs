namespace OSUpgrade
{
    /// <summary>
    /// The status codes of the native library (<c>osu_status</c> in <c>osupgrade.h</c>). The numbers
    /// are stable and never reused.
    /// </summary>
    public enum OSUpgradeStatus
    {
        /// <summary>The call succeeded.</summary>
        Ok = 0,

        /// <summary>A required argument was null.</summary>
        NullArgument = 1,

        /// <summary>An argument was malformed or refused.</summary>
        InvalidArgument = 2,

        /// <summary>The site handle was not open.</summary>
        InvalidHandle = 3,

        /// <summary>The package, folder or other object named does not exist.</summary>
        NotFound = 4,

        /// <summary>The change conflicts with what the site holds.</summary>
        Conflict = 5,

        /// <summary>Reading or writing a file or folder failed.</summary>
        IO = 6,

        /// <summary>install.wim or install.esd is not a usable Windows image.</summary>
        InvalidImage = 7,

        /// <summary>The operation was cancelled.</summary>
        Cancelled = 8,

        /// <summary>Another process held the site database too long.</summary>
        Busy = 9,

        /// <summary>The site database failed or is damaged.</summary>
        Database = 10,

        /// <summary>A bug in OSUpgrade.</summary>
        Internal = 11,

        /// <summary>Content in the site's library does not match its hash.</summary>
        DamagedContent = 12,

        /// <summary>The servicing engine failed a step of a run; the run's results and log say which and why.</summary>
        ServicingFailed = 13,

        /// <summary>The system refused access to a file or folder (EACCES, EPERM, Windows' access denied), in any language.</summary>
        AccessDenied = 14,

        /// <summary>The disk or the quota is full; nothing half-written is kept.</summary>
        DiskFull = 15,
    }
}
