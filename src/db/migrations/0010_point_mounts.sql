-- Whether a point's folder was a mount point (another file system than its parent folder's)
-- when OSUpgrade last found it as it left it: one that was and no longer is, is a share not
-- mounted, whose empty mount folder must not take the content. NULL: not known yet (a point
-- added before this column, until a run finds its control folder; a platform that cannot tell).
ALTER TABLE distribution_points ADD COLUMN mount_point INTEGER;
