mod common;

use std::fs;

use common::*;
use osupgrade::distribution::{self, DistributeOptions, DistributionState};
use osupgrade::lifecycle;
use osupgrade::progress::ignore_progress;
use osupgrade::{Error, ErrorKind};

fn options() -> DistributeOptions {
    DistributeOptions::default()
}

#[test]
fn a_group_is_created_renamed_described_and_removed_with_its_points_keeping_content() {
    let s = setup("groups-records", &["--small-files", "3"]);
    let dp1 = s.point("DP1");
    let group = distribution::create_group(&s.site, "Branches", "branch offices").unwrap();
    assert_eq!(
        (group.name.as_str(), group.description.as_str()),
        ("Branches", "branch offices")
    );
    assert!(group.members.is_empty() && group.package_ids.is_empty());
    assert_is_group_id(&group.id);

    // The conflict names the stored spelling.
    let error = distribution::create_group(&s.site, "BRANCHES", "").unwrap_err();
    assert!(
        matches!(error, Error::Conflict(_)) && error.to_string().contains("'Branches'"),
        "{error}"
    );
    for bad in ["", "  ", "Branch*", "B?", "[ab]"] {
        let error = distribution::create_group(&s.site, bad, "").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{bad}: {error}");
    }
    assert_eq!(
        distribution::get_group(&s.site, "").unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        distribution::get_group(&s.site, "nope").unwrap_err().kind(),
        ErrorKind::NotFound
    );

    distribution::add_points_to_group(
        &s.site,
        "branches",
        &["dp1"],
        &options(),
        &mut ignore_progress,
    )
    .unwrap();
    distribution::distribute_to_group(
        &s.site,
        &[&s.package.id],
        "Branches",
        &options(),
        &mut ignore_progress,
    )
    .unwrap();
    let renamed =
        distribution::set_group(&s.site, "branches", Some("Offices"), Some("all offices")).unwrap();
    assert_eq!(renamed.name, "Offices");
    assert_eq!(renamed.id, group.id, "a renamed group keeps its ID");
    assert_eq!(renamed.description, "all offices");
    assert_eq!(renamed.members, vec!["DP1".to_string()]);
    assert_eq!(renamed.package_ids, vec![s.package.id.clone()]);
    assert_eq!(
        distribution::get_group(&s.site, "Branches")
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );

    distribution::remove_group(&s.site, "OFFICES").unwrap();
    assert!(distribution::list_groups(&s.site).unwrap().is_empty());
    assert_tree_matches(&s.tree(&dp1), &s.source);
    assert_point_valid(&s, "DP1");
}

#[test]
fn distributing_to_a_group_reaches_every_point_and_a_point_that_joins_later() {
    let s = setup("groups-distribute", &["--small-files", "5"]);
    let (dp1, dp2, dp3) = (s.point("DP1"), s.point("DP2"), s.point("DP3"));
    distribution::create_group(&s.site, "Branches", "").unwrap();

    // An empty group records the package and copies nothing yet.
    let statuses = distribution::distribute_to_group(
        &s.site,
        &[&s.package.id],
        "Branches",
        &options(),
        &mut ignore_progress,
    )
    .unwrap();
    assert!(statuses.is_empty());
    assert!(!s.tree(&dp1).exists());

    let statuses = distribution::add_points_to_group(
        &s.site,
        "Branches",
        &["DP1", "dp2", "DP1"],
        &options(),
        &mut ignore_progress,
    )
    .unwrap();
    assert_eq!(statuses.len(), 2, "{statuses:?}");
    assert!(statuses
        .iter()
        .all(|st| st.state == DistributionState::Installed));
    assert_tree_matches(&s.tree(&dp1), &s.source);
    assert_tree_matches(&s.tree(&dp2), &s.source);
    assert_eq!(
        distribution::get_group(&s.site, "Branches")
            .unwrap()
            .members,
        vec!["DP1".to_string(), "DP2".to_string()],
        "stored names, each once"
    );

    // A point that joins later is given what the group carries.
    distribution::add_points_to_group(
        &s.site,
        "Branches",
        &["DP3"],
        &options(),
        &mut ignore_progress,
    )
    .unwrap();
    assert_tree_matches(&s.tree(&dp3), &s.source);

    // Taken out of the group, a point keeps its content.
    let group = distribution::remove_points_from_group(&s.site, "Branches", &["dp3"]).unwrap();
    assert_eq!(group.members.len(), 2);
    assert_tree_matches(&s.tree(&dp3), &s.source);
    let error = distribution::remove_points_from_group(&s.site, "Branches", &["DP3"]).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound, "{error}");
    assert!(error.to_string().contains("'Branches'"), "{error}");

    let error = distribution::add_points_to_group(
        &s.site,
        "Branches",
        &["DP9"],
        &options(),
        &mut ignore_progress,
    )
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert_eq!(
        distribution::get_group(&s.site, "Branches")
            .unwrap()
            .members
            .len(),
        2
    );
}

