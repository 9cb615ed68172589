namespace OsUpgrade
{
    /// <summary>One progress report of a distribution or validation job (one package to one point).</summary>
    public sealed class DistributionProgress
    {
        internal DistributionProgress(NativeMethods.DistributionProgress native)
        {
            PackageId = Utf8.FromNative(native.PackageId);
            DistributionPoint = Utf8.FromNative(native.DistributionPoint);
            CurrentFile = Utf8.FromNative(native.CurrentFile);
            BytesDone = (long)native.BytesDone;
            BytesTotal = (long)native.BytesTotal;
            FilesDone = (long)native.FilesDone;
            FilesTotal = (long)native.FilesTotal;
            JobsDone = (long)native.JobsDone;
            JobsTotal = (long)native.JobsTotal;
        }

        /// <summary>The job's package.</summary>
        public string PackageId { get; }

        /// <summary>The job's distribution point.</summary>
        public string DistributionPoint { get; }

        /// <summary>The file last copied.</summary>
        public string CurrentFile { get; }

        /// <summary>Bytes the job copied so far.</summary>
        public long BytesDone { get; }

        /// <summary>Bytes the job has to copy.</summary>
        public long BytesTotal { get; }

        /// <summary>Files the job copied so far.</summary>
        public long FilesDone { get; }

        /// <summary>Files the job has to copy.</summary>
        public long FilesTotal { get; }

        /// <summary>Jobs finished.</summary>
        public long JobsDone { get; }

        /// <summary>Jobs in all.</summary>
        public long JobsTotal { get; }

        /// <summary>The job's bytes done as a percentage (0 to 100).</summary>
        public int PercentComplete => BytesTotal == 0 ? 0 : (int)(100 * BytesDone / BytesTotal);
    }

    /// <summary>How a distribution runs.</summary>
    public sealed class DistributeOptions
    {
        /// <summary>Jobs (package x point) served at once, 1 to 64. Default 4.</summary>
        public int Workers { get; set; } = 4;
    }
}
