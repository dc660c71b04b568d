package dev.fleetrun.domain;

import java.util.Locale;
import java.util.Map;

/**
 * Maps an SSM command invocation's {@code Status} and {@code StatusDetails} to a {@link NodeStatus}.
 *
 * <p>Both are normalised first (spaces removed, case ignored), since SSM spells the same value
 * {@code "Delivery Timed Out"} in one place and {@code "DeliveryTimedOut"} in another. Then:
 * <ul>
 * <li>{@code Pending}, {@code InProgress}, {@code Delayed}, {@code Cancelling} → {@link NodeStatus#IN_PROGRESS}
 *     (a node rebooting on exit 194/3010 stays InProgress).</li>
 * <li>{@code Success} → {@link NodeStatus#SUCCEEDED}.</li>
 * <li>{@code Failed} → {@link NodeStatus#FAILED}; {@code TimedOut} → {@link NodeStatus#TIMED_OUT};
 *     {@code Cancelled} → {@link NodeStatus#CANCELLED}; unless the details name a more precise outcome, which
 *     then wins for any of these three statuses (SSM does not document which coarse status goes with each):
 *     {@code Undeliverable}, {@code InvalidPlatform}, {@code AccessDenied} → {@link NodeStatus#UNDELIVERABLE};
 *     {@code DeliveryTimedOut} → {@link NodeStatus#DELIVERY_TIMED_OUT}; {@code Terminated} →
 *     {@link NodeStatus#TERMINATED}; {@code ExecutionTimedOut} → {@link NodeStatus#TIMED_OUT}.</li>
 * <li>A blank status leaves the details to decide alone, with the same meanings.</li>
 * <li>A value that is neither blank nor known is an {@link IllegalArgumentException} naming it, rather than a
 *     guess that could count a node wrongly.</li>
 * </ul>
 */
public final class StatusMapper {

    /** The coarse invocation statuses ({@code CommandInvocationStatus}). */
    private static final Map<String, NodeStatus> STATUS = Map.of(
            "pending", NodeStatus.IN_PROGRESS,
            "inprogress", NodeStatus.IN_PROGRESS,
            "delayed", NodeStatus.IN_PROGRESS,
            "cancelling", NodeStatus.IN_PROGRESS,
            "success", NodeStatus.SUCCEEDED,
            "failed", NodeStatus.FAILED,
            "timedout", NodeStatus.TIMED_OUT,
            "cancelled", NodeStatus.CANCELLED);

    /** The details that refine a terminal, unsuccessful status. */
    private static final Map<String, NodeStatus> PRECISE_DETAILS = Map.of(
            "undeliverable", NodeStatus.UNDELIVERABLE,
            "invalidplatform", NodeStatus.UNDELIVERABLE,
            "accessdenied", NodeStatus.UNDELIVERABLE,
            "deliverytimedout", NodeStatus.DELIVERY_TIMED_OUT,
            "executiontimedout", NodeStatus.TIMED_OUT,
            "terminated", NodeStatus.TERMINATED);

    private StatusMapper() {
    }

    public static NodeStatus fromSsm(String status, String statusDetails) {
        String s = normalise(status);
        String d = normalise(statusDetails);
        NodeStatus fromDetails = d.isEmpty() ? null : details(d, statusDetails);
        if (s.isEmpty()) {
            if (fromDetails == null) {
                throw new IllegalArgumentException("an SSM invocation status needs a Status or StatusDetails; both are blank");
            }
            return fromDetails;
        }
        NodeStatus coarse = STATUS.get(s);
        if (coarse == null) {
            throw new IllegalArgumentException("unknown SSM invocation Status \"" + status + "\" (expected Pending,"
                    + " InProgress, Delayed, Cancelling, Success, Failed, TimedOut or Cancelled)");
        }
        boolean refinable = coarse == NodeStatus.FAILED || coarse == NodeStatus.TIMED_OUT || coarse == NodeStatus.CANCELLED;
        if (refinable && PRECISE_DETAILS.containsKey(d)) {
            return PRECISE_DETAILS.get(d);
        }
        return coarse;
    }

    private static NodeStatus details(String d, String original) {
        NodeStatus precise = PRECISE_DETAILS.get(d);
        if (precise != null) {
            return precise;
        }
        NodeStatus coarse = STATUS.get(d);
        if (coarse != null) {
            return coarse;
        }
        throw new IllegalArgumentException("unknown SSM invocation StatusDetails \"" + original + "\" (expected one of"
                + " Pending, In Progress, Delayed, Success, Failed, Cancelled, Cancelling, Execution Timed Out,"
                + " Delivery Timed Out, Undeliverable, Invalid Platform, Access Denied, Terminated)");
    }

    private static String normalise(String value) {
        return value == null ? "" : value.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
