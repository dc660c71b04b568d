package dev.fleetrun.cli;

import static dev.fleetrun.cli.ServeProcess.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code fleetrun list}, {@code watch} and {@code --output json} through the real command beside one
 * {@code ./fleetrun serve}, and the live display as a pipe (a CI log) gets it: plain lines, each event once.
 */
class RunsAtHandComponentTest {
    private static ServeProcess serve;
    private static final String TARGETS = "tag:Environment=staging";

    @BeforeAll
    static void start() throws Exception {
        serve = ServeProcess.start("--port", "0", "--nodes", "30");
    }

    @AfterAll
    static void stop() {
        serve.close();
    }

    private static JsonNode onlyDocument(ServeProcess.Result r) {
        List<String> lines = r.stdout().lines().toList();
        assertEquals(1, lines.size(), "one JSON document, alone on standard output:\n" + r.stdout());
        JsonNode doc = Json.parse(lines.get(0));
        assertEquals("fleetrun.cli/1", doc.path("schema").asText(), lines.get(0));
        return doc;
    }

    @Test
    void jsonRunsListsAndTheirNodesFollowOneSchema() throws Exception {
        ServeProcess.Result ok = serve.fleetrun("run", "--targets", TARGETS, "--commands", "echo fine", "--waves", "1,100%",
                "--name", "json-ok", "--output", "json");
        assertEquals(0, ok.exitCode(), ok.stderr());
        JsonNode run = onlyDocument(ok);
        String okId = run.path("runId").asText();
        assertEquals("run", run.path("kind").asText());
        assertEquals("SUCCEEDED", run.path("status").asText());
        assertEquals("SUCCEEDED", run.path("execution").path("status").asText());
        assertEquals(0, run.path("exitCode").asInt());
        assertEquals(30, run.path("totals").path("SUCCEEDED").asInt());
        assertEquals(2, run.path("waves").size());
        assertEquals(29, run.path("waves").get(1).path("size").asInt());
        assertContains(ok.stderr(), "wave 2/2 done: 29 succeeded");
        assertContains(ok.stderr(), "run " + okId + ": SUCCEEDED");

        ServeProcess.Result bad = serve.fleetrun("run", "--targets", TARGETS, "--commands", "echo broken; exit 3", "--waves", "1,100%",
                "--max-errors", "0", "--name", "json-bad", "--output", "json");
        assertEquals(ExitCode.BREACHED, bad.exitCode(), bad.stderr());
        JsonNode breached = onlyDocument(bad);
        String badId = breached.path("runId").asText();
        assertEquals("BREACHED", breached.path("status").asText());
        assertEquals(ExitCode.BREACHED, breached.path("exitCode").asInt());
        assertTrue(breached.path("breach").asText().startsWith("1 error(s) exceed maxErrors 0"), breached.toString());
        // The verdict: the same error and cause as the text output's last line.
        assertEquals("Fleetrun.Breached", breached.path("error").asText(), breached.toString());
        assertTrue(breached.path("cause").isTextual(), breached.toString());
        assertContains(bad.stderr(), "run " + badId + ": BREACHED: " + breached.path("cause").asText());
        assertTrue(run.path("error").isNull(), run.toString());
        assertEquals("leaky", breached.path("budgetMode").asText());
        assertTrue(breached.path("retryOf").isNull(), breached.toString());

        // list: newest first, filters, the same run objects in JSON.
        ServeProcess.Result list = serve.fleetrun("list");
        assertEquals(0, list.exitCode(), list.stderr());
        List<String> rows = list.stdout().lines().toList();
        assertTrue(rows.get(0).startsWith("RUN "), list.stdout());
        int okRow = indexOf(rows, okId);
        int badRow = indexOf(rows, badId);
        assertTrue(badRow > 0 && okRow > badRow, "newest first:\n" + list.stdout());
        assertTrue(rows.get(badRow).contains(" BREACHED "), rows.get(badRow));

        JsonNode breachedOnly = onlyDocument(serve.fleetrun("list", "--status", "breached", "--since", "1h", "--output", "json"));
        assertEquals("runs", breachedOnly.path("kind").asText());
        List<String> ids = new ArrayList<>();
        breachedOnly.path("runs").forEach(r -> ids.add(r.path("runId").asText()));
        assertTrue(ids.contains(badId) && !ids.contains(okId), ids.toString());
        breachedOnly.path("runs").forEach(r -> assertEquals("BREACHED", r.path("status").asText()));
        breachedOnly.path("runs").forEach(r -> assertEquals("Fleetrun.Breached", r.path("error").asText(), r.toString()));
        assertEquals(1, onlyDocument(serve.fleetrun("list", "--limit", "1", "--output", "json")).path("runs").size());
        ServeProcess.Result future = serve.fleetrun("list", "--since", "2099-01-01");
        assertEquals(0, future.exitCode());
        assertContains(future.stdout(), "fleetrun: no run matching started since ");

        ServeProcess.Result badStatus = serve.fleetrun("list", "--status", "DONE");
        assertEquals(ExitCode.USAGE, badStatus.exitCode());
        assertEquals("fleetrun: --status: 'DONE' is no run status; give one or more of RUNNING, CLOSING, SUCCEEDED,"
                + " NODES_FAILED, BREACHED, ROLLED_BACK, ROLLBACK_FAILED, REJECTED, FAILED, CANCELLED", badStatus.stderr().strip());
        ServeProcess.Result badSince = serve.fleetrun("list", "--since", "yesterday");
        assertEquals(ExitCode.USAGE, badSince.exitCode());
        assertEquals(1, badSince.stderr().strip().lines().count(), badSince.stderr());
        ServeProcess.Result hugeSince = serve.fleetrun("list", "--since", "99999999999999999999h");
        assertEquals(ExitCode.USAGE, hugeSince.exitCode(), hugeSince.stderr());
        assertEquals(1, hugeSince.stderr().strip().lines().count(), "one line, no stack trace: " + hugeSince.stderr());

        // status --all, logs, history, plan: documents of the same schema.
        JsonNode status = onlyDocument(serve.fleetrun("status", badId, "--all", "--output", "json"));
        assertEquals("BREACHED", status.path("status").asText());
        assertEquals(30, status.path("nodes").size());
        JsonNode failedNode = status.path("nodes").get(0);
        assertEquals("FAILED", failedNode.path("status").asText());
        assertEquals(3, failedNode.path("exitCode").asInt());
        assertEquals("NOT_RUN", status.path("nodes").get(29).path("status").asText());
        assertTrue(status.path("nodes").get(29).path("exitCode").isNull());

        JsonNode logs = onlyDocument(serve.fleetrun("logs", badId, "--failed", "--output", "json"));
        assertEquals("logs", logs.path("kind").asText());
        assertEquals(1, logs.path("nodes").size());
        assertEquals("broken\n", logs.path("nodes").get(0).path("stdout").asText());
        assertTrue(logs.path("nodes").get(0).path("whole").asBoolean());

        JsonNode history = onlyDocument(serve.fleetrun("history", "--instance", failedNode.path("instanceId").asText(), "--output", "json"));
        assertEquals(badId, history.path("results").get(0).path("runId").asText());
        assertEquals(okId, history.path("results").get(1).path("runId").asText());

        JsonNode plan = onlyDocument(serve.fleetrun("plan", "--targets", TARGETS, "--commands", "x", "--output", "json"));
        assertEquals("plan", plan.path("kind").asText());
        assertEquals(30, plan.path("plan").path("targeted").asInt());

        ServeProcess.Result missing = serve.fleetrun("status", "no-such-run", "--output", "json");
        assertEquals(ExitCode.NOT_FOUND, missing.exitCode());
        assertEquals("", missing.stdout(), "nothing on standard output when there is no document");
        // A run the workflow refused (no node matches) has no record: status gives the refusal's exit code, text and JSON alike.
        ServeProcess.Result refused = serve.fleetrun("run", "--targets", "tag:Environment=nowhere", "--commands", "true",
                "--output", "json");
        assertEquals(ExitCode.REFUSED, refused.exitCode(), refused.stdout() + refused.stderr());
        JsonNode refusedDoc = onlyDocument(refused);
        String refusedId = refusedDoc.path("runId").asText();
        assertEquals(ExitCode.REFUSED, refusedDoc.path("exitCode").asInt(), refusedDoc.toString());
        ServeProcess.Result refusedText = serve.fleetrun("status", refusedId);
        assertEquals(ExitCode.REFUSED, refusedText.exitCode(), refusedText.stdout());
        ServeProcess.Result refusedJson = serve.fleetrun("status", refusedId, "--output", "json");
        assertEquals(ExitCode.REFUSED, refusedJson.exitCode(), refusedJson.stdout());
        assertEquals(ExitCode.REFUSED, onlyDocument(refusedJson).path("exitCode").asInt(), refusedJson.stdout());
        ServeProcess.Result wrongFormat = serve.fleetrun("list", "--output", "yaml");
        assertEquals(ExitCode.USAGE, wrongFormat.exitCode());
    }

