package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.ssm.SsmSimulation.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.wire.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * Parameter Store through the SDK's SsmClient, and what a document does with it: {@code {{ssm:...}}}
 * resolved by the agent on the node, a SecureString refused there, and a SecureString's value in no
 * answer, event or record of the simulation unless a caller asks to decrypt it.
 */
class ParameterStoreComponentTest {
    private static final String SECRET = "s3cr3t-that-must-not-leak";
    private SsmSimulation sim;
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        sim.server.onRequest(requests::add);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private void put(String name, ParameterType type, String value) {
        sim.client.putParameter(r -> r.name(name).type(type).value(value));
    }

    private static String errorCode(Runnable call) {
        return assertThrows(SsmException.class, call::run).awsErrorDetails().errorCode();
    }

    @Test
    void parametersAreVersionedAndSecureStringsAreDecryptedOnlyWhenAsked() {
        put("/app/channel", ParameterType.STRING, "stable");
        long second = sim.client.putParameter(r -> r.name("/app/channel").value("canary").overwrite(true)).version();
        put("/app/token", ParameterType.SECURE_STRING, SECRET);

        Parameter latest = sim.client.getParameter(r -> r.name("/app/channel")).parameter();
        Parameter first = sim.client.getParameter(r -> r.name("/app/channel:1")).parameter();
        Parameter hidden = sim.client.getParameter(r -> r.name("/app/token")).parameter();
        Parameter shown = sim.client.getParameter(r -> r.name("/app/token").withDecryption(true)).parameter();

        assertEquals(2, second);
        assertEquals(List.of("canary", "2"), List.of(latest.value(), String.valueOf(latest.version())));
        assertEquals(List.of("stable", ":1"), List.of(first.value(), first.selector()));
        assertEquals("arn:aws:ssm:us-east-1:123456789012:parameter/app/channel", latest.arn());
        assertEquals("SecureString", hidden.typeAsString());
        assertFalse(hidden.value().contains(SECRET), "without decryption a SecureString is ciphertext: " + hidden.value());
        assertEquals(SECRET, shown.value());
    }

    @Test
    void parameterStoresErrorsAreAnsweredAsItAnswersThem() {
        put("/app/channel", ParameterType.STRING, "stable");

        assertEquals("ParameterAlreadyExists", errorCode(() -> put("/app/channel", ParameterType.STRING, "again")));
        assertEquals("ParameterNotFound", errorCode(() -> sim.client.getParameter(r -> r.name("/app/none"))));
        assertEquals("ParameterVersionNotFound", errorCode(() -> sim.client.getParameter(r -> r.name("/app/channel:9"))));
        assertEquals("ValidationException", errorCode(() -> put("/aws/mine", ParameterType.STRING, "x")));
        assertEquals("ValidationException", errorCode(() -> put("app/no-leading-slash", ParameterType.STRING, "x")));
        assertEquals("ValidationException", errorCode(() -> sim.client.putParameter(r -> r.name("/app/untyped").value("x"))));
        assertEquals("HierarchyLevelLimitExceededException", errorCode(() -> put("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p",
                ParameterType.STRING, "deep")));
        assertEquals("ParameterPatternMismatchException", errorCode(() -> sim.client.putParameter(r -> r.name("/app/port")
                .type(ParameterType.STRING).value("eighty").allowedPattern("^[0-9]+$"))));
        assertEquals("ParameterNotFound", errorCode(() -> sim.client.deleteParameter(r -> r.name("/app/none"))));
    }

