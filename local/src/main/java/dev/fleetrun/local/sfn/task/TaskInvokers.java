package dev.fleetrun.local.sfn.task;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which invoker runs which resource. Service integrations are registered by {@code service:action}
 * ({@code sns:publish}, {@code lambda:invoke}); Lambda function ARNs and activities by their kind. A resource
 * nothing is registered for fails its task with a message that lists what is.
 */
public final class TaskInvokers {

    private final Map<String, TaskInvoker> integrations = new ConcurrentHashMap<>();
    private final Map<Resource.Kind, TaskInvoker> byKind = new ConcurrentHashMap<>();

    /** Runs {@code service:action} integrations ({@code "sns:publish"}, {@code "aws-sdk:dynamodb:getItem"}). */
    public TaskInvokers integration(String serviceAction, TaskInvoker invoker) {
        integrations.put(serviceAction, invoker);
        return this;
    }

    /** Runs every resource of a kind (Lambda function ARNs, activities). */
    public TaskInvokers kind(Resource.Kind kind, TaskInvoker invoker) {
        byKind.put(kind, invoker);
        return this;
    }

    /** Runs Lambda functions, both by function ARN and through {@code arn:aws:states:::lambda:invoke}. */
    public TaskInvokers lambda(LambdaFunctions functions) {
        LambdaInvoker invoker = new LambdaInvoker(functions);
        kind(Resource.Kind.LAMBDA_FUNCTION, invoker);
        integration("lambda:invoke", invoker);
        return this;
    }

    /** The invoker for a resource, if any. */
    public Optional<TaskInvoker> find(Resource resource) {
        if (resource.kind() == Resource.Kind.SERVICE_INTEGRATION) {
            return Optional.ofNullable(integrations.get(resource.integrationKey()));
        }
        return Optional.ofNullable(byKind.get(resource.kind()));
    }

    /** What can be run, for messages: the registered integrations and kinds. */
    public List<String> describe() {
        List<String> names = new java.util.ArrayList<>();
        new TreeMap<>(integrations).keySet().forEach(key -> names.add("arn:aws:states:::" + key));
        byKind.keySet().stream().sorted().forEach(kind -> names.add(switch (kind) {
            case LAMBDA_FUNCTION -> "Lambda function ARNs";
            case ACTIVITY -> "activities";
            default -> kind.name();
        }));
        return names;
    }
}
