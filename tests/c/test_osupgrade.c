/* The first C client of include/osupgrade.h: adds, gets, lists, sets and removes packages
 * through the library as a C caller would, and checks every error path returns a status and a
 * message, never a crash.
 *
 * usage: test_osupgrade SCRATCH_DIR
 *   SCRATCH_DIR holds the sources tests/c/run.sh made: good/, no-setup/, no-wim/, corrupt-wim/,
 *   with-link/, other/, setup.iso, updates/ (two update cabinets, one broken), junk/ (a file
 *   named as an update that is none), catalog.json and test-engine.sh (the test servicing
 *   engine); the test creates its sites below it. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "osupgrade.h"

static int passed, failed;
static char scratch[2048];

#define CHECK(condition, ...)                                                   \
    do {                                                                        \
        if (condition) {                                                        \
            passed++;                                                           \
        } else {                                                                \
            failed++;                                                           \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #condition); \
            fprintf(stderr, __VA_ARGS__);                                       \
            fprintf(stderr, " (last error: %s)\n", osu_last_error_message());   \
        }                                                                       \
    } while (0)

static const char *path_in_scratch(const char *name) {
    static char paths[8][4096];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, sizeof paths[0], "%s/%s", scratch, name);
    return path;
}

/* Opens the scratch site `name`, creating it the first time. */
static osu_site *open_site(const char *name) {
    osu_site *site = NULL;
    osu_status status = osu_site_open(path_in_scratch(name), NULL, &site);
    if (status == OSU_NOT_FOUND) status = osu_site_create(path_in_scratch(name), NULL, &site);
    CHECK(status == OSU_OK && site != NULL, "open %s: %s", name, osu_status_name(status));
    return site;
}


static int contains(const char *text, const char *part) {
    return text != NULL && strstr(text, part) != NULL;
}

/* Adds a package and returns its JSON (caller frees), or NULL with the status in *status. */
static char *add(osu_site *site, const char *source, const char *name, const char *version,
                 osu_status *status) {
    char *json = NULL;
    *status = osu_package_add(site, path_in_scratch(source), name, version, NULL, NULL, NULL, &json);
    return json;
}

/* Opening never creates; creating is explicit and refuses a path that holds a site. */
static void test_open_and_create(void) {
    osu_site *site = (osu_site *)0x1;
    osu_status status = osu_site_open(path_in_scratch("no-site-here"), NULL, &site);
    CHECK(status == OSU_NOT_FOUND && site == NULL, "opening a missing site gives %s", osu_status_name(status));
    CHECK(contains(osu_last_error_message(), "no-site-here"), "the message names the path");
    CHECK(access(path_in_scratch("no-site-here"), F_OK) != 0, "opening created the folder");

    status = osu_site_create(path_in_scratch("created"), "LAB", &site);
    CHECK(status == OSU_OK, "create: %s", osu_status_name(status));
    char *json = NULL;
    osu_site_info(site, &json);
    CHECK(contains(json, "\"siteCode\":\"LAB\"") && contains(json, "\"sitePath\":"), "%s", json);
    CHECK(contains(json, "\"retainedContentVersions\":1"), "one retired version by default: %s", json);
    osu_string_free(json);
    CHECK(osu_site_set_retained_content_versions(site, 3) == OSU_OK, "set retained versions");
    osu_site_info(site, &json);
    CHECK(contains(json, "\"retainedContentVersions\":3"), "%s", json);
    osu_string_free(json);
    status = osu_site_set_retained_content_versions(site, 1000);
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "count"),
          "1000 retained versions gives %s", osu_status_name(status));
    osu_site_close(site);
    status = osu_site_create(path_in_scratch("created"), NULL, &site);
    CHECK(status == OSU_CONFLICT, "creating over a site gives %s", osu_status_name(status));
    status = osu_site_create(NULL, NULL, &site);
    CHECK(status == OSU_NULL_ARGUMENT, "creating with no path gives %s", osu_status_name(status));
}

static void test_version_and_status_names(void) {
    CHECK(strcmp(osu_version(), OSU_VERSION) == 0, "the library is %s, the header %s", osu_version(), OSU_VERSION);
    CHECK(strcmp(osu_status_name(OSU_NOT_FOUND), "OSU_NOT_FOUND") == 0, "name of OSU_NOT_FOUND");
    CHECK(strcmp(osu_status_name(9999), "OSU_UNKNOWN") == 0, "name of an unknown code");
    CHECK(strcmp(osu_status_name(OSU_SERVICING_FAILED), "OSU_SERVICING_FAILED") == 0, "name of OSU_SERVICING_FAILED: %s",
          osu_status_name(OSU_SERVICING_FAILED));
}

/* An empty string where a name, ID or path belongs is refused before anything is looked up. */
static void expect_empty_refused(osu_status status, const char *argument, const char *call) {
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), argument) &&
              contains(osu_last_error_message(), "is empty"),
          "%s with an empty %s gives %s: %s", call, argument, osu_status_name(status), osu_last_error_message());
}

static void test_empty_arguments(void) {
    osu_site *site = open_site("site-empty");
    char *json = NULL;
    const char *empty_path[] = {""};
    expect_empty_refused(osu_distribution_point_set(site, "", NULL, NULL, &json), "name", "point set");
    expect_empty_refused(osu_content_remove(site, "", "DP1"), "package_id", "content remove");
    expect_empty_refused(osu_content_remove(site, "OSU00001", ""), "distribution_point", "content remove");
    expect_empty_refused(osu_distribution_point_group_set(site, "", NULL, NULL, &json), "name", "group set");
    expect_empty_refused(osu_distribution_point_group_remove(site, ""), "name", "group remove");
    expect_empty_refused(osu_distribution_point_group_add_points(site, "G1", "[\"\"]", NULL, NULL, NULL, &json),
                         "distribution_points_json", "group add points");
    expect_empty_refused(osu_distribution_point_group_remove_points(site, "", "[\"DP1\"]", &json), "name",
                         "group remove points");
    expect_empty_refused(osu_content_distribute_to_group(site, "[\"OSU00001\"]", "", NULL, NULL, NULL, &json), "group",
                         "distribute to group");
    expect_empty_refused(osu_content_validate_on_group(site, "", NULL, NULL, NULL, &json), "group", "validate on group");
    expect_empty_refused(osu_update_import(site, "[\"\"]", NULL, NULL, NULL, &json), "paths_json", "update import");
    expect_empty_refused(osu_update_import_array(site, empty_path, 1, NULL, NULL, NULL, &json), "paths",
                         "update import array");
    expect_empty_refused(osu_update_import(site, "[\"/nowhere\"]", "", NULL, NULL, &json), "catalog_path",
                         "update import");
    CHECK(json == NULL, "no record after a refusal");
    osu_site_close(site);
}

