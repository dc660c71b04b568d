package dev.fleetrun.local.sfn.retry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A state's {@code Retry} and {@code Catch} (Task, Parallel, Map): runs attempts, retries an error with the
 * first retrier that matches it (a retrier whose attempts are used up lets the error through to the
 * catchers, it does not fall through to later retriers), and hands an error no retrier resolves to the first
 * catcher that matches it.
 */
public final class ErrorHandling {

    private static final ErrorHandling NONE = new ErrorHandling(List.of(), List.of());

    private final List<Retrier> retriers;
    private final List<Catcher> catchers;

    private ErrorHandling(List<Retrier> retriers, List<Catcher> catchers) {
        this.retriers = retriers;
        this.catchers = catchers;
    }

    /** Reads {@code Retry} and {@code Catch} of a JSONPath state. */
    public static ErrorHandling parse(Fields fields) {
        return parse(fields, false);
    }

    /** Reads {@code Retry} and {@code Catch} of a state in either query language. */
    public static ErrorHandling parse(Fields fields, boolean jsonata) {
        List<Retrier> retriers = new ArrayList<>();
        List<Catcher> catchers = new ArrayList<>();
        List<JsonNode> retry = fields.array("Retry");
        if (retry != null) {
            for (int i = 0; i < retry.size(); i++) {
                Retrier retrier = Retrier.parse(retry.get(i), fields.pointer("Retry") + "/" + i, fields.problems());
                if (retrier != null) {
                    retriers.add(retrier);
                }
            }
            ErrorEquals.checkAllIsLast(retriers.stream().map(Retrier::errorEquals).toList(), fields, "Retry");
        }
        List<JsonNode> catchList = fields.array("Catch");
        if (catchList != null) {
            for (int i = 0; i < catchList.size(); i++) {
                Catcher catcher = Catcher.parse(catchList.get(i), fields.pointer("Catch") + "/" + i, fields.problems(), jsonata);
                if (catcher != null) {
                    catchers.add(catcher);
                }
            }
            ErrorEquals.checkAllIsLast(catchers.stream().map(Catcher::errorEquals).toList(), fields, "Catch");
        }
        if (retriers.isEmpty() && catchers.isEmpty()) {
            return NONE;
        }
        return new ErrorHandling(List.copyOf(retriers), List.copyOf(catchers));
    }

    /** The catchers, for transition checks. */
    public List<Catcher> catchers() {
        return catchers;
    }

    /**
     * Runs {@code attempt} until it succeeds, an error is caught, or an error is left unhandled (thrown).
     * Between retries it waits on the engine's clock and raises {@code $$.State.RetryCount}.
     */
    public Outcome run(StateContext context, JsonNode rawInput, Supplier<JsonNode> attempt) {
        long[] retriesDone = new long[retriers.size()];
        int totalRetries = 0;
        while (true) {
            context.retryCount(totalRetries);
            try {
                return new Outcome(null, attempt.get());
            } catch (AslError error) {
                if (error.isTerminal()) {
                    throw error;
                }
                int index = firstMatching(error);
                if (index >= 0 && retriesDone[index] < retriers.get(index).maxAttempts()) {
                    Duration delay = retriers.get(index).delay(retriesDone[index], context.services().random());
                    retriesDone[index]++;
                    totalRetries++;
                    context.sleepUntil(context.clock().now().plus(delay));
                    continue;
                }
                for (Catcher catcher : catchers) {
                    if (catcher.matches(error)) {
                        return new Outcome(catcher.next(), catcher.output(context, rawInput, error));
                    }
                }
                throw error;
            }
        }
    }

    private int firstMatching(AslError error) {
        for (int i = 0; i < retriers.size(); i++) {
            if (retriers.get(i).matches(error)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * How a state with Retry/Catch ended without an unhandled error.
     *
     * @param caughtNext the catcher's Next when an error was caught, else {@code null}
     * @param output     the state's output (for a caught error: the raw input with the error output placed)
     */
    public record Outcome(String caughtNext, JsonNode output) {
        /** Whether an error was caught. */
        public boolean caught() {
            return caughtNext != null;
        }
    }
}