    @Test
    void watchReattachesToADetachedRunAndSummarizesAFinishedOne() throws Exception {
        ServeProcess.Result detached = serve.fleetrun("run", "--targets", TARGETS, "--commands", "sleep 1", "--waves", "1,100%",
                "--max-concurrency", "10", "--name", "watched", "--detach");
        assertEquals(0, detached.exitCode(), detached.stderr());
        String runId = detached.stdout().lines().filter(l -> l.startsWith("fleetrun: run ")).findFirst().orElseThrow().split(" ")[2];
        assertContains(detached.stdout(), "follow it with: fleetrun watch " + runId);

        ServeProcess.Result watched = serve.fleetrun("watch", runId);
        assertEquals(0, watched.exitCode(), watched.stderr());
        assertContains(watched.stdout(), "wave 2/2 done: 29 succeeded");
        // The verdict is the last line, after the pointer to the details.
        assertTrue(watched.stdout().strip().endsWith("details: fleetrun status " + runId + " --all\nrun " + runId
                + ": SUCCEEDED: all 30 nodes succeeded"), watched.stdout());

        ServeProcess.Result again = serve.fleetrun("watch", runId);
        assertEquals(0, again.exitCode());
        assertTrue(!again.stdout().contains("wave 1/2:"), "a finished run gets its summary alone:\n" + again.stdout());
        assertContains(again.stdout(), "run " + runId + ": SUCCEEDED");

        ServeProcess.Result none = serve.fleetrun("watch", "no-such-run");
        assertEquals(ExitCode.NOT_FOUND, none.exitCode());
        assertContains(none.stdout(), "fleetrun: no run no-such-run on the fleetrun serve on " + serve.endpoint + " (see: fleetrun list)");
    }

