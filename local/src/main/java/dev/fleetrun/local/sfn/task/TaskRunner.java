package dev.fleetrun.local.sfn.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.errors.StatesTaskFailed;
import dev.fleetrun.local.sfn.history.HistoryEventType;
import dev.fleetrun.local.sfn.runtime.StateContext;
import dev.fleetrun.local.sfn.time.Signal;
import dev.fleetrun.local.sfn.timeouts.TaskDeadline;
import dev.fleetrun.local.sfn.timeouts.TaskTimeouts;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one attempt of a Task: records the scheduled and started events, runs the invoker on a thread of its
 * own, waits for it (and for the task token, for {@code .waitForTaskToken}) within the attempt's
 * {@link TaskDeadline}, and records how it ended. Lambda function ARNs get AWS's {@code LambdaFunction...}
 * events; every other resource gets {@code Task...} events.
 */
public final class TaskRunner {

    private final Resource resource;

    public TaskRunner(Resource resource) {
        this.resource = resource;
    }

    /**
     * Runs the attempt and returns the task's result.
     *
     * @param token the token issued for this attempt ({@code .waitForTaskToken}), else {@code null}
     * @throws AslError when the task fails or times out
     */
    public JsonNode run(StateContext context, JsonNode parameters, TaskTimeouts.Resolved limits, TaskTokens.Pending token) {
        boolean lambda = resource.kind() == Resource.Kind.LAMBDA_FUNCTION;
        scheduled(context, parameters, limits, lambda);
        TaskInvoker invoker = context.services().invokers().find(resource).orElse(null);
        if (invoker == null) {
            AslError error = new StatesTaskFailed("The embedded Step Functions engine has no invoker for the resource '"
                    + resource.arn() + "'. It can run: " + String.join(", ", context.services().invokers().describe())
                    + ". Register a TaskInvoker for it.");
            ended(context, lambda ? HistoryEventType.LambdaFunctionFailed : HistoryEventType.TaskFailed, error);
            throw error;
        }
        context.emit(lambda ? HistoryEventType.LambdaFunctionStarted : HistoryEventType.TaskStarted, lambda ? Map.of() : resourceDetails());
        Instant startedAt = context.clock().now();
        TaskDeadline deadline = new TaskDeadline(limits, startedAt);
        TaskRequest request = new TaskRequest(resource, parameters, token == null ? null : token.token(),
                context.execution(), context.stateName(), context.services().region());
        Invocation invocation = new Invocation(context, invoker, request);
        try {
            while (!invocation.finished()) {
                if (!context.await(invocation.done, deadline.next(startedAt))) {
                    AslError expired = deadline.expired(context.clock().now(), startedAt);
                    if (expired != null) {
                        timedOut(context, lambda, expired);
                    }
                }
            }
            if (invocation.error != null) {
                ended(context, lambda ? HistoryEventType.LambdaFunctionFailed : HistoryEventType.TaskFailed, invocation.error);
                throw invocation.error;
            }
            if (token == null) {
                succeeded(context, lambda, invocation.result);
                return invocation.result;
            }
            Map<String, Object> submitted = resourceDetails();
            submitted.put("output", invocation.result);
            context.emit(HistoryEventType.TaskSubmitted, submitted);
            while (!token.answered()) {
                if (!context.await(token.signal(), deadline.next(token.lastHeartbeat()))) {
                    AslError expired = deadline.expired(context.clock().now(), token.lastHeartbeat());
                    if (expired != null) {
                        token.close();
                        if (token.answered()) {
                            break;
                        }
                        timedOut(context, lambda, expired);
                    }
                }
            }
            token.close();
            if (token.error() != null) {
                ended(context, HistoryEventType.TaskFailed, token.error());
                throw token.error();
            }
            succeeded(context, lambda, token.output());
            return token.output();
        } finally {
            if (token != null) {
                token.close();
            }
        }
    }

    private void scheduled(StateContext context, JsonNode parameters, TaskTimeouts.Resolved limits, boolean lambda) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (lambda) {
            details.put("resource", resource.arn());
            details.put("input", parameters);
            if (limits.timeoutGiven()) {
                details.put("timeoutInSeconds", limits.timeout().toSeconds());
            }
            context.emit(HistoryEventType.LambdaFunctionScheduled, details);
            return;
        }
        details.putAll(resourceDetails());
        details.put("region", context.services().region());
        details.put("parameters", parameters);
        if (limits.timeoutGiven()) {
            details.put("timeoutInSeconds", limits.timeout().toSeconds());
        }
        if (limits.heartbeat() != null) {
            details.put("heartbeatInSeconds", limits.heartbeat().toSeconds());
        }
        context.emit(HistoryEventType.TaskScheduled, details);
    }

    private Map<String, Object> resourceDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("resourceType", resource.eventResourceType());
        details.put("resource", resource.eventResource());
        return details;
    }

    private void succeeded(StateContext context, boolean lambda, JsonNode output) {
        Map<String, Object> details = lambda ? new LinkedHashMap<>() : resourceDetails();
        details.put("output", output);
        context.emit(lambda ? HistoryEventType.LambdaFunctionSucceeded : HistoryEventType.TaskSucceeded, details);
    }

    private void timedOut(StateContext context, boolean lambda, AslError expired) {
        ended(context, lambda ? HistoryEventType.LambdaFunctionTimedOut : HistoryEventType.TaskTimedOut, expired);
        throw expired;
    }

    private void ended(StateContext context, HistoryEventType type, AslError error) {
        Map<String, Object> details = type.name().startsWith("Lambda") ? new LinkedHashMap<>() : resourceDetails();
        if (error.name() != null) {
            details.put("error", error.name());
        }
        if (error.errorCause() != null) {
            details.put("cause", error.errorCause());
        }
        context.emit(type, details);
    }

    /** The invoker running on its own thread. */
    private static final class Invocation {
        final Signal done;
        private volatile boolean finished;
        private volatile JsonNode result;
        private volatile AslError error;

        Invocation(StateContext context, TaskInvoker invoker, TaskRequest request) {
            done = context.clock().newSignal();
            context.clock().start("task-" + context.stateName(), () -> {
                try {
                    JsonNode value = invoker.invoke(request);
                    result = value == null ? com.fasterxml.jackson.databind.node.NullNode.instance : value;
                } catch (AslError e) {
                    error = e;
                } catch (Exception | Error e) {
                    error = new StatesTaskFailed(e.getClass().getName() + ": " + e.getMessage());
                } finally {
                    finished = true;
                    done.fire();
                }
            });
        }

        boolean finished() {
            return finished;
        }
    }
}
