using System;
using System.Collections.Generic;
using System.IO;

namespace OSUpgrade
{
    /// <summary>
    /// What every exception of the OSUpgrade library has: the native status code. Each exception
    /// derives from the .NET type a caller would catch for its kind of failure
    /// (<see cref="ArgumentException"/>, <see cref="IOException"/>, <see cref="KeyNotFoundException"/>,
    /// <see cref="InvalidOperationException"/>, <see cref="FormatException"/>,
    /// <see cref="UnauthorizedAccessException"/>); catch this interface for any of them.
    /// </summary>
    public interface IOSUpgradeException
    {
        /// <summary>The native status code.</summary>
        OSUpgradeStatus Status { get; }
    }

    /// <summary>
    /// A failure of the OSUpgrade library that no more specific .NET type describes (a damaged site
    /// database, a bug), with its status code and the library's message.
    /// </summary>
    public class OSUpgradeException : Exception, IOSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        public OSUpgradeException()
            : this(OSUpgradeStatus.Internal, "OSUpgrade failed")
        {
        }

        /// <summary>Creates the exception with a message.</summary>
        /// <param name="message">What went wrong.</param>
        public OSUpgradeException(string message)
            : this(OSUpgradeStatus.Internal, message)
        {
        }

        /// <summary>Creates the exception with a message and its cause.</summary>
        /// <param name="message">What went wrong.</param>
        /// <param name="innerException">The cause.</param>
        public OSUpgradeException(string message, Exception innerException)
            : base(message, innerException)
        {
            Status = OSUpgradeStatus.Internal;
        }

        /// <summary>Creates an exception for a status and message.</summary>
        /// <param name="status">The native status code.</param>
        /// <param name="message">What went wrong.</param>
        public OSUpgradeException(OSUpgradeStatus status, string message)
            : base(message)
        {
            Status = status;
        }

        /// <inheritdoc/>
        public OSUpgradeStatus Status { get; }

        /// <summary>Makes the exception that fits a status: a type per class of failure.</summary>
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
                case OSUpgradeStatus.AccessDenied:
                    return new OSUpgradeAccessDeniedException(message);
                case OSUpgradeStatus.DiskFull:
                    return new OSUpgradeDiskFullException(message);
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

    /// <summary>
    /// An argument was missing, malformed or refused; <see cref="ArgumentException.ParamName"/> names
    /// it, as the library's message does.
    /// </summary>
    public sealed class OSUpgradeInvalidArgumentException : ArgumentException, IOSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        public OSUpgradeInvalidArgumentException()
            : this("an argument was refused")
        {
        }

        /// <summary>Creates the exception with a message (<c>argument: reason</c>).</summary>
        /// <param name="message">What was wrong.</param>
        public OSUpgradeInvalidArgumentException(string message)
            : this(OSUpgradeStatus.InvalidArgument, message)
        {
        }

        /// <summary>Creates the exception with a message and its cause.</summary>
        /// <param name="message">What was wrong.</param>
        /// <param name="innerException">The cause.</param>
        public OSUpgradeInvalidArgumentException(string message, Exception innerException)
            : base(message, ArgumentOf(message), innerException)
        {
            Status = OSUpgradeStatus.InvalidArgument;
        }

        /// <summary>Creates the exception for a status.</summary>
        /// <param name="status"><see cref="OSUpgradeStatus.InvalidArgument"/> or <see cref="OSUpgradeStatus.NullArgument"/>.</param>
        /// <param name="message">What was wrong.</param>
        public OSUpgradeInvalidArgumentException(OSUpgradeStatus status, string message)
            : base(message, ArgumentOf(message))
        {
            Status = status;
        }

        /// <inheritdoc/>
        public OSUpgradeStatus Status { get; }

