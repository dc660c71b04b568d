package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.EngineHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.sfn.path.Bindings;
import org.junit.jupiter.api.Test;

class IntrinsicParserTest {

    private static String eval(String expression, String input) {
        return IntrinsicParser.parse(expression).evaluate(json(input), Bindings.none()).toString();
    }

    @Test
    void argumentsMayBeLiteralsPathsAndCalls() {
        assertEquals("[\"a,b\",-1.5,true,null,{\"k\":1},2]",
                eval("States.Array('a,b', -1.5, true, null, $.o, States.ArrayLength($.l))", "{\"o\": {\"k\": 1}, \"l\": [1, 2]}"));
    }

    @Test
    void pathsWithCommasAndParenthesesInBracketsStayWhole() {
        assertEquals("[1]", eval("States.Array($['a,b'])", "{\"a,b\": 1}"));
        assertEquals("[[2]]", eval("States.Array($.l[?(@ > 1)])", "{\"l\": [1, 2]}"));
    }

    @Test
    void problemsNameThePosition() {
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class, () -> IntrinsicParser.parse("States.Format('abc"));
        assertTrue(open.getMessage().contains("not closed"), open.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> IntrinsicParser.parse("States.Foo()"));
        assertTrue(unknown.getMessage().contains("States.Foo") && unknown.getMessage().contains("States.Format"), unknown.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> IntrinsicParser.parse("States.UUID(1)"));
        assertTrue(count.getMessage().contains("takes 0 arguments"), count.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IntrinsicParser.parse("States.Array(1) extra"));
        assertThrows(IllegalArgumentException.class, () -> IntrinsicParser.parse("States.Array(bare)"));
    }

    @Test
    void everyFunctionOfTheLanguageIsKnown() {
        assertEquals(18, IntrinsicFunctions.names().size(), IntrinsicFunctions.names().toString());
    }
}