static void test_null_and_malformed_arguments(void) {
    osu_status status = osu_site_open(NULL, NULL, NULL);
    CHECK(status == OSU_NULL_ARGUMENT, "got %s", osu_status_name(status));
    CHECK(contains(osu_last_error_message(), "out_site"), "message names the argument");

    osu_site *site = open_site("site-args");
    char *json = (char *)0x1;
    status = osu_package_add(site, NULL, "Windows 10", NULL, NULL, NULL, NULL, &json);
    CHECK(status == OSU_NULL_ARGUMENT && json == NULL, "got %s", osu_status_name(status));
    CHECK(contains(osu_last_error_message(), "source_path"), "message names source_path");

    status = osu_package_get(NULL, "OSU00001", &json);
    CHECK(status == OSU_NULL_ARGUMENT, "NULL site gives %s", osu_status_name(status));

    status = osu_package_add(site, "", "Windows 10", NULL, NULL, NULL, NULL, &json);
    CHECK(status == OSU_INVALID_ARGUMENT, "an empty source path gives %s", osu_status_name(status));
    CHECK(contains(osu_last_error_message(), "source_path"), "message names source_path");
    status = osu_package_get(site, "", &json);
    CHECK(status == OSU_INVALID_ARGUMENT, "an empty package ID gives %s", osu_status_name(status));
    CHECK(contains(osu_last_error_message(), "id"), "message names the ID");

    const char not_utf8[] = {'W', 'i', 'n', (char)0xff, (char)0xfe, 0};
    status = osu_package_add(site, path_in_scratch("good"), not_utf8, NULL, NULL, NULL, NULL, &json);
    CHECK(status == OSU_INVALID_ARGUMENT, "invalid UTF-8 gives %s", osu_status_name(status));
    CHECK(contains(osu_last_error_message(), "name: is not valid UTF-8"), "message");

    status = osu_update_import(site, NULL, NULL, NULL, NULL, &json);
    CHECK(status == OSU_NULL_ARGUMENT && contains(osu_last_error_message(), "paths_json"), "NULL paths give %s",
          osu_status_name(status));
    status = osu_update_import(site, "[]", NULL, NULL, NULL, &json);
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "paths"), "no paths give %s",
          osu_status_name(status));
    status = osu_update_get(site, "", &json);
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "update_id"), "empty ID gives %s",
          osu_status_name(status));
    status = osu_schedule_create(site, NULL, "{}", &json);
    CHECK(status == OSU_NULL_ARGUMENT && contains(osu_last_error_message(), "package_id"), "NULL package gives %s",
          osu_status_name(status));
    status = osu_schedule_create(site, "OSU00001", "{\"updateIds\": 5}", &json);
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "settings_json"), "bad settings give %s",
          osu_status_name(status));
    status = osu_schedule_set(site, 1, NULL, &json);
    CHECK(status == OSU_NULL_ARGUMENT && contains(osu_last_error_message(), "settings_json"), "NULL settings give %s",
          osu_status_name(status));
    status = osu_schedule_get(site, 424242, &json);
    CHECK(status == OSU_NOT_FOUND && contains(osu_last_error_message(), "424242"), "unknown schedule gives %s",
          osu_status_name(status));
    status = osu_schedule_run(site, 1, NULL, NULL, NULL);
    CHECK(status == OSU_NULL_ARGUMENT && contains(osu_last_error_message(), "out_run_json"), "NULL out gives %s",
          osu_status_name(status));
    status = osu_servicing_engine_set(site, "command", "relative/engine.sh");
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "absolute"), "relative engine gives %s",
          osu_status_name(status));

    osu_site *made_up = (osu_site *)(uintptr_t)0xdead0;
    status = osu_package_list(made_up, NULL, &json);
    CHECK(status == OSU_INVALID_HANDLE, "made-up handle gives %s", osu_status_name(status));

    CHECK(osu_site_close(site) == OSU_OK, "close");
    status = osu_package_list(site, NULL, &json);
    CHECK(status == OSU_INVALID_HANDLE, "closed handle gives %s", osu_status_name(status));
    CHECK(osu_site_close(site) == OSU_INVALID_HANDLE, "closing twice is refused");
    CHECK(osu_site_close(NULL) == OSU_OK, "closing NULL does nothing");
    osu_string_free(NULL);
}

struct progress_log {
    int calls;
    int phases_seen[6];
    int not_an_add;
    uint64_t last_files_done, files_total;
    int cancel_after_files;
};

static int32_t on_progress(const osu_progress *progress, void *user_data) {
    struct progress_log *log = user_data;
    log->calls++;
    if (progress->phase >= 0 && progress->phase < 6) log->phases_seen[progress->phase] = 1;
    if (progress->operation != OSU_OPERATION_ADD || progress->package_id == NULL ||
        progress->package_id[0] != '\0' || progress->distribution_point == NULL)
        log->not_an_add++;
    log->last_files_done = progress->files_done;
    log->files_total = progress->files_total;
    return log->cancel_after_files > 0 && progress->files_done >= (uint64_t)log->cancel_after_files;
}

