namespace OSUpgrade
{
    /// <summary>How a distribution runs.</summary>
    public sealed class DistributeOptions
    {
        /// <summary>
        /// Jobs (package x point) served at once, 1 to 64. Default 4. The jobs served together
        /// read each file they lack from the content library once and write it to each of them.
        /// </summary>
        public int Workers { get; set; } = 4;
    }
}
