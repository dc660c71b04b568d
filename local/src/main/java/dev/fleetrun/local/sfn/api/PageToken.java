package dev.fleetrun.local.sfn.api;

import dev.fleetrun.local.wire.AwsError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code nextToken} of the Step Functions list calls. It holds a position that does not move when the
 * list grows (the name of the last state machine returned, the ARN of the last execution, the id of the
 * last history event), so that paging through a list while executions start and events arrive neither
 * repeats nor skips items. It is bound to the request it was issued for: a token of one execution's
 * history given to another, or to ListExecutions, is refused with {@code InvalidToken}, as AWS refuses it.
 */
final class PageToken {

    private static final char SEPARATOR = '\n';

    private PageToken() {
    }

    /**
     * @param request  what the token belongs to: the operation and everything that selects the list
     *                 (state machine ARN, status filter, execution ARN, order)
     * @param position where the next page starts
     */
    static String issue(String request, String position) {
        String plain = request + SEPARATOR + position;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token from {@link #issue} holds, checked against the request it is now given with. */
    static String position(String token, String request) {
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("it is not a nextToken this service issued");
        }
        int separator = plain.lastIndexOf(SEPARATOR);
        if (separator < 0) {
            throw invalid("it is not a nextToken this service issued");
        }
        if (!plain.substring(0, separator).equals(request)) {
            throw invalid("it was issued for another request; pass the nextToken of the previous page of the same"
                    + " request (same ARN, filter and order)");
        }
        return plain.substring(separator + 1);
    }

    /** The history event id a GetExecutionHistory token holds (a token could be forged to hold anything). */
    static long eventId(String token, String request) {
        try {
            return Long.parseLong(position(token, request));
        } catch (NumberFormatException e) {
            throw invalid("it is not a nextToken this service issued");
        }
    }

    private static AwsError invalid(String why) {
        return AwsError.of("InvalidToken", "Invalid Token: 'The nextToken is not valid: " + why + "'");
    }
}
