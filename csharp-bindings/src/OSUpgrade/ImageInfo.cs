using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace OSUpgrade
{
    /// <summary>One image (index) of a package's install.wim or install.esd.</summary>
    public sealed class ImageInfo
    {
        /// <summary>Creates the record; the library's JSON fills it.</summary>
        /// <param name="index">The image index, from 1.</param>
        /// <param name="name">The image name, e.g. "Windows 10 Pro".</param>
        /// <param name="description">The image description.</param>
        /// <param name="editionId">The edition ID, e.g. "Professional".</param>
        /// <param name="architecture">x86, x64, arm or arm64.</param>
        /// <param name="version">major.minor.build.spbuild, e.g. 10.0.19045.2965.</param>
        /// <param name="languages">The installed languages.</param>
        /// <param name="defaultLanguage">The default language.</param>
        /// <param name="size">Bytes of the expanded image.</param>
        [JsonConstructor]
        public ImageInfo(
            int index,
            string name,
            string description,
            string editionId,
            string architecture,
            string version,
            IReadOnlyList<string> languages,
            string defaultLanguage,
            long size)
        {
            Index = index;
            Name = name;
            Description = description;
            EditionId = editionId;
            Architecture = architecture;
            Version = version;
            Languages = languages;
            DefaultLanguage = defaultLanguage;
            Size = size;
        }

        /// <summary>The image index, from 1.</summary>
        public int Index { get; }

        /// <summary>The image name, e.g. "Windows 10 Pro".</summary>
        public string Name { get; }

        /// <summary>The image description.</summary>
        public string Description { get; }

        /// <summary>The edition ID, e.g. "Professional" or "Enterprise".</summary>
        public string EditionId { get; }

        /// <summary>x86, x64, arm or arm64.</summary>
        public string Architecture { get; }

        /// <summary>major.minor.build.spbuild, e.g. 10.0.19045.2965.</summary>
        public string Version { get; }

        /// <summary>The installed languages, e.g. en-US.</summary>
        public IReadOnlyList<string> Languages { get; }

        /// <summary>The default language.</summary>
        public string DefaultLanguage { get; }

        /// <summary>Bytes of the expanded image.</summary>
        public long Size { get; }

        /// <inheritdoc/>
        public override string ToString() => $"{Index}: {Name} ({EditionId}, {Architecture}, {Version})";
    }
}
