package dev.fleetrun.local.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The {@code groups} of a fleet file (local/FLEET.md): read as declared, and every mistake named with its place. */
class FleetGroupsTest {
    private static final String NODES = "\"nodes\": [{\"id\": \"i-00000000000000001\", \"tags\": {\"Role\": \"web\"}}]";
    private static final String QUERY = "{\"ResourceTypeFilters\": [\"AWS::EC2::Instance\"], \"TagFilters\": [{\"Key\": \"Role\", \"Values\": [\"web\"]}]}";

    @Test
    void readsEachGroupWithItsNameDescriptionAndQuery() {
        Fleet fleet = Fleet.parse("{" + NODES + ", \"groups\": [{\"name\": \"web-servers\", \"description\": \"web tier\","
                + " \"query\": " + QUERY + "}]}", "fleet.json");
        FleetGroup group = fleet.groups().get(0);
        assertEquals("web-servers", group.name());
        assertEquals("web tier", group.description());
        assertEquals("AWS::EC2::Instance", group.query().at("/ResourceTypeFilters/0").asText());
        assertEquals("fleet.json groups[0] (web-servers)", group.where());
        assertEquals(List.of(), Fleet.parse("{" + NODES + "}", "fleet.json").groups());
        assertEquals(1, Fleet.generate(2, 1, java.util.Map.of(), NodeProfile.HEALTHY).plus(fleet).groups().size());
    }

    @Test
    void fleetMdShowsTheExampleFileAsItIsAndItParses() throws Exception {
        Path root = Path.of(System.getProperty("fleetrun.root"));
        String doc = Files.readString(root.resolve("local/FLEET.md"));
        int section = doc.indexOf("## Resource groups");
        Matcher block = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(section >= 0 && block.find(section), "FLEET.md has a Resource groups section with a json block");
        Path file = root.resolve("local/examples/fleet-groups.json");
        assertEquals(Files.readString(file), block.group(1));
        Fleet fleet = Fleet.load(file);
        assertEquals(List.of("web-servers", "production"), fleet.groups().stream().map(FleetGroup::name).toList());
        assertEquals(5, fleet.size());
    }

    @Test
    void namesEachMistakeWithItsPlace() {
        for (String[] bad : new String[][] {
                {"\"groups\": {}", "fleet.json: groups must be a list"},
                {"\"groups\": [{\"query\": " + QUERY + "}]", "fleet.json groups[0] has no \"name\""},
                {"\"groups\": [{\"name\": \"web\"}]", "fleet.json groups[0] (web) needs a \"query\" object"},
                {"\"groups\": [{\"name\": \"web\", \"query\": " + QUERY + ", \"members\": []}]",
                        "fleet.json groups[0]: unknown field(s) [members]"},
                {"\"groups\": [{\"name\": \"web\", \"query\": " + QUERY + "}, {\"name\": \"web\", \"query\": " + QUERY + "}]",
                        "fleet.json groups[1] (web): group web is declared twice"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Fleet.parse("{" + NODES + ", " + bad[0] + "}", "fleet.json"));
            assertTrue(e.getMessage().startsWith(bad[1]), e.getMessage());
        }
    }
}
