package dev.fleetrun.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.catalog.FleetrunFunction;
import dev.fleetrun.testing.RepoFiles;
import dev.fleetrun.workflow.AslDefinition.State;
import dev.fleetrun.workflow.ChoiceRouter.Route;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code statemachines/rolling-run.asl.json} does the run of DESIGN "The run, step by step" with the
 * state payload and function contracts of docs/internals.md: each test follows the definition from
 * one function's result, with the payload that function returns, to the next thing that happens.
 */
class RollingRunDefinitionTest {

    private static final AslDefinition RUN = AslDefinition.named("rolling-run.asl.json");

    private static final State START_RUN = RUN.taskInvoking(FleetrunFunction.START_RUN);
    private static final State SEND_WAVE = RUN.taskInvoking(FleetrunFunction.SEND_WAVE);
    private static final State RECONCILE = RUN.taskInvoking(FleetrunFunction.RECONCILE);
    private static final State EVALUATE = RUN.taskInvoking(FleetrunFunction.EVALUATE);
    private static final State REQUEST_APPROVAL = RUN.taskInvoking(FleetrunFunction.REQUEST_APPROVAL);
    private static final State ROLLBACK = RUN.taskInvoking(FleetrunFunction.ROLLBACK);
    private static final State FINISH = RUN.taskInvoking(FleetrunFunction.FINISH);

    @Test
    void theRunStartsWithStartRunAndIsBoundedToFourteenDays() {
        assertEquals(START_RUN.name(), RUN.root().path("StartAt").asText());
        assertEquals("JSONPath", RUN.root().path("QueryLanguage").asText());
        assertEquals(14 * 24 * 3600, RUN.root().path("TimeoutSeconds").asInt());
        assertTrue(RUN.root().path("TimeoutSeconds").asInt() > REQUEST_APPROVAL.node().path("TimeoutSeconds").asInt(),
                "an approval that times out must still leave time for Finish");
    }

    @Test
    void startRunGetsTheRequestAndTheExecution() {
        assertEquals(json("""
                {"request.$": "$", "execution": {"name.$": "$$.Execution.Name", "arn.$": "$$.Execution.Id",
                 "startTime.$": "$$.Execution.StartTime"}}"""), START_RUN.node().path("Parameters").path("Payload"));
    }

    @Test
    void theOtherStepsGetTheStateAndReturnTheNextOne() {
        for (State task : List.of(RECONCILE, EVALUATE, ROLLBACK, FINISH)) {
            assertEquals("$", task.node().path("Parameters").path("Payload.$").asText(), task.where() + " takes the state");
            assertEquals("$.Payload", task.node().path("OutputPath").asText(), task.where() + " returns the next state");
        }
        for (State task : List.of(SEND_WAVE, REQUEST_APPROVAL)) {
            assertEquals(json("{\"state.$\": \"$\", \"taskToken.$\": \"$$.Task.Token\"}"),
                    task.node().path("Parameters").path("Payload"), task.where() + " takes the state and the token");
        }
    }

    @Test
    void aStartedRunSendsItsFirstWave() {
        assertEquals(SEND_WAVE, after(START_RUN, "{\"outcome\": \"STARTED\"}").end());
    }

    @Test
    void aDryRunSucceedsWithThePlanAsOutput() {
        State end = after(START_RUN, "{\"outcome\": \"DRY_RUN\", \"plan\": {\"waves\": []}}").end();

        // A Pass that ends the execution, not a Succeed: cfn-lint's schema refuses OutputPath on Succeed (which the
        // States Language allows), and an operator's cfn-lint on the template must be clean.
        assertEquals("Pass", end.type());
        assertTrue(end.node().path("End").asBoolean());
        assertEquals("$.plan", end.node().path("OutputPath").asText());
    }

    @ParameterizedTest(name = "{0} fails the execution with {1}")
    @CsvSource({"INVALID, Fleetrun.InvalidInput", "CONFLICT, Fleetrun.LeaseConflict", "NO_TARGETS, Fleetrun.NoTargets"})
    void aRejectedStartFailsWithItsErrorAndCause(String outcome, String error) {
        State end = after(START_RUN, "{\"outcome\": \"" + outcome + "\", \"cause\": \"why\"}").end();

        assertEquals("Fail", end.type());
        assertEquals(error, end.node().path("Error").asText());
        assertEquals("$.cause", end.node().path("CausePath").asText());
    }

    @Test
    void anUnknownStartOutcomeFailsWithAClearError() {
        State end = after(START_RUN, "{\"outcome\": \"SOMETHING_NEW\"}").end();

        assertEquals("Fail", end.type());
        assertTrue(end.node().path("Error").asText().startsWith("Fleetrun."), end.where());
        assertTrue(end.node().path("Cause").asText().contains("StartRun"), end.where() + " names the step that disagrees");
    }

