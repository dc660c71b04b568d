package dev.fleetrun.domain;

import java.util.List;

/**
 * One wave of a run: nodes that start together, at most {@code concurrency} of them running at a time. The run
 * waits for the whole wave (and evaluates the error budget) before the next wave starts.
 *
 * @param number      1-based
 * @param instanceIds the wave's nodes, in plan order
 * @param concurrency how many of them may run at the same time: min(run concurrency, wave size)
 */
public record Wave(int number, List<String> instanceIds, int concurrency) {

    public Wave {
        instanceIds = List.copyOf(instanceIds);
    }

    public int size() {
        return instanceIds.size();
    }
}
