/*
 * cameras.h: the safety cameras of a running plant (docs/safety.md).
 *
 * The one owner of what the cameras do while the plant runs: which are up
 * (a camera with `mtbf` and `mttr` fails and is repaired on its streams
 * "camera.failure.NAME" and "camera.repair.NAME"), and which people a
 * camera with a detection probability below 1 misses: each entry of a
 * person into its zones is a pass, detected with that probability (one
 * draw from "camera.detection.NAME"); a missed pass lasts until they
 * leave. A camera with a position sees only its sector (range, heading,
 * field of view); a pass begins when a person enters its zones within its
 * sector, and a detected pass is seen `latency` after it began (an event
 * of `kind_seen`). Collaboration safety (safety.c) asks and reacts; where
 * a camera looks is configuration (sf_safety_camera_contains, safety.h).
 */
#ifndef SF_MODEL_CAMERAS_H
#define SF_MODEL_CAMERAS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/kernel.h"
#include "model/config.h"

typedef struct sf_cameras sf_cameras;

/*
 * The cameras of cfg, all up, watching `npeople` people (indices
 * 0..npeople-1). A failure or repair falls due as an event of `kind`
 * whose target is the camera; its handler calls sf_cameras_flip. The end
 * of a detected pass's latency falls due as an event of the same kind
 * with a target of at least the number of cameras; its handler calls
 * sf_cameras_seen with the target. NULL when memory runs out.
 */
sf_cameras *sf_cameras_new(sf_kernel *k, const sf_scenario_config *cfg, uint32_t npeople, uint32_t kind);
void sf_cameras_free(sf_cameras *c);

/* Schedule the first failure of every camera that fails. SF_OK or the kernel's error. */
int sf_cameras_start(sf_cameras *c);

/* Camera `cam`'s failure or repair is due: it goes down or up. */
void sf_cameras_flip(sf_cameras *c, uint32_t cam);

/* Schedule camera `cam`'s next change: its failure when up, its repair when down. SF_OK or the kernel's error. */
int sf_cameras_next(sf_cameras *c, uint32_t cam);

/*
 * Hold camera `cam` down (`down`) or release one hold, by an order from
 * outside its own failures (an intervention): it sees nothing while held,
 * whatever its failures do meanwhile. Holds nest. SF_EINVAL for a camera
 * out of range or a release without a hold. The caller (the safety
 * monitor, sf_safety_camera_hold) lets the robots react.
 */
int sf_cameras_hold(sf_cameras *c, uint32_t cam, bool down);
/* Camera `cam` is up: not failed and not held (false out of range). */
bool sf_cameras_up(const sf_cameras *c, uint32_t cam);

/* Some camera that is up now watches a collaborative zone that holds (x, y). */
bool sf_cameras_watching(const sf_cameras *c, double x, double y);

/*
 * People's passes are followed: some camera may miss, has a latency, a
 * sector or failures. Without, every camera that is up sees whoever is in
 * its zones, at once (and the monitor needs no crossings of them).
 */
bool sf_cameras_tracking(const sf_cameras *c);

/*
 * Person `person` stands at (x, y): an entry into a camera's zones within
 * its sector is a pass, detected or missed (a draw when the camera may
 * miss), counted in the camera's statistics when `counted` (after the
 * warm-up); leaving ends it. Nothing unless tracking.
 */
void sf_cameras_pass(sf_cameras *c, uint32_t person, double x, double y, bool counted);

/*
 * The latency of a detected pass is over (`target`: the event's, at least
 * the number of cameras): it is seen. Returns the person.
 */
uint32_t sf_cameras_seen(sf_cameras *c, uint32_t target);

/* Camera `cam` is up and sees the person (without tracking: it is up). */
bool sf_cameras_sees(const sf_cameras *c, uint32_t person, size_t cam);

/*
 * The monitor does not see the person: they are in the zones of a camera
 * up among `cover` (bit c: camera c), and no camera up among `cover` sees
 * them (missed on this pass, within its latency, or outside its sector).
 * Without tracking, never.
 */
bool sf_cameras_unseen(const sf_cameras *c, uint32_t person, uint64_t cover);

/*
 * Time uncovered: the person has been uncovered for the plant (`plant`)
 * and for the cameras of `mask` (bit c) from now on; the time since the
 * last call counts, after `measure_from`, for the flags given then.
 */
void sf_cameras_account(sf_cameras *c, uint32_t person, sf_time now, sf_time measure_from, bool plant,
                        uint64_t mask);
/* Time uncovered up to `now` of camera `cam`, or of the plant (cam SIZE_MAX). */
sf_time sf_cameras_uncovered(const sf_cameras *c, size_t cam, sf_time now, sf_time measure_from);

/* Passes into camera `cam`'s zones and those it missed, after the warm-up (0 for a camera out of range). */
void sf_cameras_stats(const sf_cameras *c, size_t cam, uint64_t *passes, uint64_t *missed);

#endif
