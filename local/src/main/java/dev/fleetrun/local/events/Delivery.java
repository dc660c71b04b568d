package dev.fleetrun.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One attempt to hand an event to a rule's target.
 *
 * @param at        when (runtime clock)
 * @param rule      the rule that matched (or fired, for a schedule)
 * @param targetId  the target's id
 * @param targetArn the target
 * @param eventId   the event's id
 * @param input     what the target got (after Input, InputPath or InputTransformer)
 * @param attempt   1, then 2... for retries
 * @param error     null when the target took it; else why not
 */
public record Delivery(Instant at, String rule, String targetId, String targetArn, String eventId, JsonNode input,
                       int attempt, String error) {

    public boolean succeeded() {
        return error == null;
    }
}
