using Microsoft.Win32.SafeHandles;

namespace OSUpgrade
{
    /// <summary>An open <c>osu_site</c>, closed with <c>osu_site_close</c> when released.</summary>
    internal sealed class SiteHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public SiteHandle()
            : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            return NativeMethods.osu_site_close(handle) == OSUpgradeStatus.Ok;
        }
    }
}
