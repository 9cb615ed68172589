//! The JSON shapes of the C interface: every record a function hands out, spelled as C, C# and
//! PowerShell read it (camelCase). The core's records know nothing of them; a field added here
//! is a change of the interface, documented in the header.

use serde::{Deserialize, Serialize};

use super::status::osu_status;
use crate::distribution::DistributeOptions;
use crate::model::{
    ApplicableUpdate, AppliedUpdate, DistributionPoint, DistributionPointGroup, DistributionStatus,
    DistributionSummary, ImageInfo, Package, Recurrence, Schedule, ServicingRun, Update,
    UpdateResult, ValidationReport,
};
use crate::schedule::ScheduleSettings;
use crate::servicing::Engine;
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GroupJson<'a> {
    name: &'a str,
    description: &'a str,
    members: &'a [String],
    package_ids: &'a [String],
    created_at: &'a str,
    modified_at: &'a str,
}

impl<'a> From<&'a DistributionPointGroup> for GroupJson<'a> {
    fn from(g: &'a DistributionPointGroup) -> Self {
        GroupJson {
            name: &g.name,
            description: &g.description,
            members: &g.members,
            package_ids: &g.package_ids,
            created_at: &g.created_at,
            modified_at: &g.modified_at,
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpdateJson<'a> {
    id: &'a str,
    kb: &'a str,
    title: &'a str,
    classification: String,
    architecture: &'a str,
    product: &'a str,
    builds: &'a [u32],
    release_date: &'a str,
    supersedes: &'a [String],
    file_name: &'a str,
    sha256: &'a str,
    size: u64,
    imported_at: &'a str,
}

impl<'a> From<&'a Update> for UpdateJson<'a> {
    fn from(u: &'a Update) -> Self {
        UpdateJson {
            id: &u.id,
            kb: &u.kb,
            title: &u.title,
            classification: u.classification.name(),
            architecture: &u.architecture,
            product: &u.product,
            builds: &u.builds,
            release_date: &u.release_date,
            supersedes: &u.supersedes,
            file_name: &u.file_name,
            sha256: &u.sha256,
            size: u.size,
            imported_at: &u.imported_at,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ApplicableJson<'a> {
    #[serde(flatten)]
    update: UpdateJson<'a>,
    package_id: &'a str,
    image_indexes: &'a [u32],
    targets: &'a [String],
}

impl<'a> From<&'a ApplicableUpdate> for ApplicableJson<'a> {
    fn from(a: &'a ApplicableUpdate) -> Self {
        ApplicableJson {
            update: (&a.update).into(),
            package_id: &a.package_id,
            image_indexes: &a.image_indexes,
            targets: &a.targets,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppliedJson<'a> {
    package_id: &'a str,
    image: &'a str,
    image_index: u32,
    kb: &'a str,
    build: &'a str,
    update_id: Option<&'a str>,
    origin: &'a str,
    run_id: Option<i64>,
    content_version: i64,
    applied_at: &'a str,
}

impl<'a> From<&'a AppliedUpdate> for AppliedJson<'a> {
    fn from(a: &'a AppliedUpdate) -> Self {
        AppliedJson {
            package_id: &a.package_id,
            image: &a.image,
            image_index: a.image_index,
            kb: &a.kb,
            build: &a.build,
            update_id: a.update_id.as_deref(),
            origin: &a.origin,
            run_id: a.run_id,
            content_version: a.content_version,
            applied_at: &a.applied_at,
        }
    }
}

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// A recurrence as the C interface spells it: `{"kind": "once"}`, `{"kind": "hours",
/// "interval": 6}`, `{"kind": "days", "interval": 1}`, `{"kind": "weekly", "days":
/// ["Tuesday"]}`, `{"kind": "monthlyOnDay", "day": 31}`, `{"kind": "monthlyOnWeekday",
/// "week": 2, "weekday": "Tuesday", "offsetDays": 7}` (week 5 = the last); kinds and days in
/// any letter case.
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct RecurrenceJson {
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    interval: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    days: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    week: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weekday: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset_days: Option<u8>,
}

impl From<&Recurrence> for RecurrenceJson {
    fn from(r: &Recurrence) -> Self {
        let name = |d: u8| {
            WEEKDAYS
                .get(usize::from(d))
                .copied()
                .unwrap_or("?")
                .to_string()
        };
        let kind = |k: &str| RecurrenceJson {
            kind: k.into(),
            ..Default::default()
        };
        match r {
            Recurrence::Once => kind("once"),
            Recurrence::Hours(n) => RecurrenceJson {
                interval: Some(*n),
                ..kind("hours")
            },
            Recurrence::Days(n) => RecurrenceJson {
                interval: Some(*n),
                ..kind("days")
            },
            Recurrence::Weekly(days) => RecurrenceJson {
                days: Some(days.iter().map(|d| name(*d)).collect()),
                ..kind("weekly")
            },
            Recurrence::MonthlyOnDay(day) => RecurrenceJson {
                day: Some(*day),
                ..kind("monthlyOnDay")
            },
            Recurrence::MonthlyOnWeekday {
                week,
                weekday,
                offset_days,
            } => RecurrenceJson {
                week: Some(*week),
                weekday: Some(name(*weekday)),
                offset_days: Some(*offset_days),
                ..kind("monthlyOnWeekday")
            },
        }
    }
}

impl RecurrenceJson {
    pub(crate) fn into_recurrence(self) -> Result<Recurrence, String> {
        let day_number = |name: &str| {
            WEEKDAYS
                .iter()
                .position(|d| d.eq_ignore_ascii_case(name))
                .map(|d| d as u8)
                .ok_or_else(|| format!("'{name}' is not a day of the week (Sunday … Saturday)"))
        };
        let need = |what: &str| format!("a {} recurrence needs \"{what}\"", self.kind);
        Ok(match self.kind.to_ascii_lowercase().as_str() {
            "once" => Recurrence::Once,
            "hours" => Recurrence::Hours(self.interval.ok_or_else(|| need("interval"))?),
            "days" => Recurrence::Days(self.interval.ok_or_else(|| need("interval"))?),
            "weekly" => Recurrence::Weekly(
                self.days
                    .as_deref()
                    .ok_or_else(|| need("days"))?
                    .iter()
                    .map(|d| day_number(d))
                    .collect::<Result<_, _>>()?,
            ),
            "monthlyonday" => Recurrence::MonthlyOnDay(self.day.ok_or_else(|| need("day"))?),
            "monthlyonweekday" => Recurrence::MonthlyOnWeekday {
                week: self.week.ok_or_else(|| need("week"))?,
                weekday: day_number(self.weekday.as_deref().ok_or_else(|| need("weekday"))?)?,
                offset_days: self.offset_days.unwrap_or(0),
            },
            other => {
                return Err(format!(
                    "'{other}' is not a recurrence kind (once, hours, days, weekly, monthlyOnDay, monthlyOnWeekday)"
                ))
            }
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ScheduleJson<'a> {
    id: i64,
    package_id: &'a str,
    update_ids: &'a [String],
    recurrence: RecurrenceJson,
    start: &'a str,
    utc: bool,
    continue_on_error: bool,
    update_distribution_points: bool,
    remove_superseded: bool,
    service_win_re: bool,
    service_boot_image: bool,
    enabled: bool,
    next_run_at: Option<&'a str>,
    created_at: &'a str,
    modified_at: &'a str,
}

impl<'a> From<&'a Schedule> for ScheduleJson<'a> {
    fn from(s: &'a Schedule) -> Self {
        ScheduleJson {
            id: s.id,
            package_id: &s.package_id,
            update_ids: &s.update_ids,
            recurrence: (&s.recurrence).into(),
            start: &s.start,
            utc: s.utc,
            continue_on_error: s.continue_on_error,
            update_distribution_points: s.update_distribution_points,
            remove_superseded: s.remove_superseded,
            service_win_re: s.service_winre,
            service_boot_image: s.service_boot_image,
            enabled: s.enabled,
            next_run_at: s.next_run_at.as_deref(),
            created_at: &s.created_at,
            modified_at: &s.modified_at,
        }
    }
}

/// A schedule's settings as `osu_schedule_create` and `osu_schedule_set` take them; a field
/// not given takes its default (create) or stays as it is (set).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ScheduleSettingsJson {
    update_ids: Option<Vec<String>>,
    recurrence: Option<RecurrenceJson>,
    start: Option<String>,
    utc: Option<bool>,
    continue_on_error: Option<bool>,
    update_distribution_points: Option<bool>,
    remove_superseded: Option<bool>,
    service_win_re: Option<bool>,
    service_boot_image: Option<bool>,
    enabled: Option<bool>,
}

impl ScheduleSettingsJson {
    pub(crate) fn into_settings(self) -> Result<ScheduleSettings, String> {
        Ok(ScheduleSettings {
            update_ids: self.update_ids,
            recurrence: self
                .recurrence
                .map(RecurrenceJson::into_recurrence)
                .transpose()?,
            start: self.start,
            utc: self.utc,
            continue_on_error: self.continue_on_error,
            update_distribution_points: self.update_distribution_points,
            remove_superseded: self.remove_superseded,
            service_winre: self.service_win_re,
            service_boot_image: self.service_boot_image,
            enabled: self.enabled,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ResultJson<'a> {
    update_id: &'a str,
    image: &'a str,
    image_index: u32,
    state: &'a str,
    exit_code: Option<i64>,
    message: &'a str,
}

impl<'a> From<&'a UpdateResult> for ResultJson<'a> {
    fn from(r: &'a UpdateResult) -> Self {
        ResultJson {
            update_id: &r.update_id,
            image: &r.image,
            image_index: r.image_index,
            state: r.state.name(),
            exit_code: r.exit_code,
            message: &r.message,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RunJson<'a> {
    id: i64,
    schedule_id: Option<i64>,
    package_id: &'a str,
    state: String,
    engine: &'a str,
    content_version_from: i64,
    content_version_to: Option<i64>,
    error: &'a str,
    error_status: i32,
    log_path: &'a str,
    started_at: &'a str,
    finished_at: Option<&'a str>,
    points_pending: bool,
    points_error: &'a str,
    results: Vec<ResultJson<'a>>,
}

impl<'a> From<&'a ServicingRun> for RunJson<'a> {
    fn from(r: &'a ServicingRun) -> Self {
        RunJson {
            id: r.id,
            schedule_id: r.schedule_id,
            package_id: &r.package_id,
            state: format!("{:?}", r.state),
            engine: &r.engine,
            content_version_from: r.content_version_from,
            content_version_to: r.content_version_to,
            error: &r.error,
            error_status: r
                .error_kind
                .map_or(0, |kind| osu_status::of_kind(kind) as i32),
            log_path: &r.log_path,
            started_at: &r.started_at,
            finished_at: r.finished_at.as_deref(),
            points_pending: r.points_pending,
            points_error: &r.points_error,
            results: r.results.iter().map(ResultJson::from).collect(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EngineJson<'a> {
    engine: &'a str,
    command_path: Option<String>,
    available: bool,
    reason: String,
}

impl<'a> From<&'a Engine> for EngineJson<'a> {
    fn from(e: &'a Engine) -> Self {
        let check = e.check_available();
        EngineJson {
            engine: e.name(),
            command_path: match e {
                Engine::Command(program) => Some(program.display().to_string()),
                Engine::Dism => None,
            },
            available: check.is_ok(),
            reason: check.err().map(|e| e.to_string()).unwrap_or_default(),
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
    DistributionPointGroup => GroupJson,
    DistributionStatus => StatusJson,
    DistributionSummary => SummaryJson,
    ValidationReport => ReportJson,
    SiteInfo => SiteInfoJson,
    Update => UpdateJson,
    ApplicableUpdate => ApplicableJson,
    AppliedUpdate => AppliedJson,
    Schedule => ScheduleJson,
    ServicingRun => RunJson,
    Engine => EngineJson,
}
