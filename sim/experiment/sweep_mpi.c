/*
 * sweep_mpi.c: a sweep over MPI ranks.
 *
 * Rank 0 is the driver: it hands out the index of the next run not yet
 * stored to whichever rank asks, stores the text each rank sends back
 * (through the same temporary-name-and-rename as local workers), and
 * assembles the CSV files. Ranks 1..K-1 run what they are given, each in
 * a child process with the --timeout, so a crash or a runaway run costs
 * one run, not a rank. Dynamic: a rank asks again as soon as it is done,
 * so long and short runs balance themselves. The stored files are the
 * ones a local sweep writes, hence the same bytes.
 *
 * Messages (MPI_COMM_WORLD):
 *   worker -> 0, TAG_RESULT: "<run> <ok>\n<text or reason>", or "-1 1\n"
 *                            when the worker has nothing to report yet
 *   0 -> worker, TAG_WORK:   one unsigned long long, the run; TAG_STOP: the end
 * Rank 0 waits with MPI_Iprobe and a 1 ms sleep rather than a blocking
 * receive, which in Open MPI spins a core the workers need.
 *
 * Built only when CMake found MPI (SF_HAVE_MPI); otherwise a sweep is
 * never under MPI and these functions say so.
 */
#include "core/mem.h"
#include "experiment/sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef SF_HAVE_MPI
#include <mpi.h>

enum { TAG_RESULT = 1, TAG_WORK = 2, TAG_STOP = 3 };

static bool started;
/*
 * A sweep run in stages (sw->want): a rank that asks for work when the
 * stage has none left is parked here without an answer, and the next
 * stage hands it work first; sf_sweep_release stops the parked ranks.
 * `staged` says the ranks already met at the MPI_Bcast of the first stage.
 */
static int *parked;
static int nparked;
static bool staged;

/*
 * MPI is started only when a launcher says there are ranks (Open MPI's
 * mpirun, Slurm's srun with PMI or PMIx), so a plain `shopfloor sweep`
 * never pays for MPI_Init or needs a launcher.
 */
bool sf_sweep_mpi_active(int *rank, int *size)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"};
    bool launched = false;

    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        launched = launched || getenv(vars[i]);
    if (!launched)
        return false;
    if (!started) {
        int init = 0;
        MPI_Initialized(&init);
        if (!init && MPI_Init(NULL, NULL) != MPI_SUCCESS)
            return false;
        started = true;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return true;
}

void sf_sweep_mpi_end(void)
{
    if (started)
        MPI_Finalize();
    started = false;
}

static void send_text(const char *head, const char *body)
{
    size_t a = strlen(head), b = body ? strlen(body) : 0;
    char *msg = sf_malloc(a + b + 1);

    if (!msg)
        MPI_Abort(MPI_COMM_WORLD, 1);
    memcpy(msg, head, a);
    if (b)
        memcpy(msg + a, body, b);
    msg[a + b] = '\0';
    MPI_Send(msg, (int)(a + b + 1), MPI_CHAR, 0, TAG_RESULT, MPI_COMM_WORLD);
    free(msg);
}

static int worker(sf_sweep *sw)
{
    send_text("-1 1\n", NULL);
    for (;;) {
        MPI_Status st;
        unsigned long long run;
        sf_sweep_outcome o;
        char head[64], *out = NULL;
        MPI_Recv(&run, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == TAG_STOP)
            return 0;
        sf_sweep_run_child(sw, (size_t)run, true, &out, &o);
        snprintf(head, sizeof head, "%llu %d\n", run, o.ok ? 1 : 0);
        send_text(head, o.ok ? out : o.reason);
        free(out);
    }
}

static void nap(void)
{
    struct timespec ts = {0, 1000000};

    nanosleep(&ts, NULL);
}

/* The next run of the stage not stored yet, from *next on; sw->total when none. */
static size_t next_run(const sf_sweep *sw, size_t *next)
{
    while (*next < sw->total && ((sw->want && !sw->want[*next]) || sf_sweep_done(sw, *next)))
        (*next)++;
    return *next < sw->total ? (*next)++ : sw->total;
}

static void send_work(int rank, size_t run)
{
    unsigned long long r = run;

    MPI_Send(&r, 1, MPI_UNSIGNED_LONG_LONG, rank, TAG_WORK, MPI_COMM_WORLD);
}

