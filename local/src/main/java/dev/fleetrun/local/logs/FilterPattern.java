package dev.fleetrun.local.logs;

import dev.fleetrun.local.wire.AwsError;
import java.util.ArrayList;
import java.util.List;

/**
 * A CloudWatch Logs filter pattern for unstructured events ("Filter pattern syntax for metric filters, subscription
 * filters, filter log events", CloudWatch Logs User Guide): terms that must all appear ({@code ERROR timeout}),
 * exact phrases in double quotes ({@code "line 42"}), excluded terms ({@code ERROR -retry}), and terms of which any
 * may appear ({@code ?ERROR ?WARN}). Matching is case-sensitive, as in CloudWatch Logs. The empty pattern matches
 * every event. JSON ({@code { $.level = ... }}) and space-delimited ({@code [ip, user, ...]}) patterns are not
 * supported here.
 */
final class FilterPattern {
    private final List<String> all;
    private final List<String> none;
    private final List<String> any;

    private FilterPattern(List<String> all, List<String> none, List<String> any) {
        this.all = all;
        this.none = none;
        this.any = any;
    }

    static FilterPattern parse(String pattern) {
        String text = pattern.trim();
        if (text.startsWith("{") || text.startsWith("[")) {
            throw AwsError.notImplemented("JSON and space-delimited filter patterns (" + pattern + ")",
                    "use terms, \"quoted phrases\", -excluded and ?optional terms");
        }
        List<String> all = new ArrayList<>();
        List<String> none = new ArrayList<>();
        List<String> any = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<String> target = all;
            if (c == '-' || c == '?') {
                target = c == '-' ? none : any;
                i++;
            }
            String term;
            if (i < text.length() && text.charAt(i) == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    throw AwsError.of("InvalidParameterException", "Invalid filter pattern: a quote is not closed: " + pattern);
                }
                term = text.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                term = text.substring(i, end);
                i = end;
            }
            if (!term.isEmpty()) {
                target.add(term);
            }
        }
        return new FilterPattern(List.copyOf(all), List.copyOf(none), List.copyOf(any));
    }

    boolean matches(String message) {
        return all.stream().allMatch(message::contains)
                && none.stream().noneMatch(message::contains)
                && (any.isEmpty() || any.stream().anyMatch(message::contains));
    }
}
