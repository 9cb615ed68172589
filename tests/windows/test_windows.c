/* The Windows build of the library as a Windows C program calls it (MinGW; run under wine by
   tests/windows/run.sh): Windows paths (drive letters, backslashes, another letter case, over
   260 characters, the \\?\ form), read-only files, and a point file held open by another
   handle.
   usage: test_windows.exe SCRATCH SOURCE   (Windows paths; SOURCE is a setup source to add) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <shlobj.h>

#include "osupgrade.h"

static int passed, failed;

#define CHECK(condition, ...)                                                   \
    do {                                                                        \
        if (condition) {                                                        \
            passed++;                                                           \
        } else {                                                                \
            failed++;                                                           \
            fprintf(stderr, "FAILED %s:%d: ", __FILE__, __LINE__);              \
            fprintf(stderr, __VA_ARGS__);                                       \
            fprintf(stderr, " (last error: %s)\n", osu_last_error_message());   \
        }                                                                       \
    } while (0)

static char scratch[1024], source[1024];

static const char *in_scratch(const char *name) {
    static char paths[8][2048];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, sizeof paths[0], "%s\\%s", scratch, name);
    return path;
}

static int contains(const char *text, const char *part) { return text != NULL && strstr(text, part) != NULL; }

static void write_text(const char *path, const char *text) {
    FILE *file = fopen(path, "wb");
    if (file) {
        fputs(text, file);
        fclose(file);
    }
}

static char *distribute(osu_site *site, const char *point, osu_status *status) {
    char points[256];
    char *json = NULL;
    snprintf(points, sizeof points, "[\"%s\"]", point);
    *status = osu_content_distribute(site, "[\"OSU00001\"]", points, NULL, NULL, NULL, &json);
    return json;
}

static void expect_installed(osu_site *site, const char *point, const char *version, const char *what) {
    osu_status status;
    char *json = distribute(site, point, &status);
    CHECK(status == OSU_OK && contains(json, "\"state\":\"Installed\"") && contains(json, version), "%s: %s", what,
          json ? json : osu_status_name(status));
    osu_string_free(json);
    status = osu_content_validate(site, "OSU00001", point, NULL, NULL, &json);
    CHECK(status == OSU_OK && contains(json, "\"valid\":true"), "%s, then valid: %s", what,
          json ? json : osu_status_name(status));
    osu_string_free(json);
}

static void reload_with_change(osu_site *site, const char *text) {
    char path[2048];
    char *json = NULL;
    snprintf(path, sizeof path, "%s\\sources\\ei.cfg", source);
    SetFileAttributesA(path, FILE_ATTRIBUTE_NORMAL);
    write_text(path, text);
    SetFileAttributesA(path, FILE_ATTRIBUTE_READONLY);
    osu_status status = osu_package_reload_content(site, "OSU00001", NULL, NULL, &json);
    CHECK(status == OSU_OK, "reload: %s", osu_status_name(status));
    osu_string_free(json);
}

static void test_packages(osu_site *site) {
    char path[2048];
    char *json = NULL;
    /* A read-only file in the source: the library reads it, and its blob is written and flushed. */
    snprintf(path, sizeof path, "%s\\sources\\ei.cfg", source);
    CHECK(SetFileAttributesA(path, FILE_ATTRIBUTE_READONLY), "make ei.cfg read-only");
    osu_status status = osu_package_add(site, source, "Windows 10", "22H2", "added from Windows", NULL, NULL, &json);
    CHECK(status == OSU_OK && contains(json, "\"id\":\"OSU00001\"") && contains(json, "\"architecture\":\"x64\""),
          "add from %s: %s", source, json ? json : osu_status_name(status));
    osu_string_free(json);

    /* The same Name and Version in another letter case is the same package. */
    status = osu_package_add(site, source, "WINDOWS 10", "22h2", NULL, NULL, NULL, &json);
    CHECK(status == OSU_CONFLICT, "the same package in another case gives %s", osu_status_name(status));

    /* The source named in another letter case (Windows paths ignore it) adds the same content. */
    char other_case[1024];
    snprintf(other_case, sizeof other_case, "%s", source);
    for (char *c = other_case; *c; c++) *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
    status = osu_package_add(site, other_case, "Windows 10 copy", "1", NULL, NULL, NULL, &json);
    CHECK(status == OSU_OK && contains(json, "\"id\":\"OSU00002\""), "add from %s: %s", other_case,
          json ? json : osu_status_name(status));
    osu_string_free(json);

    status = osu_package_get(site, "OSU00001", &json);
    CHECK(status == OSU_OK && contains(json, "\"comment\":\"added from Windows\""), "get: %s", json);
    osu_string_free(json);
    status = osu_package_set(site, "OSU00002", NULL, NULL, "a second name", &json);
    CHECK(status == OSU_OK && contains(json, "a second name"), "set: %s", json);
    osu_string_free(json);
    status = osu_package_list(site, "Windows*", &json);
    CHECK(status == OSU_OK && contains(json, "OSU00001") && contains(json, "OSU00002"), "list: %s", json);
    osu_string_free(json);
    CHECK(osu_package_remove(site, "OSU00002") == OSU_OK, "remove OSU00002");
    CHECK(osu_package_get(site, "OSU00002", &json) == OSU_NOT_FOUND, "OSU00002 is gone");
}