static void test_add_get_list_set_remove(void) {
    osu_site *site = open_site("site-main");
    struct progress_log log = {0};
    char *json = NULL;
    osu_status status = osu_package_add(site, path_in_scratch("good"), "Windows 10 22H2", "19045",
                                        "Pilot", on_progress, &log, &json);
    CHECK(status == OSU_OK, "add: %s", osu_status_name(status));
    CHECK(contains(json, "\"id\":\"OSU00001\""), "%s", json);
    CHECK(contains(json, "\"sitePath\":\""), "the record names its site: %s", json);
    CHECK(contains(json, "\"editionId\":\"Professional\""), "%s", json);
    CHECK(contains(json, "\"editionId\":\"Enterprise\""), "%s", json);
    CHECK(contains(json, "\"version\":\"10.0.19045.2965\""), "%s", json);
    CHECK(contains(json, "\"architecture\":\"x64\""), "%s", json);
    CHECK(contains(json, "\"languages\":[\"en-US\",\"de-DE\"]"), "%s", json);
    osu_string_free(json);
    CHECK(log.calls > 3, "progress was reported %d times", log.calls);
    CHECK(log.phases_seen[OSU_PHASE_SCANNING] && log.phases_seen[OSU_PHASE_READING_IMAGE] &&
              log.phases_seen[OSU_PHASE_IMPORTING] && log.phases_seen[OSU_PHASE_RECORDING],
          "every phase was reported");
    CHECK(log.not_an_add == 0, "%d reports of the add were not an add's", log.not_an_add);
    CHECK(log.last_files_done == log.files_total && log.files_total > 300, "%llu of %llu files",
          (unsigned long long)log.last_files_done, (unsigned long long)log.files_total);

    status = osu_package_get(site, "OSU00001", &json);
    CHECK(status == OSU_OK && contains(json, "\"comment\":\"Pilot\""), "get: %s", json);
    osu_string_free(json);

    status = osu_package_list(site, "windows 10*", &json);
    CHECK(status == OSU_OK && contains(json, "OSU00001"), "list: %s", json);
    osu_string_free(json);
    status = osu_package_list(site, "Server*", &json);
    CHECK(status == OSU_OK && strcmp(json, "[]") == 0, "list with no match: %s", json);
    osu_string_free(json);

    status = osu_package_set(site, "OSU00001", NULL, "19045.3803", "Broad", &json);
    CHECK(status == OSU_OK && contains(json, "\"version\":\"19045.3803\"") &&
              contains(json, "\"name\":\"Windows 10 22H2\"") && contains(json, "\"comment\":\"Broad\""),
          "set: %s", json);
    osu_string_free(json);

    status = osu_site_info(site, &json);
    CHECK(status == OSU_OK && contains(json, "\"packageCount\":1") && contains(json, "\"siteCode\":\"OSU\""),
          "info: %s", json);
    osu_string_free(json);

    CHECK(osu_package_remove(site, "OSU00001") == OSU_OK, "remove");
    status = osu_package_get(site, "OSU00001", &json);
    CHECK(status == OSU_NOT_FOUND && json == NULL, "get after remove: %s", osu_status_name(status));
    CHECK(contains(osu_last_error_message(), "OSU00001"), "message names the package");
    status = osu_site_info(site, &json);
    CHECK(contains(json, "\"blobCount\":0"), "library emptied: %s", json);
    osu_string_free(json);
    osu_site_close(site);
}

static void expect_add_error(osu_site *site, const char *source, osu_status expected, const char *words) {
    osu_status status;
    char *json = add(site, source, "Windows 10", source, &status);
    CHECK(status == expected && json == NULL, "%s: expected %s, got %s", source,
          osu_status_name(expected), osu_status_name(status));
    CHECK(contains(osu_last_error_message(), words), "%s: message lacks '%s'", source, words);
}

static void test_bad_sources(void) {
    osu_site *site = open_site("site-errors");
    expect_add_error(site, "does-not-exist", OSU_NOT_FOUND, "does-not-exist");
    expect_add_error(site, "setup.iso", OSU_INVALID_ARGUMENT, "is a file");
    expect_add_error(site, "no-setup", OSU_INVALID_ARGUMENT, "no setup.exe");
    expect_add_error(site, "no-wim", OSU_INVALID_ARGUMENT, "install.esd");
    expect_add_error(site, "corrupt-wim", OSU_INVALID_IMAGE, "install.wim");
    expect_add_error(site, "with-link", OSU_INVALID_ARGUMENT, "symbolic link");
    char *json = NULL;
    osu_package_list(site, NULL, &json);
    CHECK(json != NULL && strcmp(json, "[]") == 0, "nothing was recorded: %s", json);
    osu_string_free(json);
    osu_site_close(site);
}

static void test_duplicate_and_cancel(void) {
    osu_site *site = open_site("site-dup");
    osu_status status;
    char *json = add(site, "good", "Windows 11", "23H2", &status);
    CHECK(status == OSU_OK, "first add: %s", osu_status_name(status));
    osu_string_free(json);
    json = add(site, "good", "windows 11", "23h2", &status);
    CHECK(status == OSU_CONFLICT && json == NULL, "duplicate gives %s", osu_status_name(status));
    CHECK(contains(osu_last_error_message(), "already has Name"), "conflict message");

    struct progress_log log = {.cancel_after_files = 10};
    status = osu_package_add(site, path_in_scratch("other"), "Windows 11", "24H2", NULL, on_progress, &log, &json);
    CHECK(status == OSU_CANCELLED && json == NULL, "cancel gives %s", osu_status_name(status));
    osu_package_list(site, NULL, &json);
    CHECK(contains(json, "23H2") && !contains(json, "24H2"), "cancelled add recorded nothing: %s", json);
    osu_string_free(json);
    osu_site_close(site);
}

struct distribution_log {
    int calls;
    int wrong_thread;
    int wrong_report;
    osu_operation operation;
    pthread_t caller;
    const char *point; /* what the point names of the reports start with */
    uint64_t jobs_total;
};

/* The same report as an add's, with the operation, package and point of the job. */
static int32_t on_distribution_progress(const osu_progress *progress, void *user_data) {
    struct distribution_log *log = user_data;
    log->calls++;
    if (!pthread_equal(pthread_self(), log->caller)) log->wrong_thread++;
    osu_phase expected = log->operation == OSU_OPERATION_VALIDATE ? OSU_PHASE_VALIDATING : OSU_PHASE_COPYING;
    if (progress->operation != log->operation || progress->phase != expected ||
        strcmp(progress->package_id, "OSU00001") != 0 || strncmp(progress->distribution_point, log->point, strlen(log->point)) != 0 ||
        progress->jobs_total != log->jobs_total)
        log->wrong_report++;
    return 0;
}

