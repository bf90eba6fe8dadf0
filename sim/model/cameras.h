/*
 * cameras.h: the safety cameras of a running plant (docs/safety.md).
 *
 * The one owner of what the cameras do while the plant runs: which are up
 * (a camera with `mtbf` and `mttr` fails and is repaired on its streams
 * "camera.failure.NAME" and "camera.repair.NAME"), and which people a
 * camera with a detection probability below 1 misses: each entry of a
 * person into its zones is a pass, detected with that probability (one
 * draw from "camera.detection.NAME"); a missed pass lasts until they
 * leave. Collaboration safety (safety.c) asks and reacts; where a camera
 * looks is configuration (sf_safety_camera_contains, safety.h).
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
 * whose target is the camera; its handler calls sf_cameras_flip. NULL
 * when memory runs out.
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

/* Some camera may miss a person (a detection probability below 1). */
bool sf_cameras_detecting(const sf_cameras *c);

/*
 * Person `person` stands at (x, y): an entry into a detecting camera's
 * zones is a pass, detected or missed (a draw), counted in the camera's
 * statistics when `counted` (after the warm-up); leaving ends it.
 */
void sf_cameras_pass(sf_cameras *c, uint32_t person, double x, double y, bool counted);

/*
 * The monitor does not see the person: every camera up among `cover`
 * (bit c: camera c) holds the person in its zones and missed them on
 * this pass, and at least one does. Without detection, never.
 */
bool sf_cameras_missed(const sf_cameras *c, uint32_t person, uint64_t cover);

/* Passes into camera `cam`'s zones and those it missed, after the warm-up (0 for a camera out of range). */
void sf_cameras_stats(const sf_cameras *c, size_t cam, uint64_t *passes, uint64_t *missed);

#endif
