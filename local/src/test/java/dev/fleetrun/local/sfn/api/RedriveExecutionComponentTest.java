package dev.fleetrun.local.sfn.api;

import static dev.fleetrun.local.sfn.api.ApiHarness.ROLE;
import static dev.fleetrun.local.sfn.api.ApiHarness.definition;
import static dev.fleetrun.local.sfn.api.ApiHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.LocalRuntime;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sfn.time.VirtualClock;
import dev.fleetrun.local.testing.AwsCli;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveFilter;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * RedriveExecution as AWS documents it, through the real SDK client and the real AWS CLI v1 against the
 * embedded engine: only FAILED, TIMED_OUT and ABORTED executions, restarted at the state that did not succeed
 * with the input it had (the states before it are not run again, variables kept), a Map or Parallel state
 * running only the iterations and branches that did not succeed (an iteration from the state where it
 * stopped), {@code redriveCount}/{@code redriveDate}/{@code redriveStatus}/{@code redriveStatusReason} in
 * DescribeExecution, {@code redriveFilter} in ListExecutions, the {@code ExecutionRedriven} event,
 * {@code $$.Execution.RedriveCount}, {@code ExecutionNotRedrivable}, the client token's idempotency and the
 * 14-day period. Every task is a recorded {@code sns:publish} that fails while the test says so.
 */
class RedriveExecutionComponentTest {

    private final VirtualClock clock = new VirtualClock(ApiHarness.START);
    /** Each task run, as "step" or "step:item". */
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** The calls that fail with Boom. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final LocalRuntime runtime;
    private final SfnClient sfn;