static void test_distribution(void) {
    osu_site *site = open_site("site-dist");
    osu_status status;
    char *json = add(site, "good", "Windows 10", "22H2", &status);
    osu_string_free(json);

    status = osu_distribution_point_add(site, "DP1", "relative/dp1", NULL, &json);
    CHECK(status == OSU_INVALID_ARGUMENT && json == NULL, "relative path gives %s", osu_status_name(status));
    CHECK(contains(osu_last_error_message(), "relative/dp1"), "message names the path");
    const char *dp1 = path_in_scratch("points/dp1");
    status = osu_distribution_point_add(site, "DP1", dp1, "Branch office", &json);
    CHECK(status == OSU_OK && contains(json, "\"description\":\"Branch office\""), "add point: %s", json);
    osu_string_free(json);
    status = osu_distribution_point_add(site, "dp1", dp1, NULL, &json);
    CHECK(status == OSU_CONFLICT, "same name gives %s", osu_status_name(status));

    status = osu_content_distribute(site, "OSU00001", "[\"DP1\"]", NULL, NULL, NULL, &json);
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "package_ids_json"),
          "a list that is not JSON gives %s", osu_status_name(status));
    status = osu_content_distribute(site, "[\"OSU00001\"]", "[\"DP9\"]", NULL, NULL, NULL, &json);
    CHECK(status == OSU_NOT_FOUND && contains(osu_last_error_message(), "DP9"), "unknown point gives %s",
          osu_status_name(status));

    struct distribution_log log = {
        .caller = pthread_self(), .operation = OSU_OPERATION_DISTRIBUTE, .point = "DP1", .jobs_total = 1};
    status = osu_content_distribute(site, "[\"OSU00001\"]", "[\"DP1\"]", "{\"workers\": 2}",
                                    on_distribution_progress, &log, &json);
    CHECK(status == OSU_OK && contains(json, "\"state\":\"Installed\""), "distribute: %s", json);
    osu_string_free(json);
    CHECK(log.calls > 0 && log.wrong_thread == 0, "%d progress calls, %d on another thread", log.calls,
          log.wrong_thread);
    CHECK(log.wrong_report == 0, "%d distribution reports were not the distribution's", log.wrong_report);

    /* The same with C arrays: distributing again copies nothing. */
    const char *ids[] = {"OSU00001"};
    const char *points[] = {"DP1"};
    status = osu_content_distribute_array(site, ids, 1, points, 1, NULL, NULL, NULL, &json);
    CHECK(status == OSU_OK && contains(json, "\"state\":\"Installed\"") && contains(json, "\"filesCopied\":0"),
          "distribute from arrays: %s", json);
    osu_string_free(json);
    status = osu_content_distribute_array(site, NULL, 1, points, 1, NULL, NULL, NULL, &json);
    CHECK(status == OSU_NULL_ARGUMENT && contains(osu_last_error_message(), "package_ids"), "a NULL array gives %s",
          osu_status_name(status));
    status = osu_content_distribute_array(site, NULL, 0, points, 1, NULL, NULL, NULL, &json);
    CHECK(status == OSU_INVALID_ARGUMENT, "an empty array gives %s", osu_status_name(status));

    char altered[4096];
    snprintf(altered, sizeof altered, "%s/OSU00001/sources/ei.cfg", dp1);
    FILE *file = fopen(altered, "w");
    if (file) { fputs("[EditionID]\nTampered\n", file); fclose(file); }
    struct distribution_log validation_log = {
        .caller = pthread_self(), .operation = OSU_OPERATION_VALIDATE, .point = "DP1", .jobs_total = 1};
    status = osu_content_validate(site, "OSU00001", "DP1", on_distribution_progress, &validation_log, &json);
    CHECK(validation_log.calls > 0 && validation_log.wrong_report == 0 && validation_log.wrong_thread == 0,
          "validation: %d reports, %d not a validation's", validation_log.calls, validation_log.wrong_report);
    CHECK(status == OSU_OK && contains(json, "\"altered\":[\"sources/ei.cfg\"]") && contains(json, "\"valid\":false"),
          "validate: %s", json);
    osu_string_free(json);
    status = osu_distribution_status_list(site, "OSU00001", "DP1", &json);
    CHECK(contains(json, "\"state\":\"Failed\""), "validation failed the status: %s", json);
    osu_string_free(json);

    status = osu_content_redistribute(site, "OSU00001", NULL, NULL, NULL, &json);
    CHECK(status == OSU_OK && contains(json, "\"filesCopied\":1"), "redistribute repairs one file: %s", json);
    osu_string_free(json);
    status = osu_content_validate(site, "OSU00001", "DP1", NULL, NULL, &json);
    CHECK(contains(json, "\"valid\":true"), "valid again: %s", json);
    osu_string_free(json);
    status = osu_distribution_summary_list(site, NULL, &json);
    CHECK(contains(json, "\"targeted\":1,\"installed\":1"), "summary: %s", json);
    osu_string_free(json);

    status = osu_package_reload_content(site, "OSU00001", NULL, NULL, &json);
    CHECK(status == OSU_OK && contains(json, "\"contentVersion\":1"), "unchanged source keeps version 1: %s", json);
    osu_string_free(json);

    CHECK(osu_distribution_point_remove(site, "DP1", false) == OSU_CONFLICT, "a point with content needs force");
    CHECK(osu_content_remove(site, "OSU00001", "DP1") == OSU_OK, "remove content");
    CHECK(osu_content_remove(site, "OSU00001", "DP1") == OSU_NOT_FOUND, "nothing left to remove");
    CHECK(osu_distribution_point_remove(site, "DP1", false) == OSU_OK, "remove the empty point");
    status = osu_distribution_point_list(site, &json);
    CHECK(status == OSU_OK && strcmp(json, "[]") == 0, "no points left: %s", json);
    osu_string_free(json);
    osu_site_close(site);
}

/* The largest bytes_reused a distribution reported. */
static int32_t on_reuse_progress(const osu_progress *progress, void *user_data) {
    uint64_t *most = user_data;
    if (progress->bytes_reused > *most) *most = progress->bytes_reused;
    return 0;
}

/* The number after "key": in a JSON text, 0 when it is not there. */
static unsigned long long json_number(const char *json, const char *key) {
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\":", key);
    const char *at = json ? strstr(json, quoted) : NULL;
    return at ? strtoull(at + strlen(quoted), NULL, 10) : 0;
}

/* A large image changed at its end reaches the point by the chunks that changed: the status
   and the progress say how much the point's earlier version gave. */
