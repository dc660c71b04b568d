package dev.fleetrun.cli;

import static dev.fleetrun.cli.WorkflowHarness.group;
import static dev.fleetrun.cli.WorkflowHarness.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.local.ssm.Fleet;
import dev.fleetrun.local.ssm.FleetNode;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.DocumentFormat;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Whole runs of a custom multi-step document with parameters, in waves, on the embedded runtime: the
 * README's Deploy-Web document (docs/documents/), made with CreateDocument and UpdateDocument, run with
 * {@code fleetrun run --document NAME --document-version N --parameter K=V}; a node whose step fails, with
 * that step's exit code in its record; parameters SSM refuses, with SSM's reason in the run's failure.
 */
class DocumentWorkflowTest {
    private static final Path DOCUMENTS = Path.of(System.getProperty("fleetrun.root", "../"), "docs", "documents");
    private static final String MIGRATE = "{\"schemaVersion\": \"2.2\", \"mainSteps\": ["
            + "{\"action\": \"aws:runShellScript\", \"name\": \"prepare\", \"inputs\": {\"runCommand\": [\"echo prepared\"]}},"
            + "{\"action\": \"aws:runShellScript\", \"name\": \"migrate\", \"inputs\": {\"runCommand\": ["
            + "\"[ \\\"$FLEETRUN_TAG_BROKEN\\\" != yes ] || { echo 'no schema' >&2; exit 7; }\", \"echo migrated\"]}}]}";

    private static WorkflowHarness h;

    @BeforeAll
    static void start() throws IOException {
        Fleet fleet = group("web", 1, 4, NodeProfile.HEALTHY)
                .plus(Fleet.of(List.of(FleetNode.linux(Fleet.instanceId(5), Map.of("Group", "db", "Broken", "yes"),
                        NodeProfile.HEALTHY))))
                .plus(group("db", 6, 2, NodeProfile.HEALTHY))
                .plus(group("refused", 8, 2, NodeProfile.HEALTHY));
        h = WorkflowHarness.start(fleet, Map.of("FLEETRUN_ALLOWED_DOCUMENTS",
                "AWS-RunShellScript,AWS-RunPowerShellScript,Deploy-Web,Migrate-Db"));
        h.ssm.putParameter(r -> r.name("/web/release-channel").type(ParameterType.STRING).value("canary"));
        String v1 = read("deploy-web.yaml");
        String v2 = read("deploy-web-v2.yaml");
        h.ssm.createDocument(r -> r.name("Deploy-Web").documentType("Command").documentFormat(DocumentFormat.YAML)
                .content(v1));
        h.ssm.updateDocument(r -> r.name("Deploy-Web").documentVersion("$LATEST").documentFormat(DocumentFormat.YAML)
                .content(v2));
        h.ssm.createDocument(r -> r.name("Migrate-Db").content(MIGRATE));
    }