    @Test
    void aPipeGetsPlainLinesWithEachBakeBreachRollbackAndAlertOnce() throws Exception {
        ServeProcess.Result r = serve.fleetrun("run", "--targets", TARGETS, "--commands",
                "case \"$AWS_SSM_INSTANCE_ID\" in *02) exit 4;; esac; sleep 1", "--waves", "1,2,100%",
                "--max-errors", "0", "--bake", "1", "--rollback-commands", "echo undo", "--rollback-scope", "touched");
        String out = r.stdout();
        assertTrue(!out.contains("\r") && !out.contains("\033"), "no terminal control characters in a pipe:\n" + out);
        assertContains(out, "wave 1/3 done: 1 succeeded\nbake: 1 s before wave 2/3, until ");
        assertContains(out, "breach: 1 error(s) exceed maxErrors 0");
        assertContains(out, "rolling back: ");
        assertContains(out, "alert: ");
        assertEquals(1, out.lines().filter(l -> l.startsWith("bake: ")).count(), out);
        assertEquals(1, out.lines().filter(l -> l.startsWith("rolling back: ")).count(), out);
        assertTrue(out.lines().count() < 40, "a summary per wave, not a line per node:\n" + out);
    }

    @Test
    void watchShowsTheGateWithHowToApproveAndGoesOnOnceApproved() throws Exception {
        ServeProcess.Result r = serve.script("""
                set -e
                run=$(./fleetrun run --detach --targets tag:Environment=staging --commands true --waves 1,100% \\
                    --approval-after 1 --name gated --output json | jq -r .runId)
                ./fleetrun watch "$run" > "$FLEETRUN_HOME/watch.out" &
                until grep -q 'waiting for approval' "$FLEETRUN_HOME/watch.out"; do sleep 0.2; done
                ./fleetrun approve "$run"
                wait $!
                echo "watch exit $?"
                cat "$FLEETRUN_HOME/watch.out"
                """, 180);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        String runId = r.stderr().lines().filter(l -> l.startsWith("fleetrun: run ")).findFirst().orElseThrow().split(" ")[2];
        assertContains(r.stdout(), "fleetrun: run " + runId + " approved by " + System.getProperty("user.name")
                + " (local user); the next wave starts\nwatch exit 0\n");
        assertContains(r.stdout(), "wave 1/2 done: 1 succeeded\ngate after wave 1, waiting for approval: fleetrun approve "
                + runId + "   (or: fleetrun stop " + runId + ")\n");
        assertContains(r.stdout(), "wave 2/2 done: 29 succeeded");
        assertContains(r.stdout(), "run " + runId + ": SUCCEEDED");
    }

    @Test
    void theReadmeWalkthroughRunsAsWritten() throws Exception {
        ServeProcess.Result r = serve.script(ServeProcess.readmeBashBlock("### Following runs"), 180);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        List<String> lines = r.stdout().lines().toList();
        // With --output json the started line is on standard error; standard output had the run id alone, for jq.
        String runId = r.stderr().lines().filter(l -> l.startsWith("fleetrun: run ")).findFirst().orElseThrow().split(" ")[2];
        // The list ran a second after the start of a run of five 2-second waves: it lists it, RUNNING.
        assertTrue(lines.get(0).startsWith("RUN "), r.stdout());
        assertTrue(lines.get(1).startsWith(runId + " ") && lines.get(1).contains(" RUNNING "), r.stdout());
        assertContains(r.stdout(), "run " + runId + ": SUCCEEDED");
        assertEquals(30, lines.stream().filter(l -> l.matches("i-[0-9a-f]{17} SUCCEEDED")).count(), r.stdout());
    }

    private static int indexOf(List<String> rows, String runId) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).startsWith(runId + " ")) {
                return i;
            }
        }
        throw new AssertionError("no row for " + runId + " in:\n" + String.join("\n", rows));
    }
}
