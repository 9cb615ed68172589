namespace OSUpgrade
{
    /// <summary>How a distribution runs.</summary>
    public sealed class DistributeOptions
    {
        /// <summary>Jobs (package x point) served at once, 1 to 64. Default 4.</summary>
        public int Workers { get; set; } = 4;
    }
}
