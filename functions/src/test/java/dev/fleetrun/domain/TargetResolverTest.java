package dev.fleetrun.domain;

import static dev.fleetrun.domain.TestJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetResolverTest {

    private static final RunRequestParser PARSER = new RunRequestParser(
            java.util.Set.of("AWS-RunShellScript", "AWS-RunPowerShellScript", "MyOrg-Patch"));

    private static final String L1 = "i-00000000000000001";
    private static final String L2 = "i-00000000000000002";
    private static final String W1 = "i-00000000000000003";
    private static final String W2 = "i-00000000000000004";
    private static final String M1 = "i-00000000000000005";

    static RunRequest request(String singleQuotedJson) {
        return PARSER.parse(json(singleQuotedJson));
    }

    static RunRequest byTag(String rest) {
        return request("{'targets': [{'key': 'tag:Role', 'values': ['web']}], " + rest + "}");
    }

    static ManagedNode node(String id, Platform platform) {
        return new ManagedNode(id, "node-" + id.substring(id.length() - 2), platform, "Online");
    }

    static ManagedNode offline(String id, Platform platform, String ping) {
        return new ManagedNode(id, null, platform, ping);
    }

    static List<String> ids(List<ManagedNode> nodes) {
        return nodes.stream().map(ManagedNode::instanceId).toList();
    }

    @Test
    void linuxFleetRunsCommandsAsShellScriptWithTheTimeout() {
        TargetResolution r = TargetResolver.resolve(byTag("'commands': ['uptime'], 'timeoutSeconds': 900"),
                List.of(node(L1, Platform.LINUX), node(M1, Platform.MACOS)));

        assertEquals(List.of(L1, M1), ids(r.targeted()));
        assertEquals(List.of(), r.skipped());
        assertEquals(new DocumentSpec("AWS-RunShellScript", "$DEFAULT",
                Map.of("commands", List.of("uptime"), "executionTimeout", List.of("900"))), r.document());
        assertNull(r.rollbackDocument());
    }

    @Test
    void windowsOnlyFleetPicksPowerShell() {
        TargetResolution r = TargetResolver.resolve(byTag("'commands': ['Get-Service']"),
                List.of(node(W1, Platform.WINDOWS), node(W2, Platform.WINDOWS)));

        assertEquals(List.of(W1, W2), ids(r.targeted()));
        assertEquals(new DocumentSpec("AWS-RunPowerShellScript", "$DEFAULT",
                Map.of("commands", List.of("Get-Service"), "executionTimeout", List.of("600"))), r.document());
    }

    @Test
    void mixedFleetRunsShellScriptAndSkipsWindowsWithAReason() {
        TargetResolution r = TargetResolver.resolve(byTag("'commands': ['uptime']"),
                List.of(node(W1, Platform.WINDOWS), node(L1, Platform.LINUX)));

        assertEquals("AWS-RunShellScript", r.document().name());
        assertEquals(List.of(L1), ids(r.targeted()));
        assertEquals(1, r.skipped().size());
        SkippedNode skipped = r.skipped().get(0);
        assertEquals(W1, skipped.instanceId());
        assertTrue(skipped.reason().contains("platform Windows cannot run AWS-RunShellScript"), skipped.reason());
        assertTrue(skipped.reason().contains("separate run for the Windows nodes"), skipped.reason());
        assertTrue(skipped.reason().contains("AWS-RunPowerShellScript"), skipped.reason());
    }

    @Test
    void offlineWindowsNodesDoNotDecideTheShell() {
        TargetResolution r = TargetResolver.resolve(byTag("'commands': ['uptime']"),
                List.of(node(L1, Platform.LINUX), offline(W1, Platform.WINDOWS, "ConnectionLost")));
        assertEquals("AWS-RunShellScript", r.document().name());

        TargetResolution windows = TargetResolver.resolve(byTag("'commands': ['dir']"),
                List.of(node(W1, Platform.WINDOWS), offline(L1, Platform.LINUX, "ConnectionLost")));
        assertEquals("AWS-RunPowerShellScript", windows.document().name());
        assertEquals(List.of(W1), ids(windows.targeted()));
    }

    @Test
    void nodesThatAreNotOnlineAreSkippedWithTheirPingStatus() {
        TargetResolution r = TargetResolver.resolve(byTag("'commands': ['uptime']"), List.of(
                node(L1, Platform.LINUX),
                offline(L2, Platform.LINUX, "ConnectionLost"),
                offline(M1, Platform.MACOS, "Inactive")));

        assertEquals(List.of(L1), ids(r.targeted()));
        assertEquals(List.of(
                new SkippedNode(L2, "ping status ConnectionLost: the SSM agent has not reported recently"),
                new SkippedNode(M1, "ping status Inactive: the SSM agent has not reported recently")), r.skipped());
    }

    @Test
    void noOnlineNodeResolvesToNoTargetsWithEveryNodeSkipped() {
        TargetResolution r = TargetResolver.resolve(byTag("'commands': ['uptime']"), List.of(
                offline(W1, Platform.WINDOWS, "ConnectionLost"), offline(L1, Platform.LINUX, "ConnectionLost")));

        assertEquals(List.of(), r.targeted());
        assertEquals(List.of(L1, W1), r.skipped().stream().map(SkippedNode::instanceId).toList());
        assertEquals("AWS-RunShellScript", r.document().name());
    }

    @Test
    void noCandidatesAtAllResolvesToNothing() {
        TargetResolution r = TargetResolver.resolve(byTag("'commands': ['uptime']"), List.of());
        assertEquals(List.of(), r.targeted());
        assertEquals(List.of(), r.skipped());
    }

    @Test
    void requestedIdsThatSsmDoesNotKnowAreSkippedAsNotManaged() {
        RunRequest req = request("{'instanceIds': ['" + L2 + "', '" + L1 + "', 'mi-0123456789abcdef0'], 'commands': ['uptime']}");
        TargetResolution r = TargetResolver.resolve(req, List.of(node(L1, Platform.LINUX)));

        assertEquals(List.of(L1), ids(r.targeted()));
        assertEquals(List.of(
                new SkippedNode(L2, TargetResolver.NOT_MANAGED),
                new SkippedNode("mi-0123456789abcdef0", TargetResolver.NOT_MANAGED)), r.skipped());
        assertEquals("not a managed node: not registered with SSM, stopped or terminated", TargetResolver.NOT_MANAGED);
    }

    @Test
    void candidatesThatWereNotRequestedByIdAreIgnored() {
        RunRequest req = request("{'instanceIds': ['" + L1 + "'], 'commands': ['uptime']}");
        TargetResolution r = TargetResolver.resolve(req, List.of(node(L1, Platform.LINUX), node(L2, Platform.LINUX)));
        assertEquals(List.of(L1), ids(r.targeted()));
        assertEquals(List.of(), r.skipped());
    }

    @Test
    void targetedNodesAreSortedByIdAndListedOnce() {
        TargetResolution r = TargetResolver.resolve(byTag("'commands': ['uptime']"), List.of(
                node(M1, Platform.MACOS), node(L2, Platform.LINUX), node(L1, Platform.LINUX), node(L2, Platform.LINUX)));
        assertEquals(List.of(L1, L2, M1), ids(r.targeted()));
        assertEquals(List.of(L1, L2, M1), r.targetedIds());
    }

    @Test
    void explicitShellDocumentGetsTheTimeoutOnlyWhenItHasNone() {
        TargetResolution without = TargetResolver.resolve(byTag(
                "'document': {'name': 'AWS-RunShellScript', 'parameters': {'commands': ['uptime']}}, 'timeoutSeconds': 120"),
                List.of(node(L1, Platform.LINUX)));
        assertEquals(List.of("120"), without.document().parameters().get("executionTimeout"));

        TargetResolution with = TargetResolver.resolve(byTag(
                "'document': {'name': 'AWS-RunShellScript', 'version': '3', 'parameters': {'commands': ['uptime'],"
                        + " 'executionTimeout': ['30']}}, 'timeoutSeconds': 120"),
                List.of(node(L1, Platform.LINUX)));
        assertEquals(new DocumentSpec("AWS-RunShellScript", "3",
                Map.of("commands", List.of("uptime"), "executionTimeout", List.of("30"))), with.document());
    }

    @Test
    void explicitPowerShellRunsOnWindowsAndLinuxButSkipsMacos() {
        TargetResolution r = TargetResolver.resolve(byTag(
                "'document': {'name': 'AWS-RunPowerShellScript', 'parameters': {'commands': ['Get-Date']}}"),
                List.of(node(W1, Platform.WINDOWS), node(L1, Platform.LINUX), node(M1, Platform.MACOS)));

        assertEquals(List.of(L1, W1), ids(r.targeted()));
        assertEquals(List.of("600"), r.document().parameters().get("executionTimeout"));
        assertEquals(M1, r.skipped().get(0).instanceId());
        assertTrue(r.skipped().get(0).reason().startsWith("platform MacOS cannot run AWS-RunPowerShellScript"),
                r.skipped().get(0).reason());
    }

    @Test
    void anyOtherDocumentRunsOnEveryPlatformAsGiven() {
        TargetResolution r = TargetResolver.resolve(byTag(
                "'document': {'name': 'MyOrg-Patch', 'parameters': {'level': ['critical']}}"),
                List.of(node(W1, Platform.WINDOWS), node(L1, Platform.LINUX), node(M1, Platform.MACOS)));

        assertEquals(List.of(L1, W1, M1), ids(r.targeted()));
        assertEquals(new DocumentSpec("MyOrg-Patch", "$DEFAULT", Map.of("level", List.of("critical"))), r.document());
    }

    @Test
    void rollbackCommandsRunInTheSameShellAsTheMainCommand() {
        TargetResolution r = TargetResolver.resolve(byTag(
                "'commands': ['Restart-Service w3svc'], 'rollback': {'commands': ['Restore-Config']}, 'timeoutSeconds': 60"),
                List.of(node(W1, Platform.WINDOWS)));

        assertEquals(new DocumentSpec("AWS-RunPowerShellScript", "$DEFAULT",
                Map.of("commands", List.of("Restore-Config"), "executionTimeout", List.of("60"))), r.rollbackDocument());
    }

    @Test
    void rollbackDocumentGetsTheTimeoutToo() {
        TargetResolution r = TargetResolver.resolve(byTag(
                "'commands': ['uptime'], 'rollback': {'document': {'name': 'AWS-RunShellScript',"
                        + " 'parameters': {'commands': ['undo']}}}"),
                List.of(node(L1, Platform.LINUX)));
        assertEquals(List.of("600"), r.rollbackDocument().parameters().get("executionTimeout"));
    }

    @Test
    void aNodeTheRollbackCannotRunOnIsSkipped() {
        TargetResolution r = TargetResolver.resolve(byTag(
                "'document': {'name': 'MyOrg-Patch'}, 'rollback': {'commands': ['undo']}"),
                List.of(node(W1, Platform.WINDOWS), node(L1, Platform.LINUX)));

        assertEquals(List.of(L1), ids(r.targeted()));
        assertEquals("AWS-RunShellScript", r.rollbackDocument().name());
        assertTrue(r.skipped().get(0).reason().contains("cannot run the rollback document AWS-RunShellScript"),
                r.skipped().get(0).reason());
    }

    @Test
    void documentPlatformsFollowTheShellDocuments() {
        assertEquals(java.util.EnumSet.of(Platform.LINUX, Platform.MACOS),
                new DocumentSpec("AWS-RunShellScript", null, null).platforms());
        assertEquals(java.util.EnumSet.of(Platform.WINDOWS, Platform.LINUX),
                new DocumentSpec("AWS-RunPowerShellScript", null, null).platforms());
        assertEquals(java.util.EnumSet.allOf(Platform.class), new DocumentSpec("MyOrg-Patch", null, null).platforms());
    }
}