#[test]
fn validating_a_group_checks_each_package_on_each_point_and_names_what_is_wrong() {
    let s = setup("groups-validate", &["--small-files", "4"]);
    let dp1 = s.point("DP1");
    s.point("DP2");
    distribution::create_group(&s.site, "G", "").unwrap();
    distribution::add_points_to_group(
        &s.site,
        "G",
        &["DP1", "DP2"],
        &options(),
        &mut ignore_progress,
    )
    .unwrap();
    distribution::distribute_to_group(
        &s.site,
        &[&s.package.id],
        "G",
        &options(),
        &mut ignore_progress,
    )
    .unwrap();

    let victim = files_below(&s.tree(&dp1))[0].1.clone();
    fs::write(&victim, b"tampered").unwrap();
    let reports =
        distribution::validate_on_group(&s.site, "G", None, &mut ignore_progress).unwrap();
    assert_eq!(reports.len(), 2);
    let broken: Vec<_> = reports.iter().filter(|r| !r.valid).collect();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].distribution_point, "DP1");
    assert_eq!(broken[0].altered.len(), 1);

    // Distributing to the group again repairs what validation named.
    distribution::distribute_to_group(
        &s.site,
        &[&s.package.id],
        "G",
        &options(),
        &mut ignore_progress,
    )
    .unwrap();
    let reports =
        distribution::validate_on_group(&s.site, "G", Some(&s.package.id), &mut ignore_progress)
            .unwrap();
    assert!(reports.iter().all(|r| r.valid), "{reports:?}");
}

#[test]
fn removing_content_from_a_group_keeps_it_where_another_group_carries_it() {
    let s = setup("groups-remove", &["--small-files", "3"]);
    let (dp1, dp2) = (s.point("DP1"), s.point("DP2"));
    for (group, points) in [("A", vec!["DP1", "DP2"]), ("B", vec!["DP2"])] {
        distribution::create_group(&s.site, group, "").unwrap();
        distribution::add_points_to_group(
            &s.site,
            group,
            &points,
            &options(),
            &mut ignore_progress,
        )
        .unwrap();
        distribution::distribute_to_group(
            &s.site,
            &[&s.package.id],
            group,
            &options(),
            &mut ignore_progress,
        )
        .unwrap();
    }

    distribution::remove_from_group(&s.site, &s.package.id, "a").unwrap();
    assert!(!s.tree(&dp1).exists(), "DP1 is only in A");
    assert_tree_matches(&s.tree(&dp2), &s.source);
    assert!(distribution::get_group(&s.site, "A")
        .unwrap()
        .package_ids
        .is_empty());
    let error = distribution::remove_from_group(&s.site, &s.package.id, "A").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound, "{error}");

    // Removing the package removes it from the groups that carry it.
    lifecycle::remove_package(&s.site, &s.package.id).unwrap();
    assert!(distribution::get_group(&s.site, "B")
        .unwrap()
        .package_ids
        .is_empty());
    assert!(!s.tree(&dp2).exists());
}

#[test]
fn removed_and_renamed_points_leave_and_follow_their_groups() {
    let s = setup("groups-points", &["--small-files", "2"]);
    s.point("DP1");
    s.point("DP2");
    distribution::create_group(&s.site, "G", "").unwrap();
    distribution::add_points_to_group(
        &s.site,
        "G",
        &["DP1", "DP2"],
        &options(),
        &mut ignore_progress,
    )
    .unwrap();
    distribution::set_point(&s.site, "DP1", Some("Head"), None).unwrap();
    distribution::remove_point(&s.site, "DP2", false).unwrap();
    assert_eq!(
        distribution::get_group(&s.site, "G").unwrap().members,
        vec!["Head".to_string()]
    );
    let error = distribution::add_point(&s.site, "DP*", "/tmp/never-made", "").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    assert!(!std::path::Path::new("/tmp/never-made").exists());
}

#[test]
fn names_are_one_in_any_letter_case_and_never_look_alike() {
    let s = setup("groups-names", &["--small-files", "2"]);
    distribution::create_group(&s.site, "Zürich", "").unwrap();
    let error = distribution::create_group(&s.site, "ZÜRICH", "").unwrap_err();
    assert!(
        matches!(error, Error::Conflict(_)) && error.to_string().contains("'Zürich'"),
        "{error}"
    );
    assert_eq!(
        distribution::get_group(&s.site, "zürich").unwrap().name,
        "Zürich"
    );
    distribution::set_group(&s.site, "ZÜRICH", None, Some("found in another case")).unwrap();
    distribution::create_group(&s.site, "Bern", "").unwrap();
    let error = distribution::set_group(&s.site, "Bern", Some("zÜrich"), None).unwrap_err();
    assert!(matches!(error, Error::Conflict(_)), "{error}");
    for bad in [" Lab", "Lab ", "a`b"] {
        let error = distribution::create_group(&s.site, bad, "").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{bad:?}: {error}");
    }

    s.point("Genève");
    let error = distribution::add_point(
        &s.site,
        "GENÈVE",
        s.scratch.join("points/other").to_str().unwrap(),
        "",
    )
    .unwrap_err();
    assert!(matches!(error, Error::Conflict(_)), "{error}");
    distribution::add_points_to_group(
        &s.site,
        "zürich",
        &["genève"],
        &options(),
        &mut ignore_progress,
    )
    .unwrap();
    distribution::distribute(
        &s.site,
        &[&s.package.id],
        &["GENÈVE"],
        &options(),
        &mut ignore_progress,
    )
    .unwrap();
    assert_eq!(
        distribution::status(&s.site, None, Some("genève")).unwrap()[0].distribution_point,
        "Genève"
    );
    let group = distribution::remove_points_from_group(&s.site, "Zürich", &["GENÈVE"]).unwrap();
    assert!(group.members.is_empty());
}

