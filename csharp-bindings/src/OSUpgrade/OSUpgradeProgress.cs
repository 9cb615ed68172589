namespace OSUpgrade
{
    /// <summary>The long operation a progress report is about (<c>osu_operation</c>).</summary>
    public enum OSUpgradeOperation
    {
        /// <summary><see cref="Site.AddPackage"/>.</summary>
        Add = 0,

        /// <summary><see cref="Site.ReloadPackageContent"/>.</summary>
        Reload = 1,

        /// <summary><see cref="Site.DistributeContent"/> and <see cref="Site.RedistributeContent"/>.</summary>
        Distribute = 2,

        /// <summary><see cref="Site.ValidateContent"/>.</summary>
        Validate = 3,

        /// <summary><see cref="Site.ImportUpdates"/>.</summary>
        ImportUpdates = 4,

        /// <summary><see cref="Site.RunSchedule"/> and <see cref="Site.RunDueSchedules"/>.</summary>
        Service = 5,
    }

    /// <summary>What the operation is doing (<c>osu_phase</c>).</summary>
    public enum OSUpgradePhase
    {
        /// <summary>Walking the source folder.</summary>
        Scanning = 0,

        /// <summary>Reading install.wim / install.esd metadata.</summary>
        ReadingImage = 1,

        /// <summary>Hashing files into the content library.</summary>
        Importing = 2,

        /// <summary>Writing the site database.</summary>
        Recording = 3,

        /// <summary>Copying verified content to a distribution point.</summary>
        Copying = 4,

        /// <summary>Re-hashing what a distribution point holds.</summary>
        Validating = 5,

        /// <summary>Copying the image to service out of the content library.</summary>
        TakingOut = 6,

        /// <summary>The servicing engine applying an update (CurrentFile names it: "KB… on install:2").</summary>
        Servicing = 7,
    }

    /// <summary>
    /// One progress report, the same for every long operation (add, reload, distribute, validate,
    /// update import, servicing).
    /// Byte and file counts are those of the current job: the whole import, or one package on one
    /// distribution point.
    /// </summary>
    public sealed class OSUpgradeProgress
    {
        internal OSUpgradeProgress(NativeMethods.Progress native)
        {
            Operation = (OSUpgradeOperation)native.Operation;
            Phase = (OSUpgradePhase)native.Phase;
            PackageId = Utf8.FromNative(native.PackageId);
            DistributionPoint = Utf8.FromNative(native.DistributionPoint);
            CurrentFile = Utf8.FromNative(native.CurrentFile);
            BytesDone = (long)native.BytesDone;
            BytesTotal = (long)native.BytesTotal;
            FilesDone = (long)native.FilesDone;
            FilesTotal = (long)native.FilesTotal;
            JobsDone = (long)native.JobsDone;
            JobsTotal = (long)native.JobsTotal;
            BytesReused = (long)native.BytesReused;
        }

        /// <summary>The operation.</summary>
        public OSUpgradeOperation Operation { get; }

        /// <summary>The phase.</summary>
        public OSUpgradePhase Phase { get; }

        /// <summary>The job's package; empty while an add has no ID yet.</summary>
        public string PackageId { get; }

        /// <summary>The job's distribution point; empty for an add or reload.</summary>
        public string DistributionPoint { get; }

        /// <summary>The file last handled, relative to the package's root.</summary>
        public string CurrentFile { get; }

        /// <summary>Bytes the job handled so far.</summary>
        public long BytesDone { get; }

        /// <summary>Bytes the job has to handle.</summary>
        public long BytesTotal { get; }

        /// <summary>
        /// Of <see cref="BytesDone"/>, the bytes a distribution took from what the point already
        /// held (the unchanged ranges of a large file's earlier version there) instead of copying
        /// them from the site's library.
        /// </summary>
        public long BytesReused { get; }

        /// <summary>Files the job handled so far.</summary>
        public long FilesDone { get; }

        /// <summary>Files the job has to handle.</summary>
        public long FilesTotal { get; }

        /// <summary>Jobs finished.</summary>
        public long JobsDone { get; }

        /// <summary>Jobs in all.</summary>
        public long JobsTotal { get; }

        /// <summary>The job's bytes done as a percentage (0 to 100), 0 while the total is unknown.</summary>
        public int PercentComplete => BytesTotal == 0 ? 0 : (int)(100 * BytesDone / BytesTotal);
    }
}
