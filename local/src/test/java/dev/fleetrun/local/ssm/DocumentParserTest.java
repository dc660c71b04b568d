package dev.fleetrun.local.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.WireTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Command documents are read as SSM reads them: the documents under {@code src/test/resources/ssm/documents/}
 * parse into their steps and parameters, and each one under {@code invalid/} is refused with
 * {@code InvalidDocumentContent} and the message its first line ({@code # expect: ...}) gives.
 */
class DocumentParserTest {

    static Path documents() {
        try {
            return Path.of(DocumentParserTest.class.getClassLoader().getResource("ssm/documents").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static SsmDocument load(String file) {
        String format = file.endsWith(".json") ? "JSON" : "YAML";
        try {
            return DocumentParser.parse(file.replaceAll("\\..*", ""), 1, format, Files.readString(documents().resolve(file)),
                    "123456789012", Instant.EPOCH, null, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> eachInvalidDocumentIsRefusedNamingWhatIsWrong() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(documents().resolve("invalid"))) {
            files = listed.sorted().toList();
        }
        assertFalse(files.isEmpty());
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String content = Files.readString(file);
            String expect = content.lines().findFirst().orElseThrow();
            assertTrue(expect.startsWith("# expect: "), file + " starts with '# expect: '");
            AwsError refused = assertThrows(AwsError.class, () -> DocumentParser.parse("Invalid", 1, "YAML", content,
                    "123456789012", Instant.EPOCH, null, null, null));
            assertEquals("InvalidDocumentContent", refused.code(), refused.getMessage());
            for (String part : expect.substring("# expect: ".length()).split("; ")) {
                assertTrue(refused.getMessage().contains(part), "expected '" + part + "' in: " + refused.getMessage());
            }
        }));
    }

    @Test
    void aMultiStepYamlDocumentKeepsItsStepsInOrderWithTheirInputsAndPreconditions() {
        SsmDocument deploy = load("deploy.yaml");

        assertEquals(List.of("unpack", "unpackWindows", "check", "verify"),
                deploy.steps().stream().map(DocumentStep::name).toList());
        assertEquals(List.of("platformType", "Windows"), deploy.step("unpackWindows").precondition());
        assertEquals(SsmDocument.POWERSHELL, deploy.step("unpackWindows").action());
        assertEquals(List.of("Windows", "Linux", "MacOS"), deploy.platformTypes());
        assertEquals(List.of("version (String, required)", "channel (String)", "checks (StringList)",
                "executionTimeout (String)"), deploy.parameters().stream().map(DocumentParameter::summary).toList());
        assertEquals("2.2", deploy.schemaVersion());
        assertEquals("YAML", deploy.format());
    }

    @Test
    void theAwsShellDocumentsAreBuiltInWithTheirRealSchema12Content() {
        List<SsmDocument> builtIn = SsmDocument.builtIn();

        assertEquals(List.of("AWS-RunShellScript", "AWS-RunPowerShellScript"), builtIn.stream().map(SsmDocument::name).toList());
        SsmDocument shell = builtIn.get(0);
        assertEquals(List.of("aws:runShellScript"), shell.steps().stream().map(DocumentStep::name).toList());
        assertEquals(List.of("Linux", "MacOS"), shell.platformTypes());
        assertEquals(List.of("Windows", "Linux", "MacOS"), builtIn.get(1).platformTypes());
        assertEquals("1.2", shell.schemaVersion());
        assertEquals(SsmDocument.AMAZON, shell.owner());
        assertEquals(List.of("commands (StringList, required)", "workingDirectory (String)", "executionTimeout (String)"),
                shell.parameters().stream().map(DocumentParameter::summary).toList());
    }

    @Test
    void parametersGetTheirDefaultsAndTheirTypes() {
        SsmDocument typed = load("typed-parameters.json");

        Map<String, JsonNode> values = typed.parameterValues(Map.of("count", List.of("7"), "enabled", List.of("false"),
                "labels", List.of("{\"Team\": \"ops\"}"), "disks", List.of("{\"DeviceName\": \"/dev/sdb\"}",
                        "{\"DeviceName\": \"/dev/sdc\"}")));

        assertEquals("\"hello\"", values.get("message").toString());
        assertEquals("[\"echo one\"]", values.get("lines").toString());
        assertEquals("7", values.get("count").toString());
        assertEquals("false", values.get("enabled").toString());
        assertEquals("{\"Team\":\"ops\"}", values.get("labels").toString());
        assertEquals("[{\"DeviceName\":\"/dev/sdb\"},{\"DeviceName\":\"/dev/sdc\"}]", values.get("disks").toString());
        assertEquals("[{\"DeviceName\":\"/dev/sda1\"}]", typed.parameterValues(Map.of()).get("disks").toString());
    }

    @Test
    void badParametersAreRefusedTogetherWithInvalidParameters() {
        SsmDocument typed = load("typed-parameters.json");

        AwsError refused = assertThrows(AwsError.class, () -> typed.parameterValues(Map.of("mesage", List.of("x"),
                "message", List.of("a"), "count", List.of("3.5"), "enabled", List.of("yes"), "labels", List.of("Env=Prod"),
                "lines", List.of("a", "b", "c", "d"))));

        assertEquals("InvalidParameters", refused.code());
        for (String problem : List.of("parameter 'mesage' is not defined by the document",
                "parameter 'message' needs at least 2 character(s)",
                "parameter 'count' is an Integer: give a whole number such as \"42\", not \"3.5\"",
                "parameter 'enabled' is a Boolean: give \"true\" or \"false\", not \"yes\"",
                "parameter 'labels' is a StringMap: give JSON",
                "parameter 'lines' takes at most 3 item(s), got 4")) {
            assertTrue(refused.getMessage().contains(problem), "expected '" + problem + "' in: " + refused.getMessage());
        }
    }

    @Test
    void requiredParametersPatternsAndAllowedValuesAreCheckedButParameterStoreReferencesWaitForTheAgent() {
        SsmDocument deploy = load("deploy.yaml");

        AwsError missing = assertThrows(AwsError.class, () -> deploy.parameterValues(Map.of()));
        AwsError pattern = assertThrows(AwsError.class, () -> deploy.parameterValues(Map.of("version", List.of("1.4"))));
        AwsError allowed = assertThrows(AwsError.class, () -> deploy.parameterValues(Map.of("version", List.of("1.4.2"),
                "channel", List.of("nightly"))));
        Map<String, JsonNode> referenced = deploy.parameterValues(Map.of("version", List.of("1.4.2")));

        assertTrue(missing.getMessage().contains("parameter 'version' (String) is required and was not given"),
                missing.getMessage());
        assertTrue(pattern.getMessage().contains("does not match its allowedPattern ^[0-9]+\\.[0-9]+\\.[0-9]+$"),
                pattern.getMessage());
        assertTrue(allowed.getMessage().contains("parameter 'channel' must be one of [stable, canary], not \"nightly\""),
                allowed.getMessage());
        assertEquals("{{ssm:/fleetrun-test/channel}}", referenced.get("channel").asText());
    }

    @Test
    void aDocumentReadsTheSameInJsonAndYaml() {
        SsmDocument yaml = load("deploy.yaml");
        String json = DocumentParser.convert(yaml.content(), "YAML", "JSON");
        SsmDocument again = DocumentParser.parse("deploy", 1, "JSON", json, "123456789012", Instant.EPOCH, null, null, null);

        assertEquals(yaml.steps(), again.steps());
        assertEquals(yaml.parameters(), again.parameters());
        assertEquals("JSON", again.format());
    }

    @Test
    void unsupportedSchemasAndPluginsAreToldApart() {
        AwsError schema = assertThrows(AwsError.class, () -> DocumentParser.parse("d", 1, "JSON",
                "{\"schemaVersion\": \"3.0\", \"mainSteps\": []}", "1", Instant.EPOCH, null, null, null));
        AwsError plugin = assertThrows(AwsError.class, () -> DocumentParser.parse("d", 1, "JSON",
                "{\"schemaVersion\": \"2.2\", \"mainSteps\": [{\"action\": \"aws:runDocument\", \"name\": \"nested\","
                        + " \"inputs\": {}}]}", "1", Instant.EPOCH, null, null, null));
        AwsError yamlAsJson = assertThrows(AwsError.class, () -> DocumentParser.parse("d", 1, "JSON",
                "schemaVersion: '2.2'", "1", Instant.EPOCH, null, null, null));

        assertEquals("InvalidDocumentSchemaVersion", schema.code());
        assertEquals(AwsError.NOT_IMPLEMENTED, plugin.code());
        assertTrue(plugin.getMessage().contains("aws:runDocument"), plugin.getMessage());
        assertEquals("InvalidDocumentContent", yamlAsJson.code());
        assertTrue(yamlAsJson.getMessage().contains("for YAML content, send DocumentFormat YAML"), yamlAsJson.getMessage());
    }

    @Test
    void theAgentAppliesAStepsTimeoutBetween5And172800SecondsElse3600() {
        assertEquals(List.of(5, 600, 172800, 3600, 3600, 3600, 3600), Stream.of("5", "600", "172800", "4", "172801",
                "soon", null).map(t -> StepPlan.timeoutSeconds(t == null ? null : WireTree.JSON.getNodeFactory()
                .textNode(t))).toList());
    }

    @Test
    void rebootAndKillCodesDependOnThePlatform() {
        assertTrue(AgentVerdict.asksForReboot(194, "Linux"));
        assertTrue(AgentVerdict.asksForReboot(3010, "Windows"));
        assertFalse(AgentVerdict.asksForReboot(194, "Windows"));
        assertEquals(List.of(137, 137, -1), Arrays.stream(new String[] {"Linux", "MacOS", "Windows"})
                .map(AgentVerdict::killedCode).toList());
    }
}