    private static String read(String file) throws IOException {
        return Files.readString(DOCUMENTS.resolve(file));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aCustomMultiStepDocumentRunsInWavesWithItsParametersAndVersion() throws IOException {
        WorkflowHarness.Cli cli = h.cli("run", "--name", "deploy-web", "--document", "Deploy-Web", "--document-version", "2",
                "--parameter", "version=1.4.2", "--targets", "tag:Group=web", "--waves", "1,50%,100%").expect(ExitCode.OK);
        String runId = cli.runId();
        cli.shows("wave 3/3 done");
        cli.shows("run " + runId + ": SUCCEEDED");

        RunView view = h.run(runId);
        assertEquals(RunStatus.SUCCEEDED, view.run().status());
        assertEquals(3, view.run().waveCount());
        assertEquals(4, view.run().mainCounts().get(NodeStatus.SUCCEEDED));
        for (NodeRecord n : h.nodes(runId, Phase.MAIN).values()) {
            String out = n.outputExcerpt();
            assertTrue(out.contains("[unpack] Success\nunpacked 1.4.2 (canary) on " + n.instanceId()), out);
            assertTrue(out.contains("[unpackWindows] Success\nStep execution skipped due to unsatisfied preconditions"), out);
            assertTrue(out.contains("[verify] Success\nverified 1.4.2"), out);
            assertTrue(out.contains("[report] Success\n1.4.2 1.4.2 canary"), out);
            assertEquals(0, n.responseCode(), n.instanceId());
            assertEquals("1.4.2 canary\n", Files.readString(h.runtime.ssm().home(n.instanceId())
                    .resolve("releases/current/RELEASE")));
        }
        List<Command> commands = h.commandsOf(runId);
        assertEquals(3, commands.size(), "one command per wave");
        for (Command c : commands) {
            assertEquals(List.of("Deploy-Web", "2"), List.of(c.documentName(), c.documentVersion()));
            assertEquals(List.of("1.4.2"), c.parameters().get("version"));
        }
        WorkflowHarness.Cli logs = h.cli("logs", runId, "--instance", ids(1, 1).get(0)).expect(ExitCode.OK);
        logs.shows("output: 4 steps, each from its own output: SSM GetCommandInvocation --plugin-name unpack");
        logs.shows("[verify] Success\nverified 1.4.2");
        assertFalse(logs.output().contains("cannot read"), logs.output());
    }

    @Test
    void eachStepsWholeOutputGoesToS3AndLogsUnderItsNameAndLogsReadsItBack() {
        h.runtime.s3().createBucket("deploy-output");
        String node = Fleet.instanceId(8);
        String runId = h.cli("run", "--name", "deploy-out", "--document", "Deploy-Web", "--document-version", "2",
                "--parameter", "version=3.0.1", "--instance-ids", node, "--output-s3-bucket", "deploy-output",
                "--output-s3-key-prefix", "deploys", "--cloudwatch-log-group", "/fleetrun/deploys")
                .expect(ExitCode.OK).runId();

        NodeRecord record = h.nodes(runId, Phase.MAIN).get(node);
        String folder = "deploys/" + record.commandId() + "/" + node + "/awsrunShellScript/";
        assertEquals(List.of(folder + "report/stdout", folder + "unpack/stdout", folder + "verify/stdout"),
                h.runtime.s3().keys("deploy-output", "deploys/"), "the skipped unpackWindows writes nothing");
        assertEquals("verified 3.0.1\n", h.runtime.s3().object("deploy-output", folder + "verify/stdout").orElseThrow().text());
        String stream = record.commandId() + "/" + node + "/";
        assertEquals(List.of(stream + "report/stdout", stream + "unpack/stdout", stream + "verify/stdout"),
                h.runtime.logs().streams("/fleetrun/deploys").stream().sorted().toList());

        WorkflowHarness.Cli logs = h.cli("logs", runId, "--instance", node).expect(ExitCode.OK);
        logs.shows("output: 4 steps, each from its own output: s3://deploy-output/" + folder + "unpack/stdout; ");
        logs.shows("[unpack] Success\nunpacked 3.0.1 (canary) on " + node);
        logs.shows("[unpackWindows] Success\nStep execution skipped due to unsatisfied preconditions");
        logs.shows("[verify] Success\nverified 3.0.1");
        logs.shows("[report] Success\n3.0.1 3.0.1 canary");
        assertFalse(logs.output().contains("cannot read"), logs.output());
    }

    @Test
    void withoutADocumentVersionTheDefaultVersionRuns() {
        String runId = h.cli("run", "--name", "deploy-default", "--document", "Deploy-Web", "--parameter", "version=2.0.0",
                "--parameter", "channel=stable", "--targets", "tag:Group=web", "--waves", "100%").expect(ExitCode.OK).runId();

        for (NodeRecord n : h.nodes(runId, Phase.MAIN).values()) {
            assertTrue(n.outputExcerpt().contains("unpacked 2.0.0 (stable)"), n.outputExcerpt());
            assertFalse(n.outputExcerpt().contains("[report]"), "version 1, the default, has no report step");
        }
        assertEquals("$DEFAULT", h.commandsOf(runId).get(0).documentVersion());
    }

    @Test
    void aStepThatFailsOnTheCanaryBreachesTheRunWithThatStepsExitCode() {
        WorkflowHarness.Cli cli = h.cli("run", "--name", "migrate", "--document", "Migrate-Db", "--targets", "tag:Group=db",
                "--waves", "1,100%", "--max-errors", "0").expect(ExitCode.BREACHED);

        String runId = cli.runId();
        NodeRecord canary = h.nodes(runId, Phase.MAIN).get(Fleet.instanceId(5));
        assertEquals(NodeStatus.FAILED, canary.status());
        assertEquals(7, canary.responseCode());
        assertTrue(canary.outputExcerpt().contains("[prepare] Success\nprepared"), canary.outputExcerpt());
        assertTrue(canary.outputExcerpt().contains("[migrate] Failed\n\n----------ERROR-------\nno schema"),
                canary.outputExcerpt());
        assertEquals(NodeStatus.NOT_RUN, h.nodes(runId, Phase.MAIN).get(Fleet.instanceId(6)).status());
    }

    @Test
    void parametersSsmRefusesFailTheRunWithSsmsReasonAndSendNothing() {
        WorkflowHarness.Cli cli = h.cli("run", "--name", "refused", "--document", "Deploy-Web", "--parameter", "version=latest",
                "--targets", "tag:Group=refused");

        assertEquals(ExitCode.FAILED, cli.exitCode(), cli.output());
        cli.shows("InvalidParameters");
        cli.shows("does not match its allowedPattern");
        assertEquals(List.of(), h.commandsOf(cli.runId()));
    }
}
