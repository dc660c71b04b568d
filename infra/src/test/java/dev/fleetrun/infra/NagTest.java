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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.cxapi.SynthesisMessageLevel;

/**
 * cdk-nag's AWS Solutions rules run on every synth of the app (FleetrunApp adds them); here on every test stack,
 * environment-agnostic and environment-specific (eu-west-1, and cn-north-1 of partition aws-cn): no finding is left
 * unsuppressed, every suppression says why, and a wildcard suppression names exactly the ARN its policy grants.
 */
class NagTest {

    private static Synthesized stack(String name) {
        return Synthesized.named(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"configured", "defaults", "defaults-eu-west-1", "configured-cn-north-1"})
    void leavesNoAwsSolutionsFindingUnsuppressed(String name) {
        List<String> findings = stack(name).messages.stream()
                .filter(m -> m.getLevel() == SynthesisMessageLevel.ERROR || m.getLevel() == SynthesisMessageLevel.WARNING)
                .map(m -> m.getId() + " " + m.getEntry().getData())
                .toList();
        assertEquals(List.of(), findings);
    }

    @ParameterizedTest
    @ValueSource(strings = {"configured", "defaults", "defaults-eu-west-1", "configured-cn-north-1"})
    void checkedEveryResourceAgainstTheRulePack(String name) throws IOException {
        List<String> rows = Files.readAllLines(stack(name).templateFile.resolveSibling("AwsSolutions-Fleetrun-NagReport.csv"));
        Map<String, Long> byCompliance = rows.stream().skip(1).map(r -> r.split("\",\"")[2])
                .collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        assertEquals(new TreeSet<>(List.of("Compliant", "Suppressed")), new TreeSet<>(byCompliance.keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"configured", "defaults", "defaults-eu-west-1", "configured-cn-north-1"})
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

    /** The exact findings (applies_to) of the IAM5 suppressions on a function's role policy. */
    private static java.util.Set<String> suppressedWildcards(Synthesized s, dev.fleetrun.catalog.FleetrunFunction f) {
        String prefix = "Functions" + f.logicalName() + "RoleDefaultPolicy";
        java.util.Set<String> findings = new TreeSet<>();
        s.json.path("Resources").properties().forEach(e -> {
            if (e.getKey().startsWith(prefix)) {
                for (JsonNode rule : e.getValue().path("Metadata").path("cdk_nag").path("rules_to_suppress")) {
                    for (JsonNode finding : rule.path("applies_to")) {
                        if (finding.isTextual() && finding.asText().startsWith("Resource::arn:")) {
                            findings.add(finding.asText());
                        }
                    }
                }
            }
        });
        return findings;
    }

    @ParameterizedTest
    @ValueSource(strings = {"configured", "defaults", "defaults-eu-west-1", "configured-cn-north-1"})
    void everyFindingASuppressionExcusesIsNamedExactlyNotByAPattern(String name) {
        List<String> patterns = new java.util.ArrayList<>();
        stack(name).json.path("Resources").properties().forEach(e -> {
            for (JsonNode rule : e.getValue().path("Metadata").path("cdk_nag").path("rules_to_suppress")) {
                for (JsonNode finding : rule.path("applies_to")) {
                    if (!finding.isTextual()) {
                        patterns.add(e.getKey() + " " + rule.path("id").asText() + " " + finding);
                    }
                }
            }
        });
        assertEquals(List.of(), patterns);
    }

    @Test
    void inChinaTheNodeWildcardsAreSuppressedForTheAwsCnArnsOfTheRegionAndAccount() {
        assertEquals(java.util.Set.of("Resource::arn:aws-cn:ec2:cn-north-1:123456789012:instance/*",
                        "Resource::arn:aws-cn:ssm:cn-north-1:123456789012:managed-instance/*"),
                suppressedWildcards(Synthesized.configuredInChina(), dev.fleetrun.catalog.FleetrunFunction.SEND_WAVE));
    }

    @Test
    void inEuWest1TheAlarmWildcardIsSuppressedForTheAlarmsOfTheRegionAndAccount() {
        assertEquals(java.util.Set.of("Resource::arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*"),
                suppressedWildcards(Synthesized.defaultsInEuWest1(), dev.fleetrun.catalog.FleetrunFunction.EVALUATE));
    }

    @Test
    void withoutAnEnvironmentTheWildcardsAreSuppressedWithThePseudoParameters() {
        assertEquals(java.util.Set.of("Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*",
                        "Resource::arn:<AWS::Partition>:resource-groups:<AWS::Region>:<AWS::AccountId>:group/*"),
                suppressedWildcards(Synthesized.defaults(), dev.fleetrun.catalog.FleetrunFunction.START_RUN));
    }

    @Test
    void namesAnArnAsCdkNagFlattensIt() {
        software.amazon.awscdk.Stack stack = new software.amazon.awscdk.Stack(new software.amazon.awscdk.App(), "Flat");
        String arn = stack.formatArn(software.amazon.awscdk.ArnComponents.builder()
                .service("ec2").resource("instance").resourceName("*").build());
        assertEquals("Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*",
                Nag.resourceFinding(stack, arn));
    }
}
