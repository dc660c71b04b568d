package dev.fleetrun.domain;

import java.util.List;

/**
 * One {@code SendCommand} call of a wave: at most {@link WavePlanner#MAX_IDS_PER_COMMAND} instance ids and the
 * {@code MaxConcurrency} that call passes to SSM, its share of the wave's concurrency.
 *
 * @param number      1-based within the wave
 * @param instanceIds the batch's nodes
 * @param concurrency the command's MaxConcurrency, at least 1
 */
public record Batch(int number, List<String> instanceIds, int concurrency) {

    public Batch {
        instanceIds = List.copyOf(instanceIds);
    }
}
