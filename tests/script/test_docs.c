/*
 * test_docs.c: every ```lua example in docs/lua-api.md, and every model in
 * examples/, runs to the end without error. The examples assert what the
 * text around them says, so a change that makes the page wrong fails here.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "script/lua_harness.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    long n;
    char *text;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    text = malloc((size_t)n + 1);
    if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
        free(text);
        text = NULL;
    }
    if (text)
        text[n] = '\0';
    fclose(f);
    return text;
}

static const char *source_dir(void)
{
    const char *dir = getenv("SHOPFLOOR_SOURCE_DIR");
    return dir ? dir : ".";
}

static void test_every_lua_example_in_the_api_page_runs(void **state)
{
    char path[1024], *doc, *p;
    int line = 1, examples = 0;

    (void)state;
    snprintf(path, sizeof path, "%s/docs/lua-api.md", source_dir());
    assert_non_null(doc = slurp(path));
    for (p = doc; *p;) {
        char *eol = strchr(p, '\n');
        if (!eol)
            break;
        if (strncmp(p, "```lua\n", 7) == 0) {
            char *start = eol + 1, *end = strstr(start, "\n```"), *src;
            size_t pad = (size_t)line, n;
            harness h;
            assert_non_null(end);
            n = (size_t)(end - start) + 1;
            /* pad with newlines so that error lines are lines of the page */
            src = malloc(pad + n + 1);
            assert_non_null(src);
            memset(src, '\n', pad);
            memcpy(src + pad, start, n);
            src[pad + n] = '\0';
            h = harness_run(src, SF_TIME_MAX, NULL);
            if (h.rc != SF_OK)
                fail_msg("docs/lua-api.md example at line %d: %s", line + 1, sf_script_error(h.S));
            harness_close(&h);
            free(src);
            examples++;
        }
        line++;
        p = eol + 1;
    }
    free(doc);
    assert_true(examples >= 9);
}

static void test_every_example_model_runs(void **state)
{
    char dir[1024], path[1400];
    DIR *d;
    struct dirent *e;
    int models = 0;

    (void)state;
    snprintf(dir, sizeof dir, "%s/examples", source_dir());
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        sf_kernel *k;
        sf_script *S;
        sf_script_options o = {.seed = 1};
        int rc;
        if (n < 5 || strcmp(e->d_name + n - 4, ".lua") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        k = sf_kernel_new();
        S = sf_script_new(k, &o);
        rc = sf_script_load_file(S, path);
        if (rc == SF_OK)
            rc = sf_script_run(S, 1000 * SF_HOUR);
        if (rc != SF_OK)
            fail_msg("%s: %s", path, sf_script_error(S));
        sf_script_free(S);
        sf_kernel_free(k);
        models++;
    }
    closedir(d);
    assert_true(models >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_lua_example_in_the_api_page_runs),
        cmocka_unit_test(test_every_example_model_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
