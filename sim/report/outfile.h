/*
 * outfile.h: every file shopfloor writes, written atomically.
 *
 * A file is written under a temporary name in its own folder
 * (PATH.tmp.PID), flushed, synced to the disk and closed, then renamed
 * over PATH, and the folder is synced so that the rename itself
 * survives a power cut. A reader, a resumed sweep or the next run sees
 * the whole new file or the whole previous one, never a part: a file
 * that says it is complete is. On any failure the temporary file is
 * removed, a previous PATH is left as it was, a line on stderr says
 * which file and why (strerror), and the call returns SF_EIO.
 *
 *     sf_outfile *o = sf_outfile_open(path);
 *     if (!o)
 *         return SF_EIO;
 *     fputs("metric,entity,value,unit\n", o->f);
 *     ...
 *     return sf_outfile_commit(o);
 *
 * The report files, the results of Lua models, the trace, comparisons,
 * replications, the sweep's stored runs and summaries, the pictures and
 * recordings of render/ all go through here; their CSV and JSON fields
 * through core/format.h. It lives in sim/report, the lowest layer that
 * opens files to write and may use POSIX, which every writer (report,
 * experiment, render, cli) may include.
 */
#ifndef SF_REPORT_OUTFILE_H
#define SF_REPORT_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

typedef struct sf_outfile {
    FILE *f;    /* write the content here (or hand fileno(f) to a library) */
    char *path; /* the name it will have */
    char *tmp;  /* the temporary twin, PATH.tmp.PID */
} sf_outfile;

/* Create PATH's temporary twin for writing; NULL (errno kept) after a message on stderr. */
sf_outfile *sf_outfile_open(const char *path);
/*
 * Flush, sync and close the file, rename it over PATH and sync its
 * folder. SF_OK, or SF_EIO after a message (also when a write to f
 * failed earlier, as ferror tells). Frees o either way.
 */
int sf_outfile_commit(sf_outfile *o);
/* Remove the temporary file, leaving any previous PATH as it was; silent. Frees o. */
void sf_outfile_abort(sf_outfile *o);
/*
 * The ending for a writer that returns a status: commit when rc is
 * SF_OK, else abort after saying which file was not written and why
 * (sf_strerror(rc)). Returns the commit's result or rc.
 */
int sf_outfile_close(sf_outfile *o, int rc);
/* A whole buffer as PATH, atomically: open, write, commit. SF_OK or SF_EIO after a message. */
int sf_outfile_write(const char *path, const void *data, size_t len);

#endif
