package dev.fleetrun.domain;

import java.util.List;

/**
 * The outcome of {@link TargetResolver#resolve}: the nodes a run sends its command to, the nodes it leaves out
 * with their reasons, and the concrete documents it runs.
 *
 * @param targeted         online, compatible nodes, sorted by instance id, each once
 * @param skipped          nodes left out, sorted by instance id, each once
 * @param document         the document the run sends (shell {@code commands} resolved to a shell document);
 *                         never {@code null} from the resolver, even when no node is targeted
 * @param rollbackDocument the rollback document, {@code null} when the request has no rollback
 */
public record TargetResolution(List<ManagedNode> targeted, List<SkippedNode> skipped, DocumentSpec document,
                               DocumentSpec rollbackDocument) {

    public TargetResolution {
        targeted = List.copyOf(targeted);
        skipped = List.copyOf(skipped);
    }

    /** The ids of the targeted nodes, in order: the input of {@link WavePlanner#plan}. */
    public List<String> targetedIds() {
        return targeted.stream().map(ManagedNode::instanceId).toList();
    }
}
