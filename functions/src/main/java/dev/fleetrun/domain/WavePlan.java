package dev.fleetrun.domain;

import java.util.List;

/**
 * The waves of a run, fixed at planning.
 *
 * @param waves       numbered from 1; every targeted node is in exactly one; empty when nothing is targeted
 * @param concurrency the run's concurrency C: maxConcurrency applied to the targeted total, at least 1
 * @param targeted    how many nodes the plan holds
 */
public record WavePlan(List<Wave> waves, int concurrency, int targeted) {

    public WavePlan {
        waves = List.copyOf(waves);
    }

    /** The wave numbered {@code number} (1-based). */
    public Wave wave(int number) {
        if (number < 1 || number > waves.size()) {
            throw new IllegalArgumentException("the plan has " + waves.size() + " waves, there is no wave " + number);
        }
        return waves.get(number - 1);
    }
}
