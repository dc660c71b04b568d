package dev.fleetrun.records;

import dev.fleetrun.domain.Phase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that a plan handed to the store adds up before anything is written: every node in a
 * planned wave (or wave 0, skipped, main phase), wave sizes equal to their nodes, batches over
 * nodes of their wave, no node twice in a phase. A plan that does not add up is a bug in the
 * planner; the message names every problem.
 */
final class PlanCheck {

    private final String runId;
    private final List<String> problems = new ArrayList<>();

    private PlanCheck(String runId) {
        this.runId = runId;
    }

    static void require(String runId, List<WaveRecord> waves, List<BatchRecord> batches, List<NodeRecord> nodes) {
        PlanCheck check = new PlanCheck(runId);
        check.check(waves, batches, nodes);
        if (!check.problems.isEmpty()) {
            throw new IllegalArgumentException("the plan of run " + runId + " does not add up: "
                    + String.join("; ", check.problems));
        }
    }

    private void check(List<WaveRecord> waves, List<BatchRecord> batches, List<NodeRecord> nodes) {
        Map<String, WaveRecord> waveByKey = new HashMap<>();
        for (WaveRecord wave : waves) {
            if (wave.wave() < 1) {
                problems.add("wave " + label(wave.phase(), wave.wave()) + " is numbered below 1");
            }
            if (waveByKey.put(label(wave.phase(), wave.wave()), wave) != null) {
                problems.add("wave " + label(wave.phase(), wave.wave()) + " is planned twice");
            }
        }
        Map<String, Set<String>> nodesByWave = new HashMap<>();
        Map<String, Integer> waveOfNode = new HashMap<>();
        for (NodeRecord node : nodes) {
            String wave = label(node.phase(), node.wave());
            if (!runId.equals(node.runId())) {
                problems.add("node " + node.instanceId() + " belongs to run " + node.runId());
            }
            if (node.wave() == 0) {
                if (node.phase() != Phase.MAIN || !node.status().isTerminal()) {
                    problems.add("node " + node.instanceId() + " is in wave 0, which holds only skipped main-phase nodes");
                }
            } else if (!waveByKey.containsKey(wave)) {
                problems.add("node " + node.instanceId() + " is in wave " + wave + ", which is not planned");
            }
            Integer earlier = waveOfNode.put(node.phase().id() + "/" + node.instanceId(), node.wave());
            if (earlier != null) {
                problems.add("node " + node.instanceId() + " is planned twice in phase " + node.phase().id()
                        + " (waves " + earlier + " and " + node.wave() + ")");
            }
            nodesByWave.computeIfAbsent(wave, w -> new HashSet<>()).add(node.instanceId());
        }
        waveByKey.forEach((label, wave) -> {
            int planned = nodesByWave.getOrDefault(label, Set.of()).size();
            if (wave.size() != planned) {
                problems.add("wave " + label + " has size " + wave.size() + " but " + planned + " nodes");
            }
        });
        Set<String> batchKeys = new HashSet<>();
        for (BatchRecord batch : batches) {
            String wave = label(batch.phase(), batch.wave());
            String name = wave + " batch " + batch.batch();
            if (!batchKeys.add(name)) {
                problems.add(name + " is planned twice");
            }
            if (!waveByKey.containsKey(wave)) {
                problems.add(name + " is in a wave that is not planned");
                continue;
            }
            for (String instanceId : batch.instanceIds()) {
                if (!nodesByWave.getOrDefault(wave, Set.of()).contains(instanceId)) {
                    problems.add(name + " names " + instanceId + ", which is not a node of that wave");
                }
            }
        }
    }

    private static String label(Phase phase, int wave) {
        return phase.id() + "/" + wave;
    }
}
