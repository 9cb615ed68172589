using System;

namespace OSUpgrade
{
    /// <summary>
    /// A failure reported by the OSUpgrade library, with its status code and the library's message
    /// (which names the argument, path or package involved).
    /// </summary>
    public class OSUpgradeException : Exception
    {
        /// <summary>Creates an exception for a status and message.</summary>
        /// <param name="status">The native status code.</param>
        /// <param name="message">What went wrong.</param>
        public OSUpgradeException(OSUpgradeStatus status, string message)
            : base(message)
        {
            Status = status;
        }

        /// <summary>The native status code.</summary>
        public OSUpgradeStatus Status { get; }

        /// <summary>Makes the exception that fits a status: a subclass per class of failure.</summary>
        internal static Exception FromStatus(OSUpgradeStatus status, string message)
        {
            switch (status)
            {
                case OSUpgradeStatus.NotFound:
                    return new OSUpgradeNotFoundException(message);
                case OSUpgradeStatus.NullArgument:
                case OSUpgradeStatus.InvalidArgument:
                    return new OSUpgradeInvalidArgumentException(status, message);
                case OSUpgradeStatus.Conflict:
                    return new OSUpgradeConflictException(message);
                case OSUpgradeStatus.IO:
                    return new OSUpgradeIOException(message);
                case OSUpgradeStatus.InvalidImage:
                    return new OSUpgradeInvalidImageException(message);
                case OSUpgradeStatus.Busy:
                    return new OSUpgradeBusyException(message);
                case OSUpgradeStatus.DamagedContent:
                    return new OSUpgradeDamagedContentException(message);
                case OSUpgradeStatus.ServicingFailed:
                    return new OSUpgradeServicingFailedException(message);
                case OSUpgradeStatus.InvalidHandle:
                    return new ObjectDisposedException(nameof(Site), message);
                case OSUpgradeStatus.Cancelled:
                    return new OperationCanceledException(message);
                default:
                    return new OSUpgradeException(status, message);
            }
        }
    }

    /// <summary>The package, source folder or other object named does not exist.</summary>
    public sealed class OSUpgradeNotFoundException : OSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What was not found.</param>
        public OSUpgradeNotFoundException(string message)
            : base(OSUpgradeStatus.NotFound, message)
        {
        }
    }

    /// <summary>
    /// An argument was refused: malformed, too long, or a source folder that is not a Windows setup
    /// source (no setup.exe, no install image, a link inside).
    /// </summary>
    public sealed class OSUpgradeInvalidArgumentException : OSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="status"><see cref="OSUpgradeStatus.InvalidArgument"/> or <see cref="OSUpgradeStatus.NullArgument"/>.</param>
        /// <param name="message">Which argument, and why.</param>
        public OSUpgradeInvalidArgumentException(OSUpgradeStatus status, string message)
            : base(status, message)
        {
        }
    }

    /// <summary>The change conflicts with the site: the same Name and Version, another site code.</summary>
    public sealed class OSUpgradeConflictException : OSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What it conflicts with.</param>
        public OSUpgradeConflictException(string message)
            : base(OSUpgradeStatus.Conflict, message)
        {
        }
    }

    /// <summary>Reading or writing a file or folder failed.</summary>
    public sealed class OSUpgradeIOException : OSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The path and the system's reason.</param>
        public OSUpgradeIOException(string message)
            : base(OSUpgradeStatus.IO, message)
        {
        }
    }

    /// <summary>install.wim or install.esd is not a WIM file, is truncated, or has no Windows metadata.</summary>
    public sealed class OSUpgradeInvalidImageException : OSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The image's path and what is wrong with it.</param>
        public OSUpgradeInvalidImageException(string message)
            : base(OSUpgradeStatus.InvalidImage, message)
        {
        }
    }

    /// <summary>Content in the site's library does not match its hash: damaged or tampered with.</summary>
    public sealed class OSUpgradeDamagedContentException : OSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The file whose content is damaged.</param>
        public OSUpgradeDamagedContentException(string message)
            : base(OSUpgradeStatus.DamagedContent, message)
        {
        }
    }

    /// <summary>Another process held the site database too long, or is changing the same package on the same distribution point.</summary>
    public sealed class OSUpgradeBusyException : OSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">The database's path.</param>
        public OSUpgradeBusyException(string message)
            : base(OSUpgradeStatus.Busy, message)
        {
        }
    }

    /// <summary>The servicing engine failed a step of a run (an update it could not add, an image it could not mount or commit).</summary>
    public sealed class OSUpgradeServicingFailedException : OSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What failed, with the engine's exit code.</param>
        public OSUpgradeServicingFailedException(string message)
            : base(OSUpgradeStatus.ServicingFailed, message)
        {
        }
    }
}
