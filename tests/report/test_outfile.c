/* The atomic writer: the whole file or the previous one, never a part, and no temporary left behind. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/mem.h"
#include "report/outfile.h"

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sf_outfile_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *in_dir(const char *name)
{
    static char path[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

/* The content of a file ("" when it is empty), or NULL when it does not exist. */
static const char *content(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f)
        return NULL;
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* How many entries of the folder hold ".tmp." (the sweep's scan for leftovers looks for that). */
static int temporaries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)))
        n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

static void test_outfile_commit_puts_the_file_in_place(void **state)
{
    const char *path = in_dir("kpis.csv");
    char tmp[300];
    sf_outfile *o = sf_outfile_open(path);
    (void)state;

    assert_non_null(o);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    assert_string_equal(o->tmp, tmp); /* a twin in the same folder */
    assert_string_equal(o->path, path);
    fputs("metric,value\n", o->f);
    assert_null(content(path)); /* nothing under the final name before the commit */
    assert_int_equal(temporaries(), 1);
    assert_int_equal(sf_outfile_commit(o), SF_OK);
    assert_string_equal(content(path), "metric,value\n");
    assert_int_equal(temporaries(), 0);
}

static void test_outfile_commit_replaces_a_previous_file(void **state)
{
    const char *path = in_dir("summary.json");
    (void)state;

    assert_int_equal(sf_outfile_write(path, "old", 3), SF_OK);
    assert_int_equal(sf_outfile_write(path, "new\n", 4), SF_OK);
    assert_string_equal(content(path), "new\n");
    assert_int_equal(sf_outfile_write(path, "", 0), SF_OK);
    assert_string_equal(content(path), "");
    assert_int_equal(temporaries(), 0);
}

static void test_outfile_abort_leaves_the_previous_file_untouched(void **state)
{
    const char *path = in_dir("agents.csv");
    sf_outfile *o;
    (void)state;

    assert_int_equal(sf_outfile_write(path, "previous", 8), SF_OK);
    assert_non_null(o = sf_outfile_open(path));
    fputs("half of a new fi", o->f);
    fflush(o->f);
    sf_outfile_abort(o);
    assert_string_equal(content(path), "previous");
    assert_int_equal(temporaries(), 0);
    /* a writer's failure, through sf_outfile_close, is an abort too */
    assert_non_null(o = sf_outfile_open(path));
    fputs("partial", o->f);
    assert_int_equal(sf_outfile_close(o, SF_ENOMEM), SF_ENOMEM);
    assert_string_equal(content(path), "previous");
    assert_int_equal(temporaries(), 0);
    /* and with SF_OK it commits */
    assert_non_null(o = sf_outfile_open(path));
    fputs("complete", o->f);
    assert_int_equal(sf_outfile_close(o, SF_OK), SF_OK);
    assert_string_equal(content(path), "complete");
}

static void test_outfile_in_a_missing_folder_fails_cleanly(void **state)
{
    const char *path = in_dir("no/such/folder/kpis.csv");
    (void)state;

    assert_null(sf_outfile_open(path));
    assert_int_equal(sf_outfile_write(path, "x", 1), SF_EIO);
    assert_null(content(path));
    assert_int_equal(temporaries(), 0);
}

static void test_outfile_out_of_memory_fails_cleanly(void **state)
{
    const char *path = in_dir("oom.csv");
    (void)state;

    sf_mem_fail_at(1);
    assert_null(sf_outfile_open(path));
    assert_true(sf_mem_injected());
    sf_mem_fail_at(0);
    assert_null(content(path));
    assert_int_equal(temporaries(), 0);
}

static void test_outfile_failing_rename_removes_the_temporary(void **state)
{
    const char *path = in_dir("occupied");
    sf_outfile *o;
    (void)state;

    /* a non-empty folder under the final name: everything but the rename succeeds */
    assert_int_equal(mkdir(path, 0777), 0);
    assert_int_equal(sf_outfile_write(in_dir("occupied/keep"), "kept", 4), SF_OK);
    assert_non_null(o = sf_outfile_open(path));
    fputs("data", o->f);
    assert_int_equal(sf_outfile_commit(o), SF_EIO);
    assert_int_equal(temporaries(), 0);
    assert_string_equal(content(in_dir("occupied/keep")), "kept");
}

static void test_outfile_of_a_bare_name_goes_to_the_current_folder(void **state)
{
    char here[4096];
    (void)state;

    assert_non_null(getcwd(here, sizeof here));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(sf_outfile_write("bare.txt", "here", 4), SF_OK);
    assert_int_equal(chdir(here), 0);
    assert_string_equal(content(in_dir("bare.txt")), "here");
    assert_int_equal(temporaries(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outfile_commit_puts_the_file_in_place),
        cmocka_unit_test(test_outfile_commit_replaces_a_previous_file),
        cmocka_unit_test(test_outfile_abort_leaves_the_previous_file_untouched),
        cmocka_unit_test(test_outfile_in_a_missing_folder_fails_cleanly),
        cmocka_unit_test(test_outfile_out_of_memory_fails_cleanly),
        cmocka_unit_test(test_outfile_failing_rename_removes_the_temporary),
        cmocka_unit_test(test_outfile_of_a_bare_name_goes_to_the_current_folder),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
