/*
 * fuzz_replay.c: run a fuzz target's code on every file in the given
 * folders (the example scenarios, the seed corpus and the inputs that
 * once crashed), without libFuzzer, so any compiler can build it and
 * every build checks that old crashes stay fixed.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_lua_one.h"
#include "fuzz_scenario_one.h"

/* The target: the scenario loader, or the Lua sandbox when built with -DFUZZ_LUA. */
#ifdef FUZZ_LUA
#define FUZZ_ONE sf_fuzz_lua_one
#else
#define FUZZ_ONE sf_fuzz_scenario_one
#endif

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    if (!f) {
        fprintf(stderr, "fuzz_replay: cannot open %s\n", path);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (n < 0 || !(buf = malloc((size_t)n + 1))) {
        fclose(f);
        return 1;
    }
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(buf);
        return 1;
    }
    fclose(f);
    FUZZ_ONE(buf, (size_t)n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    int files = 0, bad = 0;

    for (int i = 1; i < argc; i++) {
        DIR *dir = opendir(argv[i]);
        struct dirent *e;
        if (!dir) {
            fprintf(stderr, "fuzz_replay: cannot open folder %s\n", argv[i]);
            return 1;
        }
        while ((e = readdir(dir))) {
            char path[4096];
            struct stat st;
            if (e->d_name[0] == '.' || strcmp(e->d_name, "README") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
                continue;
            bad += replay_file(path);
            files++;
        }
        closedir(dir);
    }
    printf("fuzz_replay: %d inputs replayed\n", files);
    /* An empty replay proves nothing: the seed corpus must be there. */
    return bad || files == 0 ? 1 : 0;
}
