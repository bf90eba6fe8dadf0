#!/bin/sh
# Partner work, by hand (tests/model/data/partner_cell.yaml: one unit, a
# 220 s operation of a cobot and its partner, the cobot kept at 0.25 of its
# speed while a partner works with it):
#   all of the cycle robot motion (the default): 220 / 0.25 = 880 s;
#   motion_share 0.4: 220 (0.6 + 0.4 x 4) = 484 s, a rate of 1 / (0.6 + 0.4 x 4);
#   a humanoid partner instead of a person: the same, by the same rule;
#   hand-over partner work (partner: handover, handover_time: 20 s): the
#   cobot pauses 20 s while the partner's hands are in the shared space,
#   then works at full speed: 20 + 220 = 240 s, with either partner.
# An operation timed at collaborative speed (time_at: collaborative) is not
# slowed again: worked with a partner at 0.25 it takes its 220 s; at full
# speed after a hand-over it takes 220 x 0.25 = 55 s of motion (all motion),
# 20 + 55 = 75 s, or with motion_share 0.4 220 / (0.6 + 0.4 x 4) = 100 s,
# 20 + 100 = 120 s.
# The unit's lead time is the operation's duration (no travel, no wait).
#   test_partner_work.sh SHOPFLOOR SOURCE_DIR
sf=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
lead() { # expected-seconds label sets...
    want=$1 label=$2
    shift 2
    "$sf" run "$src/tests/model/data/partner_cell.yaml" "$@" --out "$tmp/o" > "$tmp/out" 2>&1 ||
        { echo "FAIL: $label: the run failed"; cat "$tmp/out"; fails=$((fails + 1)); return; }
    got=$(awk -F, '$1 == "lead_time_mean" && $2 == "-" {print $3 * 60}' "$tmp/o/kpis.csv")
    if awk -v g="$got" -v w="$want" 'BEGIN {d = g - w; if (d < 0) d = -d; exit !(d < 1e-6)}'; then
        echo "ok: $label: $got s"
    else
        echo "FAIL: $label: the operation took $got s, expected $want s"
        fails=$((fails + 1))
    fi
}
humanoid="--set fleet.operator.count=0 --set fleet.bot.count=1"
lead 880 "a person as partner, all motion"
lead 484 "a person as partner, motion_share 0.4" --set products.unit.routing.fit.motion_share=0.4
# shellcheck disable=SC2086
lead 880 "a humanoid as partner, all motion" $humanoid
# shellcheck disable=SC2086
lead 484 "a humanoid as partner, motion_share 0.4" $humanoid --set products.unit.routing.fit.motion_share=0.4
handover="--set safety.robots.cobot.partner=handover --set safety.robots.cobot.handover_time=20s"
# shellcheck disable=SC2086
lead 240 "a person as partner, hand-over" $handover
# shellcheck disable=SC2086
lead 240 "a humanoid as partner, hand-over" $humanoid $handover
collab="--set products.unit.routing.fit.time_at=collaborative"
# shellcheck disable=SC2086
lead 220 "timed at collaborative speed, a person as partner" $collab
# shellcheck disable=SC2086
lead 220 "timed at collaborative speed, motion_share 0.4" $collab --set products.unit.routing.fit.motion_share=0.4
# shellcheck disable=SC2086
lead 75 "timed at collaborative speed, hand-over" $collab $handover
# shellcheck disable=SC2086
lead 120 "timed at collaborative speed, hand-over, motion_share 0.4" $collab $handover \
    --set products.unit.routing.fit.motion_share=0.4
# shellcheck disable=SC2086
lead 75 "timed at collaborative speed, a humanoid partner, hand-over" $collab $humanoid $handover
exit "$fails"