    @Test
    void severalParametersAndAHierarchyAreReadAtOnce() {
        put("/app/channel", ParameterType.STRING, "stable");
        put("/app/hosts", ParameterType.STRING_LIST, "a,b");
        put("/app/db/password", ParameterType.SECURE_STRING, SECRET);

        GetParametersResponse some = sim.client.getParameters(r -> r.names("/app/channel", "/app/missing"));
        GetParametersByPathResponse oneLevel = sim.client.getParametersByPath(r -> r.path("/app"));
        GetParametersByPathResponse everything = sim.client.getParametersByPath(r -> r.path("/app/").recursive(true)
                .withDecryption(true));
        GetParametersByPathResponse firstPage = sim.client.getParametersByPath(r -> r.path("/app").recursive(true)
                .maxResults(1));
        GetParametersByPathResponse secure = sim.client.getParametersByPath(r -> r.path("/app").recursive(true)
                .parameterFilters(f -> f.key("Type").values("SecureString")));

        assertEquals(List.of("/app/channel"), some.parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of("/app/missing"), some.invalidParameters());
        assertEquals(List.of("/app/channel", "/app/hosts"), oneLevel.parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of("/app/channel", "/app/db/password", "/app/hosts"),
                everything.parameters().stream().map(Parameter::name).toList());
        assertEquals(SECRET, everything.parameters().get(1).value());
        assertEquals(1, firstPage.parameters().size());
        assertTrue(firstPage.nextToken() != null);
        assertEquals(List.of("/app/db/password"), secure.parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of("/app/channel"), sim.client.deleteParameters(r -> r.names("/app/channel", "/app/none"))
                .deletedParameters());
    }

    @Test
    void theAgentResolvesStringAndStringListParametersOnTheNode() {
        put("/app/greeting", ParameterType.STRING, "hello");
        put("/app/lines", ParameterType.STRING_LIST, "echo one,echo two");
        List<String> commands = List.of("echo '{{ssm:/app/greeting}} from {{ ssm:/app/greeting:1 }}'", "{{ssm:/app/lines}}");

        String commandId = sim.send(List.of(id(1)), commands, r -> { });
        sim.await(commandId);

        assertEquals("hello from hello\none\ntwo\n", sim.invocation(commandId, id(1)).standardOutputContent());
        assertEquals(Map.of("commands", commands), sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0)
                .parameters(), "the command keeps the references, not the values");
    }

    @Test
    void aSecureStringValueAppearsInNoAnswerEventRecordOrFileOfTheSimulation() throws IOException {
        put("/app/token", ParameterType.SECURE_STRING, SECRET);
        sim.client.putParameter(r -> r.name("/app/token").value(SECRET + "-2").overwrite(true));
        List<String> commands = List.of("echo token={{ssm:/app/token}}");

        String commandId = sim.send(List.of(id(1)), commands, r -> { });
        sim.await(commandId);

        var invocation = sim.invocation(commandId, id(1));
        assertEquals(List.of("Failed", "Failed"), List.of(invocation.statusAsString(), invocation.statusDetails()));
        assertTrue(invocation.standardErrorContent().contains("Parameters [/app/token] of type SecureString are not"
                + " supported"), invocation.standardErrorContent());
        List<String> seen = new ArrayList<>();
        seen.add(sim.client.listCommands(r -> r.commandId(commandId)).toString());
        seen.add(sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0).parameters().toString());
        seen.add(sim.client.listCommandInvocations(r -> r.commandId(commandId).details(true)).toString());
        seen.add(sim.client.listCommandInvocations(r -> r.commandId(commandId).details(true)).commandInvocations().get(0)
                .commandPlugins().get(0).output());
        seen.add(invocation.standardOutputContent() + invocation.standardErrorContent());
        seen.add(sim.client.getParameter(r -> r.name("/app/token")).parameter().value());
        sim.events().forEach(event -> seen.add(event.toString()));
        synchronized (requests) {
            requests.forEach(request -> seen.add(String.valueOf(request.input())));
        }
        try (Stream<Path> files = Files.walk(sim.ssm.workDir())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                seen.add(Files.readString(file));
            }
        }
        for (String text : seen) {
            assertFalse(text.contains(SECRET), "the SecureString's value leaked into: " + text);
        }
        assertTrue(seen.stream().anyMatch(text -> text.contains("{{ssm:/app/token}}")), "the reference is what is shown");
        assertTrue(requests.stream().anyMatch(r -> "PutParameter".equals(r.operation())
                && "(SecureString value hidden)".equals(r.input().path("Value").asText())));
    }
}
