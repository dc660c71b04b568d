package dev.fleetrun.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns a run request and the managed nodes SSM found for it into the nodes the run targets, the nodes it
 * skips (never silently dropped: each has a reason), and the concrete documents it sends.
 *
 * <p>The rules:
 * <ul>
 * <li>The candidates are what {@code DescribeInstanceInformation} returned for the request's targets or ids;
 *     a candidate listed twice counts once. With {@code instanceIds}, a requested id that is not among the
 *     candidates is skipped as {@value #NOT_MANAGED}, and candidates that were not requested are ignored.</li>
 * <li>With a resource group ({@code resource-groups:Name}), only the group's member nodes (of the request's resource
 *     types) are candidates. When the group is the only target, the candidates are the members SSM knows, and a member
 *     it does not know is skipped as {@value #NOT_MANAGED}, with the group named; beside tag targets, the candidates
 *     are the nodes the tags matched that are also members, and a member the tags did not match is not targeted.</li>
 * <li>A node whose ping status is not {@code Online} is skipped as
 *     {@code "ping status ConnectionLost: the SSM agent has not reported recently"} (with its status).</li>
 * <li>The document: {@code commands} become AWS-RunPowerShellScript when every online candidate is Windows
 *     (and there is at least one), AWS-RunShellScript otherwise, with parameters
 *     {@code {"commands": commands, "executionTimeout": [timeoutSeconds]}}. An explicit AWS-RunShellScript or
 *     AWS-RunPowerShellScript without {@code executionTimeout} gets it from {@code timeoutSeconds}; other
 *     documents are sent as given.</li>
 * <li>The rollback document is resolved the same way; rollback {@code commands} run in the same shell as the
 *     main document (or, when the main document is not a shell document, the shell the platform rule picks).</li>
 * <li>An online node whose platform the document cannot run on ({@link DocumentSpec#platforms()}) is skipped
 *     with a reason naming the platform, the document and what to do. So is a node the rollback document cannot
 *     run on: a node that could not be rolled back is not touched.</li>
 * <li>Targeted and skipped nodes are sorted by instance id. No online node means an empty {@code targeted}.</li>
 * </ul>
 */
public final class TargetResolver {

    public static final String NOT_MANAGED = "not a managed node: not registered with SSM, stopped or terminated";

    private TargetResolver() {
    }

    public static TargetResolution resolve(RunRequest request, List<ManagedNode> candidates) {
        return resolve(request, candidates, null);
    }

    /**
     * As {@link #resolve(RunRequest, List)}, for a request whose targets name a resource group: {@code groupNodes}
     * holds the ids of the group's member nodes ({@link GroupMembers#instanceIds}), null when there is no group.
     */
    public static TargetResolution resolve(RunRequest request, List<ManagedNode> candidates, List<String> groupNodes) {
        Map<String, SkippedNode> skipped = new TreeMap<>();
        Map<String, ManagedNode> nodes = distinct(candidates);
        if (groupNodes != null) {
            nodes.keySet().retainAll(Set.copyOf(groupNodes));
            if (request.tagTargets().isEmpty()) {
                for (String id : groupNodes) {
                    if (!nodes.containsKey(id)) {
                        skipped.put(id, new SkippedNode(id, "member of resource group " + request.resourceGroup()
                                + ", but " + NOT_MANAGED));
                    }
                }
            }
        }
        if (!request.instanceIds().isEmpty()) {
            Set<String> requested = Set.copyOf(request.instanceIds());
            nodes.keySet().retainAll(requested);
            for (String id : request.instanceIds()) {
                if (!nodes.containsKey(id)) {
                    skipped.put(id, new SkippedNode(id, NOT_MANAGED));
                }
            }
        }
        List<ManagedNode> online = new ArrayList<>();
        for (ManagedNode node : nodes.values()) {
            if (node.online()) {
                online.add(node);
            } else {
                skipped.put(node.instanceId(), new SkippedNode(node.instanceId(), offlineReason(node.pingStatus())));
            }
        }

        String shell = shellFor(online);
        DocumentSpec document = request.usesCommands()
                ? DocumentSpec.shell(shell, request.commands(), request.timeoutSeconds())
                : withTimeout(request.document(), request.timeoutSeconds());
        DocumentSpec rollbackDocument = rollbackDocument(request, document, shell);

        List<ManagedNode> targeted = new ArrayList<>();
        for (ManagedNode node : online) {
            String reason = incompatibility(node.platform(), document, "");
            if (reason == null && rollbackDocument != null) {
                reason = incompatibility(node.platform(), rollbackDocument, "the rollback document ");
            }
            if (reason == null) {
                targeted.add(node);
            } else {
                skipped.put(node.instanceId(), new SkippedNode(node.instanceId(), reason));
            }
        }
        return new TargetResolution(targeted, List.copyOf(skipped.values()), document, rollbackDocument);
    }

    /** The candidates by instance id, sorted, the first of any duplicates kept. */
    private static Map<String, ManagedNode> distinct(Collection<ManagedNode> candidates) {
        Map<String, ManagedNode> byId = new TreeMap<>();
        for (ManagedNode node : candidates) {
            byId.putIfAbsent(node.instanceId(), node);
        }
        return byId;
    }

    static String offlineReason(String pingStatus) {
        return "ping status " + (pingStatus == null || pingStatus.isBlank() ? "unknown" : pingStatus)
                + ": the SSM agent has not reported recently";
    }

    /** PowerShell when every online node is Windows (and there is one), the Unix shell otherwise. */
    private static String shellFor(List<ManagedNode> online) {
        boolean allWindows = !online.isEmpty() && online.stream().allMatch(n -> n.platform() == Platform.WINDOWS);
        return allWindows ? DocumentSpec.RUN_POWERSHELL_SCRIPT : DocumentSpec.RUN_SHELL_SCRIPT;
    }

    private static DocumentSpec rollbackDocument(RunRequest request, DocumentSpec document, String shell) {
        RollbackSpec rollback = request.rollback();
        if (rollback == null) {
            return null;
        }
        if (rollback.document() != null) {
            return withTimeout(rollback.document(), request.timeoutSeconds());
        }
        String rollbackShell = document.shellDocument() ? document.name() : shell;
        return DocumentSpec.shell(rollbackShell, rollback.commands(), request.timeoutSeconds());
    }

    /** A shell document gets {@code executionTimeout} from the request's timeout when it does not set one. */
    private static DocumentSpec withTimeout(DocumentSpec document, int timeoutSeconds) {
        if (document.shellDocument() && !document.parameters().containsKey(DocumentSpec.EXECUTION_TIMEOUT)) {
            return document.withParameter(DocumentSpec.EXECUTION_TIMEOUT, List.of(Integer.toString(timeoutSeconds)));
        }
        return document;
    }

    /** Why a node of {@code platform} cannot run {@code document}, or {@code null} when it can. */
    private static String incompatibility(Platform platform, DocumentSpec document, String which) {
        Set<Platform> platforms = document.platforms();
        if (platforms.contains(platform)) {
            return null;
        }
        String runsOn = platforms.stream().map(Platform::ssmName).collect(Collectors.joining(" and "));
        return "platform " + platform.ssmName() + " cannot run " + which + document.name() + " (it runs on " + runsOn
                + "); " + remedy(platform);
    }

    private static String remedy(Platform platform) {
        return switch (platform) {
            case WINDOWS -> "start a separate run for the Windows nodes: commands there run as "
                    + DocumentSpec.RUN_POWERSHELL_SCRIPT;
            case MACOS -> "start a separate run for the macOS nodes: commands there run as "
                    + DocumentSpec.RUN_SHELL_SCRIPT;
            case LINUX -> "use a document that runs on Linux, or leave the Linux nodes out of the targets";
        };
    }
}
