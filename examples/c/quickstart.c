/* OSUpgrade from C: opens (or creates) a site, adds a Windows setup source as an upgrade package,
 * distributes it to a distribution point with progress, and shows how errors read.
 *
 * Build against an installed OSUpgrade (./build.sh install PREFIX):
 *   cc quickstart.c $(pkg-config --cflags --libs osupgrade) -o quickstart
 * usage: quickstart SITE_FOLDER SOURCE_FOLDER POINT_FOLDER */
#include <stdio.h>
#include <string.h>

#include "osupgrade.h"

/* Shows progress on one line; returning non-zero would cancel the operation. */
static int32_t show_progress(const osu_progress *progress, void *user_data) {
    (void)user_data;
    fprintf(stderr, "\r%s %s: %llu of %llu files", progress->package_id,
            progress->operation == OSU_OPERATION_ADD ? "adding" : "distributing",
            (unsigned long long)progress->files_done, (unsigned long long)progress->files_total);
    return 0;
}

/* Prints what failed: the status and the thread's last error, which names the argument or path. */
static int fail(const char *what, osu_status status) {
    fprintf(stderr, "\n%s: %s: %s\n", what, osu_status_name(status), osu_last_error_message());
    return 1;
}

int main(int argc, char **argv) {
    osu_site *site = NULL;
    char *package = NULL, *statuses = NULL;
    const char *points[] = {"DP1"};
    osu_status status;
    if (argc != 4) {
        fprintf(stderr, "usage: %s SITE_FOLDER SOURCE_FOLDER POINT_FOLDER\n", argv[0]);
        return 2;
    }
    printf("OSUpgrade %s (header %s)\n", osu_version(), OSU_VERSION);

    status = osu_site_open(argv[1], NULL, &site);
    if (status == OSU_NOT_FOUND) status = osu_site_create(argv[1], NULL, &site);
    if (status != OSU_OK) return fail("open the site", status);

    status = osu_package_add(site, argv[2], "Windows 10 22H2", NULL, "added from C", show_progress, NULL, &package);
    if (status != OSU_OK) return fail("add the package", status);
    printf("\n%s\n", package);

    /* The record is JSON: a real program parses it; here the ID is cut out of it. */
    char id[16] = {0};
    const char *at = strstr(package, "\"id\":\"");
    if (at) sscanf(at + 6, "%15[^\"]", id);
    osu_string_free(package);
    const char *ids[] = {id};

    status = osu_distribution_point_add(site, "DP1", argv[3], "made by examples/c/quickstart.c", &statuses);
    if (status != OSU_OK && status != OSU_CONFLICT) return fail("add the point", status);
    osu_string_free(statuses);
    status = osu_content_distribute_array(site, ids, 1, points, 1, NULL, show_progress, NULL, &statuses);
    if (status != OSU_OK) return fail("distribute", status);
    printf("\n%s\n", statuses);
    osu_string_free(statuses);

    /* An error, on purpose: a package that does not exist. */
    status = osu_package_get(site, "OSUFFFFF", &package);
    printf("getting OSUFFFFF: %s: %s\n", osu_status_name(status), osu_last_error_message());

    osu_site_close(site);
    return 0;
}
