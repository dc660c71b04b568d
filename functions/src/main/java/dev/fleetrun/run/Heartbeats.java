package dev.fleetrun.run;

import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.RecentlyUsed;
import dev.fleetrun.records.WaveRecord;
import java.time.Duration;
import java.time.Instant;

/**
 * Tells a wave's waiting task that there is news (SendTaskHeartbeat), at most once per interval per wave
 * from this process. The wait's heartbeat timeout measures silence: a beat every tenth of it keeps a
 * moving wave alive as well as a beat per event does, and a wave of 1,000 nodes no longer costs 1,000
 * calls (and 1,000 reads of the wave's current token). Each Lambda instance keeps its own memory of beats;
 * an instance that has not beaten for a wave within the interval beats at once, so a wave that moves is
 * never silent for longer than the interval.
 */
final class Heartbeats {
    /** Waves remembered: more than the waves in flight at once. */
    private static final int WAVES_KEPT = 256;

    private final Services services;
    private final Duration interval;
    private final RecentlyUsed<String, Instant> lastBeat = new RecentlyUsed<>(WAVES_KEPT);

    Heartbeats(Services services) {
        this.services = services;
        this.interval = intervalFor(services.config().heartbeatSeconds());
    }

    /** A tenth of the heartbeat timeout, at least one second. */
    static Duration intervalFor(int heartbeatSeconds) {
        return Duration.ofMillis(Math.max(1000L, heartbeatSeconds * 100L));
    }

    /**
     * Beats for the wave's current token unless this process did within the interval. {@code known} is the
     * wave as the caller just read it, or null: then it is read here, only when a beat is due.
     */
    void beat(String runId, Phase phase, int wave, WaveRecord known) {
        String key = runId + "/" + phase.id() + "/" + wave;
        Instant now = services.clock().instant();
        if (!lastBeat.putUnless(key, now, last -> now.isBefore(last.plus(interval)))) {
            return;
        }
        WaveRecord w = known != null ? known : services.store().getWave(runId, phase, wave).orElse(null);
        if (w != null && w.taskToken() != null) {
            services.tokens().heartbeat(w.taskToken());
        }
    }
}
