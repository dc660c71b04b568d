package dev.fleetrun.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the errors of one request as the parser finds them, so that all are reported at once.
 * Errors about the entries of one list are capped at {@link #MAX_ITEM_ERRORS}, followed by one line saying how
 * many more there are: a list of 10,000 bad ids must not produce a cause larger than Step Functions keeps.
 */
final class Problems {

    static final int MAX_ITEM_ERRORS = 10;

    private final List<FieldError> errors = new ArrayList<>();
    private final Map<String, Integer> itemErrors = new HashMap<>();

    void add(String field, String reason) {
        errors.add(new FieldError(field, reason));
    }

    /** An error about entry {@code index} of the list at {@code listPath}. */
    void addItem(String listPath, int index, String reason) {
        int n = itemErrors.merge(listPath, 1, Integer::sum);
        if (n <= MAX_ITEM_ERRORS) {
            add(listPath + "[" + index + "]", reason);
        }
    }

    /** Closes the list at {@code listPath}: reports how many of its entry errors were left out. */
    void endList(String listPath) {
        int n = itemErrors.getOrDefault(listPath, 0);
        if (n > MAX_ITEM_ERRORS) {
            add(listPath, (n - MAX_ITEM_ERRORS) + " more invalid entries are not listed here; fix the ones above and look again");
        }
    }

    int count() {
        return errors.size();
    }

    List<FieldError> errors() {
        return List.copyOf(errors);
    }
}