static void test_points(osu_site *site) {
    char *json = NULL;
    const char *dp1 = in_scratch("points\\DP1");
    osu_status status = osu_distribution_point_add(site, "DP1", dp1, NULL, &json);
    CHECK(status == OSU_OK, "add point at %s: %s", dp1, osu_status_name(status));
    osu_string_free(json);
    status = osu_distribution_point_add(site, "DP2", in_scratch("POINTS\\dp1\\inner"), NULL, &json);
    CHECK(status == OSU_CONFLICT, "a folder inside DP1, in another case, gives %s", osu_status_name(status));
    status = osu_distribution_point_add(site, "dp1", in_scratch("points\\other"), NULL, &json);
    CHECK(status == OSU_CONFLICT, "the name in another case gives %s", osu_status_name(status));

    /* A point deeper than MAX_PATH (260), named without the \\?\ prefix. */
    char deep[1024];
    snprintf(deep, sizeof deep, "%s", in_scratch("points\\long"));
    while (strlen(deep) < 300) strcat(deep, "\\a-folder-name-of-some-length");
    status = osu_distribution_point_add(site, "Deep", deep, NULL, &json);
    CHECK(status == OSU_OK, "add a point %zu characters deep: %s", strlen(deep), osu_status_name(status));
    osu_string_free(json);

    /* The extended-length form, \\?\Z:\..., as UNC-style tools write it (real shares do not
       exist under wine). */
    char extended[1200];
    snprintf(extended, sizeof extended, "\\\\?\\%s", in_scratch("points\\Extended"));
    status = osu_distribution_point_add(site, "Extended", extended, NULL, &json);
    CHECK(status == OSU_OK, "add a point at %s: %s", extended, osu_status_name(status));
    osu_string_free(json);

    expect_installed(site, "DP1", "\"installedContentVersion\":1", "distribute to DP1");
    expect_installed(site, "Extended", "\"installedContentVersion\":1", "distribute to an extended-length path");
    expect_installed(site, "Deep", "\"installedContentVersion\":1", "distribute to a long path");
    char setup[2048];
    snprintf(setup, sizeof setup, "%s\\OSU00001\\SETUP.EXE", dp1);
    CHECK(GetFileAttributesA(setup) != INVALID_FILE_ATTRIBUTES, "%s is there", setup);
}

