package dev.fleetrun.run;

import dev.fleetrun.aws.SsmGateway;
import dev.fleetrun.domain.ManagedNode;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.BatchRecord;
import dev.fleetrun.records.NodeUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What SendWave does when SSM refuses a whole SendCommand because some of its nodes are no longer managed nodes
 * it can send to (terminated, deregistered, agent gone since the run was planned): SSM answers InvalidInstanceId for
 * the whole call and does not say which node. The batch's nodes are looked up again; those SSM no longer knows, and
 * those offline, are recorded UNDELIVERABLE with the reason (counted against the budget as the error policy says,
 * like SSM's own Undeliverable), and the rest are returned, to be sent to.
 */
final class UnreachableNodes {
    static final String GONE = "no longer a managed node when its wave was sent (terminated, deregistered, or its SSM"
            + " agent stopped): SSM refused the command for it";

    private final Services services;

    UnreachableNodes(Services services) {
        this.services = services;
    }

    /**
     * Records the unreachable nodes among {@code ids} and returns the reachable ones, in order.
     *
     * @throws SsmGateway.NodesRefusedException {@code refusal} again when every node is there and online: SSM
     *                                          refused for another reason (permissions, an instance tag condition)
     */
    List<String> dropUnreachable(String runId, BatchRecord b, List<String> ids, SsmGateway.NodesRefusedException refusal) {
        Map<String, ManagedNode> known = services.ssm().describeInstances(ids).stream()
                .collect(Collectors.toMap(ManagedNode::instanceId, Function.identity(), (first, second) -> first));
        List<String> reachable = new ArrayList<>();
        for (String id : ids) {
            ManagedNode node = known.get(id);
            if (node != null && node.online()) {
                reachable.add(id);
            } else {
                record(runId, b, id, node == null ? GONE : offline(node));
            }
        }
        if (reachable.size() == ids.size()) {
            throw refusal;
        }
        return reachable;
    }

    static String offline(ManagedNode node) {
        return "ping status " + node.pingStatus() + " when its wave was sent: the SSM agent has not reported recently,"
                + " and SSM refused the command";
    }

    private void record(String runId, BatchRecord b, String instanceId, String reason) {
        boolean counts = b.phase() == Phase.MAIN && services.config().errorPolicy().countsAsError(NodeStatus.UNDELIVERABLE);
        services.store().recordNodeStatus(NodeUpdate.terminal(runId, b.phase(), b.wave(), instanceId,
                NodeStatus.UNDELIVERABLE, null, -1, "Undeliverable", counts).withReason(reason));
    }
}
