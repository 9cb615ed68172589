using System;

namespace OsUpgrade
{
    /// <summary>
    /// A failure reported by the OSUpgrade library, with its status code and the library's message
    /// (which names the argument, path or package involved).
    /// </summary>
    public class OsUpgradeException : Exception
    {
        /// <summary>Creates an exception for a status and message.</summary>
        /// <param name="status">The native status code.</param>
        /// <param name="message">What went wrong.</param>
        public OsUpgradeException(OsUpgradeStatus status, string message)
            : base(message)
        {
            Status = status;
        }

        /// <summary>The native status code.</summary>
        public OsUpgradeStatus Status { get; }

        /// <summary>Makes the exception that fits a status: a subclass per class of failure.</summary>
        internal static Exception FromStatus(OsUpgradeStatus status, string message)
        {
            switch (status)
            {
                case OsUpgradeStatus.NotFound:
                    return new OsUpgradeNotFoundException(message);
                case OsUpgradeStatus.NullArgument:
                case OsUpgradeStatus.InvalidArgument:
                    return new OsUpgradeInvalidArgumentException(status, message);
                case OsUpgradeStatus.Conflict:
                    return new OsUpgradeConflictException(message);
                case OsUpgradeStatus.IO:
                    return new OsUpgradeIOException(message);
                case OsUpgradeStatus.InvalidImage:
                    return new OsUpgradeInvalidImageException(message);
                case OsUpgradeStatus.Busy:
                    return new OsUpgradeBusyException(message);
                case OsUpgradeStatus.DamagedContent:
                    return new OsUpgradeDamagedContentException(message);
                case OsUpgradeStatus.ServicingFailed:
                    return new OsUpgradeServicingFailedException(message);
                case OsUpgradeStatus.InvalidHandle:
                    return new ObjectDisposedException(nameof(Site), message);
                case OsUpgradeStatus.Cancelled:
                    return new OperationCanceledException(message);
                default:
                    return new OsUpgradeException(status, message);
            }
        }
    }

    /// <summary>The package, source folder or other object named does not exist.</summary>
    public sealed class OsUpgradeNotFoundException : OsUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What was not found.</param>
        public OsUpgradeNotFoundException(string message)
            : base(OsUpgradeStatus.NotFound, message)
        {
        }
    }

    /// <summary>
    /// An argument was refused: malformed, too long, or a source folder that is not a Windows setup
    /// source (no setup.exe, no install image, a link inside).
    /// </summary>
    public sealed class OsUpgradeInvalidArgumentException : OsUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="status"><see cref="OsUpgradeStatus.InvalidArgument"/> or <see cref="OsUpgradeStatus.NullArgument"/>.</param>
        /// <param name="message">Which argument, and why.</param>
        public OsUpgradeInvalidArgumentException(OsUpgradeStatus status, string message)
            : base(status, message)
        {
        }
    }

    /// <summary>The change conflicts with the site: the same Name and Version, another site code.</summary>
    public sealed class OsUpgradeConflictException : OsUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What it conflicts with.</param>
        public OsUpgradeConflictException(string message)
            : base(OsUpgradeStatus.Conflict, message)
        {
        }
    }

    /// <summary>Reading or writing a file or folder failed.</summary>
    public sealed class OsUpgradeIOException : OsUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The path and the system's reason.</param>
        public OsUpgradeIOException(string message)
            : base(OsUpgradeStatus.IO, message)
        {
        }
    }

    /// <summary>install.wim or install.esd is not a WIM file, is truncated, or has no Windows metadata.</summary>
    public sealed class OsUpgradeInvalidImageException : OsUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The image's path and what is wrong with it.</param>
        public OsUpgradeInvalidImageException(string message)
            : base(OsUpgradeStatus.InvalidImage, message)
        {
        }
    }

    /// <summary>Content in the site's library does not match its hash: damaged or tampered with.</summary>
    public sealed class OsUpgradeDamagedContentException : OsUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The file whose content is damaged.</param>
        public OsUpgradeDamagedContentException(string message)
            : base(OsUpgradeStatus.DamagedContent, message)
        {
        }
    }

    /// <summary>Another process held the site database too long, or is changing the same package on the same distribution point.</summary>
    public sealed class OsUpgradeBusyException : OsUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The database's path.</param>
        public OsUpgradeBusyException(string message)
            : base(OsUpgradeStatus.Busy, message)
        {
        }
    }

    /// <summary>The servicing engine failed a step of a run (an update it could not add, an image it could not mount or commit).</summary>
    public sealed class OsUpgradeServicingFailedException : OsUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What failed, with the engine's exit code.</param>
        public OsUpgradeServicingFailedException(string message)
            : base(OsUpgradeStatus.ServicingFailed, message)
        {
        }
    }
}
