package dev.fleetrun.records;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Collects the placeholders of one DynamoDB expression (update, condition, key condition):
 * {@code name("status")} gives {@code #n0}, {@code value(...)} gives {@code :v0}. Every attribute
 * goes through a placeholder, so reserved words and names such as {@code count#FAILED} need no care.
 */
final class Expr {

    private final Map<String, String> placeholderByName = new LinkedHashMap<>();
    private final Map<String, AttributeValue> values = new LinkedHashMap<>();

    String name(String attribute) {
        return placeholderByName.computeIfAbsent(attribute, a -> "#n" + placeholderByName.size());
    }

    String value(AttributeValue value) {
        String placeholder = ":v" + values.size();
        values.put(placeholder, value);
        return placeholder;
    }

    String value(String text) {
        return value(Items.s(text));
    }

    String value(long number) {
        return value(Items.n(number));
    }

    /** Placeholder to attribute name, as the requests take them; null when there are none. */
    Map<String, String> names() {
        if (placeholderByName.isEmpty()) {
            return null;
        }
        Map<String, String> names = new HashMap<>();
        placeholderByName.forEach((attribute, placeholder) -> names.put(placeholder, attribute));
        return names;
    }

    /** Null when there are none: DynamoDB rejects an empty map. */
    Map<String, AttributeValue> values() {
        return values.isEmpty() ? null : Map.copyOf(values);
    }
}