        /// <summary>
        /// The library's messages start with its argument (<c>source_path: …</c>,
        /// <c>package_ids_json: …</c>, <c>options.workers: …</c>); a .NET caller knows it by the
        /// parameter's .NET name (<c>sourcePath</c>, <c>packageIds</c>, <c>options</c>).
        /// </summary>
        private static string? ArgumentOf(string message)
        {
            var colon = message.IndexOf(':');
            if (colon <= 0 || message.IndexOf(' ', 0, colon) >= 0)
            {
                return null;
            }

            var argument = message.Substring(0, colon).Split('.')[0];
            if (argument.EndsWith("_json", StringComparison.Ordinal))
            {
                argument = argument.Substring(0, argument.Length - "_json".Length);
            }

            return NetNames.TryGetValue(argument, out var net) ? net : CamelCase(argument);
        }

        /// <summary>Where the .NET parameter is not the C name in camel case.</summary>
        private static readonly System.Collections.Generic.Dictionary<string, string> NetNames = new System.Collections.Generic.Dictionary<string, string>
        {
            ["distribution_points"] = "distributionPointNames",
            ["distribution_point"] = "distributionPointName",
            ["group"] = "groupName",
        };

        private static string CamelCase(string snake)
        {
            var parts = snake.Split('_');
            for (var i = 1; i < parts.Length; i++)
            {
                parts[i] = parts[i].Length == 0 ? parts[i] : char.ToUpperInvariant(parts[i][0]) + parts[i].Substring(1);
            }

            return string.Concat(parts);
        }

