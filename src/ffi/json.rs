//! The JSON shapes of the C interface: every record a function hands out, spelled as C, C# and
//! PowerShell read it (camelCase). The core's records know nothing of them; a field added here
//! is a change of the interface, documented in the header.

use serde::{Deserialize, Serialize};

use super::status::osu_status;
use crate::distribution::DistributeOptions;
use crate::model::{
    DistributionPoint, DistributionStatus, DistributionSummary, ImageInfo, Package,
    ValidationReport,
};
use crate::site::SiteInfo;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PackageJson<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    comment: &'a str,
    source_path: &'a str,
    content_version: i64,
    size: u64,
    file_count: u64,
    created_at: &'a str,
    modified_at: &'a str,
    images: Vec<ImageJson<'a>>,
}

impl<'a> From<&'a Package> for PackageJson<'a> {
    fn from(p: &'a Package) -> Self {
        PackageJson {
            id: &p.id,
            name: &p.name,
            version: &p.version,
            comment: &p.comment,
            source_path: &p.source_path,
            content_version: p.content_version,
            size: p.size,
            file_count: p.file_count,
            created_at: &p.created_at,
            modified_at: &p.modified_at,
            images: p.images.iter().map(ImageJson::from).collect(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImageJson<'a> {
    index: u32,
    name: &'a str,
    description: &'a str,
    edition_id: &'a str,
    architecture: &'a str,
    version: &'a str,
    languages: &'a [String],
    default_language: &'a str,
    size: u64,
}

impl<'a> From<&'a ImageInfo> for ImageJson<'a> {
    fn from(i: &'a ImageInfo) -> Self {
        ImageJson {
            index: i.index,
            name: &i.name,
            description: &i.description,
            edition_id: &i.edition_id,
            architecture: &i.architecture,
            version: &i.version,
            languages: &i.languages,
            default_language: &i.default_language,
            size: i.size,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PointJson<'a> {
    name: &'a str,
    path: &'a str,
    description: &'a str,
    created_at: &'a str,
    modified_at: &'a str,
}

impl<'a> From<&'a DistributionPoint> for PointJson<'a> {
    fn from(p: &'a DistributionPoint) -> Self {
        PointJson {
            name: &p.name,
            path: &p.path,
            description: &p.description,
            created_at: &p.created_at,
            modified_at: &p.modified_at,
        }
    }
}

/// A status with its failure's class as an `osu_status` (0 when there is none).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StatusJson<'a> {
    package_id: &'a str,
    distribution_point: &'a str,
    target_content_version: i64,
    installed_content_version: Option<i64>,
    /// Configuration Manager's word: "Waiting", "InProgress", "Installed", "Failed", "Retrying".
    state: String,
    bytes_total: u64,
    bytes_copied: u64,
    files_copied: u64,
    last_error: &'a str,
    last_error_status: i32,
    started_at: Option<&'a str>,
    finished_at: Option<&'a str>,
    modified_at: &'a str,
}

impl<'a> From<&'a DistributionStatus> for StatusJson<'a> {
    fn from(s: &'a DistributionStatus) -> Self {
        StatusJson {
            package_id: &s.package_id,
            distribution_point: &s.distribution_point,
            target_content_version: s.target_content_version,
            installed_content_version: s.installed_content_version,
            state: format!("{:?}", s.state),
            bytes_total: s.bytes_total,
            bytes_copied: s.bytes_copied,
            files_copied: s.files_copied,
            last_error: &s.last_error,
            last_error_status: s
                .last_error_kind
                .map_or(osu_status::OSU_OK, osu_status::of_kind)
                as i32,
            started_at: s.started_at.as_deref(),
            finished_at: s.finished_at.as_deref(),
            modified_at: &s.modified_at,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SummaryJson<'a> {
    package_id: &'a str,
    package_name: &'a str,
    content_version: i64,
    targeted: u64,
    installed: u64,
    in_progress: u64,
    failed: u64,
}

impl<'a> From<&'a DistributionSummary> for SummaryJson<'a> {
    fn from(s: &'a DistributionSummary) -> Self {
        SummaryJson {
            package_id: &s.package_id,
            package_name: &s.package_name,
            content_version: s.content_version,
            targeted: s.targeted,
            installed: s.installed,
            in_progress: s.in_progress,
            failed: s.failed,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ReportJson<'a> {
    package_id: &'a str,
    distribution_point: &'a str,
    content_version: i64,
    files_checked: u64,
    missing: &'a [String],
    altered: &'a [String],
    unexpected: &'a [String],
    links: &'a [String],
    valid: bool,
}

impl<'a> From<&'a ValidationReport> for ReportJson<'a> {
    fn from(r: &'a ValidationReport) -> Self {
        ReportJson {
            package_id: &r.package_id,
            distribution_point: &r.distribution_point,
            content_version: r.content_version,
            files_checked: r.files_checked,
            missing: &r.missing,
            altered: &r.altered,
            unexpected: &r.unexpected,
            links: &r.links,
            valid: r.valid,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SiteInfoJson<'a> {
    database_path: &'a str,
    library_path: &'a str,
    site_code: &'a str,
    schema_version: i64,
    package_count: u64,
    blob_count: u64,
    library_size: u64,
    content_size: u64,
    bytes_saved: u64,
    retained_content_versions: u32,
}

impl<'a> From<&'a SiteInfo> for SiteInfoJson<'a> {
    fn from(i: &'a SiteInfo) -> Self {
        SiteInfoJson {
            database_path: &i.database_path,
            library_path: &i.library_path,
            site_code: &i.site_code,
            schema_version: i.schema_version,
            package_count: i.package_count,
            blob_count: i.blob_count,
            library_size: i.library_size,
            content_size: i.content_size,
            bytes_saved: i.bytes_saved,
            retained_content_versions: i.retained_content_versions,
        }
    }
}

/// `{"workers": N}`: how a distribution runs; a field not given keeps its default.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct DistributeOptionsJson {
    workers: Option<usize>,
}

impl From<DistributeOptionsJson> for DistributeOptions {
    fn from(json: DistributeOptionsJson) -> Self {
        let defaults = DistributeOptions::default();
        DistributeOptions {
            workers: json.workers.unwrap_or(defaults.workers),
        }
    }
}

/// A core record with a JSON shape of the C interface.
pub(crate) trait ToJson {
    type Json<'a>: Serialize
    where
        Self: 'a;

    fn to_json(&self) -> Self::Json<'_>;
}

macro_rules! json_shape {
    ($($record:ty => $shape:ident),* $(,)?) => {$(
        impl ToJson for $record {
            type Json<'a> = $shape<'a>;

            fn to_json(&self) -> $shape<'_> {
                self.into()
            }
        }
    )*};
}

json_shape! {
    Package => PackageJson,
    DistributionPoint => PointJson,
    DistributionStatus => StatusJson,
    DistributionSummary => SummaryJson,
    ValidationReport => ReportJson,
    SiteInfo => SiteInfoJson,
}
