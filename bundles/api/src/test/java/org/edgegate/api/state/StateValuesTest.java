package org.edgegate.api.state;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class StateValuesTest {
    @Test
    public void operatorTextBecomesNumberBooleanOrString() {
        assertEquals(12L, StateValues.parse("12"));
        assertEquals(-5L, StateValues.parse("-5"));
        assertEquals(-5.5, StateValues.parse("-5.5"));
        assertEquals(0.25, StateValues.parse(".25"));
        assertEquals(1500L, StateValues.parse("1.5e3"));
        assertEquals(Boolean.TRUE, StateValues.parse("true"));
        assertEquals("True", StateValues.parse("True"));
        assertEquals("T-25-H-60", StateValues.parse("T-25-H-60"));
        assertEquals("NaN", StateValues.parse("NaN"));
        assertEquals("0x10", StateValues.parse("0x10"));
        assertEquals("", StateValues.parse(""));
        assertEquals(1e20, StateValues.parse("99999999999999999999"));
    }

    @Test
    public void numbersAreNormalised() {
        assertEquals(3L, StateValues.normalize(3));
        assertEquals(3L, StateValues.normalize(3.0));
        assertEquals(3.5, StateValues.normalize(3.5f));
        assertThrows(IllegalArgumentException.class, () -> StateValues.normalize(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> StateValues.normalize(null));
    }

    @Test
    public void formatsForPeople() {
        assertEquals("25", StateValues.format(25L));
        assertEquals("-5.5", StateValues.format(-5.5));
        assertEquals("bytes[2]:AQI=", StateValues.format(new byte[] {1, 2}));
    }

    @Test
    public void keysAreChecked() {
        assertNull(StateKeys.problem("sensor/th/temperature"));
        assertEquals("empty segment", StateKeys.problem("/a"));
        assertEquals("empty", StateKeys.problem(""));
        assertEquals("sensor/th/T", StateKeys.join("sensor", "th", "T"));
        assertThrows(IllegalArgumentException.class, () -> StateKeys.join("sensor", "", "T"));
    }
}
