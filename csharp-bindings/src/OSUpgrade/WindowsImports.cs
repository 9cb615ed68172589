using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace OSUpgrade
{
    /// <summary>
    /// Reads the names of the DLLs a Windows library imports (its PE import directory). Windows
    /// says only "module not found" when one of them is missing; this names which.
    /// </summary>
    internal static class WindowsImports
    {
        private const int ImportDirectoryIndex = 1;

        /// <summary>The imported DLL names, or none when the file is not a PE image this can read.</summary>
        internal static IReadOnlyList<string> Read(string path)
        {
            try
            {
                return Read(File.ReadAllBytes(path));
            }
            catch (IOException)
            {
                return Array.Empty<string>();
            }
            catch (UnauthorizedAccessException)
            {
                return Array.Empty<string>();
            }
        }

        internal static IReadOnlyList<string> Read(byte[] image)
        {
            var names = new List<string>();
            var peHeader = Int32(image, 0x3C);
            if (peHeader < 0 || Int32(image, peHeader) != 0x00004550)
            {
                return names;
            }

            var sectionCount = UInt16(image, peHeader + 6);
            var optionalHeader = peHeader + 24;
            var optionalHeaderSize = UInt16(image, peHeader + 20);
            // PE32+ (64-bit) data directories start 16 bytes later than PE32's.
            var dataDirectories = optionalHeader + (UInt16(image, optionalHeader) == 0x20B ? 112 : 96);
            var sections = new Sections(image, optionalHeader + optionalHeaderSize, sectionCount);
            var descriptor = sections.Offset(Int32(image, dataDirectories + (8 * ImportDirectoryIndex)));
            for (; descriptor >= 0 && descriptor + 20 <= image.Length; descriptor += 20)
            {
                var name = sections.Offset(Int32(image, descriptor + 12));
                if (name <= 0)
                {
                    break;
                }

                names.Add(AsciiZ(image, name));
            }

            return names;
        }

        private static int Int32(byte[] image, int offset) =>
            offset >= 0 && offset + 4 <= image.Length ? BitConverter.ToInt32(image, offset) : -1;

        private static int UInt16(byte[] image, int offset) =>
            offset >= 0 && offset + 2 <= image.Length ? BitConverter.ToUInt16(image, offset) : -1;

        private static string AsciiZ(byte[] image, int offset)
        {
            var end = Array.IndexOf(image, (byte)0, offset);
            return Encoding.ASCII.GetString(image, offset, (end < 0 ? image.Length : end) - offset);
        }

        /// <summary>Maps addresses in the loaded image (RVAs) to offsets in the file.</summary>
        private readonly struct Sections
        {
            private readonly byte[] image;
            private readonly int table;
            private readonly int count;

            internal Sections(byte[] image, int table, int count)
            {
                this.image = image;
                this.table = table;
                this.count = count;
            }

            internal int Offset(int rva)
            {
                for (var section = 0; rva > 0 && section < count; section++)
                {
                    var entry = table + (40 * section);
                    var address = Int32(image, entry + 12);
                    var size = Math.Max(Int32(image, entry + 8), Int32(image, entry + 16));
                    if (address >= 0 && rva >= address && rva < address + size)
                    {
                        var offset = Int32(image, entry + 20) + (rva - address);
                        return offset < image.Length ? offset : -1;
                    }
                }

                return -1;
            }
        }
    }
}