static void test_changed_blocks(void) {
    osu_site *site = open_site("site-blocks");
    osu_status status;
    char *json = add(site, "large", "Large", "1", &status);
    CHECK(status == OSU_OK, "add a large image: %s", osu_last_error_message());
    osu_string_free(json);
    osu_distribution_point_add(site, "DP1", path_in_scratch("points/blocks"), NULL, &json);
    osu_string_free(json);
    status = osu_content_distribute(site, "[\"OSU00001\"]", "[\"DP1\"]", NULL, NULL, NULL, &json);
    CHECK(status == OSU_OK && json_number(json, "bytesReused") == 0, "first distribution reuses nothing: %s", json);
    osu_string_free(json);

    FILE *image = fopen(path_in_scratch("large/sources/install.wim"), "ab");
    for (int i = 0; image && i < (1 << 20); i++) fputc((i * 2654435761u) >> 13, image);
    if (image) fclose(image);
    status = osu_package_reload_content(site, "OSU00001", NULL, NULL, &json);
    CHECK(status == OSU_OK && contains(json, "\"contentVersion\":2"), "reload: %s", json);
    osu_string_free(json);
    uint64_t reported = 0;
    status = osu_content_redistribute(site, "OSU00001", NULL, on_reuse_progress, &reported, &json);
    unsigned long long copied = json_number(json, "bytesCopied"), reused = json_number(json, "bytesReused");
    CHECK(status == OSU_OK && copied > 0 && copied < (3u << 20) && reused > (20u << 20),
          "redistribution copies the changed megabyte and reuses the rest: %s", json);
    CHECK(reported == reused, "progress reported %llu reused bytes, the status %llu", (unsigned long long)reported,
          reused);
    osu_string_free(json);
    status = osu_content_validate(site, "OSU00001", "DP1", NULL, NULL, &json);
    CHECK(contains(json, "\"valid\":true"), "the built image validates: %s", json);
    osu_string_free(json);
    osu_site_close(site);
}

struct reentry {
    osu_site *site;
    int calls;
    osu_status inner_status;
    int message_says_why;
    osu_status close_status;
};

/* Calls back into the library on the handle whose call is reporting progress. */
static int32_t on_progress_calling_back(const osu_progress *progress, void *user_data) {
    (void)progress;
    struct reentry *reentry = user_data;
    char *json = NULL;
    reentry->calls++;
    reentry->inner_status = osu_package_list(reentry->site, NULL, &json);
    reentry->message_says_why = contains(osu_last_error_message(), "callback");
    reentry->close_status = osu_site_close(reentry->site);
    osu_string_free(json);
    return 0;
}

/* A callback that calls the same handle gets OSU_BUSY at once instead of hanging. */
static void test_callback_calling_back(void) {
    osu_site *site = open_site("site-reentry");
    struct reentry reentry = {.site = site};
    char *json = NULL;
    osu_status status = osu_package_add(site, path_in_scratch("good"), "Reentry", "1", NULL,
                                        on_progress_calling_back, &reentry, &json);
    CHECK(status == OSU_OK, "the outer add: %s (%s)", osu_status_name(status), osu_last_error_message());
    CHECK(reentry.calls > 0, "no progress was reported");
    CHECK(reentry.inner_status == OSU_BUSY, "the inner call gave %s", osu_status_name(reentry.inner_status));
    CHECK(reentry.message_says_why, "the inner call's message does not say why");
    CHECK(reentry.close_status == OSU_BUSY, "closing from the callback gave %s", osu_status_name(reentry.close_status));
    osu_string_free(json);
    status = osu_package_list(site, NULL, &json);
    CHECK(status == OSU_OK && contains(json, "Reentry"), "the handle works after the call");
    osu_string_free(json);
    osu_site_close(site);
}

/* Two processes add different packages to one site at the same moment. */
static void test_two_processes_at_once(void) {
    const char *sources[2] = {"good", "other"};
    pid_t children[2];
    int ready[2];
    if (pipe(ready) != 0) { failed++; return; }
    for (int i = 0; i < 2; i++) {
        children[i] = fork();
        if (children[i] == 0) {
            char go;
            close(ready[1]);
            if (read(ready[0], &go, 1) != 1) _exit(3);
            osu_site *site = NULL;
            /* Both create the site; the one that finds it made already opens it. */
            osu_status opened = osu_site_create(path_in_scratch("site-shared"), NULL, &site);
            if (opened == OSU_CONFLICT) opened = osu_site_open(path_in_scratch("site-shared"), NULL, &site);
            if (opened != OSU_OK) {
                fprintf(stderr, "child %d: %s\n", i, osu_last_error_message());
                _exit(2);
            }
            char name[32];
            snprintf(name, sizeof name, "Windows 10 %d", i);
            char *json = NULL;
            osu_status status = osu_package_add(site, path_in_scratch(sources[i]), name, "1", NULL,
                                                NULL, NULL, &json);
            if (status != OSU_OK) fprintf(stderr, "child %d: %s\n", i, osu_last_error_message());
            osu_string_free(json);
            osu_site_close(site);
            _exit(status == OSU_OK ? 0 : 1);
        }
    }
    close(ready[0]);
    if (write(ready[1], "go", 2) != 2) failed++;
    close(ready[1]);
    for (int i = 0; i < 2; i++) {
        int wstatus = 0;
        waitpid(children[i], &wstatus, 0);
        CHECK(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0, "child %d exit %d", i, WEXITSTATUS(wstatus));
    }
    osu_site *site = open_site("site-shared");
    char *json = NULL;
    osu_package_list(site, NULL, &json);
    CHECK(contains(json, "OSU00001") && contains(json, "OSU00002"), "both recorded: %s", json);
    osu_string_free(json);
    osu_site_close(site);
}

struct servicing_log {
    pthread_t caller;
    int reports, other_thread, servicing_phase, wrong_operation;
};

static int32_t on_servicing_progress(const osu_progress *progress, void *user_data) {
    struct servicing_log *log = user_data;
    log->reports++;
    if (!pthread_equal(pthread_self(), log->caller)) log->other_thread++;
    if (progress->phase == OSU_PHASE_SERVICING && contains(progress->current_file, "KB5034441 on install:")) {
        log->servicing_phase++;
    }
    if (progress->operation != OSU_OPERATION_SERVICE && progress->operation != OSU_OPERATION_DISTRIBUTE) {
        log->wrong_operation++;
    }
    return 0;
}

struct log_record {
    pthread_t caller;
    int records, other_thread, added, distribution;
};

static void on_log(osu_log_level level, const char *component, const char *message, void *user_data) {
    struct log_record *log = user_data;
    log->records++;
    if (!pthread_equal(pthread_self(), log->caller)) log->other_thread++;
    if (level == OSU_LOG_INFORMATION && strcmp(component, "package") == 0 && contains(message, "added OSU00001")) log->added++;
    if (strcmp(component, "distribution") == 0) log->distribution++;
}

