package dev.fleetrun.records;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run with all its waves, batches and nodes, read with one query on the run's partition. Each
 * list is in key order: phase, then wave, then batch or instance id.
 *
 * <p>A node whose batch has a command but which has no result yet is stored PLANNED (SendWave writes the
 * batch, not its 50 nodes); here it reads as SENT, with the batch's command id.
 */
public record RunView(RunRecord run, List<WaveRecord> waves, List<BatchRecord> batches, List<NodeRecord> nodes) {

    public RunView {
        waves = List.copyOf(waves);
        batches = List.copyOf(batches);
        nodes = sentWhereTheirBatchIs(nodes, batches);
    }

    public List<WaveRecord> waves(Phase phase) {
        return waves.stream().filter(w -> w.phase() == phase).toList();
    }

    public List<NodeRecord> nodes(Phase phase) {
        return nodes.stream().filter(n -> n.phase() == phase).toList();
    }

    /** The nodes, each PLANNED one in a batch with a command (among {@code batches}) as SENT with it. */
    static List<NodeRecord> sentWhereTheirBatchIs(List<NodeRecord> nodes, List<BatchRecord> batches) {
        Map<String, String> commandOf = new HashMap<>();
        for (BatchRecord b : batches) {
            if (b.commandId() != null) {
                b.instanceIds().forEach(id -> commandOf.put(key(b.phase(), b.wave(), id), b.commandId()));
            }
        }
        return nodes.stream().map(n -> {
            String commandId = n.status() == NodeStatus.PLANNED ? commandOf.get(key(n.phase(), n.wave(), n.instanceId())) : null;
            return commandId == null ? n : n.sentWith(commandId);
        }).toList();
    }

    private static String key(Phase phase, int wave, String instanceId) {
        return phase.id() + "/" + wave + "/" + instanceId;
    }
}
