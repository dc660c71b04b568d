package dev.fleetrun.cli;

import static dev.fleetrun.cli.ServeProcess.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every fault the README and {@code --help} document, given on the real {@code ./fleetrun serve} command line as a
 * user gives it (applied at start-up, after the functions are registered), not applied in-process after start:
 * each form is accepted, a run through all of them at once still succeeds, and {@code times=every} on an API fault
 * answers every call without queueing a copy per call (it used to queue 2^31 of them and die of OutOfMemoryError
 * with the port open).
 */
class FaultsCommandLineComponentTest {

    /** One of each kind, for a run through them all at once (the cheap ones: short delays, one dropped event). */
    static final List<String> RUN_THROUGH = List.of(
            "drop-events:source=aws.ssm,times=1",
            "repeat-events:source=aws.ssm,times=every",
            "delay-events:source=aws.ssm,delay=1s,times=2",
            "reorder-events:source=aws.ssm,count=2",
            "throttle:service=ssm,operation=SendCommand,times=2",
            "fail-api:service=ssm,operation=ListCommandInvocations,code=InternalServerError,times=1",
            "fail-lambda:function=SendWave");

    /** Every --fault form README.md and --help give, as they give it. */
    static List<String> documented() throws java.io.IOException {
        List<String> forms = new ArrayList<>(List.of(ConnectionOptions.FAULT_EXAMPLES.split(" \\| ")));
        String readme = java.nio.file.Files.readString(ServeProcess.ROOT.resolve("README.md"));
        int from = readme.indexOf("Faults on demand");
        String list = readme.substring(from, readme.indexOf("(`FaultsCommandLineComponentTest`", from));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`(?:--fault )?([a-z-]+:[^`]+)`").matcher(list);
        while (m.find()) {
            forms.add(m.group(1));
        }
        return forms;
    }

    @Test
    void everyFormTheReadmeAndHelpGiveIsTakenAtServeStart() throws Exception {
        List<String> forms = documented();
        assertEquals(11, forms.size(), "the forms found: " + forms);
        List<String> args = new ArrayList<>(List.of("--port", "0", "--nodes", "2"));
        forms.forEach(f -> args.addAll(List.of("--fault", f)));
        try (ServeProcess serve = ServeProcess.start(args.toArray(String[]::new))) {
            assertEquals(ExitCode.NOT_FOUND, serve.fleetrun("status", "no-such-run").exitCode(), "it answers");
            ServeProcess.Result sent = serve.shell("eval \"$(./fleetrun env)\" && AWS_MAX_ATTEMPTS=1 aws ssm send-command"
                    + " --document-name AWS-RunShellScript --instance-ids i-00000000000000000 --parameters commands=true");
            assertContains(sent.stderr(), "ThrottlingException"); // the README's throttle ...,times=every is on
        }
    }

    @Test
    void aRunThroughOneFaultOfEachKindSucceeds() throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--nodes", "2"));
        RUN_THROUGH.forEach(f -> args.addAll(List.of("--fault", f)));
        try (ServeProcess serve = ServeProcess.start(args.toArray(String[]::new))) {
            ServeProcess.Result run = serve.fleetrun("run", "--commands", "echo faulted", "--targets", "tag:Environment=staging");
            assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
            assertContains(run.stdout(), ": SUCCEEDED");
        }
    }

    @Test
    void timesEveryFailsEveryCallAndKeepsTheServeAnswering() throws Exception {
        try (ServeProcess serve = ServeProcess.start("--port", "0", "--nodes", "2",
                "--fault", "throttle:service=ssm,operation=SendCommand,times=every",
                "--fault", "fail-api:service=ssm,operation=DescribeInstanceInformation,code=InternalServerError,times=every")) {
            for (int call = 1; call <= 3; call++) {
                ServeProcess.Result described = serve.shell("eval \"$(./fleetrun env)\" && AWS_MAX_ATTEMPTS=1"
                        + " aws ssm describe-instance-information");
                assertNotEquals(0, described.exitCode(), "call " + call + ": " + described.stdout());
                assertContains(described.stderr(), "InternalServerError");
            }
            ServeProcess.Result sent = serve.shell("eval \"$(./fleetrun env)\" && AWS_MAX_ATTEMPTS=1 aws ssm send-command"
                    + " --document-name AWS-RunShellScript --instance-ids i-00000000000000000 --parameters commands=true");
            assertNotEquals(0, sent.exitCode(), sent.stdout());
            assertContains(sent.stderr(), "ThrottlingException");
            ServeProcess.Result status = serve.fleetrun("status", "no-such-run");
            assertEquals(ExitCode.NOT_FOUND, status.exitCode(), "the serve still answers: " + status.stderr());
        }
    }
}