/* The operational log: a callback on the calling thread, and CMTrace files in the site's Logs. */
static void test_log(void) {
    osu_site *site = open_site("site-log");
    struct log_record log = {.caller = pthread_self()};
    CHECK(osu_site_set_log_callback(site, on_log, &log) == OSU_OK, "set the log callback");
    osu_status status;
    char *json = add(site, "good", "Windows 10", "log", &status);
    osu_string_free(json);
    status = osu_distribution_point_add(site, "DP1", path_in_scratch("points/log-dp1"), NULL, &json);
    osu_string_free(json);
    const char *ids[] = {"OSU00001"};
    const char *points[] = {"DP1"};
    status = osu_content_distribute_array(site, ids, 1, points, 1, "{\"workers\": 2}", NULL, NULL, &json);
    osu_string_free(json);
    CHECK(log.added == 1 && log.distribution >= 2 && log.other_thread == 0,
          "%d records, %d added, %d distribution, %d on other threads", log.records, log.added, log.distribution,
          log.other_thread);
    CHECK(osu_site_set_log_callback(site, NULL, NULL) == OSU_OK, "stop the log callback");
    int before = log.records;
    status = osu_content_validate(site, "OSU00001", "DP1", NULL, NULL, &json);
    osu_string_free(json);
    CHECK(log.records == before, "no records after the callback is stopped");
    FILE *file = fopen(path_in_scratch("site-log/Logs/distribution.log"), "r");
    char line[4096] = {0};
    CHECK(file != NULL && fgets(line, sizeof line, file) != NULL && strncmp(line, "<![LOG[", 7) == 0 &&
              contains(line, "component=\"distribution\""),
          "distribution.log starts with a CMTrace line: %s", line);
    if (file) fclose(file);
    osu_site_close(site);
}

/* The third job through the header: import updates, see what applies, schedule, run. */
static void test_servicing(void) {
    osu_site *site = open_site("site-servicing");
    osu_status status;
    char *json = add(site, "good", "Windows 10", "22H2", &status);
    osu_string_free(json);
    status = osu_distribution_point_add(site, "DP1", path_in_scratch("points/servicing-dp1"), NULL, &json);
    osu_string_free(json);
    status = osu_content_distribute(site, "[\"OSU00001\"]", "[\"DP1\"]", NULL, NULL, NULL, &json);
    osu_string_free(json);

    char paths[4200];
    snprintf(paths, sizeof paths, "[\"%s\"]", path_in_scratch("junk"));
    status = osu_update_import(site, paths, NULL, NULL, NULL, &json);
    CHECK(status == OSU_INVALID_ARGUMENT && json == NULL, "a file that is no update gives %s", osu_status_name(status));
    CHECK(contains(osu_last_error_message(), "windows10.0-kb5034442-x64_1.msu"), "the message names the file");
    status = osu_update_import(site, "not json", NULL, NULL, NULL, &json);
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "paths_json"), "bad list gives %s",
          osu_status_name(status));
    const char *folders[] = {path_in_scratch("updates")};
    status = osu_update_import_array(site, folders, 1, path_in_scratch("catalog.json"), NULL, NULL, &json);
    CHECK(status == OSU_OK && contains(json, "\"id\":\"KB5034441-x64\"") && contains(json, "\"classification\":\"Cumulative\"") &&
              contains(json, "\"id\":\"KB5035001-x64\""),
          "import: %s", json);
    osu_string_free(json);

    status = osu_update_list_applied(site, "OSU00001", &json);
    CHECK(status == OSU_OK && contains(json, "\"kb\":\"KB5026361\"") && contains(json, "\"origin\":\"image\""),
          "applied: %s", json);
    osu_string_free(json);
    status = osu_update_list_applicable(site, "OSU00001", &json);
    CHECK(status == OSU_OK && contains(json, "\"imageIndexes\":[1,2]"), "applicable: %s", json);
    osu_string_free(json);
    status = osu_update_list_not_applicable(site, "OSU00001", &json);
    CHECK(status == OSU_OK && strcmp(json, "[]") == 0, "nothing left out yet: %s", json);
    osu_string_free(json);

    status = osu_schedule_create(site, "OSU00001", "{\"updateIds\": [\"KB5034441-x64\"], \"recurrence\": {\"kind\": \"fortnightly\"}}", &json);
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "fortnightly"), "bad recurrence gives %s",
          osu_status_name(status));
    status = osu_schedule_create(site, "OSU00001", NULL, &json);
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "update_ids"), "no updates gives %s",
          osu_status_name(status));
    status = osu_schedule_create(site, "OSU00001",
                                 "{\"updateIds\": [\"KB5034441-x64\"], \"recurrence\": {\"kind\": \"monthlyOnWeekday\","
                                 " \"week\": 2, \"weekday\": \"Tuesday\", \"offsetDays\": -400}}",
                                 &json);
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "offsetDays: -400 is not between 0 and 27"),
          "an offset out of range gives %s: %s", osu_status_name(status), osu_last_error_message());
    status = osu_schedule_create(site, "OSU00001",
                                 "{\"updateIds\": [\"KB5034441-x64\"], \"utc\": true, \"start\": \"2030-01-01T22:00\","
                                 " \"recurrence\": {\"kind\": \"monthlyOnWeekday\", \"week\": 2, \"weekday\": \"Tuesday\", \"offsetDays\": 7}}",
                                 &json);
    CHECK(status == OSU_OK && contains(json, "\"nextRunAt\":\"2030-01-15T22:00:00.000Z\"") &&
              contains(json, "\"weekday\":\"Tuesday\"") && contains(json, "\"serviceWinRe\":false"),
          "create: %s", json);
    osu_string_free(json);
    status = osu_schedule_next_runs(site, 1, 3, &json);
    CHECK(status == OSU_OK &&
              contains(json, "[{\"scheduleId\":1,\"packageId\":\"OSU00001\",\"runAt\":\"2030-01-15T22:00:00.000Z\"") &&
              contains(json, "\"runAt\":\"2030-02-19T22:00:00.000Z\"") && contains(json, "\"runAt\":\"2030-03-19T22:00:00.000Z\""),
          "next runs: %s", json);
    osu_string_free(json);
    status = osu_schedule_next_runs(site, 1, -1, &json);
    CHECK(status == OSU_INVALID_ARGUMENT && json == NULL && contains(osu_last_error_message(), "count: "),
          "a count of -1 gives %s: %s", osu_status_name(status), osu_last_error_message());
    status = osu_schedule_next_runs(site, 99, 1, &json);
    CHECK(status == OSU_NOT_FOUND, "the next runs of no schedule give %s", osu_status_name(status));

    status = osu_schedule_run(site, 1, NULL, NULL, &json);
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "only Windows has"),
          "no engine gives %s", osu_status_name(status));
    status = osu_servicing_engine_set(site, "magic", NULL);
    CHECK(status == OSU_INVALID_ARGUMENT, "an unknown engine gives %s", osu_status_name(status));
    status = osu_servicing_engine_set(site, "command", path_in_scratch("test-engine.sh"));
    CHECK(status == OSU_OK, "set engine: %s", osu_status_name(status));
    status = osu_servicing_engine_get(site, &json);
    CHECK(status == OSU_OK && contains(json, "\"engine\":\"command\"") && contains(json, "\"available\":true") &&
              contains(json, "\"maxRunSeconds\":7200"),
          "engine: %s", json);
    osu_string_free(json);
    status = osu_servicing_max_run_time_set(site, 0);
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "maxRunTime: "),
          "a maximum run time of 0 gives %s: %s", osu_status_name(status), osu_last_error_message());
    status = osu_servicing_max_run_time_set(site, 5400);
    CHECK(status == OSU_OK, "set the maximum run time: %s", osu_status_name(status));
    status = osu_servicing_engine_get(site, &json);
    CHECK(status == OSU_OK && contains(json, "\"maxRunSeconds\":5400"), "engine after the maximum run time: %s", json);
    osu_string_free(json);

    struct servicing_log log = {.caller = pthread_self()};
    status = osu_schedule_run(site, 1, on_servicing_progress, &log, &json);
    CHECK(status == OSU_OK && contains(json, "\"state\":\"Succeeded\"") && contains(json, "\"contentVersionTo\":2"),
          "run: %s", json);
    CHECK(log.reports > 0 && log.other_thread == 0 && log.servicing_phase >= 2 && log.wrong_operation == 0,
          "progress: %d reports, %d on other threads, %d servicing, %d wrong operation", log.reports, log.other_thread,
          log.servicing_phase, log.wrong_operation);
    osu_string_free(json);
    status = osu_package_get(site, "OSU00001", &json);
    CHECK(status == OSU_OK && contains(json, "\"contentVersion\":2") && contains(json, "10.0.19045.3930"), "package: %s", json);
    osu_string_free(json);
    status = osu_update_list_not_applicable(site, "OSU00001", &json);
    CHECK(status == OSU_OK && contains(json, "\"id\":\"KB5034441-x64\"") &&
              contains(json, "\"reason\":\"image 1 holds KB5034441 already; image 2 holds KB5034441 already\""),
          "after the run, KB5034441 is left out as held: %s", json);
    osu_string_free(json);
    status = osu_content_version_list(site, "OSU00001", &json);
    CHECK(status == OSU_OK &&
              contains(json, "[{\"packageId\":\"OSU00001\",\"number\":2,\"state\":\"Current\",\"origin\":\"serviced\"") &&
              contains(json, "\"number\":1,\"state\":\"Retained\",\"origin\":\"added\""),
          "content versions: %s", json);
    osu_string_free(json);
    status = osu_content_version_list(site, "OSU99999", &json);
    CHECK(status == OSU_NOT_FOUND && json == NULL, "the versions of no package give %s", osu_status_name(status));
    status = osu_servicing_run_list(site, 1, NULL, &json);
    CHECK(status == OSU_OK && contains(json, "\"results\":[{\"updateId\":\"KB5034441-x64\""), "runs: %s", json);
    osu_string_free(json);
    status = osu_schedule_run_due(site, NULL, NULL, &json);
    CHECK(status == OSU_OK && strcmp(json, "[]") == 0, "nothing due: %s", json);
    osu_string_free(json);
    status = osu_distribution_status_list(site, "OSU00001", "DP1", &json);
    CHECK(status == OSU_OK && contains(json, "\"installedContentVersion\":2"), "the point was updated: %s", json);
    osu_string_free(json);

    status = osu_update_remove(site, "KB5034441-x64");
    CHECK(status == OSU_CONFLICT && contains(osu_last_error_message(), "schedule 1"), "removing a used update gives %s",
          osu_status_name(status));
    CHECK(osu_schedule_remove(site, 1) == OSU_OK, "remove schedule");
    CHECK(osu_schedule_remove(site, 1) == OSU_NOT_FOUND, "remove it again");
    CHECK(osu_update_remove(site, "KB5034441-x64") == OSU_OK, "remove the update");
    osu_site_close(site);
}

