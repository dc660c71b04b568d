package dev.fleetrun.local.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Fleets from flags and from fleet files, and the errors a user gets for a wrong file. */
class FleetTest {

    @Test
    void generatesNodesWithSeventeenHexDigitIds() {
        Fleet fleet = Fleet.generate(3, Map.of("Environment", "staging"));

        assertEquals(List.of("i-00000000000000001", "i-00000000000000002", "i-00000000000000003"),
                fleet.nodes().stream().map(FleetNode::instanceId).toList());
        assertTrue(fleet.nodes().stream().allMatch(node -> node.instanceId().matches(ManagedNode.ID_PATTERN)));
        assertEquals(Map.of("Environment", "staging"), fleet.nodes().get(0).tags());
        assertEquals("i-00000000000000010", Fleet.instanceId(16));
    }

    @Test
    void readsTheExampleInFleetMd() throws IOException {
        String doc = Files.readString(Path.of(System.getProperty("fleetrun.root"), "local", "FLEET.md"));
        Matcher example = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(example.find(), "FLEET.md has a json example");

        Fleet fleet = Fleet.parse(example.group(1), "FLEET.md");

        Map<String, FleetNode> byId = new java.util.HashMap<>();
        fleet.nodes().forEach(node -> byId.put(node.instanceId(), node));
        assertEquals(10, fleet.size());
        FleetNode web = byId.get("i-0a1b2c3d4e5f60718");
        assertEquals(List.of("Linux", "Online", "healthy"), List.of(web.platformType(), web.initialPingStatus(),
                web.profile() == NodeProfile.HEALTHY ? "healthy" : "other"));
        assertEquals(Map.of("Environment", "production", "Role", "web"), web.tags());
        assertTrue(web.network(), "its scripts may use the network");
        assertTrue(!byId.get("i-0f9e8d7c6b5a40312").network(), "the others may not");
        assertEquals("ConnectionLost", byId.get("i-0f9e8d7c6b5a40312").initialPingStatus());
        assertEquals(Duration.ofSeconds(30), byId.get("i-00000000000000003").profile().delay());
        assertEquals(List.of(3, 1.0), List.of(byId.get("i-00000000000000004").profile().failExitCode(),
                byId.get("i-00000000000000004").profile().failShare()));
        NodeProfile flaky = byId.get("i-00000000000000005").profile();
        assertEquals(List.of(1, 0.25, 7L), List.of(flaky.failExitCode(), flaky.failShare(), flaky.seed()));
        assertTrue(byId.get("i-00000000000000006").profile().rebootOnce());
        assertEquals(2, byId.get("i-00000000000000007").profile().deliveryFailures());
        assertTrue(byId.get("i-00000000000000008").profile().undeliverable());
        assertTrue(byId.get("i-00000000000000009").profile().accessDenied());
        assertEquals("Windows", byId.get("mi-0123456789abcdef0").platformType());
    }

    @Test
    void namesWhatIsWrongInABadFleetFile() {
        List<String> messages = List.of(
                message("{\"nodes\": [{\"id\": \"i-123\"}]}"),
                message("{\"nodes\": [{\"id\": \"i-00000000000000001\", \"profle\": \"slow\"}]}"),
                message("{\"nodes\": [{\"id\": \"i-00000000000000001\", \"profile\": \"sluggish\"}]}"),
                message("{\"nodes\": [{\"id\": \"i-00000000000000001\", \"profile\": {\"failShare\": 2}}]}"),
                message("{\"nodes\": [{\"id\": \"i-00000000000000001\"}, {\"id\": \"i-00000000000000001\"}]}"),
                message("{\"nodes\": [{\"id\": \"i-00000000000000001\", \"platform\": \"Solaris\"}]}"),
                message("[]"),
                message("{nodes"));

        assertTrue(messages.get(0).contains("fleet.json nodes[0]") && messages.get(0).contains("i-123"), messages.get(0));
        assertTrue(messages.get(1).contains("unknown field(s) [profle]"), messages.get(1));
        assertTrue(messages.get(2).contains("unknown profile 'sluggish'"), messages.get(2));
        assertTrue(messages.get(3).contains("failShare must be from 0 to 1"), messages.get(3));
        assertTrue(messages.get(4).contains("appears twice"), messages.get(4));
        assertTrue(messages.get(5).contains("Solaris"), messages.get(5));
        assertTrue(messages.get(6).contains("\"nodes\" array"), messages.get(6));
        assertTrue(messages.get(7).contains("not valid JSON"), messages.get(7));
    }

    @Test
    void aNodeHasNetworkOnlyWhenItsEntryOrTheFleetSaysSo() {
        Fleet fleet = Fleet.parse("""
                {"nodes": [{"id": "i-00000000000000001"}, {"id": "i-00000000000000002", "network": true}]}""", "a.json");
        Fleet open = Fleet.parse("""
                {"network": true,
                 "nodes": [{"id": "i-00000000000000001"}, {"id": "i-00000000000000002", "network": false}]}""", "b.json");

        assertEquals(List.of(false, true), fleet.nodes().stream().map(FleetNode::network).toList());
        assertEquals(List.of(true, false), open.nodes().stream().map(FleetNode::network).toList());
        assertEquals(List.of(false), Fleet.generate(1, Map.of()).nodes().stream().map(FleetNode::network).toList());
    }

    @Test
    void refusesAFleetFieldItDoesNotKnowAndANetworkThatIsNotABoolean() {
        assertTrue(message("{\"netwrok\": true, \"nodes\": []}").contains("unknown field(s) [netwrok]"));
        assertTrue(message("{\"nodes\": [{\"id\": \"i-00000000000000001\", \"network\": \"yes\"}]}")
                .contains("network must be true or false"));
    }

    @Test
    void aFleetFileThatIsNotJsonIsToldInWordsNotInTheParsersOwn() {
        assertEquals("fleet.json is not valid JSON: 'tru' is not a JSON value (a string, number, object, array, true, false"
                + " or null), at line 1, column 15", message("{\"nodes\": [tru]}"));
        assertEquals("fleet.json is not valid JSON: unexpected character '}', at line 1, column 11",
                message("{\"nodes\": }"));
        String cut = message("{\"nodes\": [");
        assertTrue(cut.startsWith("fleet.json is not valid JSON: it ends before the JSON value is complete"), cut);
        for (String m : List.of(message("{\"nodes\": [tru]}"), message("{\"nodes\": }"), cut)) {
            assertTrue(!m.contains("was expecting") && !m.contains("Source:") && !m.contains("(code "), m);
        }
    }

    private static String message(String json) {
        return assertThrows(IllegalArgumentException.class, () -> Fleet.parse(json, "fleet.json")).getMessage();
    }
}
