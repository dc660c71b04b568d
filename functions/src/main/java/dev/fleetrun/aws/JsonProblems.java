package dev.fleetrun.aws;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in words what is wrong with JSON text that Jackson refused (a run request file, a jobs file, a stored
 * record): "it ends before the JSON value is complete, at line 3, column 1", never the parser's own wording with
 * its class names and settings ({@code StreamReadConstraints.getMaxNestingDepth()},
 * {@code StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION}), which is no help to whoever wrote the file. (The embedded
 * runtime's wire layer words request bodies the same way, for AWS's protocols.)
 */
public final class JsonProblems {
    private static final Pattern UNEXPECTED = Pattern.compile("^Unexpected character \\('(.+?)' \\(code \\d+\\)\\)");
    private static final Pattern UNRECOGNIZED = Pattern.compile("^Unrecognized token '([^']{0,40})");
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.{0,80})'");
    private static final Pattern ALLOWED = Pattern.compile("maximum allowed \\((\\d+)");

    private JsonProblems() {
    }

    /** What is wrong, with where: a clause that reads after "not valid JSON: ". */
    public static String describe(JacksonException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String what;
        if (e instanceof StreamConstraintsException) {
            Matcher allowed = ALLOWED.matcher(message);
            String max = allowed.find() ? allowed.group(1) : null;
            what = message.startsWith("Document nesting depth")
                    ? "it nests arrays and objects deeper than " + (max == null ? "the parser reads" : max + " levels")
                    : message.startsWith("Number value length") ? "a number has more digits than " + (max == null ? "allowed" : max)
                    : message.startsWith("String value length") ? "a string is longer than " + (max == null ? "allowed" : max + " characters")
                    : "it is larger or deeper than fleetrun reads";
            return what; // a limit has no useful place
        } else if (e instanceof JsonEOFException || message.startsWith("Unexpected end-of-input")
                || message.contains("reached end-of-input")) {
            what = "it ends before the JSON value is complete (a missing } or ], or a cut-off file?)";
        } else if (message.startsWith("Trailing token")) {
            what = "more follows after the first JSON value; give exactly one";
        } else if (DUPLICATE.matcher(message).find()) {
            what = "the field '" + group(DUPLICATE, message) + "' appears twice in one object";
        } else if (UNEXPECTED.matcher(message).find()) {
            String expected = message.contains("was expecting ")
                    ? message.substring(message.indexOf("was expecting ") + "was expecting ".length()).strip() : null;
            what = "unexpected character '" + group(UNEXPECTED, message) + "'"
                    + (expected == null || expected.startsWith("(") ? "" : " where " + article(expected) + " was expected");
        } else if (UNRECOGNIZED.matcher(message).find()) {
            what = "'" + group(UNRECOGNIZED, message) + "' is not a JSON value (strings need double quotes)";
        } else if (message.startsWith("Non-standard token")) {
            what = "NaN and Infinity are not JSON numbers";
        } else if (message.startsWith("Illegal unquoted character")) {
            what = "a control character inside a string is not escaped (write \\n, \\t or \\u0000)";
        } else if (message.startsWith("Invalid numeric value") || message.startsWith("Invalid number")) {
            what = "a number is malformed (leading zeroes, a lone sign or point)";
        } else if (message.contains("UTF-8") || message.contains("UTF8")) {
            what = "the text is not UTF-8";
        } else {
            what = "it is not well-formed JSON";
        }
        return what + where(e.getLocation());
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : ", at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String article(String expected) {
        String e = expected.replaceAll("\\s*\\(.*$", "");
        return e.startsWith("a ") || e.startsWith("an ") ? e : "a " + e;
    }

    private static String group(Pattern pattern, String message) {
        Matcher m = pattern.matcher(message);
        return m.find() ? m.group(1) : "";
    }
}
