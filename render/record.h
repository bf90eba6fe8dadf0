/*
 * record.h: recordings of a run, and their replay.
 *
 * A recording is the run's snapshots (snapshot.h) at every grid time,
 * each written as the difference from the one before: the agents whose
 * position, state, load or battery changed, the stations, rack cells,
 * zones and segments that changed, and the plant figures (jobs, power,
 * energy, alarm). The stream is gzip-compressed (zlib). Its header names
 * the scenario, its --set overrides and the seed: the replay loads the
 * scenario again for the layout, so the scenario file must still be there
 * (and unchanged: counts of agents, cells, zones and segments are checked).
 *
 * Format (little-endian, after gunzip):
 *   "SFREC4\n", then text lines "model PATH", "seed N", "every NS",
 *   "set K=V" (any number), "until NS" (when --until was given),
 *   "reserve N" (when the plant had a reserve: a live window's, or an
 *   instruction file's "reserve" line), "add T NAME N AT" for
 *   each intervention that adds agents before the run (fleet entry T, named
 *   NAME, N agents joining at AT ns: the plant was built with them, and the
 *   replay builds it with them; experiment/session.h, build), "data";
 *   then frames:
 *   i64 now, u64 completed, u64 released, u32 failures, u32 flat,
 *   f32 power, f64 energy, u8 alarm length + text (255 = unchanged),
 *   u32 n + n x (u32 agent, sf_snap_agent fields),
 *   u32 n + n x (u32 station, u8 state), u32 n + n x (u32 2*station (+1 output), u16 units),
 *   u32 n + n x (u32 cell, u8 full),
 *   u32 n + n x (u32 zone, u16 people), u32 n + n x (u32 segment, f32 s);
 *   then the run's interventions (experiment/interventions.h), made live
 *   or from --instruct: i64 -1 (where a frame's time would be), u32 n,
 *   n x (i64 at, i64 length, u32 kind, u32 target, i32 quantity, u32 first,
 *   f64 speed, u32 station, u32 product, u32 from, u32 to).
 * Version 3 ("SFREC3": interventions without the six later fields) and
 * version 2 ("SFREC2", no "until" line and no interventions) are still read.
 *
 * The replay reads the whole file into memory and keeps a full snapshot
 * every 256 frames, so moving to any time costs at most 255 diffs.
 */
#ifndef SF_RENDER_RECORD_H
#define SF_RENDER_RECORD_H

#include <stdbool.h>
#include <stdio.h>

#include "core/time.h"
#include "experiment/session.h"
#include "render/snapshot.h"

/* The grid step of recordings unless told otherwise: 0.5 s. */
#define SF_RECORD_EVERY (SF_SECOND / 2)

/*
 * Run the session to its end, writing the recording to `path` (atomically,
 * report/outfile.h: through a temporary name, synced and renamed when
 * complete, also when the run failed: the recording then ends where the
 * model stopped). `spec` is what the session was made from (for the
 * header). Returns the run's status, or SF_EIO / SF_ENOMEM with a message
 * (on stderr when the file cannot be created or committed, else on `err`)
 * when the recording cannot be written.
 */
int sf_record_run(sf_session *ses, const sf_session_spec *spec, const char *path, sf_time every, FILE *err);

/*
 * A recording written as a session runs, for a live window: open it,
 * pass sf_recorder_grid with the recorder to sf_live_advance at every
 * step, and close it (with `commit`, the session's interventions are
 * written after the frames and the file committed; else it is removed).
 * sf_record_run is these three around one sf_live_advance to the end.
 */
typedef struct sf_recorder sf_recorder;

sf_recorder *sf_recorder_open(sf_session *ses, const sf_session_spec *spec, const char *path, sf_time every, FILE *err);
int sf_recorder_grid(void *rec, const sf_snapshot *s);
int sf_recorder_close(sf_recorder *rec, bool commit);

typedef struct sf_replay sf_replay;

/* Read a recording; NULL with a message in `err` (file and reason). */
sf_replay *sf_replay_open(const char *path, FILE *err);
void sf_replay_free(sf_replay *r);

/* The session the layout comes from (never advanced) and its config. */
sf_session *sf_replay_session(sf_replay *r);
const sf_scenario_config *sf_replay_config(const sf_replay *r);
sf_time sf_replay_every(const sf_replay *r);
sf_time sf_replay_end(const sf_replay *r);
/* The interventions made during the recorded run, in order (an empty list for a recording without any). */
const sf_interventions *sf_replay_interventions(const sf_replay *r);

/*
 * The snapshot at time t (clamped to the recording): the last frame at or
 * before t, with positions interpolated linearly towards the next frame.
 * `out` must be sized for the config (sf_snapshot_init). SF_OK.
 */
int sf_replay_snapshot(sf_replay *r, sf_time t, sf_snapshot *out);

#endif
