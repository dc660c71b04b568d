package dev.fleetrun.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the API calls a client makes, by operation name ("Query", "GetItem", ...), so a test can
 * prove how many requests an operation takes. Add it with {@link DynamoDbLocal#newClient(ExecutionInterceptor...)}.
 */
public final class RequestCounter implements ExecutionInterceptor {

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
    }

    public int count(String operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    /** Every call so far, by operation. */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        calls.forEach((operation, count) -> counts.put(operation, count.get()));
        return counts;
    }

    public void reset() {
        calls.clear();
    }
}