        /// <summary>The library's message, which names the argument already (not repeated after it).</summary>
        public override string Message
        {
            get
            {
                var full = base.Message;
                var suffix = ParamName == null ? null : $" (Parameter '{ParamName}')";
                return suffix != null && full.EndsWith(suffix, StringComparison.Ordinal) ? full.Substring(0, full.Length - suffix.Length) : full;
            }
        }
    }

    /// <summary>Reading or writing a file or folder was denied; the message names the path.</summary>
    public sealed class OSUpgradeAccessDeniedException : UnauthorizedAccessException, IOSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        public OSUpgradeAccessDeniedException()
            : this("access denied")
        {
        }

        /// <summary>Creates the exception with a message.</summary>
        /// <param name="message">What was denied.</param>
        public OSUpgradeAccessDeniedException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and its cause.</summary>
        /// <param name="message">What was denied.</param>
        /// <param name="innerException">The cause.</param>
        public OSUpgradeAccessDeniedException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <inheritdoc/>
        public OSUpgradeStatus Status => OSUpgradeStatus.AccessDenied;
    }

    /// <summary>The disk or the quota is full; the message names the path. Nothing half-written is kept.</summary>
    public sealed class OSUpgradeDiskFullException : IOException, IOSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        public OSUpgradeDiskFullException()
            : this("disk full")
        {
        }

        /// <summary>Creates the exception with a message.</summary>
        /// <param name="message">Where the disk is full.</param>
        public OSUpgradeDiskFullException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and its cause.</summary>
        /// <param name="message">Where the disk is full.</param>
        /// <param name="innerException">The cause.</param>
        public OSUpgradeDiskFullException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <inheritdoc/>
        public OSUpgradeStatus Status => OSUpgradeStatus.DiskFull;
    }

    /// <summary>The package, point, schedule, update, folder or other object named does not exist.</summary>
    public sealed class OSUpgradeNotFoundException : KeyNotFoundException, IOSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        public OSUpgradeNotFoundException()
            : this("NotFound")
        {
        }

        /// <summary>Creates the exception with a message.</summary>
        /// <param name="message">What went wrong.</param>
        public OSUpgradeNotFoundException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and its cause.</summary>
        /// <param name="message">What went wrong.</param>
        /// <param name="innerException">The cause.</param>
        public OSUpgradeNotFoundException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <inheritdoc/>
        public OSUpgradeStatus Status => OSUpgradeStatus.NotFound;
    }

    /// <summary>The change conflicts with what the site holds (a name and version taken, an update a schedule uses, another site code).</summary>
    public sealed class OSUpgradeConflictException : InvalidOperationException, IOSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        public OSUpgradeConflictException()
            : this("Conflict")
        {
        }

        /// <summary>Creates the exception with a message.</summary>
        /// <param name="message">What went wrong.</param>
        public OSUpgradeConflictException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and its cause.</summary>
        /// <param name="message">What went wrong.</param>
        /// <param name="innerException">The cause.</param>
        public OSUpgradeConflictException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <inheritdoc/>
        public OSUpgradeStatus Status => OSUpgradeStatus.Conflict;
    }

    /// <summary>Reading or writing a file or folder failed; the message names the path.</summary>
    public sealed class OSUpgradeIOException : IOException, IOSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        public OSUpgradeIOException()
            : this("IO")
        {
        }

        /// <summary>Creates the exception with a message.</summary>
        /// <param name="message">What went wrong.</param>
        public OSUpgradeIOException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and its cause.</summary>
        /// <param name="message">What went wrong.</param>
        /// <param name="innerException">The cause.</param>
        public OSUpgradeIOException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <inheritdoc/>
        public OSUpgradeStatus Status => OSUpgradeStatus.IO;
    }

    /// <summary>install.wim, install.esd or boot.wim is not a usable Windows image.</summary>
    public sealed class OSUpgradeInvalidImageException : FormatException, IOSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        public OSUpgradeInvalidImageException()
            : this("InvalidImage")
        {
        }

        /// <summary>Creates the exception with a message.</summary>
        /// <param name="message">What went wrong.</param>
        public OSUpgradeInvalidImageException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and its cause.</summary>
        /// <param name="message">What went wrong.</param>
        /// <param name="innerException">The cause.</param>
        public OSUpgradeInvalidImageException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <inheritdoc/>
        public OSUpgradeStatus Status => OSUpgradeStatus.InvalidImage;
    }

    /// <summary>Content in the site's library does not match its hash: damaged or tampered with.</summary>
    public sealed class OSUpgradeDamagedContentException : IOException, IOSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        public OSUpgradeDamagedContentException()
            : this("DamagedContent")
        {
        }

        /// <summary>Creates the exception with a message.</summary>
        /// <param name="message">What went wrong.</param>
        public OSUpgradeDamagedContentException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and its cause.</summary>
        /// <param name="message">What went wrong.</param>
        /// <param name="innerException">The cause.</param>
        public OSUpgradeDamagedContentException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <inheritdoc/>
        public OSUpgradeStatus Status => OSUpgradeStatus.DamagedContent;
    }

    /// <summary>Another process holds what the operation needs (the site database, a package on a point, a package being serviced).</summary>
    public sealed class OSUpgradeBusyException : IOException, IOSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        public OSUpgradeBusyException()
            : this("Busy")
        {
        }

        /// <summary>Creates the exception with a message.</summary>
        /// <param name="message">What went wrong.</param>
        public OSUpgradeBusyException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and its cause.</summary>
        /// <param name="message">What went wrong.</param>
        /// <param name="innerException">The cause.</param>
        public OSUpgradeBusyException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <inheritdoc/>
        public OSUpgradeStatus Status => OSUpgradeStatus.Busy;
    }

    /// <summary>The servicing engine failed a step of a run (an update it could not add, an image it could not mount or commit).</summary>
    public sealed class OSUpgradeServicingFailedException : InvalidOperationException, IOSUpgradeException
    {
        /// <summary>Creates the exception.</summary>
        public OSUpgradeServicingFailedException()
            : this("ServicingFailed")
        {
        }

        /// <summary>Creates the exception with a message.</summary>
        /// <param name="message">What went wrong.</param>
        public OSUpgradeServicingFailedException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and its cause.</summary>
        /// <param name="message">What went wrong.</param>
        /// <param name="innerException">The cause.</param>
        public OSUpgradeServicingFailedException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <inheritdoc/>
        public OSUpgradeStatus Status => OSUpgradeStatus.ServicingFailed;
    }
}
