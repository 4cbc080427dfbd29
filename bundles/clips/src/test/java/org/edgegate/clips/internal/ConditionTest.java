package org.edgegate.clips.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.edgegate.kernel.fuzz.Fuzz;
import org.junit.Test;

public class ConditionTest {
    private static boolean eval(String when, Map<String, Object> values) {
        return Condition.parse(when).test(values::get);
    }

    private static int errorAt(String when) {
        try {
            Condition.parse(when);
        } catch (Condition.ParseException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("when: at position " + e.position() + ": "));
            return e.position();
        }
        fail("parsed: " + when);
        return -1;
    }

    @Test
    public void theIssuesExampleReadsNumbersAndOr() {
        String when = "sensor/gas/smoke >= 400 or sensor/th/temperature > 30";
        assertEquals(Set.of("sensor/gas/smoke", "sensor/th/temperature"), Condition.parse(when).keys());
        assertTrue(eval(when, Map.of("sensor/gas/smoke", 400L)));
        assertFalse(eval(when, Map.of("sensor/gas/smoke", 399.9)));
        assertTrue(eval(when, Map.of("sensor/gas/smoke", 10L, "sensor/th/temperature", 30.5)));
        assertFalse(eval(when, Map.of()));
    }

    @Test
    public void precedenceIsNotThenAndThenOrAndParenthesesGroup() {
        Map<String, Object> v = Map.of("a", 1L, "b", 0L, "c", 1L);
        assertTrue(eval("a == 1 or b == 1 and c == 0", v));
        assertFalse(eval("(a == 1 or b == 1) and c == 0", v));
        assertTrue(eval("not b == 1 and c >= 1", v));
        assertFalse(eval("not (a == 1)", v));
        assertTrue(eval("NOT not a == 1", v));
        assertTrue(eval("((((a < 2))))", v));
    }

    @Test
    public void textsBooleansAndBareKeys() {
        Map<String, Object> v = new HashMap<>();
        v.put("door/state", "open");
        v.put("camera/c0/enabled", true);
        v.put("alarm", 0L);
        assertTrue(eval("door/state == 'open'", v));
        assertTrue(eval("door/state != \"closed\"", v));
        assertTrue(eval("'open' == door/state", v));
        assertTrue(eval("camera/c0/enabled == true", v));
        assertTrue(eval("camera/c0/enabled", v));
        assertFalse(eval("alarm", v));
        assertTrue(eval("door/state == 'say \\'hi\\''", Map.of("door/state", "say 'hi'")));
        // different types, or an absent key: false either way
        assertFalse(eval("door/state == 1", v));
        assertFalse(eval("door/state != 1", v));
        assertFalse(eval("missing/key != 1", v));
        assertFalse(eval("alarm > 'x'".replace("'x'", "door/state"), v));
    }

    @Test
    public void numbersInTheirForms() {
        Map<String, Object> v = Map.of("t", -2.5);
        assertTrue(eval("t < -2", v));
        assertTrue(eval("t == -2.5e0", v));
        assertTrue(eval("t > -25E-1 or t == -2.5", v));
        assertTrue(eval("t<=+0", v));
        assertFalse(eval("t > 0", Map.of("t", Double.NaN)));
    }

    @Test
    public void errorsNameThePosition() {
        assertEquals(21, errorAt("sensor/gas/smoke >= "));
        assertEquals(18, errorAt("sensor/gas/smoke = 400"));
        assertEquals(18, errorAt("sensor/gas/smoke > 'x'"));
        assertEquals(1, errorAt("400 > 300"));
        assertEquals(7, errorAt("(a > 1"));
        assertEquals(7, errorAt("a > 1 b > 2"));
        assertEquals(5, errorAt("a > 'never closed"));
        assertEquals(5, errorAt("a > and"));
        assertEquals(1, errorAt(""));
        assertEquals(1, errorAt("   "));
        assertEquals(5, errorAt("a > 1e999"));
        assertEquals(5, errorAt("a > 1.2.3"));
        assertEquals(3, errorAt("a ; rm -rf /"));
        assertEquals(1, errorAt("$(reboot) > 1"));
        assertEquals(9, errorAt("a > 1 or"));
        assertEquals(1, errorAt("a+b > 1".replace("a+b", "+")));
    }

    @Test
    public void hostileInputIsBoundedNotAStackOverflow() {
        String deep = "(".repeat(100_000) + "a > 1" + ")".repeat(100_000);
        Condition.ParseException e = expectError(deep);
        assertTrue(e.getMessage(), e.getMessage().contains("longer than " + Condition.MAX_LENGTH));
        String nested = "(".repeat(Condition.MAX_DEPTH + 1) + "a > 1" + ")".repeat(Condition.MAX_DEPTH + 1);
        e = expectError(nested);
        assertTrue(e.getMessage(), e.getMessage().contains("nested deeper than " + Condition.MAX_DEPTH));
        assertTrue(expectError("not ".repeat(40) + "a").getMessage().contains("nested deeper"));
        String many = "a > 1" + " or a > 1".repeat(Condition.MAX_TERMS);
        assertTrue(expectError(many).getMessage().contains("more than " + Condition.MAX_TERMS + " comparisons"));
        // the message quotes what it found shortened, whatever it is
        e = expectError("a > 1 " + "\u0000".repeat(500));
        assertTrue(e.getMessage(), e.getMessage().length() < 200);
        // the largest accepted condition still evaluates
        String wide = "a > 1" + " and a > 1".repeat(Condition.MAX_TERMS - 1);
        assertTrue(Condition.parse(wide).test(Map.of("a", 2L)::get));
    }

    @Test
    public void everyOtherBoundSaysWhereAndWhy() {
        // exactly at the length bound: parsed; one more character: refused at the first one too many
        String padded = "a > 1" + " ".repeat(Condition.MAX_LENGTH - "a > 1".length());
        assertTrue(Condition.parse(padded).test(Map.of("a", 2L)::get));
        assertEquals(Condition.MAX_LENGTH + 1, errorAt(padded + " "));
        // the largest nesting accepted, one more refused
        String depth = "(".repeat(Condition.MAX_DEPTH - 1) + "a > 1" + ")".repeat(Condition.MAX_DEPTH - 1);
        assertTrue(Condition.parse(depth).test(Map.of("a", 2L)::get));
        // numbers: at most 40 characters, finite
        assertTrue(expectError("a > " + "1".repeat(41)).getMessage().contains("a number of more than 40 characters"));
        assertEquals(5, errorAt("a > " + "1".repeat(41)));
        assertTrue(Condition.parse("a > " + "1".repeat(40)).test(Map.of("a", 1e41)::get));
        assertTrue(expectError("a > 1e999").getMessage().contains("out of range"));
        // a text never closed, a key the state service would refuse (longer than StateKeys allows)
        assertTrue(expectError("a == 'open").getMessage().contains("never closed"));
        String longKey = "k/" + "y".repeat(org.edgegate.api.state.StateKeys.MAX_LENGTH);
        Condition.ParseException e = expectError(longKey + " > 1");
        assertTrue(e.getMessage(), e.getMessage().contains("longer than " + org.edgegate.api.state.StateKeys.MAX_LENGTH));
        assertEquals(1, e.position());
    }

    private static Condition.ParseException expectError(String when) {
        try {
            Condition.parse(when);
        } catch (Condition.ParseException e) {
            return e;
        }
        throw new AssertionError("parsed: " + when.substring(0, Math.min(60, when.length())));
    }

    @Test
    public void fuzzedConditionsParseOrFailWithAPosition() {
        List<byte[]> seeds = List.of("sensor/gas/smoke >= 400 or sensor/th/temperature > 30",
                "not (a == 'x' and b != true) or c < -1.5e3", "((a))", "a").stream()
                .map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        Fuzz.run("condition", seeds, input -> {
            Condition c = Condition.parse(new String(input, StandardCharsets.UTF_8));
            c.test(k -> 1L);
            c.test(k -> "x");
            c.test(k -> null);
        }, Condition.ParseException.class);
    }
}
