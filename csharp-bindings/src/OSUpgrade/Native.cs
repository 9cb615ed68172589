using System;

namespace OSUpgrade
{
    /// <summary>The one place a native status becomes an exception.</summary>
    internal static class Native
    {
        /// <summary>Throws the exception that fits <paramref name="status"/>, with the thread's last error message.</summary>
        internal static void ThrowIfFailed(OSUpgradeStatus status)
        {
            if (status != OSUpgradeStatus.Ok)
            {
                throw OSUpgradeException.FromStatus(status, Utf8.FromNative(NativeMethods.osu_last_error_message()));
            }
        }

        /// <summary>Checks the status, then reads and frees the JSON the call returned.</summary>
        internal static string TakeJson(OSUpgradeStatus status, IntPtr json)
        {
            ThrowIfFailed(status);
            return Utf8.TakeNative(json);
        }

        /// <summary>
        /// Makes the first call into the library, which loads it: a missing library becomes an
        /// error that says where it was looked for.
        /// </summary>
        internal static T FirstCall<T>(Func<T> call)
        {
            NativeLibraryResolver.EnsureRegistered();
            try
            {
                return call();
            }
            catch (DllNotFoundException e) when (!e.Message.StartsWith("OSUpgrade's", StringComparison.Ordinal))
            {
                throw NativeLibraryResolver.NotFound(e.Message);
            }
        }
    }
}
