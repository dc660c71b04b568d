package dev.fleetrun.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Jackson's refusals in words, with the line and column, never the parser's class names or settings. */
class JsonProblemsTest {

    private static String problem(String text) {
        return assertThrows(IllegalArgumentException.class, () -> Json.parse(text)).getMessage();
    }

    @Test
    void eachCommonMistakeIsNamed() {
        assertEquals("not valid JSON: it ends before the JSON value is complete (a missing } or ], or a cut-off file?),"
                + " at line 1, column 11", problem("{\"a\": [1, "));
        assertEquals("not valid JSON: unexpected character '}' where a double-quote to start field name was expected,"
                + " at line 2, column 1", problem("{\"a\": 1,\n}"));
        assertEquals("not valid JSON: 'yes' is not a JSON value (strings need double quotes), at line 1, column 10",
                problem("{\"a\": yes}"));
        assertTrue(problem("[".repeat(3_000)).startsWith("not valid JSON: it nests arrays and objects deeper than "),
                problem("[".repeat(3_000)));
    }

    @Test
    void noParserInternalsAreQuoted() {
        for (String text : List.of("[".repeat(3_000), "{\"a\": 1", "{\"a\": 01}", "{\"a\": \"\u0001\"}", "{'a': 1}")) {
            String message = problem(text);
            for (String internal : List.of("StreamRead", "Feature", "`", "Source:", "jackson", "REDACTED")) {
                assertFalse(message.contains(internal), message);
            }
        }
    }
}
