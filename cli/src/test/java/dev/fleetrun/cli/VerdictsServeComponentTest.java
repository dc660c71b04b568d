package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.testing.AwsCli;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verdict as a user sees it in two terminals: {@code ./fleetrun serve} in one, in the other {@code ./fleetrun run}
 * (its last line and exit code) and the AWS CLI's {@code describe-execution} after {@code eval "$(./fleetrun env)"}:
 * a run in which no node succeeded inside a budget of 100% is a FAILED execution with Fleetrun.NodesFailed and the
 * CLI's cause, and execution input {@code null} is Fleetrun.InvalidInput.
 */
class VerdictsServeComponentTest {
    private static ServeProcess serve;

    @BeforeAll
    static void start() throws Exception {
        serve = ServeProcess.start("--port", "0", "--nodes", "3");
        AwsCli.require("the verdict through describe-execution", () -> serve.endpoint, () -> serve.credentials());
    }

    @AfterAll
    static void stop() {
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    void aRunWithNoNodeSucceedingExits7AndItsExecutionFailsWithTheSameCause() throws Exception {
        ServeProcess.Result result = serve.script("""
                out=$(mktemp)
                ./fleetrun run --name all-fail --targets tag:Environment=staging --commands 'exit 3' --waves 1,100% \\
                    --max-errors 100% > "$out" 2>&1 && code=0 || code=$?
                cat "$out"; rm -f "$out"
                echo "exit code $code"
                """, 240);
        List<String> lines = result.stdout().strip().lines().toList();
        assertEquals("exit code 7", lines.get(lines.size() - 1), result.stdout() + result.stderr());
        String verdict = lines.get(lines.size() - 2);
        String runId = verdict.substring("run ".length(), verdict.indexOf(": "));
        String cause = "3 of 3 nodes failed (budget 3): every wave ran, 0 succeeded; see which with fleetrun status " + runId
                + " --all";
        assertEquals("run " + runId + ": NODES_FAILED: " + cause, verdict);

        ServeProcess.Result described = serve.shell("eval \"$(./fleetrun env)\"; aws stepfunctions describe-execution"
                + " --execution-arn arn:aws:states:us-east-1:123456789012:execution:fleetrun-rolling-run:" + runId
                + " --query '[status,error,cause,output]' --output text");
        assertEquals("FAILED\tFleetrun.NodesFailed\t" + cause + "\tNone", described.stdout().strip(), described.stderr());

        ServeProcess.Result status = serve.fleetrun("status", runId);
        assertEquals(ExitCode.NODES_FAILED, status.exitCode());
        assertTrue(status.stdout().strip().endsWith(verdict), status.stdout());
    }

    @Test
    void nullExecutionInputIsInvalidInputAtOnce() throws Exception {
        ServeProcess.Result result = serve.shell("""
                eval "$(./fleetrun env)"
                arn=arn:aws:states:us-east-1:123456789012:execution:fleetrun-rolling-run:null-input
                aws stepfunctions start-execution --state-machine-arn arn:aws:states:us-east-1:123456789012:stateMachine:fleetrun-rolling-run \\
                    --name null-input --input null > /dev/null
                for i in $(seq 100); do
                  [ "$(aws stepfunctions describe-execution --execution-arn $arn --query status --output text)" = RUNNING ] || break
                  sleep 0.2
                done
                aws stepfunctions describe-execution --execution-arn $arn --query '[status,error,cause]' --output text
                """);
        assertEquals("FAILED\tFleetrun.InvalidInput\tinvalid run request: request: must be a JSON object such as"
                + " {\"targets\": [...], \"commands\": [...]}, got null", result.stdout().strip(), result.stderr());
    }
}
