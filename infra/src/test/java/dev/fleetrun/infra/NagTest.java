package dev.fleetrun.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.cxapi.SynthesisMessageLevel;

/**
 * cdk-nag's AWS Solutions rules run on every synth of the app (FleetrunApp adds them); here on both test stacks:
 * no finding is left unsuppressed, and every suppression says why.
 */
class NagTest {

    private static Synthesized stack(String name) {
        return name.equals("configured") ? Synthesized.configured() : Synthesized.defaults();
    }

    @ParameterizedTest
    @ValueSource(strings = {"configured", "defaults"})
    void leavesNoAwsSolutionsFindingUnsuppressed(String name) {
        List<String> findings = stack(name).messages.stream()
                .filter(m -> m.getLevel() == SynthesisMessageLevel.ERROR || m.getLevel() == SynthesisMessageLevel.WARNING)
                .map(m -> m.getId() + " " + m.getEntry().getData())
                .toList();
        assertEquals(List.of(), findings);
    }

    @ParameterizedTest
    @ValueSource(strings = {"configured", "defaults"})
    void checkedEveryResourceAgainstTheRulePack(String name) throws IOException {
        List<String> rows = Files.readAllLines(stack(name).templateFile.resolveSibling("AwsSolutions-Fleetrun-NagReport.csv"));
        Map<String, Long> byCompliance = rows.stream().skip(1).map(r -> r.split("\",\"")[2])
                .collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        assertEquals(new TreeSet<>(List.of("Compliant", "Suppressed")), new TreeSet<>(byCompliance.keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"configured", "defaults"})
    void everySuppressionStatesItsReason(String name) {
        List<String> unexplained = new java.util.ArrayList<>();
        int suppressions = 0;
        for (var resource : (Iterable<Map.Entry<String, JsonNode>>) stack(name).json.path("Resources").properties()::iterator) {
            for (JsonNode rule : resource.getValue().path("Metadata").path("cdk_nag").path("rules_to_suppress")) {
                suppressions++;
                if (rule.path("reason").asText().length() < 40) {
                    unexplained.add(resource.getKey() + " " + rule.path("id").asText() + ": '" + rule.path("reason").asText() + "'");
                }
            }
        }
        assertTrue(suppressions > 0 && unexplained.isEmpty(), suppressions + " suppressions; without a real reason: " + unexplained);
    }
}
