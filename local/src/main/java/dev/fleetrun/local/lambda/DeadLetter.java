package dev.fleetrun.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An asynchronous event Lambda gave up on after its retries (or once it was older than the maximum event
 * age), as an on-failure destination would receive it.
 *
 * @param function     the function name
 * @param requestId    the event's request id
 * @param payload      the event
 * @param errorType    the error of the last attempt
 * @param errorMessage its message
 * @param attempts     how many times the function was tried
 * @param firstAttempt when Lambda first tried
 * @param at           when Lambda gave up
 * @param condition    {@code RetriesExhausted} or {@code EventAgeExceeded}, as in Lambda's destination records
 */
public record DeadLetter(String function, String requestId, JsonNode payload, String errorType, String errorMessage,
                         int attempts, Instant firstAttempt, Instant at, String condition) {
}