/* Groups carry packages: a point that joins later is given them; content leaves a point only
   where no other group of it carries the package. */
static void test_point_groups(void) {
    osu_site *site = open_site("site-groups");
    osu_status status;
    char *json = add(site, "good", "Windows 10", "22H2", &status);
    osu_string_free(json);
    const char *names[] = {"G1", "G2"};
    const char *points[] = {"GP1", "GP2"};
    for (int i = 0; i < 2; i++) {
        char folder[64];
        snprintf(folder, sizeof folder, "group-points/%s", points[i]);
        status = osu_distribution_point_add(site, points[i], path_in_scratch(folder), NULL, &json);
        CHECK(status == OSU_OK, "add point %s: %s", points[i], osu_status_name(status));
        osu_string_free(json);
    }
    status = osu_distribution_point_group_create(site, "G1", "branches", &json);
    CHECK(status == OSU_OK && contains(json, "\"members\":[]") && contains(json, "\"packageIds\":[]") &&
              contains(json, "\"sitePath\":"),
          "create: %s", json);
    osu_string_free(json);
    status = osu_distribution_point_group_create(site, "g1", NULL, &json);
    CHECK(status == OSU_CONFLICT && json == NULL, "the same name gives %s", osu_status_name(status));
    status = osu_distribution_point_group_create(site, "G*", NULL, &json);
    CHECK(status == OSU_INVALID_ARGUMENT && contains(osu_last_error_message(), "G*"), "a wildcard name gives %s",
          osu_status_name(status));
    status = osu_distribution_point_group_create(site, "G2", NULL, &json);
    osu_string_free(json);

    status = osu_content_distribute_to_group(site, "[\"OSU00001\"]", "G1", NULL, NULL, NULL, &json);
    CHECK(status == OSU_OK && strcmp(json, "[]") == 0, "an empty group records the package: %s", json);
    osu_string_free(json);
    struct distribution_log log = {
        .caller = pthread_self(), .operation = OSU_OPERATION_DISTRIBUTE, .point = "GP", .jobs_total = 2};
    status = osu_distribution_point_group_add_points(site, "g1", "[\"GP1\",\"gp2\"]", "{\"workers\": 2}",
                                                     on_distribution_progress, &log, &json);
    CHECK(status == OSU_OK && contains(json, "\"distributionPoint\":\"GP1\"") &&
              contains(json, "\"distributionPoint\":\"GP2\"") && !contains(json, "Failed"),
          "joining points are given the group's package: %s", json);
    osu_string_free(json);
    CHECK(log.calls > 0 && log.wrong_thread == 0 && log.wrong_report == 0, "progress: %d calls, %d wrong",
          log.calls, log.wrong_thread + log.wrong_report);
    status = osu_distribution_point_group_add_points(site, "G1", "[\"GP9\"]", NULL, NULL, NULL, &json);
    CHECK(status == OSU_NOT_FOUND && contains(osu_last_error_message(), "GP9"), "an unknown point gives %s",
          osu_status_name(status));
    status = osu_distribution_point_group_add_points(site, "G2", "[\"GP2\"]", NULL, NULL, NULL, &json);
    osu_string_free(json);
    status = osu_content_distribute_to_group(site, "[\"OSU00001\"]", "G2", NULL, NULL, NULL, &json);
    CHECK(status == OSU_OK && contains(json, "\"filesCopied\":0"), "G2's point has it already: %s", json);
    osu_string_free(json);

    status = osu_content_validate_on_group(site, "G1", NULL, NULL, NULL, &json);
    CHECK(status == OSU_OK && contains(json, "\"distributionPoint\":\"GP2\"") && !contains(json, "\"valid\":false"),
          "validate the group: %s", json);
    osu_string_free(json);
    status = osu_distribution_point_group_get(site, "G1", &json);
    CHECK(status == OSU_OK && contains(json, "\"members\":[\"GP1\",\"GP2\"]") &&
              contains(json, "\"packageIds\":[\"OSU00001\"]"),
          "get: %s", json);
    osu_string_free(json);

    CHECK(osu_content_remove_from_group(site, "OSU00001", "G1") == OSU_OK, "remove from G1: %s",
          osu_last_error_message());
    status = osu_distribution_status_list(site, "OSU00001", NULL, &json);
    CHECK(status == OSU_OK && !contains(json, "\"GP1\"") && contains(json, "\"GP2\""),
          "GP2 keeps it for G2: %s", json);
    osu_string_free(json);
    CHECK(osu_content_remove_from_group(site, "OSU00001", "G1") == OSU_NOT_FOUND, "G1 no longer carries it");

    status = osu_distribution_point_group_remove_points(site, "G2", "[\"GP1\"]", &json);
    CHECK(status == OSU_NOT_FOUND && contains(osu_last_error_message(), "GP1"), "not a member gives %s",
          osu_status_name(status));
    status = osu_distribution_point_group_set(site, "G2", "Offices", "all offices", &json);
    CHECK(status == OSU_OK && contains(json, "\"name\":\"Offices\""), "rename: %s", json);
    osu_string_free(json);
    status = osu_distribution_point_group_list(site, &json);
    CHECK(status == OSU_OK && contains(json, "\"name\":\"G1\"") && contains(json, "\"name\":\"Offices\""),
          "list: %s", json);
    osu_string_free(json);
    for (int i = 0; i < 2; i++) {
        const char *group = i == 0 ? names[0] : "Offices";
        CHECK(osu_distribution_point_group_remove(site, group) == OSU_OK, "remove %s", group);
    }
    CHECK(osu_distribution_point_group_remove(site, "G1") == OSU_NOT_FOUND, "removed twice");
    status = osu_distribution_status_list(site, "OSU00001", "GP2", &json);
    CHECK(status == OSU_OK && contains(json, "Installed"), "a removed group's point keeps its content: %s", json);
    osu_string_free(json);
    osu_site_close(site);
}

