using System;
using System.Runtime.InteropServices;
using System.Text;

namespace OSUpgrade
{
    /// <summary>
    /// UTF-8 strings to and from the native library, by hand: <c>UnmanagedType.LPUTF8Str</c> is not
    /// there on every framework this library targets.
    /// </summary>
    internal static class Utf8
    {
        /// <summary>A NUL-terminated UTF-8 copy of <paramref name="value"/>, or null for null.</summary>
        internal static byte[]? ToNative(string? value)
        {
            if (value == null)
            {
                return null;
            }

            var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
            Encoding.UTF8.GetBytes(value, 0, value.Length, bytes, 0);
            return bytes;
        }

        /// <summary>Reads a NUL-terminated UTF-8 string the library owns.</summary>
        internal static string FromNative(IntPtr value)
        {
            if (value == IntPtr.Zero)
            {
                return string.Empty;
            }

            var length = 0;
            while (Marshal.ReadByte(value, length) != 0)
            {
                length++;
            }

            var bytes = new byte[length];
            Marshal.Copy(value, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>Reads a string the library handed over, then frees it.</summary>
        internal static string TakeNative(IntPtr value)
        {
            try
            {
                return FromNative(value);
            }
            finally
            {
                NativeMethods.osu_string_free(value);
            }
        }
    }
}