    @Test
    void theWaveWaitIsBoundedByTheStatesTimeoutAndHeartbeat() {
        JsonNode send = SEND_WAVE.node();

        assertEquals(AslDefinition.LAMBDA_INVOKE_CALLBACK, send.path("Resource").asText());
        assertEquals("$.waitTimeoutSeconds", send.path("TimeoutSecondsPath").asText());
        assertEquals("$.heartbeatSeconds", send.path("HeartbeatSecondsPath").asText());
        assertEquals("$.waveResult", send.path("ResultPath").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"States.Timeout", "States.HeartbeatTimeout"})
    void aWaveWaitThatRunsOutIsReconciled(String error) {
        JsonNode catcher = catcherOf(SEND_WAVE, error);

        assertEquals(RECONCILE.name(), catcher.path("Next").asText());
        assertEquals("$.waitError", catcher.path("ResultPath").asText());
    }

    @Test
    void everyCompleteWaveIsEvaluatedSoRollbackWavesAdvanceToo() {
        String main = "{\"cursor\": {\"phase\": \"main\", \"wave\": 2}, \"waveResult\": {\"complete\": true}}";
        String rollback = "{\"cursor\": {\"phase\": \"rollback\", \"wave\": 1}, \"waveResult\": {\"complete\": true}}";

        assertEquals(EVALUATE, after(SEND_WAVE, main).end());
        assertEquals(EVALUATE, after(SEND_WAVE, rollback).end());
        assertEquals(EVALUATE, after(RECONCILE, main).end());
        assertEquals(EVALUATE, after(RECONCILE, rollback).end());
    }

    @Test
    void anIncompleteWaveAfterReconcileWaitsAgainThroughSendWave() {
        Route route = after(RECONCILE, "{\"cursor\": {\"phase\": \"main\", \"wave\": 2}, \"waveResult\": {\"complete\": false}}");

        assertEquals(SEND_WAVE, route.end());
    }

    @Test
    void continueGoesStraightToTheNextWaveWithoutBakeOrGate() {
        Route route = after(EVALUATE, "{\"decision\": \"CONTINUE\", \"bakeSeconds\": 0, \"approvalRequired\": false}");

        assertEquals(SEND_WAVE, route.end());
        assertTrue(route.states().stream().noneMatch(s -> s.type().equals("Wait")), "no bake: " + route.names());
    }

    @Test
    void continueWithABakeWaitsBakeSecondsFirst() {
        Route route = after(EVALUATE, "{\"decision\": \"CONTINUE\", \"bakeSeconds\": 300, \"approvalRequired\": false}");

        assertEquals(SEND_WAVE, route.end());
        Optional<State> bake = route.states().stream().filter(s -> s.type().equals("Wait")).findFirst();
        assertTrue(bake.isPresent(), "a bake: " + route.names());
        assertEquals("$.bakeSeconds", bake.get().node().path("SecondsPath").asText());
    }

    @Test
    void continueAtTheGateBakesThenAsksForApproval() {
        Route route = after(EVALUATE, "{\"decision\": \"CONTINUE\", \"bakeSeconds\": 60, \"approvalRequired\": true}");

        assertEquals(REQUEST_APPROVAL, route.end());
        assertTrue(route.states().stream().anyMatch(s -> s.type().equals("Wait")), "bake before the gate: " + route.names());
        assertEquals(SEND_WAVE.name(), REQUEST_APPROVAL.node().path("Next").asText(), "an approved run sends the next wave");
    }

    @Test
    void theApprovalWaitsUpToSevenDaysAndAnUnansweredGateFinishesTheRun() {
        JsonNode approval = REQUEST_APPROVAL.node();

        assertEquals(AslDefinition.LAMBDA_INVOKE_CALLBACK, approval.path("Resource").asText());
        assertEquals(7 * 24 * 3600, approval.path("TimeoutSeconds").asInt());
        assertFalse(approval.has("HeartbeatSeconds") || approval.has("HeartbeatSecondsPath"), "nobody heartbeats a human decision");
        assertEquals("$.approval", approval.path("ResultPath").asText());
        JsonNode timeout = catcherOf(REQUEST_APPROVAL, "States.Timeout");
        assertEquals(FINISH.name(), timeout.path("Next").asText());
        assertEquals("$.failure", timeout.path("ResultPath").asText());
    }

    @Test
    void aRejectedApprovalIsNotAskedAgain() {
        Optional<JsonNode> retrier = StateMachineDefinitionTest.firstMatching(REQUEST_APPROVAL.node().path("Retry"), "Fleetrun.ApprovalRejected");

        assertTrue(retrier.isEmpty() || retrier.get().path("MaxAttempts").asInt() == 0,
                "SendTaskFailure with Fleetrun.ApprovalRejected must end the run, not re-request approval: " + retrier);
    }

