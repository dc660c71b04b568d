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
    private static final State HOLD = RUN.state("Hold");
    private static final State BAKE = RUN.state("Bake");
    private static final State REQUEST_APPROVAL = RUN.state("RequestApproval");
    private static final State PAUSED = RUN.state("Paused");
    private static final State ROLLBACK = RUN.taskInvoking(FleetrunFunction.ROLLBACK);
    private static final State FINISH = RUN.state("Finish");
    private static final State HOLD_FOR_RESUME = RUN.state("HoldForResume");

    @Test
    void theRunStartsWithStartRunAndIsBoundedToFourteenDays() {
        assertEquals(START_RUN.name(), RUN.root().path("StartAt").asText());
        assertEquals("JSONPath", RUN.root().path("QueryLanguage").asText());
        assertEquals(14 * 24 * 3600, RUN.root().path("TimeoutSeconds").asInt());
        assertTrue(RUN.root().path("TimeoutSeconds").asInt() > dev.fleetrun.domain.ApprovalSpec.MAX_TIMEOUT_SECONDS,
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
        assertEquals(json("{\"state.$\": \"$\"}"), HOLD.node().path("Parameters").path("Payload"), "Hold decides without a token");
        assertEquals("$.Payload", HOLD.node().path("OutputPath").asText());
        for (State task : List.of(SEND_WAVE, BAKE, REQUEST_APPROVAL, PAUSED)) {
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
    void continueGoesToHoldWhichDecidesWhatTheNextWaveWaitsOn() {
        assertEquals(HOLD, after(EVALUATE, "{\"decision\": \"CONTINUE\", \"bakeSeconds\": 300, \"approvalRequired\": true}").end());
        assertEquals(SEND_WAVE, after(HOLD, "{\"hold\": \"NONE\"}").end());
        assertEquals(BAKE, after(HOLD, "{\"hold\": \"BAKE\"}").end());
        assertEquals(REQUEST_APPROVAL, after(HOLD, "{\"hold\": \"APPROVAL\"}").end());
        assertEquals(PAUSED, after(HOLD, "{\"hold\": \"PAUSE\"}").end());
        Route failed = after(HOLD, "{\"hold\": \"FAIL\"}");
        assertEquals(FINISH, failed.end());
        assertTrue(failed.payload().path("failedWhileHeld").asBoolean(), "a gate's or a pause's timeout is not resumable: " + failed.payload());
        assertEquals(ROLLBACK, after(HOLD, "{\"hold\": \"REJECT\", \"hasRollback\": true}").end(), "a rejection rolls back");
        assertEquals(FINISH, after(HOLD, "{\"hold\": \"REJECT\", \"hasRollback\": false}").end());
        assertTrue(RUN.states().stream().noneMatch(st -> st.type().equals("Wait")),
                "a bake is a wait with a token, which promote and pause can end early");
    }

    @Test
    void aRollbackWavesContinueGoesStraightToTheNextRollbackWaveNeverThroughHold() {
        // A pause set before the breach, a bake or a gate must not hold a rollback, nor a rejection be asked again.
        Route route = after(EVALUATE, "{\"decision\": \"CONTINUE\", \"cursor\": {\"phase\": \"rollback\", \"wave\": 2},"
                + " \"bakeSeconds\": 300, \"approvalRequired\": true, \"rejected\": {\"Error\": \"Fleetrun.Rejected\"}}");

        assertEquals(SEND_WAVE, route.end());
        assertTrue(route.states().stream().noneMatch(s -> s.name().equals(HOLD.name())), route.names().toString());
        assertEquals(HOLD, after(EVALUATE, "{\"decision\": \"CONTINUE\", \"cursor\": {\"phase\": \"main\", \"wave\": 2}}").end());
    }

    @Test
    void aStrictBudgetsNextRoundGoesBackToSendWaveWithoutBakeOrGateEvenWhenTheyAreSet() {
        Route route = after(EVALUATE, "{\"decision\": \"NEXT_ROUND\", \"bakeSeconds\": 300, \"approvalRequired\": true}");

        assertEquals(SEND_WAVE, route.end());
        assertTrue(route.states().stream().noneMatch(s -> s.name().equals(HOLD.name())), "no bake, gate or pause between rounds: " + route.names());
    }

    @Test
    void everyWaitBetweenWavesEndsByItsTokenItsTimeoutOrARejectionAndGoesBackToHold() {
        for (State wait : List.of(BAKE, REQUEST_APPROVAL, PAUSED)) {
            JsonNode node = wait.node();
            assertEquals(AslDefinition.LAMBDA_INVOKE_CALLBACK, node.path("Resource").asText(), wait.where());
            assertEquals("$.holdSeconds", node.path("TimeoutSecondsPath").asText(), wait.where());
            assertFalse(node.has("HeartbeatSeconds") || node.has("HeartbeatSecondsPath"), "nobody heartbeats a human decision");
            assertEquals("$.released", node.path("ResultPath").asText());
            assertEquals(HOLD.name(), node.path("Next").asText());
            assertEquals(HOLD.name(), catcherOf(wait, "States.Timeout").path("Next").asText());
            assertEquals("$.holdExpired", catcherOf(wait, "States.Timeout").path("ResultPath").asText());
            // Only the approval token is ever failed with Fleetrun.Rejected (fleetrun reject answers the gate).
            if (wait == REQUEST_APPROVAL) {
                assertEquals(HOLD.name(), catcherOf(wait, "Fleetrun.Rejected").path("Next").asText());
                assertEquals("$.rejected", catcherOf(wait, "Fleetrun.Rejected").path("ResultPath").asText());
            } else {
                assertTrue(explicitCatcher(wait, "Fleetrun.Rejected").isEmpty(), wait.where() + ": no token of it is rejected");
            }
            for (String decision : wait == REQUEST_APPROVAL ? List.of("States.Timeout", "Fleetrun.Rejected") : List.of("States.Timeout")) {
                Optional<JsonNode> retrier = StateMachineDefinitionTest.firstMatching(node.path("Retry"), decision);
                assertTrue(retrier.isPresent() && retrier.get().path("MaxAttempts").asInt() == 0,
                        wait.where() + ": " + decision + " is a decision, never retried: " + retrier);
            }
        }
    }

    @ParameterizedTest(name = "{0} failing its token with {1} goes to Finish at once")
    @CsvSource({"SendWave, Fleetrun.LeaseConflict", "SendWave, Fleetrun.RunClosed", "SendWave, Fleetrun.InvalidInput",
            "RequestApproval, Fleetrun.LeaseConflict", "Paused, Fleetrun.LeaseConflict"})
    void aTokenAStepFailsOnPurposeIsNotRetried(String name, String error) {
        State task = RUN.state(name);
        Optional<JsonNode> retrier = StateMachineDefinitionTest.firstMatching(task.node().path("Retry"), error);

        assertTrue(retrier.isEmpty() || retrier.get().path("MaxAttempts").asInt() == 0,
                task.where() + " retries " + error + ", which the step sends only when the run cannot go on: " + retrier);
        Route route = ChoiceRouter.route(RUN, catcherOf(task, error).path("Next").asText(), json("{\"failure\": {\"Error\": \"" + error + "\"}}"));
        assertEquals(FINISH, route.end(), route.names().toString());
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

    @Test
    void aRunFailedPartWayStopsAtHoldForResumeWhichARedriveContinuesAtSendWave() {
        assertEquals(HOLD_FOR_RESUME, after(FINISH, "{\"runId\": \"r\", \"status\": \"FAILED\", \"resume\": {\"runId\": \"r\"}}").end());
        JsonNode hold = HOLD_FOR_RESUME.node();
        assertEquals("arn:aws:states:::lambda:invoke.waitForTaskToken", hold.path("Resource").asText());
        assertEquals(Optional.of(FleetrunFunction.FINISH), HOLD_FOR_RESUME.function());
        assertEquals("$$.Execution.RedriveCount", hold.path("Parameters").path("Payload").path("redriveCount.$").asText());
        assertEquals("$$.Task.Token", hold.path("Parameters").path("Payload").path("taskToken.$").asText());
        assertEquals(SEND_WAVE.name(), hold.path("Next").asText(), "a redrive goes on where the run stopped: SendWave");
        assertTrue(hold.path("Catch").isMissingNode(),
                "nothing catches Fleetrun.WorkflowError: the execution must fail at this state for a redrive to restart it");
        assertTrue(hold.path("TimeoutSeconds").asInt() > 0, "a function that never answers must not hold the execution forever");
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
            if (task.equals(FINISH) || task.equals(HOLD_FOR_RESUME)) {
                continue;
            }
            JsonNode catcher = catcherOf(task, "States.ALL");
            assertEquals("$.failure", catcher.path("ResultPath").asText(), task.where());
            Route route = ChoiceRouter.route(RUN, catcher.path("Next").asText(), json("{\"failure\": {\"Error\": \"E\"}}"));
            assertEquals(FINISH, route.end(), task.where() + " failure goes " + route.names());
            boolean held = List.of(HOLD, BAKE, REQUEST_APPROVAL, PAUSED).contains(task);
            assertEquals(held, route.payload().path("failedWhileHeld").asBoolean(false),
                    task.where() + ": a failure while held must not be resumable (a resume goes on at SendWave, past the hold)");
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

    /** A catcher that names {@code error} itself (not States.ALL). */
    private static Optional<JsonNode> explicitCatcher(State task, String error) {
        for (JsonNode catcher : task.node().path("Catch")) {
            for (JsonNode e : catcher.path("ErrorEquals")) {
                if (e.asText().equals(error)) {
                    return Optional.of(catcher);
                }
            }
        }
        return Optional.empty();
    }

    private static JsonNode json(String text) {
        return RepoFiles.parseJson(text);
    }
}