/* Runs a shell command; its exit status. */
static int shell(const char *format, const char *path) {
    char command[5000];
    snprintf(command, sizeof command, format, path);
    return system(command);
}

/* The class of a file system failure comes with its status, whatever the words of the
 * system's message: access denied (EACCES, and EPERM, which an immutable folder gives even to
 * root) and a full disk each have their own. */
static void test_error_kinds(void) {
    osu_site *site = open_site("site-kinds");
    osu_status status;
    char *json = NULL;
    const char *locked = path_in_scratch("kinds-locked");
    shell("mkdir -p '%s'", locked);
    int immutable = geteuid() == 0 ? shell("chattr +i '%s' 2>/dev/null", locked) == 0
                                   : shell("chmod 555 '%s'", locked) == 0;
    if (immutable) {
        char point[4200];
        snprintf(point, sizeof point, "%s/DP", locked);
        status = osu_distribution_point_add(site, "Locked", point, NULL, &json);
        CHECK(status == OSU_ACCESS_DENIED && json == NULL, "a point in a folder no one may write gives %s",
              osu_status_name(status));
        CHECK(contains(osu_last_error_message(), locked), "the message names the folder");
        shell(geteuid() == 0 ? "chattr -i '%s'" : "chmod 755 '%s'", locked);
    } else {
        printf("c: skipped the access-denied check (neither chattr nor chmod could lock %s)\n", locked);
    }
    CHECK(strcmp(osu_status_name(OSU_DISK_FULL), "OSU_DISK_FULL") == 0, "name of OSU_DISK_FULL");

    const char *small = path_in_scratch("kinds-small-disk");
    shell("mkdir -p '%s'", small);
    if (geteuid() == 0 && shell("mount -t tmpfs -o size=1m tmpfs '%s' 2>/dev/null", small) == 0) {
        json = add(site, "good", "Full", "1", &status);
        osu_string_free(json);
        char point[4200];
        snprintf(point, sizeof point, "%s/DP", small);
        status = osu_distribution_point_add(site, "Small", point, NULL, &json);
        osu_string_free(json);
        status = osu_content_distribute(site, "[\"OSU00001\"]", "[\"Small\"]", NULL, NULL, NULL, &json);
        char expected[64];
        snprintf(expected, sizeof expected, "\"lastErrorStatus\":%d", (int)OSU_DISK_FULL);
        CHECK(status == OSU_OK && contains(json, "\"state\":\"Failed\"") && contains(json, expected),
              "a full point gives %s: %s", osu_status_name(status), json);
        osu_string_free(json);
        shell("umount '%s'", small);
    } else {
        printf("c: skipped the full-disk check (a small tmpfs needs root and mount)\n");
    }
    osu_site_close(site);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    snprintf(scratch, sizeof scratch, "%s", argv[1]);
    test_version_and_status_names();
    test_null_and_malformed_arguments();
    test_empty_arguments();
    test_open_and_create();
    test_add_get_list_set_remove();
    test_bad_sources();
    test_duplicate_and_cancel();
    test_two_processes_at_once();
    test_callback_calling_back();
    test_distribution();
    test_changed_blocks();
    test_point_groups();
    test_servicing();
    test_log();
    test_error_kinds();
    printf("c: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
