package dev.fleetrun.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.catalog.FleetrunFunction;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.assertions.Match;

/** Every function of the catalog, made by the one factory: Java 21, SnapStart behind a live alias, logs, tracing. */
class FunctionsTemplateTest {

    private static final String FUNCTION = "AWS::Lambda::Function";

    @Test
    void deploysEveryCatalogFunction() {
        Synthesized.configured().template.resourceCountIs(FUNCTION, FleetrunFunction.values().length);
    }

    @ParameterizedTest
    @EnumSource(FleetrunFunction.class)
    void runsTheCatalogHandlerWithItsMemoryAndTimeout(FleetrunFunction f) {
        Synthesized.configured().template.hasResourceProperties(FUNCTION, Map.of(
                "Handler", f.handlerClass(), "MemorySize", f.memoryMb(), "Timeout", f.timeoutSeconds(),
                "Runtime", "java21"));
    }

    @Test
    void everyFunctionUsesSnapStartOnPublishedVersions() {
        Synthesized.configured().template.allResourcesProperties(FUNCTION,
                Map.of("SnapStart", Map.of("ApplyOn", "PublishedVersions")));
    }

    @Test
    void everyFunctionIsTracedByXRay() {
        Synthesized.configured().template.allResourcesProperties(FUNCTION,
                Map.of("TracingConfig", Map.of("Mode", "Active")));
    }

    @Test
    void everyFunctionRunsOnArm64() {
        Synthesized.configured().template.allResourcesProperties(FUNCTION, Map.of("Architectures", java.util.List.of("arm64")));
    }

    @Test
    void everyFunctionHasALiveAliasOnItsPublishedVersion() {
        Synthesized s = Synthesized.configured();
        Map<String, String> aliasToFunction = new TreeMap<>();
        s.resources("AWS::Lambda::Alias").forEach((id, alias) -> {
            JsonNode p = alias.path("Properties");
            String version = p.path("FunctionVersion").path("Fn::GetAtt").path(0).asText();
            String versionOf = s.json.path("Resources").path(version).path("Properties").path("FunctionName").path("Ref").asText();
            if (p.path("Name").asText().equals("live") && versionOf.equals(p.path("FunctionName").path("Ref").asText())) {
                aliasToFunction.put(id, versionOf);
            }
        });
        assertEquals(s.resources(FUNCTION).keySet(), new java.util.TreeSet<>(aliasToFunction.values()));
    }

    @Test
    void everyFunctionLogsToItsOwnGroupWithTheChosenRetention() {
        Synthesized s = Synthesized.configured();
        Map<String, Integer> retention = new TreeMap<>();
        s.resources(FUNCTION).forEach((id, fn) -> {
            String group = fn.path("Properties").path("LoggingConfig").path("LogGroup").path("Ref").asText();
            retention.put(group, s.json.path("Resources").path(group).path("Properties").path("RetentionInDays").asInt());
        });
        Map<String, Integer> expected = new TreeMap<>();
        retention.keySet().forEach(g -> expected.put(g, 90));
        assertEquals(Map.of("distinct groups", FleetrunFunction.values().length, "retention", expected),
                Map.of("distinct groups", retention.size(), "retention", retention));
    }

    @Test
    void everyFunctionGetsTheConfigurationEnvironment() {
        Synthesized s = Synthesized.configured();
        String table = s.logicalId(s.stack.records().table());
        String topic = s.logicalId(s.stack.alerts().topic());
        s.template.allResourcesProperties(FUNCTION, Map.of("Environment", Map.of("Variables", Map.of(
                "FLEETRUN_TABLE", Map.of("Ref", table),
                "FLEETRUN_ALERT_TOPIC_ARN", Map.of("Ref", topic),
                "FLEETRUN_EVENT_BUS", "default",
                "FLEETRUN_ALLOWED_DOCUMENTS", "AWS-RunShellScript,MyOrg-RestartService",
                "FLEETRUN_RETENTION_DAYS", "30",
                "FLEETRUN_COUNT_UNREACHABLE_AS_ERRORS", "true",
                "FLEETRUN_LEASE_SECONDS", "86400",
                "FLEETRUN_HEARTBEAT_SECONDS", "300",
                "FLEETRUN_DELIVERY_TIMEOUT_SECONDS", "600"))));
    }

    @Test
    void allowsTheTwoShellDocumentsByDefault() {
        Synthesized.defaults().template.allResourcesProperties(FUNCTION, Map.of("Environment", Map.of("Variables",
                Match.objectLike(Map.of("FLEETRUN_ALLOWED_DOCUMENTS", "AWS-RunShellScript,AWS-RunPowerShellScript")))));
    }

    @Test
    void noRoleCarriesAnAwsManagedPolicy() {
        Synthesized.configured().template.allResourcesProperties("AWS::IAM::Role",
                Map.of("ManagedPolicyArns", Match.absent()));
    }
}
