package dev.fleetrun.records;

import dev.fleetrun.domain.Phase;
import java.util.List;

/**
 * A run with all its waves, batches and nodes, read with one query on the run's partition. Each
 * list is in key order: phase, then wave, then batch or instance id.
 */
public record RunView(RunRecord run, List<WaveRecord> waves, List<BatchRecord> batches, List<NodeRecord> nodes) {

    public RunView {
        waves = List.copyOf(waves);
        batches = List.copyOf(batches);
        nodes = List.copyOf(nodes);
    }

    public List<WaveRecord> waves(Phase phase) {
        return waves.stream().filter(w -> w.phase() == phase).toList();
    }

    public List<NodeRecord> nodes(Phase phase) {
        return nodes.stream().filter(n -> n.phase() == phase).toList();
    }
}