#[test]
fn a_group_names_what_it_does_not_carry_or_hold() {
    let s = setup("groups-missing", &["--small-files", "2"]);
    s.point("DP1");
    distribution::create_group(&s.site, "G", "").unwrap();
    let error =
        distribution::validate_on_group(&s.site, "G", Some(&s.package.id), &mut ignore_progress)
            .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert!(
        error
            .to_string()
            .contains("is not distributed to distribution point group 'G'"),
        "{error}"
    );
    let error = distribution::remove_points_from_group(&s.site, "G", &["DP1"]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "distribution point 'DP1' is not a member of distribution point group 'G'"
    );
}

/// Removing a package from a group while points join it: whichever comes first, no point is
/// left holding the package unless a group of it carries it.
#[test]
fn points_joining_while_a_package_leaves_the_group_do_not_keep_it() {
    let s = setup("groups-race", &["--small-files", "40"]);
    let names: Vec<String> = (1..=6).map(|i| format!("DP{i}")).collect();
    for name in &names {
        s.point(name);
    }
    let site_path = s.site.info().unwrap().database_path;
    for round in 0..3 {
        let group = format!("G{round}");
        distribution::create_group(&s.site, &group, "").unwrap();
        distribution::add_points_to_group(
            &s.site,
            &group,
            &["DP1", "DP2", "DP3"],
            &options(),
            &mut ignore_progress,
        )
        .unwrap();
        distribution::distribute_to_group(
            &s.site,
            &[&s.package.id],
            &group,
            &options(),
            &mut ignore_progress,
        )
        .unwrap();
        let joiner = {
            let (site_path, group) = (site_path.clone(), group.clone());
            std::thread::spawn(move || {
                let site =
                    osupgrade::Site::open(Some(std::path::Path::new(&site_path)), None).unwrap();
                for point in ["DP4", "DP5", "DP6"] {
                    let joined = distribution::add_points_to_group(
                        &site,
                        &group,
                        &[point],
                        &DistributeOptions::default(),
                        &mut ignore_progress,
                    );
                    if let Err(error) = joined {
                        assert!(error.is_busy(), "{error}");
                    }
                }
            })
        };
        let removed = distribution::remove_from_group(&s.site, &s.package.id, &group);
        joiner.join().unwrap();
        if let Err(error) = removed {
            assert!(error.is_busy(), "{error}");
            distribution::remove_from_group(&s.site, &s.package.id, &group).unwrap();
        }
        let holders = distribution::status(&s.site, Some(&s.package.id), None).unwrap();
        assert!(holders.is_empty(), "round {round}: {holders:?}");
        distribution::remove_group(&s.site, &group).unwrap();
    }
}

/// Configuration Manager's form: a version 4 GUID, in braces and capitals.
fn assert_is_group_id(id: &str) {
    let parts: Vec<&str> = id
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .unwrap_or_else(|| panic!("{id}: not in braces"))
        .split('-')
        .collect();
    let lengths: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    assert_eq!(lengths, [8, 4, 4, 4, 12], "{id}");
    assert!(
        parts
            .concat()
            .chars()
            .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)),
        "{id}"
    );
    assert!(
        parts[2].starts_with('4') && "89AB".contains(&parts[3][..1]),
        "{id}"
    );
}

#[test]
fn groups_of_a_site_made_before_group_ids_get_one_each_when_it_is_opened() {
    let s = setup("groups-ids-migrated", &["--small-files", "1"]);
    for name in ["North", "South", "East"] {
        distribution::create_group(&s.site, name, "").unwrap();
    }
    let database = s.scratch.join("site/site.db");
    let Setup { site, scratch, .. } = s;
    drop(site);
    // The site as schema 7 left it: no ID column, no triggers.
    let db = rusqlite::Connection::open(&database).unwrap();
    as_schema_8(&db);
    db.execute_batch(
        "DROP TRIGGER distribution_point_groups_id_on_insert;
         DROP TRIGGER distribution_point_groups_new_id;
         DROP INDEX distribution_point_groups_id;
         ALTER TABLE distribution_point_groups DROP COLUMN id;
         PRAGMA user_version = 7;",
    )
    .unwrap();
    drop(db);

    let site = open_site(&scratch);
    let groups = distribution::list_groups(&site).unwrap();
    let mut ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    ids.iter().for_each(|id| assert_is_group_id(id));
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3, "{groups:?}");
    let added = distribution::create_group(&site, "West", "").unwrap();
    assert!(!ids.contains(&added.id.as_str()));
}