    @ParameterizedTest(name = "{0} failing its token with {1} goes to Finish at once")
    @CsvSource({"SEND_WAVE, Fleetrun.LeaseConflict", "SEND_WAVE, Fleetrun.RunClosed", "SEND_WAVE, Fleetrun.InvalidInput",
            "REQUEST_APPROVAL, Fleetrun.LeaseConflict"})
    void aTokenAStepFailsOnPurposeIsNotRetried(FleetrunFunction function, String error) {
        State task = RUN.taskInvoking(function);
        Optional<JsonNode> retrier = StateMachineDefinitionTest.firstMatching(task.node().path("Retry"), error);

        assertTrue(retrier.isEmpty() || retrier.get().path("MaxAttempts").asInt() == 0,
                task.where() + " retries " + error + ", which the step sends only when the run cannot go on: " + retrier);
        assertEquals(FINISH.name(), catcherOf(task, error).path("Next").asText());
    }

    @Test
    void aBreachRollsBackWhenTheRequestHasARollback() {
        assertEquals(ROLLBACK, after(EVALUATE, "{\"decision\": \"BREACH\", \"hasRollback\": true}").end());
        assertEquals(FINISH, after(EVALUATE, "{\"decision\": \"BREACH\", \"hasRollback\": false}").end());
    }

    @Test
    void doneFinishes() {
        assertEquals(FINISH, after(EVALUATE, "{\"decision\": \"DONE\"}").end());
    }

    @Test
    void anUnknownDecisionFinishesTheRunAsAFailure() {
        Route route = after(EVALUATE, "{\"decision\": \"MAYBE\"}");

        assertEquals(FINISH, route.end());
        assertTrue(route.payload().path("failure").path("Error").asText().startsWith("Fleetrun."),
                "Finish must see a failure: " + route.payload());
    }

    @Test
    void theRollbackWaveGoesThroughSendWaveUnlessNoNodeNeedsIt() {
        assertEquals(SEND_WAVE, after(ROLLBACK, "{\"decision\": \"BREACH\", \"cursor\": {\"phase\": \"rollback\", \"wave\": 1}}").end());
        assertEquals(FINISH, after(ROLLBACK, "{\"decision\": \"DONE\"}").end());
    }

    @Test
    void onlyASucceededRunSucceedsWithTheSummaryAsOutput() {
        State end = after(FINISH, "{\"runId\": \"r\", \"status\": \"SUCCEEDED\"}").end();

        assertEquals("Succeed", end.type());
        assertFalse(end.node().has("OutputPath"), "the whole summary is the output");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NODES_FAILED", "BREACHED", "ROLLED_BACK", "ROLLBACK_FAILED", "REJECTED", "FAILED"})
    void everyOtherOutcomeFailsTheExecutionWithFinishsErrorAndCause(String status) {
        State end = after(FINISH, "{\"runId\": \"r\", \"status\": \"" + status + "\"}").end();

        assertEquals("Fail", end.type());
        assertEquals("$.error", end.node().path("ErrorPath").asText(), "the error is Fleetrun.<Outcome> from the summary");
        assertEquals("$.cause", end.node().path("CausePath").asText(), "the cause is the summary's one line");
    }

    @Test
    void everyStepButFinishHandsItsFailureToFinish() {
        for (State task : RUN.lambdaTasks()) {
            if (task.equals(FINISH)) {
                continue;
            }
            JsonNode catcher = catcherOf(task, "States.ALL");
            assertEquals("$.failure", catcher.path("ResultPath").asText(), task.where());
            Route route = ChoiceRouter.route(RUN, catcher.path("Next").asText(), json("{\"failure\": {\"Error\": \"E\"}}"));
            assertEquals(FINISH, route.end(), task.where() + " failure goes " + route.names());
        }
    }

    @Test
    void aFailingFinishFailsTheExecution() {
        JsonNode catcher = catcherOf(FINISH, "States.ALL");
        Route route = ChoiceRouter.route(RUN, catcher.path("Next").asText(), json("{}"));

        assertEquals("Fail", route.end().type(), "Finish's failure ends in " + route.names());
    }

    // --- helpers -------------------------------------------------------------------------------

    /** The route from a task's Next, given the payload the task returned. */
    private static Route after(State task, String payload) {
        return ChoiceRouter.route(RUN, task.node().path("Next").asText(), json(payload));
    }

    /** The first catcher that handles {@code error} (by name or by States.ALL). */
    private static JsonNode catcherOf(State task, String error) {
        for (JsonNode catcher : task.node().path("Catch")) {
            for (JsonNode e : catcher.path("ErrorEquals")) {
                if (e.asText().equals(error) || e.asText().equals("States.ALL")) {
                    return catcher;
                }
            }
        }
        throw new AssertionError(task.where() + " has no Catch for " + error);
    }

    private static JsonNode json(String text) {
        return RepoFiles.parseJson(text);
    }
}
