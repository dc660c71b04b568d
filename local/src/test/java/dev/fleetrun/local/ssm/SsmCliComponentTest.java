package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.ssm.SsmSimulation.id;
import static dev.fleetrun.local.ssm.SsmSimulation.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.testing.AwsCli;
import dev.fleetrun.local.testing.RepoFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated SSM's documents, Parameter Store and multi-step results as the AWS CLI sees them: the
 * commands a user types ({@code create-document --content file://... --document-format YAML},
 * {@code send-command --document-version}, {@code list-command-invocations --details},
 * {@code get-command-invocation --plugin-name}, {@code put-parameter --type SecureString}) run as a
 * subprocess against the simulation's endpoint.
 */
class SsmCliComponentTest {
    private static final String DOCUMENT = "file://local/src/test/resources/ssm/documents/deploy.yaml";
    private SsmSimulation sim;
    private AwsCli aws;

    @BeforeEach
    void start() {
        sim = SsmSimulation.start(SsmSimulation.nodes(2));
        aws = AwsCli.find(sim.server.endpoint(), sim.server.credentials(), "the simulated SSM").in(RepoFiles.root());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void aYamlDocumentMadeWithTheCliRunsItsStepsAndReportsEachOne() throws Exception {
        aws.run("ssm", "put-parameter", "--name", "/fleetrun-test/channel", "--type", "String", "--value", "stable").json();
        JsonNode created = aws.run("ssm", "create-document", "--name", "Deploy-App", "--document-type", "Command",
                "--document-format", "YAML", "--content", DOCUMENT).json();
        assertEquals("1", created.path("DocumentDescription").path("DocumentVersion").asText());

        JsonNode sent = aws.run("ssm", "send-command", "--document-name", "Deploy-App", "--document-version", "1",
                "--instance-ids", id(1), id(2), "--parameters", "version=3.1.4", "--max-concurrency", "1").json();
        String commandId = sent.path("Command").path("CommandId").asText();
        assertEquals("1", sent.path("Command").path("DocumentVersion").asText());
        sim.ssm.awaitCommand(commandId, Duration.ofSeconds(60));

        JsonNode invocations = aws.run("ssm", "list-command-invocations", "--command-id", commandId, "--details").json();
        assertEquals(2, invocations.path("CommandInvocations").size());
        for (JsonNode invocation : invocations.path("CommandInvocations")) {
            List<String> plugins = new ArrayList<>();
            invocation.path("CommandPlugins").forEach(p -> plugins.add(p.path("Name").asText() + " "
                    + p.path("Status").asText() + " " + p.path("ResponseCode").asInt()));
            assertEquals(List.of("unpack Success 0", "unpackWindows Success 0", "check Success 0", "verify Success 0"),
                    plugins);
        }
        JsonNode verify = aws.run("ssm", "get-command-invocation", "--command-id", commandId, "--instance-id", id(2),
                "--plugin-name", "verify").json();
        assertEquals(List.of("verify", "Success", "verified 3.1.4"), List.of(verify.path("PluginName").asText(),
                verify.path("Status").asText(), verify.path("StandardOutputContent").asText().strip()));
        AwsCli.Result withoutStep = aws.run("ssm", "get-command-invocation", "--command-id", commandId, "--instance-id", id(2));
        assertEquals("InvalidPluginName", withoutStep.errorCode(), withoutStep.stderr());
    }

    @Test
    void documentVersionsFromTheCli() throws Exception {
        aws.run("ssm", "create-document", "--name", "Say", "--content", "{\"schemaVersion\": \"2.2\", \"mainSteps\":"
                + " [{\"action\": \"aws:runShellScript\", \"name\": \"say\", \"inputs\": {\"runCommand\": [\"echo one\"]}}]}").json();
        JsonNode updated = aws.run("ssm", "update-document", "--name", "Say", "--document-version", "$LATEST", "--content",
                "{\"schemaVersion\": \"2.2\", \"mainSteps\": [{\"action\": \"aws:runShellScript\", \"name\": \"say\","
                        + " \"inputs\": {\"runCommand\": [\"echo two\"]}}]}").json();
        aws.run("ssm", "update-document-default-version", "--name", "Say", "--document-version", "2").json();
        JsonNode versions = aws.run("ssm", "list-document-versions", "--name", "Say").json();
        JsonNode described = aws.run("ssm", "describe-document", "--name", "Say").json();
        AwsCli.Result missing = aws.run("ssm", "send-command", "--document-name", "Say", "--document-version", "5",
                "--instance-ids", id(1));

        assertEquals("2", updated.path("DocumentDescription").path("DocumentVersion").asText());
        assertEquals(2, versions.path("DocumentVersions").size());
        assertEquals("2", described.path("Document").path("DefaultVersion").asText());
        assertEquals("InvalidDocumentVersion", missing.errorCode(), missing.stderr());
        String commandId = aws.run("ssm", "send-command", "--document-name", "Say", "--instance-ids", ids(1).get(0)).json()
                .path("Command").path("CommandId").asText();
        sim.ssm.awaitCommand(commandId, Duration.ofSeconds(60));
        assertEquals("two", aws.run("ssm", "get-command-invocation", "--command-id", commandId, "--instance-id", id(1))
                .json().path("StandardOutputContent").asText().strip());
    }

    @Test
    void aSecureStringPutWithTheCliIsShownOnlyDecryptedOnRequest() throws Exception {
        String secret = "cli-secret-value";
        JsonNode put = aws.run("ssm", "put-parameter", "--name", "/app/token", "--type", "SecureString", "--value", secret).json();
        JsonNode hidden = aws.run("ssm", "get-parameter", "--name", "/app/token").json();
        JsonNode shown = aws.run("ssm", "get-parameter", "--name", "/app/token", "--with-decryption").json();
        AwsCli.Result again = aws.run("ssm", "put-parameter", "--name", "/app/token", "--type", "SecureString", "--value", "x");

        assertEquals(1, put.path("Version").asInt());
        assertEquals("SecureString", hidden.path("Parameter").path("Type").asText());
        assertFalse(hidden.path("Parameter").path("Value").asText().contains(secret));
        assertEquals(secret, shown.path("Parameter").path("Value").asText());
        assertEquals("ParameterAlreadyExists", again.errorCode());
        assertTrue(again.stderr().contains("set the overwrite option"), again.stderr());
    }
}
