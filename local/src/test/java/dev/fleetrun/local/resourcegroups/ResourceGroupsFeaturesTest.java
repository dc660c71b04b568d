package dev.fleetrun.local.resourcegroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.wire.RestJsonProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * FEATURES.md's Resource Groups table names every operation of the service model (the routes of
 * {@link ResourceGroupsService#PROTOCOL}, transcribed from botocore 1.43), each once, and says "yes" or "partly"
 * exactly for the ones the service implements.
 */
class ResourceGroupsFeaturesTest {
    @Test
    void theFeaturesTableListsEveryOperationOfTheModelWithItsStatus() throws Exception {
        String doc = Files.readString(Path.of(System.getProperty("fleetrun.root"), "local", "FEATURES.md"));
        int start = doc.indexOf("## Simulated Resource Groups");
        int end = doc.indexOf("### SendCommand's resource group targets", start);
        assertTrue(start >= 0 && end > start, "FEATURES.md has the section");
        Set<String> listed = new TreeSet<>();
        Set<String> implemented = new TreeSet<>();
        for (String line : doc.substring(start, end).split("\n")) {
            String[] cells = line.split("\\|");
            if (cells.length < 3 || !line.startsWith("| ") || line.startsWith("| operation") || line.startsWith("|---")) {
                continue;
            }
            for (String name : cells[1].split(",")) {
                assertTrue(listed.add(name.trim()), name.trim() + " is listed twice");
                if (!cells[2].trim().equals("no")) {
                    implemented.add(name.trim());
                }
            }
        }
        Set<String> model = ResourceGroupsService.PROTOCOL.operations().stream().map(RestJsonProtocol.Route::operation)
                .collect(Collectors.toCollection(TreeSet::new));
        model.addAll(Set.of("GetTags", "Tag", "Untag")); // their paths hold the ARN: not routed by a fixed path
        assertEquals(model, listed);
        ResourceGroupsService service = new ResourceGroupsService(java.time.Clock.systemUTC(), "us-east-1",
                "123456789012", java.util.List::of);
        assertEquals(new TreeSet<>(service.operations()), implemented);
    }
}
