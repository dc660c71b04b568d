package dev.fleetrun.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of the command line ({@code --since}, {@code --approval-timeout}, {@code --bake},
 * {@code --timeout}): a number of seconds ({@code 90}), or one or more numbers each with its unit, largest first
 * or not ({@code 45s}, {@code 30m}, {@code 2h}, {@code 1d}, {@code 1w}, {@code 1h30m}); at most {@code max}.
 */
final class Durations {
    /** The form every error names. */
    static final String FORMS = "90 (seconds), 45s, 30m, 2h, 1d, 1w or 1h30m";
    private static final Pattern PART = Pattern.compile("(\\d{1,9})([smhdw])");
    private static final Pattern SECONDS = Pattern.compile("\\d{1,10}");

    private Durations() {
    }

    /** True when {@code text} is written as a duration (its size aside). */
    static boolean looksLikeOne(String text) {
        String t = text.trim();
        return SECONDS.matcher(t).matches() || (!t.isEmpty() && PART.matcher(t).replaceAll("").isEmpty());
    }

    /** {@code text} as a duration of at most {@code max}, or a usage error naming {@code flag}, the forms and the bound. */
    static Duration parse(String text, String flag, Duration max) {
        String t = text == null ? "" : text.trim();
        if (!looksLikeOne(t)) {
            throw new UsageException(flag + " '" + text + "' is not a duration: give " + FORMS);
        }
        long seconds = 0;
        if (SECONDS.matcher(t).matches()) {
            seconds = Long.parseLong(t);
        } else {
            Matcher m = PART.matcher(t);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                long unit = switch (m.group(2)) {
                    case "s" -> 1;
                    case "m" -> 60;
                    case "h" -> 3600;
                    case "d" -> 86_400;
                    default -> 7 * 86_400;
                };
                seconds += n * unit; // at most 9 digits times a week per part: no overflow for any sane count of parts
                if (seconds > max.toSeconds()) {
                    break;
                }
            }
        }
        if (seconds > max.toSeconds()) {
            throw new UsageException(flag + " " + text.trim() + " is longer than the most it takes, " + LiveDisplay.human(max)
                    + " (" + max.toSeconds() + " s)");
        }
        return Duration.ofSeconds(seconds);
    }

    /** {@link #parse} as whole seconds in an int (the request's {@code bakeSeconds}, {@code timeoutSeconds}, ...). */
    static int seconds(String text, String flag, Duration max) {
        return Math.toIntExact(parse(text, flag, max).toSeconds());
    }
}
