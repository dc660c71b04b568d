package dev.fleetrun.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.catalog.FleetrunFunction;
import dev.fleetrun.testing.RepoFiles;
import dev.fleetrun.workflow.AslDefinition.Scope;
import dev.fleetrun.workflow.AslDefinition.State;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structural rules every workflow definition under {@code statemachines/} must follow, whatever it
 * does: it names only fleetrun functions, through their placeholders; every task is a Lambda invoke
 * that retries Lambda's transient faults and its own failures; no callback waits forever; every
 * transition lands on a state, every state is reachable and can reach an end; failures are caught.
 * {@link RollingRunDefinitionTest} checks what the rolling run in particular does.
 */
class StateMachineDefinitionTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    /** The functions EventBridge invokes; a workflow never does. */
    private static final Set<FleetrunFunction> EVENT_TARGETS =
            EnumSet.of(FleetrunFunction.STATUS_LISTENER, FleetrunFunction.CLEANUP);

    private static final List<String> LAMBDA_TRANSIENT_ERRORS = List.of(
            "Lambda.ServiceException", "Lambda.AWSLambdaException",
            "Lambda.SdkClientException", "Lambda.TooManyRequestsException");

    /** How a retrier is configured, for comparing the one that applies with the one expected. */
    record Backoff(int maxAttempts, int intervalSeconds, double backoffRate, Integer maxDelaySeconds, String jitter) {

        static Backoff of(JsonNode retrier) {
            return new Backoff(
                    retrier.path("MaxAttempts").asInt(3),
                    retrier.path("IntervalSeconds").asInt(1),
                    retrier.path("BackoffRate").asDouble(2.0),
                    retrier.has("MaxDelaySeconds") ? retrier.get("MaxDelaySeconds").asInt() : null,
                    retrier.path("JitterStrategy").asText("NONE"));
        }
    }

    private static final Backoff LAMBDA_TRANSIENT = new Backoff(6, 2, 2.0, 30, "FULL");
    private static final Backoff TASK_FAILED = new Backoff(3, 5, 2.0, null, "NONE");

    static Stream<String> definitions() {
        List<Path> files = RepoFiles.stateMachineFiles();
        assertFalse(files.isEmpty(), "no *.asl.json under " + RepoFiles.stateMachinesDir());
        return files.stream().map(p -> p.getFileName().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void parsesAsAStateMachineWithAnOverallTimeout(String fileName) {
        AslDefinition definition = AslDefinition.named(fileName);
        JsonNode root = definition.root();

        assertTrue(root.path("StartAt").isTextual(), fileName + ": StartAt must be a state name");
        assertTrue(root.path("States").isObject() && !root.path("States").isEmpty(), fileName + ": States must be a non-empty object");
        assertTrue(root.path("Comment").isTextual(), fileName + ": a top-level Comment says what the workflow does");
        assertTrue(root.path("TimeoutSeconds").isIntegralNumber() && root.path("TimeoutSeconds").asLong() > 0,
                fileName + ": a top-level TimeoutSeconds bounds every execution (a Standard workflow otherwise runs for a year)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void everyPlaceholderNamesAFleetrunFunction(String fileName) {
        Set<String> unknown = new TreeSet<>();
        for (String key : placeholders(AslDefinition.named(fileName))) {
            if (FleetrunFunction.byPlaceholder(key).isEmpty()) {
                unknown.add("${" + key + "}");
            }
        }
        assertTrue(unknown.isEmpty(), () -> fileName + " uses placeholders that name no FleetrunFunction: " + unknown
                + ". Known: " + Stream.of(FleetrunFunction.values()).map(f -> "${" + f.placeholder() + "}").toList());
    }

    @Test
    void theWorkflowsInvokeEveryFunctionExceptTheEventTargets() {
        Set<FleetrunFunction> used = EnumSet.noneOf(FleetrunFunction.class);
        definitions().map(AslDefinition::named).forEach(d -> placeholders(d).stream()
                .map(FleetrunFunction::byPlaceholder).flatMap(Optional::stream).forEach(used::add));

        Set<FleetrunFunction> expected = EnumSet.complementOf(EnumSet.copyOf(EVENT_TARGETS));
        assertEquals(expected, used, "the workflows must invoke every function but the EventBridge targets "
                + EVENT_TARGETS + "; missing: " + difference(expected, used) + ", unexpected: " + difference(used, expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void everyTaskIsALambdaInvokeOfAFleetrunFunction(String fileName) {
        List<String> problems = new ArrayList<>();
        for (State state : AslDefinition.named(fileName).states()) {
            if (!state.type().equals("Task")) {
                continue;
            }
            if (!state.isLambdaTask()) {
                problems.add(state.where() + " has Resource '" + state.resource() + "'; use " + AslDefinition.LAMBDA_INVOKE
                        + " or " + AslDefinition.LAMBDA_INVOKE_CALLBACK);
            } else if (state.function().isEmpty()) {
                problems.add(state.where() + " must name its function as Parameters.FunctionName \"${<Name>FunctionArn}\", not '"
                        + state.node().path("Parameters").path("FunctionName") + "'");
            }
            if (state.isCallbackTask()) {
                JsonNode token = state.node().path("Parameters").path("Payload").path("taskToken.$");
                if (!token.asText().equals("$$.Task.Token")) {
                    problems.add(state.where() + " waits for a task token but does not pass it: Payload needs \"taskToken.$\": \"$$.Task.Token\"");
                }
            } else if (state.isLambdaTask() && !state.node().path("OutputPath").asText().equals("$.Payload")) {
                problems.add(state.where() + " must return the function's result as the next state: \"OutputPath\": \"$.Payload\"");
            }
        }
        assertNoProblems(fileName, problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void everyCallbackTaskHasATimeoutAndTheWaveWaitAHeartbeat(String fileName) {
        List<String> problems = new ArrayList<>();
        for (State state : AslDefinition.named(fileName).states()) {
            if (!state.isCallbackTask()) {
                continue;
            }
            JsonNode node = state.node();
            if (!node.has("TimeoutSeconds") && !node.has("TimeoutSecondsPath")) {
                problems.add(state.where() + " waits for a task token without TimeoutSeconds(Path): a lost callback would hang the run");
            }
            if (state.function().equals(Optional.of(FleetrunFunction.SEND_WAVE)) && !node.has("HeartbeatSecondsPath")) {
                problems.add(state.where() + " waits for a wave without HeartbeatSecondsPath: a wave with no news must be reconciled");
            }
        }
        assertNoProblems(fileName, problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void everyTransitionNamesAStateOfItsScope(String fileName) {
        List<String> problems = new ArrayList<>();
        for (Scope scope : AslDefinition.named(fileName).scopes()) {
            String where = scope.id().isEmpty() ? "" : " (in " + scope.id() + ")";
            if (!scope.states().containsKey(scope.startAt())) {
                problems.add("StartAt '" + scope.startAt() + "'" + where + " is not a state");
            }
            for (State state : scope.states().values()) {
                for (String target : state.transitions()) {
                    if (!scope.states().containsKey(target)) {
                        problems.add(state.where() + " goes to '" + target + "', which is not a state of its scope");
                    }
                }
                if (!state.isTerminal() && state.transitions().isEmpty()) {
                    problems.add(state.where() + " has neither Next nor End");
                }
                if (state.type().equals("Choice") && !state.node().has("Default")) {
                    problems.add(state.where() + " has no Default: an unexpected value would fail the execution with States.NoChoiceMatched");
                }
            }
        }
        assertNoProblems(fileName, problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void everyStateIsReachableFromStartAt(String fileName) {
        List<String> problems = new ArrayList<>();
        for (Scope scope : AslDefinition.named(fileName).scopes()) {
            Set<String> reached = reachableFrom(scope, scope.startAt());
            scope.states().values().stream().filter(s -> !reached.contains(s.name()))
                    .forEach(s -> problems.add(s.where() + " cannot be reached from StartAt '" + scope.startAt() + "'"));
        }
        assertNoProblems(fileName, problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void everyStateCanReachAnEnd(String fileName) {
        List<String> problems = new ArrayList<>();
        for (Scope scope : AslDefinition.named(fileName).scopes()) {
            for (State state : scope.states().values()) {
                boolean ends = reachableFrom(scope, state.name()).stream()
                        .map(scope.states()::get).anyMatch(s -> s != null && s.isTerminal());
                if (!ends) {
                    problems.add(state.where() + " can reach no Succeed, Fail or End state: the run would never end from here");
                }
            }
        }
        assertNoProblems(fileName, problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void everyLambdaTaskRetriesLambdaFaultsAndItsOwnFailures(String fileName) {
        List<String> problems = new ArrayList<>();
        for (State task : AslDefinition.named(fileName).lambdaTasks()) {
            JsonNode retry = task.node().path("Retry");
            if (findRetrier(retry, LAMBDA_TRANSIENT_ERRORS).isEmpty()) {
                problems.add(task.where() + " has no retrier on exactly " + LAMBDA_TRANSIENT_ERRORS);
            }
            if (findRetrier(retry, List.of("States.TaskFailed")).isEmpty()) {
                problems.add(task.where() + " has no retrier on exactly [States.TaskFailed]");
            }
            // Which retrier applies depends on the order (States.TaskFailed also matches Lambda's errors).
            for (String error : LAMBDA_TRANSIENT_ERRORS) {
                expectBackoff(task, error, LAMBDA_TRANSIENT, problems);
            }
            expectBackoff(task, "java.lang.IllegalStateException", TASK_FAILED, problems);
        }
        assertNoProblems(fileName, problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void aCallbackWaitThatRunsOutIsNotRetried(String fileName) {
        List<String> problems = new ArrayList<>();
        for (State task : AslDefinition.named(fileName).states()) {
            if (!task.isCallbackTask()) {
                continue;
            }
            List<String> timeouts = new ArrayList<>(List.of("States.Timeout"));
            if (task.node().has("HeartbeatSeconds") || task.node().has("HeartbeatSecondsPath")) {
                timeouts.add("States.HeartbeatTimeout");
            }
            for (String error : timeouts) {
                firstMatching(task.node().path("Retry"), error)
                        .filter(retrier -> retrier.path("MaxAttempts").asInt(3) != 0)
                        .ifPresent(retrier -> problems.add(task.where() + " retries " + error + " (through " + retrier.path("ErrorEquals")
                                + "): a wait that ran out would start over instead of going to its Catch; put a retrier on "
                                + error + " with MaxAttempts 0 first"));
            }
        }
        assertNoProblems(fileName, problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void everyLambdaTaskButFinishCatchesEveryError(String fileName) {
        List<String> problems = new ArrayList<>();
        for (State task : AslDefinition.named(fileName).lambdaTasks()) {
            if (task.function().equals(Optional.of(FleetrunFunction.FINISH))) {
                continue;
            }
            boolean catchesAll = false;
            for (JsonNode catcher : task.node().path("Catch")) {
                catchesAll |= errorsOf(catcher).equals(List.of("States.ALL"));
            }
            if (!catchesAll) {
                problems.add(task.where() + " has no Catch on [States.ALL]: a failure would end the execution without Finish");
            }
        }
        assertNoProblems(fileName, problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void statesAllStandsAloneInTheLastRetrierOrCatcher(String fileName) {
        List<String> problems = new ArrayList<>();
        for (State state : AslDefinition.named(fileName).states()) {
            for (String field : List.of("Retry", "Catch")) {
                JsonNode entries = state.node().path(field);
                for (int i = 0; i < entries.size(); i++) {
                    List<String> errors = errorsOf(entries.get(i));
                    if (errors.contains("States.ALL") && (errors.size() > 1 || i != entries.size() - 1)) {
                        problems.add(state.where() + " " + field + "[" + i + "]: States.ALL must be alone and in the last entry");
                    }
                }
            }
        }
        assertNoProblems(fileName, problems);
    }

    // --- helpers -------------------------------------------------------------------------------

    private static Set<String> placeholders(AslDefinition definition) {
        Set<String> keys = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(definition.text());
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static Set<String> reachableFrom(Scope scope, String start) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            State state = scope.states().get(name);
            if (state != null && seen.add(name)) {
                todo.addAll(state.transitions());
            }
        }
        return seen;
    }

    private static List<String> errorsOf(JsonNode retrierOrCatcher) {
        List<String> errors = new ArrayList<>();
        retrierOrCatcher.path("ErrorEquals").forEach(e -> errors.add(e.asText()));
        return errors;
    }

    private static Optional<JsonNode> findRetrier(JsonNode retry, List<String> errors) {
        Set<String> wanted = new HashSet<>(errors);
        for (JsonNode retrier : retry) {
            if (new HashSet<>(errorsOf(retrier)).equals(wanted)) {
                return Optional.of(retrier);
            }
        }
        return Optional.empty();
    }

    /**
     * The retrier Step Functions applies to an error: the first whose ErrorEquals matches it.
     * States.ALL matches everything; States.TaskFailed everything but States.Timeout.
     */
    static Optional<JsonNode> firstMatching(JsonNode retry, String error) {
        for (JsonNode retrier : retry) {
            List<String> errors = errorsOf(retrier);
            if (errors.contains(error) || errors.contains("States.ALL")
                    || (errors.contains("States.TaskFailed") && !error.equals("States.Timeout"))) {
                return Optional.of(retrier);
            }
        }
        return Optional.empty();
    }

    private static void expectBackoff(State task, String error, Backoff expected, List<String> problems) {
        Optional<JsonNode> applied = firstMatching(task.node().path("Retry"), error);
        if (applied.isEmpty()) {
            problems.add(task.where() + " does not retry " + error);
        } else if (!Backoff.of(applied.get()).equals(expected)) {
            problems.add(task.where() + " retries " + error + " with " + Backoff.of(applied.get()) + " (through "
                    + applied.get().path("ErrorEquals") + "), expected " + expected);
        }
    }

    private static <T extends Enum<T>> Set<T> difference(Set<T> a, Set<T> b) {
        return a.stream().filter(x -> !b.contains(x)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertNoProblems(String fileName, List<String> problems) {
        assertTrue(problems.isEmpty(), () -> fileName + ":\n  " + String.join("\n  ", problems));
    }
}