static int driver(sf_sweep *sw, int size)
{
    size_t next = 0;
    int active = size - 1 - nparked;

    /* The ranks parked at the end of the previous stage start this one. */
    for (int j = 0; j < nparked;) {
        size_t run = next_run(sw, &next);
        if (run == sw->total)
            break;
        send_work(parked[j], run);
        parked[j] = parked[--nparked];
        active++;
    }
    while (active > 0) {
        MPI_Status st;
        int flag = 0, len;
        char *msg, *body;
        long long run;
        int ok;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &st);
        if (!flag) {
            nap();
            continue;
        }
        MPI_Get_count(&st, MPI_CHAR, &len);
        if (!(msg = sf_malloc((size_t)len + 1)))
            MPI_Abort(MPI_COMM_WORLD, 1);
        MPI_Recv(msg, len, MPI_CHAR, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        msg[len] = '\0';
        body = strchr(msg, '\n');
        body = body ? body + 1 : msg + strlen(msg);
        if (sscanf(msg, "%lld %d", &run, &ok) == 2 && run >= 0 && (size_t)run < sw->total) {
            if (ok && sf_sweep_store(sw, (size_t)run, body) != 0) {
                ok = 0;
                body = "cannot store the result in the output folder";
            }
            if (!ok)
                sf_sweep_failed(sw, (size_t)run, body);
            sf_sweep_progress(sw, ok);
        }
        free(msg);
        size_t todo = next_run(sw, &next);
        if (todo < sw->total) {
            send_work(st.MPI_SOURCE, todo);
        } else if (sw->want) {
            if (!parked && !(parked = sf_calloc((size_t)size, sizeof *parked)))
                MPI_Abort(MPI_COMM_WORLD, 1);
            parked[nparked++] = st.MPI_SOURCE;
            active--;
        } else {
            unsigned long long none = 0;
            MPI_Send(&none, 1, MPI_UNSIGNED_LONG_LONG, st.MPI_SOURCE, TAG_STOP, MPI_COMM_WORLD);
            active--;
        }
    }
    if (sw->want)
        return sw->failed ? 1 : 0;
    return sf_sweep_finish(sw);
}

void sf_sweep_release(void)
{
    int rank = 0;

    if (started) {
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        for (int j = 0; rank == 0 && j < nparked; j++) {
            unsigned long long none = 0;
            MPI_Send(&none, 1, MPI_UNSIGNED_LONG_LONG, parked[j], TAG_STOP, MPI_COMM_WORLD);
        }
    }
    free(parked);
    parked = NULL;
    nparked = 0;
    staged = false;
    sf_sweep_mpi_end();
}

int sf_sweep_mpi_run(sf_sweep *sw, int rank, int size, int ready)
{
    int go = ready;

    /* Staged: the worker ranks met rank 0 here at the first stage and have stayed in worker() since. */
    if (sw->want && staged)
        return ready != 0 ? ready : driver(sw, size);
    MPI_Bcast(&go, 1, MPI_INT, 0, MPI_COMM_WORLD);
    staged = sw->want != NULL && go == 0;
    if (go != 0)
        return rank == 0 ? go : 0;
    sw->total = sf_sweep_points(sw) * sw->reps;
    if (rank == 0)
        return driver(sw, size);
    sw->quiet = true;
    return worker(sw);
}

#else

/*
 * Without MPI a sweep started by mpirun or srun with several ranks would
 * run the whole sweep once per rank, into one folder: refuse instead.
 */
bool sf_sweep_mpi_active(int *rank, int *size)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"};

    (void)rank;
    (void)size;
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && atoi(v) > 1) {
            fprintf(stderr, "shopfloor sweep: started as %s ranks, but this shopfloor was built without MPI, so\n"
                            "  every rank would run the whole sweep. Run it once (--jobs uses every core), or\n"
                            "  rebuild with MPI (libopenmpi-dev; docs/experiments.md).\n", v);
            exit(2);
        }
    }
    return false;
}

void sf_sweep_mpi_end(void) {}

void sf_sweep_release(void) {}

int sf_sweep_mpi_run(sf_sweep *sw, int rank, int size, int ready)
{
    (void)sw;
    (void)rank;
    (void)size;
    return ready;
}

#endif