    RedriveExecutionComponentTest() {
        TaskInvokers invokers = new TaskInvokers().integration("sns:publish", request -> {
            JsonNode input = request.input();
            String call = input.path("step").asText() + (input.has("item") ? ":" + input.get("item").asText() : "");
            calls.add(call);
            if (failing.contains(call)) {
                throw AslError.of("Boom", call + " failed");
            }
            return Json.parse("{\"done\": \"" + call + "\"}");
        });
        runtime = LocalRuntime.start(0, StepFunctionsEngine.builder().clock(clock).invokers(invokers).build());
        sfn = SfnClient.builder().endpointOverride(runtime.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        runtime.credentials().accessKeyId(), runtime.credentials().secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void close() {
        sfn.close();
        runtime.close();
    }

    @Test
    void aFailedMapIterationIsRedrivenFromWhereItStoppedAndNothingThatSucceededRunsAgain() throws Exception {
        String machine = create("fan");
        failing.add("work:2");
        String arn = sfn.startExecution(r -> r.stateMachineArn(machine).name("first").input("{\"items\": [1, 2, 3]}"))
                .executionArn();
        await(arn);
        DescribeExecutionResponse failed = sfn.describeExecution(r -> r.executionArn(arn));
        assertEquals("FAILED", failed.statusAsString());
        assertEquals("Boom", failed.error());
        assertEquals(0, failed.redriveCount());
        assertEquals(ExecutionRedriveStatus.REDRIVABLE, failed.redriveStatus());
        assertNull(failed.redriveStatusReason());
        assertEquals(List.of("count", "prepare:1", "work:1", "prepare:2", "work:2"), calls);
        assertEquals(List.of(), listed(machine, ExecutionRedriveFilter.REDRIVEN));

        calls.clear();
        failing.clear();
        failing.add("left");
        Instant redriveDate = sfn.redriveExecution(r -> r.executionArn(arn)).redriveDate();
        await(arn);
        // Iteration 2 again from its Work state (Prepare succeeded), iteration 3 for the first time, then the Parallel.
        assertEquals(List.of("work:2", "prepare:3", "work:3", "left", "right"), sorted(calls, 3));
        DescribeExecutionResponse again = sfn.describeExecution(r -> r.executionArn(arn));
        assertEquals("FAILED", again.statusAsString());
        assertEquals(1, again.redriveCount());
        assertEquals(redriveDate, again.redriveDate());
        assertEquals(arn, again.executionArn());

        calls.clear();
        failing.clear();
        sfn.redriveExecution(r -> r.executionArn(arn));
        await(arn);
        assertEquals(List.of("left"), calls, "the Parallel's right branch succeeded before and is not run again");
        DescribeExecutionResponse succeeded = sfn.describeExecution(r -> r.executionArn(arn));
        assertEquals("SUCCEEDED", succeeded.statusAsString());
        assertEquals(json("""
                {"results": [{"done": "work:1"}, {"done": "work:2"}, {"done": "work:3"}],
                 "both": [{"done": "left"}, {"done": "right"}], "counted": "yes", "redriveCount": 2}"""),
                json(succeeded.output()));
        assertEquals(json("{\"items\": [1, 2, 3]}"), json(succeeded.input()));
        assertEquals(2, succeeded.redriveCount());
        assertEquals(ExecutionRedriveStatus.NOT_REDRIVABLE, succeeded.redriveStatus());
        assertEquals("Execution is SUCCEEDED and cannot be redriven", succeeded.redriveStatusReason());

        List<HistoryEvent> history = sfn.getExecutionHistory(r -> r.executionArn(arn).maxResults(1000)).events();
        List<HistoryEvent> redriven = history.stream().filter(e -> e.type() == HistoryEventType.EXECUTION_REDRIVEN).toList();
        assertEquals(2, redriven.size());
        assertEquals(1, redriven.get(0).executionRedrivenEventDetails().redriveCount());
        assertEquals(2, redriven.get(1).executionRedrivenEventDetails().redriveCount());
        assertEquals(HistoryEventType.EXECUTION_FAILED, history.get((int) (redriven.get(0).id() - 2)).type(),
                "the first attempt's events are kept, and the redrive follows its ExecutionFailed");
        assertEquals(1, history.stream().filter(e -> e.type() == HistoryEventType.EXECUTION_STARTED).count());

        ExecutionNotRedrivableException refused = assertThrows(ExecutionNotRedrivableException.class,
                () -> sfn.redriveExecution(r -> r.executionArn(arn)));
        assertEquals("Execution is SUCCEEDED and cannot be redriven: '" + arn + "'", refused.awsErrorDetails().errorMessage());
        assertEquals(List.of(arn), listed(machine, ExecutionRedriveFilter.REDRIVEN));
        assertEquals(List.of(), listed(machine, ExecutionRedriveFilter.NOT_REDRIVEN));
        ExecutionListItem item = sfn.listExecutions(r -> r.stateMachineArn(machine)).executions().get(0);
        assertEquals(2, item.redriveCount());
        assertEquals(succeeded.redriveDate(), item.redriveDate());
    }

    @Test
    void aClientTokenRedrivesOnceAndAnExecutionIsRedrivableForFourteenDays() throws Exception {
        String machine = create("tokens");
        failing.add("count");
        String arn = sfn.startExecution(r -> r.stateMachineArn(machine).name("t").input("{\"items\": []}")).executionArn();
        await(arn);
        calls.clear();
        Instant first = sfn.redriveExecution(r -> r.executionArn(arn).clientToken("resume-1")).redriveDate();
        await(arn);
        Instant repeated = sfn.redriveExecution(r -> r.executionArn(arn).clientToken("resume-1")).redriveDate();
        assertEquals(first, repeated, "the same client token answers with the same redrive");
        assertEquals(1, sfn.describeExecution(r -> r.executionArn(arn)).redriveCount());
        assertEquals(List.of("count"), calls);

        clock.advanceTo(clock.now().plus(Duration.ofDays(15)));
        DescribeExecutionResponse old = sfn.describeExecution(r -> r.executionArn(arn));
        assertEquals(ExecutionRedriveStatus.NOT_REDRIVABLE, old.redriveStatus());
        assertEquals("Execution redrivable period exceeded", old.redriveStatusReason());
        assertThrows(ExecutionNotRedrivableException.class, () -> sfn.redriveExecution(r -> r.executionArn(arn)));

    }

    private static final String PAUSED = """
            {"TimeoutSeconds": 100, "StartAt": "Count", "States": {
              "Count": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"step": "count"}, "ResultPath": null, "Next": "Pause"},
              "Pause": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Work"},
              "Work": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"step": "work"}, "End": true}}}""";

    @Test
    void anAbortedExecutionIsRedrivenAtTheStateItWasStoppedInAndATimedOutOneGetsItsTimeoutAgain() throws Exception {
        String machine = sfn.createStateMachine(r -> r.name("paused").definition(PAUSED).roleArn(ROLE)).stateMachineArn();
        String stopped;
        try (VirtualClock.Hold hold = clock.hold()) {
            stopped = sfn.startExecution(r -> r.stateMachineArn(machine).name("stopped").input("{\"wait\": 50}")).executionArn();
            String arn = stopped;
            for (int i = 0; i < 200 && sfn.getExecutionHistory(r -> r.executionArn(arn)).events().stream()
                    .noneMatch(e -> e.type() == HistoryEventType.WAIT_STATE_ENTERED); i++) {
                Thread.sleep(25);
            }
            sfn.stopExecution(r -> r.executionArn(arn).error("Operator").cause("stopped by the test"));
        }
        String arn = stopped;
        DescribeExecutionResponse aborted = sfn.describeExecution(r -> r.executionArn(arn));
        assertEquals("ABORTED", aborted.statusAsString());
        assertEquals(ExecutionRedriveStatus.REDRIVABLE, aborted.redriveStatus());
        calls.clear();
        sfn.redriveExecution(r -> r.executionArn(arn));
        await(arn);
        assertEquals("SUCCEEDED", sfn.describeExecution(r -> r.executionArn(arn)).statusAsString());
        assertEquals(List.of("work"), calls, "Count succeeded before the stop and is not run again");

        calls.clear();
        String late = sfn.startExecution(r -> r.stateMachineArn(machine).name("late").input("{\"wait\": 500}")).executionArn();
        await(late);
        assertEquals("TIMED_OUT", sfn.describeExecution(r -> r.executionArn(late)).statusAsString());
        Instant redriven = sfn.redriveExecution(r -> r.executionArn(late)).redriveDate();
        await(late);
        DescribeExecutionResponse again = sfn.describeExecution(r -> r.executionArn(late));
        assertEquals("TIMED_OUT", again.statusAsString());
        assertEquals(Duration.ofSeconds(100), Duration.between(redriven, again.stopDate()),
                "the definition's TimeoutSeconds counts from the redrive");
        assertEquals(List.of("count"), calls);
    }

    @Test
    void theAwsCliRedrivesDescribesListsAndIsRefusedWithAwsCodes() throws Exception {
        AwsCli aws = AwsCli.require("RedriveExecution", runtime::endpoint, runtime::credentials);
        String machine = create("cli");
        failing.add("prepare:5");
        String arn = sfn.startExecution(r -> r.stateMachineArn(machine).name("c").input("{\"items\": [5]}")).executionArn();
        await(arn);
        failing.clear();
        calls.clear();
        JsonNode redriven = aws.run("stepfunctions", "redrive-execution", "--execution-arn", arn).json();
        assertTrue(redriven.get("redriveDate").isNumber(), redriven.toString());
        await(arn);
        assertEquals(List.of("prepare:5", "work:5", "right", "left"), calls, "right first: left waits 10 s");
        JsonNode described = aws.run("stepfunctions", "describe-execution", "--execution-arn", arn).json();
        assertEquals("SUCCEEDED", described.get("status").asText());
        assertEquals(1, described.get("redriveCount").asInt());
        assertEquals("NOT_REDRIVABLE", described.get("redriveStatus").asText());
        JsonNode listed = aws.run("stepfunctions", "list-executions", "--state-machine-arn", machine,
                "--redrive-filter", "REDRIVEN").json();
        assertEquals(arn, listed.get("executions").get(0).get("executionArn").asText());

        AwsCli.Result again = aws.run("stepfunctions", "redrive-execution", "--execution-arn", arn);
        assertNotEquals(0, again.exitCode());
        assertTrue(again.stderr().contains("An error occurred (ExecutionNotRedrivable) when calling the RedriveExecution"
                + " operation: Execution is SUCCEEDED and cannot be redriven"), again.stderr());
        String missing = arn + "-missing";
        AwsCli.Result unknown = aws.run("stepfunctions", "redrive-execution", "--execution-arn", missing);
        assertTrue(unknown.stderr().contains("(ExecutionDoesNotExist)"), unknown.stderr());
        AwsCli.Result badToken = aws.run("stepfunctions", "redrive-execution", "--execution-arn", arn,
                "--client-token", "has space");
        assertTrue(badToken.stderr().contains("(ValidationException)"), badToken.stderr());
    }

    private String create(String name) {
        return sfn.createStateMachine(r -> r.name(name).definition(definition("redrive-map-parallel.asl.json")).roleArn(ROLE))
                .stateMachineArn();
    }

    private void await(String arn) throws InterruptedException {
        assertTrue(runtime.stepFunctions().describeExecution(arn).await(Duration.ofSeconds(10)), "did not end: " + arn);
    }

    private List<String> listed(String machine, ExecutionRedriveFilter filter) {
        return sfn.listExecutions(r -> r.stateMachineArn(machine).redriveFilter(filter)).executions().stream()
                .map(ExecutionListItem::executionArn).toList();
    }

    /** The calls with the last {@code parallel} sorted (a Parallel's branches run at once, in any order). */
    private static List<String> sorted(List<String> calls, int serial) {
        List<String> out = new ArrayList<>(calls.subList(0, serial));
        out.addAll(calls.subList(serial, calls.size()).stream().sorted().toList());
        return out;
    }
}
