namespace OsUpgrade
{
    /// <summary>What adding a package is doing.</summary>
    public enum AddPackagePhase
    {
        /// <summary>Walking the source folder.</summary>
        Scanning = 0,

        /// <summary>Reading install.wim / install.esd metadata.</summary>
        ReadingImage = 1,

        /// <summary>Hashing files into the content library.</summary>
        Importing = 2,

        /// <summary>Writing the site database.</summary>
        Recording = 3,
    }

    /// <summary>One progress report of <see cref="Site.AddPackage"/>.</summary>
    public sealed class AddPackageProgress
    {
        internal AddPackageProgress(NativeMethods.Progress native)
        {
            Phase = (AddPackagePhase)native.Phase;
            CurrentFile = Utf8.FromNative(native.CurrentFile);
            BytesDone = (long)native.BytesDone;
            BytesTotal = (long)native.BytesTotal;
            FilesDone = (long)native.FilesDone;
            FilesTotal = (long)native.FilesTotal;
        }

        /// <summary>The phase.</summary>
        public AddPackagePhase Phase { get; }

        /// <summary>The file last finished, relative to the source folder.</summary>
        public string CurrentFile { get; }

        /// <summary>Bytes hashed so far.</summary>
        public long BytesDone { get; }

        /// <summary>Bytes to hash in all.</summary>
        public long BytesTotal { get; }

        /// <summary>Files finished so far.</summary>
        public long FilesDone { get; }

        /// <summary>Files in all.</summary>
        public long FilesTotal { get; }

        /// <summary>Bytes done as a percentage (0 to 100), 0 while the total is unknown.</summary>
        public int PercentComplete => BytesTotal == 0 ? 0 : (int)(100 * BytesDone / BytesTotal);
    }
}
