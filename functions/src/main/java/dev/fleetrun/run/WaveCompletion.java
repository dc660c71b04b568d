package dev.fleetrun.run;

import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.WaveRecord;
import java.util.Optional;

/**
 * Resumes the workflow when a wave is complete (under a strict error budget: when its current round is), exactly once per task token: whoever sees the wave
 * complete first (the listener on the last event, the reconciler, or the sender on a resumed wait)
 * claims the token in the records and calls SendTaskSuccess; everyone else finds it claimed. If
 * SendTaskSuccess fails for a passing reason the claim is given back and the error rethrown, so the
 * caller's retry tries again.
 */
final class WaveCompletion {
    private final Services services;

    WaveCompletion(Services services) {
        this.services = services;
    }

    /** Returns true when this call resumed the workflow. */
    boolean completeIfDone(String runId, Phase phase, int wave, String token) {
        Optional<WaveRecord> found = services.store().getWave(runId, phase, wave);
        return found.isPresent() && completeIfDone(runId, found.get(), token);
    }

    /**
     * The same with the wave as the caller just read it (strongly consistent, after its own write): the
     * listener reads it back after a node's update that may have completed it.
     */
    boolean completeIfDone(String runId, WaveRecord w, String token) {
        Phase phase = w.phase();
        int wave = w.wave();
        String t = token != null ? token : w.taskToken();
        if (t == null || !w.roundDone()) {
            return false;
        }
        if (!services.store().claimWaveCompletion(runId, phase, wave, t)) {
            return false;
        }
        try {
            services.tokens().succeed(t, WaveSender.summary(w));
            return true;
        } catch (RuntimeException e) {
            services.store().releaseWaveCompletion(runId, phase, wave, t);
            throw e;
        }
    }
}
