/*
 * outfile.c: files written through a temporary name, synced and renamed
 * (outfile.h).
 */
#include "report/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/mem.h"

/* One line on stderr ("out of memory" as every other layer says it), keeping errno for the caller. */
static void say(const char *path, const char *what, int err)
{
    fprintf(stderr, "shopfloor: cannot %s %s: %s\n", what, path,
            err == ENOMEM ? sf_strerror(SF_ENOMEM) : strerror(err));
    errno = err;
}

sf_outfile *sf_outfile_open(const char *path)
{
    size_t len = strlen(path);
    sf_outfile *o = sf_malloc(sizeof *o + 2 * len + 32);

    if (!o) {
        say(path, "write", ENOMEM);
        return NULL;
    }
    o->path = (char *)(o + 1);
    o->tmp = o->path + len + 1;
    memcpy(o->path, path, len + 1);
    snprintf(o->tmp, len + 31, "%s.tmp.%ld", path, (long)getpid());
    if (!(o->f = fopen(o->tmp, "wb"))) {
        int err = errno;
        free(o);
        say(path, "write", err);
        return NULL;
    }
    return o;
}

void sf_outfile_abort(sf_outfile *o)
{
    int err = errno;

    if (!o)
        return;
    if (o->f)
        fclose(o->f);
    remove(o->tmp);
    free(o);
    errno = err;
}

/*
 * Sync the folder that holds path, so that a rename in it is on the disk
 * too (POSIX leaves that to an fsync of the directory). The folder's name
 * is put together in buf (strlen(path) + 2 bytes), so that nothing is
 * allocated once the file is in place. A file system that cannot sync a
 * folder (EINVAL, ENOTSUP) is taken as it is. 0 or an errno value.
 */
static int sync_folder(const char *path, char *buf)
{
    const char *slash = strrchr(path, '/');
    int fd, err = 0;

    if (!slash)
        strcpy(buf, ".");
    else if (slash == path)
        strcpy(buf, "/");
    else {
        memcpy(buf, path, (size_t)(slash - path));
        buf[slash - path] = '\0';
    }
    if ((fd = open(buf, O_RDONLY)) < 0)
        return errno;
    if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP)
        err = errno;
    close(fd);
    return err;
}

/*
 * The order is what makes it atomic and durable: the data reaches the
 * disk (fflush, then fsync) before the rename can expose it under PATH,
 * and the folder is synced after, so that after a crash PATH is either
 * the previous file or the complete new one. A failure before the rename
 * leaves the previous PATH untouched; one after it (syncing the folder)
 * leaves the new file in place and is still reported.
 */
int sf_outfile_commit(sf_outfile *o)
{
    FILE *f = o->f;
    int err = 0;

    o->f = NULL;
    if (fflush(f) != 0)
        err = errno;
    else if (ferror(f))
        err = EIO;
    else if (fsync(fileno(f)) != 0)
        err = errno;
    if (fclose(f) != 0 && !err)
        err = errno;
    if (!err && rename(o->tmp, o->path) != 0)
        err = errno;
    if (err) {
        say(o->path, "write", err);
        sf_outfile_abort(o);
        return SF_EIO;
    }
    if ((err = sync_folder(o->path, o->tmp)) != 0) /* the temporary name is free now */
        say(o->path, "sync the folder of", err);
    free(o);
    return err ? SF_EIO : SF_OK;
}

int sf_outfile_close(sf_outfile *o, int rc)
{
    if (rc == SF_OK)
        return sf_outfile_commit(o);
    fprintf(stderr, "shopfloor: cannot write %s: %s\n", o->path, sf_strerror(rc));
    sf_outfile_abort(o);
    return rc;
}

int sf_outfile_write(const char *path, const void *data, size_t len)
{
    sf_outfile *o = sf_outfile_open(path);

    if (!o)
        return SF_EIO;
    if (len > 0)
        fwrite(data, 1, len, o->f); /* a short write sets the error the commit reports */
    return sf_outfile_commit(o);
}