static void test_read_only_and_open_files(osu_site *site) {
    const char *dp1 = in_scratch("points\\DP1");
    char on_point[2048];
    snprintf(on_point, sizeof on_point, "%s\\OSU00001\\sources\\ei.cfg", dp1);

    /* A read-only file on the point: the next version replaces it all the same. */
    CHECK(SetFileAttributesA(on_point, FILE_ATTRIBUTE_READONLY), "make the point's ei.cfg read-only");
    reload_with_change(site, "[EditionID]\nEnterprise\n");
    expect_installed(site, "DP1", "\"installedContentVersion\":2", "redistribute over a read-only file");

    /* A file held open without delete sharing: the switch cannot complete now, and the point
       stays one whole version; once closed, the next distribution brings the new one. */
    HANDLE held = CreateFileA(on_point, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(held != INVALID_HANDLE_VALUE, "hold %s open", on_point);
    reload_with_change(site, "[EditionID]\nEducation\n");
    osu_status status;
    char *json = distribute(site, "DP1", &status);
    CHECK(status == OSU_OK && (contains(json, "\"installedContentVersion\":2") ||
                               contains(json, "\"installedContentVersion\":3")),
          "distribute while a file is held: %s", json);
    osu_string_free(json);
    status = osu_content_validate(site, "OSU00001", "DP1", NULL, NULL, &json);
    CHECK(status == OSU_OK || (status == OSU_IO && contains(osu_last_error_message(), "OSU00001")),
          "validate while held: %s", osu_status_name(status));
    osu_string_free(json);
    CloseHandle(held);
    expect_installed(site, "DP1", "\"installedContentVersion\":3", "once closed, version 3 lands");
}

/* The embedded default (no path, no OSUPGRADE_SITE) is made in %ProgramData%\OSUpgrade, for
   SYSTEM and Administrators only: a protected DACL its files inherit. Wine keeps no DACLs of
   its own, so under wine run.sh checks the Unix mode it maps them to. */
static void test_default_site(void) {
    char program_data[1024], folder[1100];
    snprintf(program_data, sizeof program_data, "%s", in_scratch("programdata"));
    CreateDirectoryA(program_data, NULL);
    SetEnvironmentVariableA("ProgramData", program_data);
    SetEnvironmentVariableA("OSUPGRADE_SITE", NULL);
    osu_site *site = NULL;
    osu_status status = osu_site_open(NULL, NULL, &site);
    CHECK(status == OSU_OK, "open the embedded default: %s", osu_status_name(status));
    osu_site_close(site);
    snprintf(folder, sizeof folder, "%s\\OSUpgrade", program_data);
    CHECK(GetFileAttributesA(folder) & FILE_ATTRIBUTE_DIRECTORY, "%s was made", folder);

    PSECURITY_DESCRIPTOR descriptor = NULL;
    char *sddl = NULL;
    if (GetNamedSecurityInfoA(folder, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, NULL, NULL,
                              &descriptor) == ERROR_SUCCESS &&
        ConvertSecurityDescriptorToStringSecurityDescriptorA(descriptor, SDDL_REVISION_1, DACL_SECURITY_INFORMATION,
                                                             &sddl, NULL)) {
        printf("windows c: the default site's folder has %s\n", sddl);
        if (GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version") == NULL) {
            CHECK(contains(sddl, "D:P") && contains(sddl, "(A;OICI;FA;;;SY)") && contains(sddl, "(A;OICI;FA;;;BA)") &&
                      !contains(sddl, ";;;WD)") && !contains(sddl, ";;;BU)"),
                  "the default site's folder is for SYSTEM and Administrators only: %s", sddl);
        }
        LocalFree(sddl);
    }
    LocalFree(descriptor);
}

/* A site folder anyone may change is refused by an administrator's process (wine runs as
   one): its database names the command the servicing runner executes. */
static void test_site_folder_open_to_everyone(void) {
    char folder[2048];
    snprintf(folder, sizeof folder, "%s", in_scratch("open-to-everyone"));
    CreateDirectoryA(folder, NULL);
    PSECURITY_DESCRIPTOR wanted = NULL, found = NULL;
    BOOL present = FALSE, defaulted = FALSE;
    PACL dacl = NULL;
    char *sddl = NULL;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorA("D:(A;OICI;FA;;;WD)", SDDL_REVISION_1, &wanted, NULL) ||
        !GetSecurityDescriptorDacl(wanted, &present, &dacl, &defaulted) ||
        SetNamedSecurityInfoA(folder, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, dacl, NULL) != ERROR_SUCCESS ||
        GetNamedSecurityInfoA(folder, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, NULL, NULL, &found) !=
            ERROR_SUCCESS ||
        !ConvertSecurityDescriptorToStringSecurityDescriptorA(found, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &sddl,
                                                              NULL) ||
        !contains(sddl, ";;;WD)")) {
        printf("windows c: skipped the folder open to Everyone: this system did not keep its access list (%s)\n",
               sddl ? sddl : "none");
    } else {
        osu_site *site = NULL;
        osu_status status = osu_site_create(folder, NULL, &site);
        CHECK(status == OSU_ACCESS_DENIED && site == NULL && contains(osu_last_error_message(), "Everyone") &&
                  contains(osu_last_error_message(), "icacls"),
              "a site folder open to Everyone (%s) gives %s", sddl, osu_status_name(status));
        char database[2100];
        snprintf(database, sizeof database, "%s\\site.db", folder);
        CHECK(GetFileAttributesA(database) == INVALID_FILE_ATTRIBUTES, "no database was made in %s", folder);
    }
    LocalFree(sddl);
    LocalFree(found);
    LocalFree(wanted);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s SCRATCH SOURCE\n", argv[0]);
        return 2;
    }
    snprintf(scratch, sizeof scratch, "%s", argv[1]);
    snprintf(source, sizeof source, "%s", argv[2]);
    /* An earlier process with this process's ID (Windows reuses them; wine's first process is
       always the same one) left its staging folder behind: this one must take another. */
    char left_behind[2048], lock[2100];
    snprintf(left_behind, sizeof left_behind, "%s\\files\\.staging\\%lu-0", in_scratch("site"),
             (unsigned long)GetCurrentProcessId());
    SHCreateDirectoryExA(NULL, left_behind, NULL);
    snprintf(lock, sizeof lock, "%s\\owner.lock", left_behind);
    write_text(lock, "");

    osu_site *site = NULL;
    osu_status status = osu_site_create(in_scratch("site"), NULL, &site);
    CHECK(status == OSU_OK, "create a site in %s: %s", scratch, osu_status_name(status));
    if (status != OSU_OK) return 1;
    test_packages(site);
    test_points(site);
    test_read_only_and_open_files(site);
    CHECK(osu_package_remove(site, "OSU00001") == OSU_OK, "remove the package from every point");
    osu_site_close(site);
    char ours[2048];
    snprintf(ours, sizeof ours, "%s\\files\\.staging\\%lu-1", in_scratch("site"), (unsigned long)GetCurrentProcessId());
    CHECK(GetFileAttributesA(ours) == INVALID_FILE_ATTRIBUTES, "closing the site removed its staging folder %s", ours);
    test_default_site();
    test_site_folder_open_to_everyone();
    printf("windows c: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
