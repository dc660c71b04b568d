package dev.fleetrun.testing;

import dev.fleetrun.records.FleetrunTable;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * A DynamoDB client interceptor that fails the first call matching a predicate, before it reaches
 * the table, and lets every other call through: a Lambda that died at exactly that point. Give it to
 * {@link TestServices#servicesWith}, run the handler (it throws {@link SimulatedCrash}), then run the
 * handler again on the healthy services, as Lambda's retry would.
 */
public final class FailOnce implements ExecutionInterceptor {
    private final String description;
    private final Predicate<SdkRequest> matches;
    private final AtomicInteger fired = new AtomicInteger();
    private final boolean staysDead;

    public FailOnce(String description, Predicate<SdkRequest> matches) {
        this(description, matches, false);
    }

    private FailOnce(String description, Predicate<SdkRequest> matches, boolean staysDead) {
        this.description = description;
        this.matches = matches;
        this.staysDead = staysDead;
    }

    /**
     * The same fault, after which every call fails too: a Lambda killed there (its timeout, out of memory) runs
     * none of its own clean-up, where one that threw would still run its catch blocks.
     */
    public FailOnce killing() {
        return new FailOnce(description, matches, true);
    }

    /** Fails the first TransactWriteItems that writes the item with this sort key (for example a batch's). */
    public static FailOnce transactionWriting(String sortKey) {
        return new FailOnce("the transaction that writes " + sortKey, request ->
                request instanceof TransactWriteItemsRequest t && t.transactItems().stream()
                        .anyMatch(item -> sortKey.equals(sortKeyOf(item))));
    }

    /** Fails the first PutItem of the item with this sort key (for example {@code #RUN}, the run item). */
    public static FailOnce putting(String sortKey) {
        return new FailOnce("the PutItem of " + sortKey, request ->
                request instanceof PutItemRequest p && p.item().containsKey(FleetrunTable.SK)
                        && sortKey.equals(p.item().get(FleetrunTable.SK).s()));
    }

    /** How many calls it failed: 1 once it fired. */
    public int fired() {
        return fired.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (staysDead && fired.get() > 0) {
            throw new SimulatedCrash("the process was killed before " + description + "; nothing after it runs");
        }
        if (matches.test(context.request()) && fired.compareAndSet(0, 1)) {
            throw new SimulatedCrash("simulated crash before " + description);
        }
    }

    private static String sortKeyOf(TransactWriteItem item) {
        Map<String, AttributeValue> key = null;
        if (item.update() != null) {
            key = item.update().key();
        } else if (item.put() != null) {
            key = item.put().item();
        } else if (item.conditionCheck() != null) {
            key = item.conditionCheck().key();
        } else if (item.delete() != null) {
            key = item.delete().key();
        }
        AttributeValue sk = key == null ? null : key.get(FleetrunTable.SK);
        return sk == null ? null : sk.s();
    }

    /** What the failed call throws: the process "died" here. */
    public static final class SimulatedCrash extends RuntimeException {
        public SimulatedCrash(String message) {
            super(message);
        }
    }
}
